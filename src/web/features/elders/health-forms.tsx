import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Popconfirm, Space } from 'antd';
import dayjs from 'dayjs';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyApiErrors } from '../../lib/form-errors.ts';
import { TIME_ZONE } from '../../lib/i18n.ts';
import { elderKey, healthKey, writeHealth } from './elders-api.ts';

export type Values = Record<string, unknown>;

/** A list row's delete button, behind a confirmation (删除后不可恢复). */
export function DeleteAction({ onConfirm }: { onConfirm: () => void }) {
  const { t } = useTranslation();
  return (
    <Popconfirm title={t('elders.health.deleteConfirm')} onConfirm={onConfirm}>
      <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
    </Popconfirm>
  );
}

/** A small inline form that posts to one health sub-resource and refreshes the ledger. */
export function AddForm({
  elderId,
  path,
  method = 'POST',
  fields,
  toBody,
  children,
  testId,
  initial,
  submitText,
}: {
  elderId: number;
  path: string;
  method?: 'POST' | 'PUT';
  fields: string[];
  toBody: (v: Values) => unknown;
  children: ReactNode;
  testId: string;
  initial?: Values;
  submitText?: string;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const [errors, setErrors] = useState<string[]>([]);
  useEffect(() => {
    if (initial) form.setFieldsValue(initial);
  }, [initial, form]);
  const save = useMutation({
    mutationFn: (v: Values) => writeHealth(elderId, method, path, toBody(v)),
    onSuccess: async () => {
      setErrors([]);
      if (method === 'POST') form.resetFields();
      await qc.invalidateQueries({ queryKey: healthKey(elderId) });
      await qc.invalidateQueries({ queryKey: elderKey(elderId) });
    },
    onError: (e) => setErrors(applyApiErrors(form, e, fields)),
  });
  return (
    <Form form={form} layout="vertical" onFinish={(v: Values) => save.mutate(v)} data-testid={testId}>
      {errors.length > 0 && (
        <Alert type="error" showIcon title={errors.join('；')} style={{ marginBottom: 8 }} />
      )}
      <Space wrap align="end" size={[8, 0]}>
        {children}
        <Form.Item>
          <Button htmlType="submit" type="primary" icon={<PlusOutlined />} loading={save.isPending}>
            {submitText ?? t('elders.health.add')}
          </Button>
        </Form.Item>
      </Space>
    </Form>
  );
}

export function useSubAction(elderId: number) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  return useMutation({
    mutationFn: ({ method, path, body }: { method: 'POST' | 'DELETE'; path: string; body?: unknown }) =>
      writeHealth(elderId, method, path, body),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: healthKey(elderId) });
      await qc.invalidateQueries({ queryKey: elderKey(elderId) });
    },
    onError: (e) => message.error(e.message),
  });
}

/**
 * "今日出院" / "今日解约": closes one open record as of today in Asia/Shanghai (not the browser's
 * date), after a confirmation; the button is its own request, so a second click cannot send it twice.
 */
export function CloseTodayButton({
  elderId,
  path,
  body,
  label,
  confirm,
  testId,
}: {
  elderId: number;
  path: string;
  body: (today: string) => unknown;
  label: string;
  confirm: string;
  testId: string;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const close = useMutation({
    mutationFn: () => writeHealth(elderId, 'POST', path, body(dayjs().tz(TIME_ZONE).format('YYYY-MM-DD'))),
    onSuccess: async () => {
      void message.success(t('elders.health.closed'));
      await qc.invalidateQueries({ queryKey: healthKey(elderId) });
      await qc.invalidateQueries({ queryKey: elderKey(elderId) });
    },
    onError: (e) => void message.error(e.message),
  });
  return (
    <Popconfirm title={confirm} onConfirm={() => close.mutate()} disabled={close.isPending}>
      <Button size="small" loading={close.isPending} data-testid={testId}>
        {label}
      </Button>
    </Popconfirm>
  );
}
