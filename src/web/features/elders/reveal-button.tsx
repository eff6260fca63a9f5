import { EyeOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { revealFields } from '../../../shared/elders.ts';
import { applyApiErrors } from '../../lib/form-errors.ts';
import { type Revealed, revealElderField } from './elders-api.ts';

/** 显示完整号码: asks for a reason (the server writes it to the audit log), then hands back the clear value. */
export function RevealButton({
  elderId,
  field,
  onRevealed,
}: {
  elderId: number;
  field: (typeof revealFields)[number];
  onRevealed: (r: Revealed) => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const [form] = Form.useForm<{ reason: string }>();
  const reveal = useMutation({
    mutationFn: (v: { reason: string }) => revealElderField(elderId, field, v.reason),
    onSuccess: (r) => {
      onRevealed(r);
      setOpen(false);
    },
    onError: (e) => setErrors(applyApiErrors(form, e, ['reason'])),
  });

  return (
    <>
      <Button
        type="link"
        size="small"
        icon={<EyeOutlined />}
        onClick={() => {
          setErrors([]);
          setOpen(true);
        }}
        data-testid={`reveal-${field}`}
      >
        {t('elders.reveal.button')}
      </Button>
      <Modal
        open={open}
        title={t(`elders.reveal.title.${field}`)}
        okText={t('elders.reveal.ok')}
        cancelText={t('common.cancel')}
        confirmLoading={reveal.isPending}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Alert type="info" showIcon title={t('elders.reveal.notice')} style={{ marginBottom: 12 }} />
        {errors.length > 0 && (
          <Alert type="error" showIcon title={errors.join('；')} style={{ marginBottom: 12 }} />
        )}
        <Form
          form={form}
          name={`reveal-${field}`}
          layout="vertical"
          onFinish={(v) => reveal.mutate(v)}
          data-testid="reveal-form"
        >
          <Form.Item
            name="reason"
            label={t('elders.reveal.reason')}
            rules={[{ required: true, whitespace: true, min: 2, message: t('elders.reveal.reasonRequired') }]}
          >
            <Input maxLength={200} placeholder={t('elders.reveal.reasonPlaceholder')} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
