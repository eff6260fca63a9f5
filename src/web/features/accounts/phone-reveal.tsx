import { EyeOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../../shared/accounts.ts';
import { applyApiErrors } from '../../lib/form-errors.ts';
import { revealAccountPhone } from './accounts-api.ts';

/**
 * A staff member's phone, masked (138****5678), with 查看: asks for a reason (written to the audit log
 * by POST /accounts/:id/reveal), then shows the number in clear as a tel: link.
 */
export function AccountPhone({ account }: { account: Account }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [clear, setClear] = useState<string | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [form] = Form.useForm<{ reason: string }>();
  const reveal = useMutation({
    mutationFn: (v: { reason: string }) => revealAccountPhone(account.id, v.reason),
    onSuccess: (r) => {
      setClear(r.phone);
      setOpen(false);
    },
    onError: (e) => setErrors(applyApiErrors(form, e, ['reason'])),
  });
  if (!account.phone) return null;
  if (clear) return <Typography.Link href={`tel:${clear}`}>{clear}</Typography.Link>;
  return (
    <Space size={0} wrap>
      <span data-testid={`account-phone-${account.username}`}>{account.phone}</span>
      <Button
        type="link"
        size="small"
        icon={<EyeOutlined />}
        onClick={(e) => {
          e.stopPropagation();
          setErrors([]);
          setOpen(true);
        }}
        data-testid={`account-reveal-${account.username}`}
      >
        {t('accounts.revealPhone')}
      </Button>
      <Modal
        open={open}
        title={t('accounts.revealPhoneTitle', { name: account.displayName })}
        okText={t('accounts.revealPhone')}
        cancelText={t('common.cancel')}
        confirmLoading={reveal.isPending}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Alert type="info" showIcon title={t('accounts.revealNotice')} style={{ marginBottom: 12 }} />
        {errors.length > 0 && (
          <Alert type="error" showIcon title={errors.join('；')} style={{ marginBottom: 12 }} />
        )}
        <Form
          form={form}
          name={`account-reveal-${account.id}`}
          layout="vertical"
          onFinish={(v) => reveal.mutate(v)}
          data-testid="account-reveal-form"
        >
          <Form.Item
            name="reason"
            label={t('accounts.revealReason')}
            rules={[
              { required: true, whitespace: true, min: 2, message: t('accounts.revealReasonRequired') },
            ]}
          >
            <Input maxLength={200} placeholder={t('accounts.revealReasonPlaceholder')} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
