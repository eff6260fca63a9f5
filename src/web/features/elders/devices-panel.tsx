import {
  CopyOutlined,
  EyeOutlined,
  LinkOutlined,
  PlusOutlined,
  PrinterOutlined,
  StopOutlined,
} from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  List,
  Popconfirm,
  QRCode,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { deviceKinds, type deviceSchema } from '../../../shared/incidents.ts';
import { LoadError, retryOf } from '../../components/load-error.tsx';
import { applyApiErrors } from '../../lib/form-errors.ts';
import { currentLang, formatTime, TIME_ZONE } from '../../lib/i18n.ts';
import {
  createPageLink,
  deactivateDevice,
  devicesKey,
  type ElderLink,
  type RegisteredDevice as Registered,
  registerDevice,
  showPageLink,
  useDevices,
} from './elders-api.ts';

type Device = z.infer<typeof deviceSchema>;

/**
 * 长辈版链接: the elder's current link shown again (the QR code on the wall keeps working), or a new
 * one (the old one stops working), as a URL and a printable QR code.
 */
function ElderLinkCard({ elderId }: { elderId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [link, setLink] = useState<(ElderLink & { again: boolean }) | null>(null);
  const create = useMutation({
    mutationFn: () => createPageLink(elderId),
    // the link on screen is void from this moment: never leave it up next to the new one
    onMutate: () => setLink(null),
    onSuccess: (r) => setLink({ ...r, again: false }),
    onError: (e) => message.error(e.message),
  });
  const show = useMutation({
    mutationFn: () => showPageLink(elderId),
    onSuccess: (r) => setLink({ ...r, again: true }),
    onError: (e) => message.error(e.message),
  });
  const url = link ? `${window.location.origin}${link.path}` : '';
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      message.success(t('elders.devices.copied'));
    } catch {
      message.error(t('elders.devices.copyFailed'));
    }
  };

  return (
    <Card size="small" title={t('elders.devices.linkTitle')} data-testid="elder-link-card">
      <Typography.Paragraph type="secondary">{t('elders.devices.linkHint')}</Typography.Paragraph>
      <Space wrap>
        <Button
          icon={<EyeOutlined />}
          loading={show.isPending}
          size="large"
          onClick={() => show.mutate()}
          data-testid="elder-link-show"
        >
          {t('elders.devices.linkShow')}
        </Button>
        <Popconfirm title={t('elders.devices.linkConfirm')} onConfirm={() => create.mutate()}>
          <Button
            type="primary"
            icon={<LinkOutlined />}
            loading={create.isPending}
            size="large"
            data-testid="elder-link-create"
          >
            {t('elders.devices.linkCreate')}
          </Button>
        </Popconfirm>
      </Space>
      {link && (
        <Space orientation="vertical" size={8} style={{ marginTop: 12, width: '100%' }}>
          <Alert
            type={link.again ? 'info' : 'success'}
            showIcon
            data-testid="elder-link-status"
            title={
              link.again
                ? t('elders.devices.linkShown', {
                    date: dayjs(link.createdAt)
                      .tz(TIME_ZONE)
                      .format(currentLang().startsWith('zh') ? 'M月D日 HH:mm' : 'MMM D, HH:mm'),
                  })
                : t('elders.devices.linkDone')
            }
          />
          <Space.Compact style={{ width: '100%' }}>
            <Input readOnly value={url} data-testid="elder-link-url" />
            <Button icon={<CopyOutlined />} onClick={copy} data-testid="elder-link-copy">
              {t('elders.devices.copy')}
            </Button>
          </Space.Compact>
          <div data-testid="elder-link-qr">
            <QRCode value={url} size={200} bordered />
          </div>
          <Typography.Text type="secondary">{t('elders.devices.qrHint')}</Typography.Text>
          <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="elder-link-print">
            {t('elders.devices.linkPrint')}
          </Button>
        </Space>
      )}
    </Card>
  );
}

interface DeviceForm {
  kind: (typeof deviceKinds)[number];
  label?: string;
  heartbeatPeriodSeconds: number;
}
const deviceFields = ['kind', 'label', 'heartbeatPeriodSeconds'];
/** heartbeat periods to choose from, in minutes (the API takes 1 minute to 7 days) */
const heartbeatMinutes = [15, 30, 60, 120, 360, 720, 1440];

