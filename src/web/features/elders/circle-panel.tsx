import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  EditOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Form,
  Input,
  List,
  Modal,
  Popconfirm,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { editableCircleKinds } from '../../../shared/elders.ts';
import { LoadError, retryOf } from '../../components/load-error.tsx';
import { applyApiErrors } from '../../lib/form-errors.ts';
import { formatDay } from '../../lib/format-time.ts';
import {
  addCircleContact,
  type CircleContact,
  circleKey,
  type LadderPreviewStep,
  removeCircleContact,
  reorderCircle,
  updateCircleContact,
  useCircle,
  useDoctors,
  useSosLadderPreview,
} from './elders-api.ts';
import { RevealButton } from './reveal-button.tsx';

interface ContactForm {
  kind: (typeof editableCircleKinds)[number];
  name: string;
  relation?: string;
  phones: string[];
  livesNearby: boolean;
  userId?: number | null;
  note?: string;
}
const fields = ['kind', 'name', 'relation', 'phones', 'livesNearby', 'userId', 'note'];

function ContactModal({
  elderId,
  contact,
  open,
  onClose,
}: {
  elderId: number;
  contact: CircleContact | null;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<ContactForm>();
  const [errors, setErrors] = useState<string[]>([]);
  const kind = Form.useWatch('kind', form);
  const doctors = useDoctors(open && kind === 'family_doctor');

  useEffect(() => {
    if (!open) return;
    setErrors([]);
    form.resetFields();
    if (contact)
      form.setFieldsValue({
        kind: contact.kind as ContactForm['kind'],
        name: contact.name,
        relation: contact.relation ?? '',
        phones: [],
        livesNearby: contact.livesNearby,
        userId: contact.userId,
        note: contact.note ?? '',
      });
    else form.setFieldsValue({ kind: 'relative', phones: [], livesNearby: false });
  }, [open, contact, form]);

  const save = useMutation({
    mutationFn: (v: ContactForm) => {
      const body = {
        name: v.name,
        relation: v.relation?.trim() || null,
        livesNearby: v.livesNearby,
        userId: v.kind === 'family_doctor' ? (v.userId ?? null) : null,
        note: v.note?.trim() || null,
      };
      if (!contact) return addCircleContact(elderId, { ...body, kind: v.kind, phones: v.phones });
      return updateCircleContact(elderId, contact.id, {
        ...body,
        ...(v.phones.length > 0 ? { phones: v.phones } : {}),
      });
    },
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: circleKey(elderId) });
      onClose();
    },
    onError: (e) => setErrors(applyApiErrors(form, e, fields)),
  });

  return (
    <Modal
      open={open}
      title={contact ? t('elders.circle.editTitle') : t('elders.circle.addTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      destroyOnHidden
      forceRender
    >
      {errors.length > 0 && (
        <Alert type="error" showIcon title={errors.join('；')} style={{ marginBottom: 12 }} />
      )}
      <Form<ContactForm>
        form={form}
        layout="vertical"
        onFinish={(v) => save.mutate(v)}
        data-testid="circle-form"
      >
        <Form.Item name="kind" label={t('elders.circle.kind')} rules={[{ required: true }]}>
          <Select
            disabled={!!contact}
            options={editableCircleKinds.map((k) => ({ value: k, label: t(`elders.circleKind.${k}`) }))}
          />
        </Form.Item>
        {kind === 'family_doctor' && (
          <Form.Item name="userId" label={t('elders.circle.doctorAccount')}>
            <Select
              allowClear
              loading={doctors.isPending}
              options={(doctors.data ?? []).map((d) => ({ value: d.id, label: d.displayName }))}
              onChange={(id) => {
                const d = doctors.data?.find((x) => x.id === id);
                if (d && !form.getFieldValue('name')) form.setFieldsValue({ name: d.displayName });
              }}
            />
          </Form.Item>
        )}
        <Form.Item
          name="name"
          label={t('elders.circle.name')}
          rules={[
            { required: true, whitespace: true, message: t('elders.form.nameRequired') },
            { max: 50, message: t('common.tooLong', { field: t('elders.circle.name'), max: 50 }) },
          ]}
        >
          <Input count={{ show: true, max: 50 }} />
        </Form.Item>
        <Form.Item name="relation" label={t('elders.circle.relation')}>
          <Input maxLength={20} placeholder={t('elders.circle.relationHint')} />
        </Form.Item>
        <Form.Item
          name="phones"
          label={t('elders.field.phones')}
          extra={
            contact ? t('elders.form.phonesKeep', { masked: contact.phones.join('、') || '-' }) : undefined
          }
        >
          <Select mode="tags" tokenSeparators={[',', '，', ' ', '、']} open={false} suffixIcon={null} />
        </Form.Item>
        <Form.Item name="livesNearby" valuePropName="checked">
          <Checkbox>{t('elders.circle.livesNearby')}</Checkbox>
        </Form.Item>
        <Form.Item name="note" label={t('elders.field.note')}>
          <Input maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 关爱圈: who gets called, in this order; editors add, edit, move and remove contacts. */
export function CirclePanel({
  elderId,
  canEdit,
  showLadder,
}: {
  elderId: number;
  canEdit: boolean;
  /** the console roles also see what a one-key SOS would set off, rung by rung */
  showLadder: boolean;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en-US' ? 'en-US' : 'zh-CN';
  const { message } = App.useApp();
  const qc = useQueryClient();
  const circle = useCircle(elderId);
  const [modal, setModal] = useState<{ open: boolean; contact: CircleContact | null }>({
    open: false,
    contact: null,
  });
  const [clear, setClear] = useState<Map<number, string[]>>(new Map());
  const items = circle.data?.items ?? [];
  const doctors = circle.data?.familyDoctors ?? [];

  const reorder = useMutation({
    mutationFn: (ids: number[]) => reorderCircle(elderId, ids),
    onSuccess: () => qc.invalidateQueries({ queryKey: circleKey(elderId) }),
    onError: (e) => message.error(e.message),
  });
  const remove = useMutation({
    mutationFn: (id: number) => removeCircleContact(elderId, id),
    onSuccess: () => qc.invalidateQueries({ queryKey: circleKey(elderId) }),
    onError: (e) => message.error(e.message),
  });
  const move = (i: number, d: -1 | 1) => {
    const ids = items.map((c) => c.id);
    [ids[i], ids[i + d]] = [ids[i + d]!, ids[i]!];
    reorder.mutate(ids);
  };

  return (
    <div data-testid="circle-panel">
      <Space wrap style={{ marginBottom: 8 }}>
        {canEdit && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setModal({ open: true, contact: null })}
            data-testid="circle-add"
          >
            {t('elders.circle.add')}
          </Button>
        )}
        {items.length > 0 && (
          <RevealButton
            elderId={elderId}
            field="circlePhones"
            onRevealed={(r) => setClear(new Map((r.circlePhones ?? []).map((c) => [c.contactId, c.phones])))}
          />
        )}
      </Space>
      {circle.isError && <LoadError inline {...retryOf(circle)} />}
      <List<CircleContact>
        loading={circle.isPending || reorder.isPending}
        dataSource={items}
        rowKey="id"
        locale={{ emptyText: t('elders.circle.empty') }}
        renderItem={(c, i) => (
          <List.Item
            data-testid={`circle-item-${i}`}
            actions={
              canEdit && c.kind !== 'carer'
                ? [
                    <Button
                      key="up"
                      size="small"
                      icon={<ArrowUpOutlined />}
                      disabled={i === 0}
                      aria-label={t('elders.circle.up')}
                      onClick={() => move(i, -1)}
                    />,
                    <Button
                      key="down"
                      size="small"
                      icon={<ArrowDownOutlined />}
                      disabled={i === items.length - 1}
                      aria-label={t('elders.circle.down')}
                      onClick={() => move(i, 1)}
                    />,
                    <Button
                      key="edit"
                      size="small"
                      icon={<EditOutlined />}
                      aria-label={t('common.edit')}
                      onClick={() => setModal({ open: true, contact: c })}
                    />,
                    <Popconfirm
                      key="del"
                      title={t('elders.circle.deleteConfirm', { name: c.name })}
                      onConfirm={() => remove.mutate(c.id)}
                    >
                      <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                    </Popconfirm>,
                  ]
                : undefined
            }
          >
            <Space orientation="vertical" size={0} style={{ minWidth: 0 }}>
              <Space size={6} wrap>
                <Typography.Text type="secondary">{i + 1}.</Typography.Text>
                <Typography.Text strong>{c.name}</Typography.Text>
                <Tag color="blue">{t(`elders.circleKind.${c.kind}`)}</Tag>
                {c.relation && <Tag>{c.relation}</Tag>}
                {c.livesNearby && <Tag color="green">{t('elders.circle.nearby')}</Tag>}
              </Space>
              <Typography.Text style={{ wordBreak: 'break-all' }}>
                {(clear.get(c.id) ?? c.phones).join('、')}
              </Typography.Text>
              {c.note && <Typography.Text type="secondary">{c.note}</Typography.Text>}
            </Space>
          </List.Item>
        )}
      />
      <div data-testid="circle-doctors" style={{ marginTop: 12 }}>
        <Typography.Text strong>{t('elders.circle.contractDoctors')}</Typography.Text>
        {circle.isSuccess && doctors.length === 0 && (
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {t('elders.circle.noContractDoctor')}
          </Typography.Paragraph>
        )}
        {doctors.map((d) => (
          <div key={d.id} data-testid={`circle-doctor-${d.id}`} style={{ padding: '6px 0' }}>
            <Space size={6} wrap>
              <Typography.Text strong>{d.name}</Typography.Text>
              <Tag color="cyan">{t('elders.circle.contractDoctorTag')}</Tag>
              {d.phone && <Typography.Text>{d.phone}</Typography.Text>}
              <Typography.Text type="secondary">
                {d.endDate
                  ? t('elders.circle.contractUntil', { date: formatDay(d.endDate, lang) })
                  : t('elders.circle.contractOpen')}
              </Typography.Text>
            </Space>
          </div>
        ))}
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('elders.circle.contractDoctorHint')}
        </Typography.Paragraph>
      </div>
      {showLadder && <SosOrder elderId={elderId} />}
      <ContactModal
        elderId={elderId}
        contact={modal.contact}
        open={modal.open}
        onClose={() => setModal({ open: false, contact: null })}
      />
    </div>
  );
}

/** 一键呼救时的通知顺序: the SOS ladder as it would run for this elder now (empty rungs say so). */
function SosOrder({ elderId }: { elderId: number }) {
  const { t } = useTranslation();
  const preview = useSosLadderPreview(elderId, true);
  const line = (s: LadderPreviewStep) => {
    if (s.emergencyNumber) return t('elders.circle.ladderEmergency', { number: s.emergencyNumber });
    if (s.recipients.length === 0) return t('elders.circle.ladderNobody');
    return s.recipients.join('、');
  };
  const minutes = (s: number) => Math.max(1, Math.round(s / 60));
  return (
    <div data-testid="circle-sos-order" style={{ marginTop: 16 }}>
      <Typography.Text strong>{t('elders.circle.ladderTitle')}</Typography.Text>
      {preview.isError && <LoadError inline {...retryOf(preview)} />}
      <ol style={{ paddingInlineStart: 20, margin: '6px 0' }}>
        {(preview.data?.steps ?? []).map((s, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the rungs are an ordered list, a whom may repeat
          <li key={`${s.whom}-${i}`} data-testid={`sos-step-${i}`} style={{ marginBottom: 4 }}>
            <Typography.Text>{t(`elders.circle.whom.${s.whom}`)}</Typography.Text>
            {'：'}
            <Typography.Text type={s.recipients.length || s.emergencyNumber ? undefined : 'warning'}>
              {line(s)}
            </Typography.Text>
            {!s.emergencyNumber && (
              <Typography.Text type="secondary">
                {' '}
                {t('elders.circle.ladderWait', { minutes: minutes(s.waitSeconds) })}
              </Typography.Text>
            )}
          </li>
        ))}
      </ol>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('elders.circle.ladderHint')}
      </Typography.Paragraph>
    </div>
  );
}
