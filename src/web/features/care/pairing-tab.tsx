import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Form,
  Grid,
  Input,
  List,
  Row,
  Select,
  Space,
  Table,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadError, retryOf } from '../../components/load-error.tsx';
import { applyApiErrors } from '../../lib/form-errors.ts';
import { buildForest, type OrgNode, orgTreeOptions, orgTreeSelectProps, useOrgs } from '../../lib/orgs.ts';
import { carerLeaves, pairElders, reassignCarer, useLoad } from './care-api.ts';
import type { Load } from './types.ts';

type Carer = Load['carers'][number];

/** 结对: the load per carer, elders with nobody, pairing, a whole grid, bulk reassign and leave cover. */
export function PairingTab({ orgId }: { orgId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const phone = !Grid.useBreakpoint().md;
  const load = useLoad(orgId);
  const orgs = useOrgs('geo');
  const [picked, setPicked] = useState<number[]>([]);
  const [pairCarer, setPairCarer] = useState<number | undefined>();
  const [gridForm] = Form.useForm<{ carerId: number; orgId: number }>();
  const [moveForm] = Form.useForm<{ fromCarerId: number; toCarerId: number }>();
  const [leaveForm] = Form.useForm<{
    carerId: number;
    substituteId: number;
    range: [Dayjs, Dayjs];
    reason?: string;
  }>();
  const [errors, setErrors] = useState<string[]>([]);

  const carers = load.data?.carers ?? [];
  const carerOptions = carers.map((c) => ({
    value: c.carerId,
    label: `${c.name}（${t('care.pairing.eldersN', { count: c.elders })}）`,
  }));
  const subtree = useMemo(() => {
    const toOptions = (ns: OrgNode[]) =>
      orgTreeOptions(ns, { title: (n) => `${n.name}（${t(`orgKind.${n.kind}`)}）` });
    const find = (ns: OrgNode[]): OrgNode | undefined => {
      for (const n of ns) {
        if (n.id === orgId) return n;
        const hit = find(n.children);
        if (hit) return hit;
      }
      return undefined;
    };
    const root = find(buildForest(orgs.data ?? []));
    return root ? toOptions([root]) : [];
  }, [orgs.data, orgId, t]);

  const done = (n: number) => {
    void message.success(t('care.pairing.done', { count: n }));
    setErrors([]);
    void qc.invalidateQueries({ queryKey: ['care'] });
  };
  const fail = (form: Parameters<typeof applyApiErrors>[0] | null, fields: string[]) => (e: unknown) => {
    setErrors(form ? applyApiErrors(form, e, fields) : [e instanceof Error ? e.message : String(e)]);
  };

  const pair = useMutation({
    mutationFn: pairElders,
  });
  const reassign = useMutation({
    mutationFn: reassignCarer,
  });
  const leave = useMutation({
    mutationFn: carerLeaves,
  });

  const loadColumns = [
    {
      title: t('care.carer'),
      dataIndex: 'name',
      render: (v: string, c: Carer) => (
        <Space size={4} wrap>
          {v}
          {c.carerKind && <Tag>{t(`carerKind.${c.carerKind}`, { defaultValue: c.carerKind })}</Tag>}
          {c.overloaded && <Tag color="red">{t('care.pairing.overloaded')}</Tag>}
        </Space>
      ),
    },
    { title: t('care.pairing.elders'), dataIndex: 'elders', width: 80 },
    { title: t('care.pairing.due'), dataIndex: 'due', width: 90 },
    {
      title: t('care.pairing.overdue'),
      dataIndex: 'overdue',
      width: 80,
      render: (v: number) => (v > 0 ? <Typography.Text type="danger">{v}</Typography.Text> : v),
    },
  ];

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      {errors.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={errors[0]}
          description={errors.slice(1).join('；') || undefined}
        />
      )}
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('care.pairing.load')}>
            {load.isError && <LoadError inline {...retryOf(load)} />}
            {phone ? (
              <List<Carer>
                data-testid="pairing-load"
                loading={load.isPending}
                dataSource={carers}
                rowKey="carerId"
                pagination={{ pageSize: 10, size: 'small', simple: true, hideOnSinglePage: true }}
                renderItem={(c) => (
                  <List.Item>
                    <Space size={6} wrap>
                      <Typography.Text strong>{c.name}</Typography.Text>
                      {c.overloaded && <Tag color="red">{t('care.pairing.overloaded')}</Tag>}
                      <Typography.Text type="secondary">
                        {t('care.pairing.loadLine', { elders: c.elders, due: c.due, overdue: c.overdue })}
                      </Typography.Text>
                    </Space>
                  </List.Item>
                )}
              />
            ) : (
              <Table<Carer>
                data-testid="pairing-load"
                size="small"
                rowKey="carerId"
                loading={load.isPending}
                dataSource={carers}
                columns={loadColumns}
                pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card
            size="small"
            title={t('care.pairing.unpaired', { count: load.data?.unpaired.total ?? 0 })}
            data-testid="pairing-unpaired"
          >
            <Space wrap style={{ marginBottom: 8 }}>
              <Select
                showSearch
                optionFilterProp="label"
                placeholder={t('care.pairing.toCarer')}
                value={pairCarer}
                onChange={setPairCarer}
                options={carerOptions}
                style={{ width: 200, maxWidth: '100%' }}
                data-testid="pair-carer"
              />
              <Button
                type="primary"
                disabled={!pairCarer || picked.length === 0}
                loading={pair.isPending}
                data-testid="pair-submit"
                onClick={() =>
                  pair.mutate(
                    { carerId: pairCarer!, elderIds: picked },
                    {
                      onSuccess: (r) => {
                        setPicked([]);
                        done(r.paired);
                      },
                      onError: fail(null, []),
                    },
                  )
                }
              >
                {t('care.pairing.pair', { count: picked.length })}
              </Button>
            </Space>
            <Checkbox.Group
              value={picked}
              onChange={(v) => setPicked(v as number[])}
              style={{ display: 'block' }}
            >
              <div style={{ maxHeight: 280, overflowY: 'auto', display: 'flex', flexWrap: 'wrap', gap: 8 }}>
                {load.data?.unpaired.items.map((e) => (
                  <Checkbox key={e.id} value={e.id} style={{ marginInlineStart: 0, minWidth: 96 }}>
                    {e.name}
                  </Checkbox>
                ))}
              </div>
            </Checkbox.Group>
          </Card>
        </Col>
      </Row>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('care.pairing.grid')}>
            <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
              {t('care.pairing.gridHint')}
            </Typography.Paragraph>
            <Form
              form={gridForm}
              layout="vertical"
              onFinish={(v) =>
                pair.mutate(v, {
                  onSuccess: (r) => {
                    gridForm.resetFields();
                    done(r.paired);
                  },
                  onError: fail(gridForm, ['carerId', 'orgId']),
                })
              }
            >
              <Form.Item
                name="carerId"
                label={t('care.carer')}
                rules={[{ required: true, message: t('care.pairing.carerRequired') }]}
              >
                <Select showSearch optionFilterProp="label" options={carerOptions} />
              </Form.Item>
              <Form.Item
                name="orgId"
                label={t('care.pairing.gridOrg')}
                rules={[{ required: true, message: t('care.pairing.orgRequired') }]}
              >
                <TreeSelect treeData={subtree} treeDefaultExpandAll {...orgTreeSelectProps} />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={pair.isPending}>
                {t('care.pairing.gridSubmit')}
              </Button>
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('care.pairing.reassign')}>
            <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
              {t('care.pairing.reassignHint')}
            </Typography.Paragraph>
            <Form
              form={moveForm}
              layout="vertical"
              onFinish={(v) =>
                reassign.mutate(v, {
                  onSuccess: (r) => {
                    moveForm.resetFields();
                    done(r.paired);
                  },
                  onError: fail(moveForm, ['fromCarerId', 'toCarerId']),
                })
              }
            >
              <Form.Item
                name="fromCarerId"
                label={t('care.pairing.from')}
                rules={[{ required: true, message: t('care.pairing.carerRequired') }]}
              >
                <Select showSearch optionFilterProp="label" options={carerOptions} />
              </Form.Item>
              <Form.Item
                name="toCarerId"
                label={t('care.pairing.to')}
                rules={[{ required: true, message: t('care.pairing.carerRequired') }]}
              >
                <Select showSearch optionFilterProp="label" options={carerOptions} />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={reassign.isPending}>
                {t('care.pairing.reassignSubmit')}
              </Button>
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('care.pairing.leave')}>
            <Form
              form={leaveForm}
              layout="vertical"
              onFinish={(v) =>
                leave.mutate(
                  {
                    carerId: v.carerId,
                    substituteId: v.substituteId,
                    fromDate: v.range[0].format('YYYY-MM-DD'),
                    toDate: v.range[1].format('YYYY-MM-DD'),
                    reason: v.reason?.trim() || null,
                  },
                  {
                    onSuccess: (r) => {
                      leaveForm.resetFields();
                      done(r.count);
                    },
                    onError: fail(leaveForm, ['carerId', 'substituteId', 'reason']),
                  },
                )
              }
            >
              <Form.Item
                name="carerId"
                label={t('care.pairing.onLeave')}
                rules={[{ required: true, message: t('care.pairing.carerRequired') }]}
              >
                <Select showSearch optionFilterProp="label" options={carerOptions} />
              </Form.Item>
              <Form.Item
                name="substituteId"
                label={t('care.pairing.substitute')}
                rules={[{ required: true, message: t('care.pairing.carerRequired') }]}
              >
                <Select showSearch optionFilterProp="label" options={carerOptions} />
              </Form.Item>
              <Form.Item
                name="range"
                label={t('care.pairing.range')}
                rules={[{ required: true, message: t('care.pairing.rangeRequired') }]}
              >
                <DatePicker.RangePicker style={{ width: '100%' }} />
              </Form.Item>
              <Form.Item name="reason" label={t('care.pairing.reason')}>
                <Input maxLength={200} />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={leave.isPending}>
                {t('care.pairing.leaveSubmit')}
              </Button>
            </Form>
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
