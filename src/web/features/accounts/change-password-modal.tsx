import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal } from 'antd';
import { useLayoutEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../../shared/common-passwords.ts';
import { forgetSignedInUser } from '../../lib/auth.ts';
import { applyApiErrors } from '../../lib/form-errors.ts';
import { changeOwnPassword } from './accounts-api.ts';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

const fields = ['currentPassword', 'newPassword'] as const;

/**
 * The signed-in person changes their own password. The server ends every session of the account on
 * success (POST /me/password), so the browser forgets the user too and the layout shows the login page.
 */
export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<PasswordForm>();
  const [errors, setErrors] = useState<string[]>([]);

  useLayoutEffect(() => {
    if (!open) return;
    setErrors([]);
    form.resetFields();
  }, [open, form]);

  const save = useMutation({
    mutationFn: (v: PasswordForm) =>
      changeOwnPassword({ currentPassword: v.currentPassword, newPassword: v.newPassword }),
    onSuccess: () => {
      onClose();
      message.success(t('accounts.changePassword.done'));
      // the signed-in layout sends a person without a user to /login (and back here after signing in)
      forgetSignedInUser(qc, 'passwordChanged');
    },
    onError: (e) => setErrors(applyApiErrors(form, e, fields)),
  });

  return (
    <Modal
      open={open}
      title={t('accounts.changePassword.title')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('accounts.changePassword.submit')}
      okButtonProps={{ id: 'password-save' }}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      destroyOnHidden
      forceRender
    >
      {errors.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={errors[0]}
          description={errors.length > 1 ? errors.slice(1).join('；') : undefined}
          data-testid="password-error"
        />
      )}
      <Form<PasswordForm>
        form={form}
        layout="vertical"
        onFinish={(v) => save.mutate(v)}
        data-testid="password-form"
      >
        <Form.Item
          name="currentPassword"
          label={t('accounts.changePassword.current')}
          rules={[{ required: true, message: t('accounts.changePassword.currentRequired') }]}
        >
          <Input.Password autoComplete="current-password" autoFocus />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('accounts.changePassword.new')}
          extra={t('accounts.changePassword.rule', { min: PASSWORD_MIN })}
          rules={[
            { required: true, message: t('accounts.changePassword.newRequired') },
            { min: PASSWORD_MIN, message: t('accounts.changePassword.newTooShort', { min: PASSWORD_MIN }) },
            { max: PASSWORD_MAX },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label={t('accounts.changePassword.confirm')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('accounts.changePassword.confirmRequired') },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || value === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('accounts.changePassword.confirmMismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
