import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Drawer,
  Form,
  Grid,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  abilityDimensionInfo,
  abilityDimensions,
  abilityItems,
  scoreAssessment,
} from '../../../shared/ability.ts';
import { assessmentReasons } from '../../../shared/elders.ts';
import { LoadError, retryOf } from '../../components/load-error.tsx';
import { applyApiErrors } from '../../lib/form-errors.ts';
import { currentLang } from '../../lib/i18n.ts';
import { LevelTag } from './elder-tags.tsx';
import { addAssessment, elderKey, type Health, healthKey, useHealth } from './elders-api.ts';

type Assessment = Health['assessments'][number];
interface AssessmentForm {
  assessedOn: Dayjs;
  reason: (typeof assessmentReasons)[number];
  assessor1: string;
  assessor2: string;
  items: Record<string, number | undefined>;
  factors: string[];
  falls30d?: number;
  wanderingOff30d?: number;
  choking30d?: number;
  selfHarm30d?: number;
}
const fields = ['assessedOn', 'reason', 'assessor1', 'assessor2', 'items'];
const boolFactors = ['dementia', 'mentalDisorder', 'coma'] as const;
const countFactors = ['falls30d', 'wanderingOff30d', 'choking30d', 'selfHarm30d'] as const;

function AssessmentDrawer({
  elderId,
  open,
  onClose,
}: {
  elderId: number;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const screens = Grid.useBreakpoint();
  const zh = currentLang() === 'zh-CN';
  const [form] = Form.useForm<AssessmentForm>();
  const [errors, setErrors] = useState<string[]>([]);
  const values = Form.useWatch([], form) as Partial<AssessmentForm> | undefined;

  useEffect(() => {
    if (!open) return;
    setErrors([]);
    form.resetFields();
    form.setFieldsValue({ assessedOn: dayjs(), reason: '常规', factors: [], items: {} });
  }, [open, form]);

  // the level as the standard derives it, live while the 26 scores are entered
  const live = useMemo(() => {
    const items = values?.items ?? {};
    const filled = abilityItems.filter((i) => typeof items[i.key] === 'number').length;
    if (filled < abilityItems.length) return { filled, result: null };
    const f = values?.factors ?? [];
    const result = scoreAssessment({
      items: items as Record<string, number>,
      dementia: f.includes('dementia'),
      mentalDisorder: f.includes('mentalDisorder'),
      coma: f.includes('coma'),
      falls30d: values?.falls30d ?? 0,
      wanderingOff30d: values?.wanderingOff30d ?? 0,
      choking30d: values?.choking30d ?? 0,
      selfHarm30d: values?.selfHarm30d ?? 0,
    });
    return { filled, result };
  }, [values]);

  const save = useMutation({
    mutationFn: (v: AssessmentForm) =>
      addAssessment(elderId, {
        assessedOn: v.assessedOn.format('YYYY-MM-DD'),
        reason: v.reason,
        items: v.items,
        assessor1: v.assessor1,
        assessor2: v.assessor2,
        ...Object.fromEntries(boolFactors.map((f) => [f, v.factors.includes(f)])),
        ...Object.fromEntries(countFactors.map((f) => [f, v[f] ?? 0])),
      }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: healthKey(elderId) });
      await qc.invalidateQueries({ queryKey: elderKey(elderId) });
      onClose();
    },
    onError: (e) => setErrors(applyApiErrors(form, e, fields)),
  });

  const summary = (
    <Card
      size="small"
      style={{ marginBottom: 12, position: 'sticky', top: 0, zIndex: 2 }}
      data-testid="assessment-live"
    >
      <Space wrap size={24}>
        <Statistic title={t('elders.assessment.total')} value={live.result?.total ?? '-'} suffix="/ 90" />
        {abilityDimensions.map((d) => (
          <Statistic
            key={d}
            title={zh ? abilityDimensionInfo[d].zh : abilityDimensionInfo[d].en}
            value={live.result?.dimensions[d] ?? '-'}
            suffix={`/ ${abilityDimensionInfo[d].max}`}
          />
        ))}
        <div>
          <Typography.Text type="secondary">{t('elders.assessment.level')}</Typography.Text>
          <div>
            {live.result ? (
              <LevelTag level={live.result.level} />
            ) : (
              t('elders.assessment.filled', { filled: live.filled, total: abilityItems.length })
            )}
          </div>
          {live.result && live.result.adjusted.length > 0 && (
            <Typography.Text type="warning" style={{ fontSize: 12 }}>
              {live.result.adjusted.map((a) => t(`elders.assessment.adjusted.${a}`)).join('、')}
            </Typography.Text>
          )}
        </div>
      </Space>
    </Card>
  );

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={screens.md ? 760 : '100%'}
      title={t('elders.assessment.newTitle')}
      destroyOnHidden
      forceRender
      extra={
        <Button
          type="primary"
          loading={save.isPending}
          onClick={() => form.submit()}
          data-testid="assessment-save"
        >
          {t('common.save')}
        </Button>
      }
    >
      {summary}
      {errors.length > 0 && (
        <Alert type="error" showIcon title={errors.join('；')} style={{ marginBottom: 12 }} />
      )}
      <Form<AssessmentForm>
        form={form}
        layout="vertical"
        onFinish={(v) => save.mutate(v)}
        data-testid="assessment-form"
      >
        <Row gutter={12}>
          <Col xs={12} md={6}>
            <Form.Item
              name="assessedOn"
              label={t('elders.assessment.assessedOn')}
              rules={[{ required: true }]}
            >
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="reason" label={t('elders.assessment.reason')} rules={[{ required: true }]}>
              <Select options={assessmentReasons.map((r) => ({ value: r, label: r }))} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item
              name="assessor1"
              label={t('elders.assessment.assessor1')}
              rules={[{ required: true, whitespace: true, message: t('elders.assessment.assessorRequired') }]}
            >
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item
              name="assessor2"
              label={t('elders.assessment.assessor2')}
              rules={[{ required: true, whitespace: true, message: t('elders.assessment.assessorRequired') }]}
            >
              <Input maxLength={50} />
            </Form.Item>
          </Col>
        </Row>
        {abilityDimensions.map((d) => (
          <Card
            key={d}
            size="small"
            style={{ marginBottom: 12 }}
            title={`${zh ? abilityDimensionInfo[d].zh : abilityDimensionInfo[d].en}（${abilityDimensionInfo[d].max}）`}
          >
            {abilityItems
              .filter((i) => i.dimension === d)
              .map((i) => (
                <Form.Item
                  key={i.key}
                  name={['items', i.key]}
                  label={`${zh ? i.zh : i.en}（0–${i.max}）`}
                  rules={[{ required: true, message: t('elders.assessment.itemRequired') }]}
                  style={{ marginBottom: 8 }}
                >
                  <Radio.Group
                    optionType="button"
                    buttonStyle="solid"
                    options={Array.from({ length: i.max + 1 }, (_, n) => ({ value: n, label: String(n) }))}
                    data-testid={`item-${i.key}`}
                  />
                </Form.Item>
              ))}
          </Card>
        ))}
        <Card size="small" title={t('elders.assessment.factors')}>
          <Form.Item name="factors">
            <Checkbox.Group
              options={boolFactors.map((f) => ({ value: f, label: t(`elders.assessment.factor.${f}`) }))}
            />
          </Form.Item>
          <Row gutter={12}>
            {countFactors.map((f) => (
              <Col key={f} xs={12} md={6}>
                <Form.Item name={f} label={t(`elders.assessment.factor.${f}`)}>
                  <InputNumber min={0} max={99} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            ))}
          </Row>
        </Card>
      </Form>
    </Drawer>
  );
}