/** Registers a device; the secret the server answers is shown here once, never again. */
function RegisterDevice({ elderId }: { elderId: number }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<DeviceForm>();
  const [errors, setErrors] = useState<string[]>([]);
  const [registered, setRegistered] = useState<Registered | null>(null);
  const [open, setOpen] = useState(false);
  const save = useMutation({
    mutationFn: (v: DeviceForm) =>
      registerDevice({
        elderId,
        kind: v.kind,
        label: v.label?.trim() || undefined,
        heartbeatPeriodSeconds: v.heartbeatPeriodSeconds,
      }),
    onSuccess: async (r) => {
      setRegistered(r);
      setOpen(false);
      setErrors([]);
      form.resetFields();
      await qc.invalidateQueries({ queryKey: devicesKey(elderId) });
    },
    onError: (e) => setErrors(applyApiErrors(form, e, deviceFields)),
  });

  return (
    <Space orientation="vertical" size={8} style={{ width: '100%' }}>
      {registered && (
        <Alert
          type="warning"
          showIcon
          data-testid="device-secret"
          title={t('elders.devices.secretTitle', { id: registered.device.id })}
          description={
            <Space orientation="vertical" size={4} style={{ width: '100%' }}>
              <Typography.Text>{t('elders.devices.secretWarning')}</Typography.Text>
              <Typography.Text>
                {t('elders.devices.deviceId')}:{' '}
                <Typography.Text code copyable data-testid="device-secret-id">
                  {registered.device.id}
                </Typography.Text>
              </Typography.Text>
              <Typography.Text>
                {t('elders.devices.secret')}:{' '}
                <Typography.Text
                  code
                  copyable
                  data-testid="device-secret-value"
                  style={{ wordBreak: 'break-all' }}
                >
                  {registered.secret}
                </Typography.Text>
              </Typography.Text>
              <Button onClick={() => setRegistered(null)} data-testid="device-secret-done">
                {t('elders.devices.secretDone')}
              </Button>
            </Space>
          }
        />
      )}
      {!open && (
        <Button
          icon={<PlusOutlined />}
          size="large"
          onClick={() => {
            setRegistered(null);
            setOpen(true);
          }}
          data-testid="device-add"
        >
          {t('elders.devices.add')}
        </Button>
      )}
      {open && (
        <>
          {errors.length > 0 && <Alert type="error" showIcon title={errors.join('；')} />}
          <Form<DeviceForm>
            form={form}
            layout="vertical"
            initialValues={{ kind: 'one_key_phone', heartbeatPeriodSeconds: 3600 }}
            onFinish={(v) => save.mutate(v)}
            data-testid="device-form"
          >
            <Form.Item name="kind" label={t('elders.devices.kind')} rules={[{ required: true }]}>
              <Select
                options={deviceKinds.map((k) => ({ value: k, label: t(`elders.devices.kinds.${k}`) }))}
              />
            </Form.Item>
            <Form.Item name="label" label={t('elders.devices.label')}>
              <Input maxLength={100} placeholder={t('elders.devices.labelHint')} />
            </Form.Item>
            <Form.Item
              name="heartbeatPeriodSeconds"
              label={t('elders.devices.heartbeat')}
              extra={t('elders.devices.heartbeatHint')}
              rules={[{ required: true, message: t('elders.devices.heartbeatRequired') }]}
            >
              <Select
                options={heartbeatMinutes.map((m) => ({
                  value: m * 60,
                  label:
                    m < 60 ? t('elders.devices.minutes', { n: m }) : t('elders.devices.hours', { n: m / 60 }),
                }))}
              />
            </Form.Item>
            <Space wrap>
              <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="device-save">
                {t('elders.devices.register')}
              </Button>
              <Button
                onClick={() => {
                  setOpen(false);
                  setErrors([]);
                }}
              >
                {t('common.cancel')}
              </Button>
            </Space>
          </Form>
        </>
      )}
    </Space>
  );
}

/** 一键通设备 of one elder: list, register (secret once), deactivate. */
function DevicesCard({ elderId }: { elderId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const devices = useDevices(elderId);
  const deactivate = useMutation({
    mutationFn: deactivateDevice,
    onSuccess: async () => {
      message.success(t('elders.devices.deactivated'));
      await qc.invalidateQueries({ queryKey: devicesKey(elderId) });
    },
    onError: (e) => message.error(e.message),
  });

  return (
    <Card size="small" title={t('elders.devices.devicesTitle')} data-testid="devices-card">
      <RegisterDevice elderId={elderId} />
      {devices.isError && <LoadError inline {...retryOf(devices)} />}
      <List<Device>
        loading={devices.isPending}
        dataSource={devices.data?.items ?? []}
        rowKey="id"
        locale={{ emptyText: t('elders.devices.empty') }}
        data-testid="devices-list"
        renderItem={(d) => (
          <List.Item
            data-testid={`device-${d.id}`}
            actions={
              d.active
                ? [
                    <Popconfirm
                      key="off"
                      title={t('elders.devices.deactivateConfirm')}
                      onConfirm={() => deactivate.mutate(d.id)}
                    >
                      <Button danger icon={<StopOutlined />} data-testid={`device-deactivate-${d.id}`}>
                        {t('elders.devices.deactivate')}
                      </Button>
                    </Popconfirm>,
                  ]
                : undefined
            }
          >
            <Space orientation="vertical" size={0} style={{ minWidth: 0 }}>
              <Space size={6} wrap>
                <Typography.Text strong>{d.label || t(`elders.devices.kinds.${d.kind}`)}</Typography.Text>
                <Tag color="blue">{t(`elders.devices.kinds.${d.kind}`)}</Tag>
                {d.active ? (
                  <Tag color="green">{t('elders.devices.active')}</Tag>
                ) : (
                  <Tag data-testid="device-inactive">{t('elders.devices.inactive')}</Tag>
                )}
                {d.batteryLowAt && <Tag color="orange">{t('elders.devices.batteryLow')}</Tag>}
              </Space>
              <Typography.Text type="secondary" style={{ wordBreak: 'break-all' }}>
                {d.id}
              </Typography.Text>
              <Typography.Text type="secondary">
                {t('elders.devices.heartbeatEvery', { minutes: Math.round(d.heartbeatPeriodSeconds / 60) })}
                {' · '}
                {d.lastSeenAt
                  ? t('elders.devices.lastSeen', { time: formatTime(d.lastSeenAt) })
                  : t('elders.devices.neverSeen')}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}

/** 长辈版与设备: the elder's personal page link and their one-key devices (admin, manager, coordinator). */
export function DevicesPanel({ elderId }: { elderId: number }) {
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="devices-panel">
      <ElderLinkCard elderId={elderId} />
      <DevicesCard elderId={elderId} />
    </Space>
  );
}