/** 能力评估 (GB/T 42195-2022): the history, newest first, and a form for a new assessment. */
export function AssessmentPanel({ elderId, canEdit }: { elderId: number; canEdit: boolean }) {
  const { t } = useTranslation();
  const health = useHealth(elderId, true);
  const [open, setOpen] = useState(false);
  const columns: TableColumnsType<Assessment> = [
    { title: t('elders.assessment.assessedOn'), dataIndex: 'assessedOn', width: 110 },
    { title: t('elders.assessment.reason'), dataIndex: 'reason', width: 70 },
    { title: t('elders.assessment.total'), dataIndex: 'total', width: 70 },
    {
      title: t('elders.assessment.level'),
      dataIndex: 'level',
      width: 110,
      render: (l: number) => <LevelTag level={l} />,
    },
    {
      title: t('elders.assessment.assessors'),
      key: 'assessors',
      render: (_, a) => `${a.assessor1}、${a.assessor2}`,
    },
    {
      title: t('elders.assessment.adjustedTitle'),
      dataIndex: 'adjusted',
      render: (a: string[]) => a.map((x) => t(`elders.assessment.adjusted.${x}`)).join('、'),
    },
  ];
  return (
    <div data-testid="assessment-panel">
      {canEdit && (
        <Button
          type="primary"
          icon={<PlusOutlined />}
          style={{ marginBottom: 8 }}
          onClick={() => setOpen(true)}
          data-testid="assessment-add"
        >
          {t('elders.assessment.add')}
        </Button>
      )}
      {health.isError && <LoadError inline {...retryOf(health)} />}
      <Table<Assessment>
        rowKey="id"
        size="small"
        loading={health.isPending}
        columns={columns}
        dataSource={health.data?.assessments}
        pagination={false}
        scroll={{ x: 600 }}
      />
      {canEdit && <AssessmentDrawer elderId={elderId} open={open} onClose={() => setOpen(false)} />}
    </div>
  );
}
