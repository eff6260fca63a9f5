import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { clearSignOutNotice, hasPendingLogout, signOutNotice, useLogin, useMe } from '../../lib/auth.ts';
import { applyFieldErrors, errorText } from '../../lib/form-errors.ts';
import { LangSwitch } from '../layout/lang-switch.tsx';

interface LoginForm {
  username: string;
  password: string;
}

export function LoginPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<LoginForm>();
  const me = useMe();
  const login = useLogin();
  const navigate = useNavigate();
  const location = useLocation();
  const state = location.state as {
    from?: string;
    offlineLogout?: boolean;
    passwordChanged?: boolean;
  } | null;
  const next = state?.from ?? '/';
  const offlineLogout = state?.offlineLogout || hasPendingLogout();
  // shown once: read on the first render, forgotten right after
  const [notice] = useState(signOutNotice);
  useEffect(clearSignOutNotice, []);

  if (me.isPending) return <Spin fullscreen />;
  if (me.data) return <Navigate to={next} replace />;

  const onFinish = (values: LoginForm) =>
    login.mutate(values, {
      onSuccess: () => navigate(next, { replace: true }),
      onError: (err) => applyFieldErrors(form, err),
    });

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        padding: 16,
        background: 'linear-gradient(160deg, #e6f4ff 0%, #f5f5f5 60%)',
      }}
    >
      <div style={{ position: 'absolute', top: 12, right: 12 }}>
        <LangSwitch />
      </div>
      <Card style={{ width: '100%', maxWidth: 380 }}>
        <div style={{ textAlign: 'center', marginBottom: 24 }}>
          <Typography.Title level={2} style={{ marginBottom: 4 }}>
            {t('app.name')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('app.tagline')}</Typography.Text>
        </div>
        {offlineLogout && (
          <Alert
            data-testid="offline-logout"
            type="warning"
            showIcon
            title={t('login.offlineLogout')}
            style={{ marginBottom: 16 }}
          />
        )}
        {notice === 'passwordChanged' && !login.error && (
          <Alert
            data-testid="password-changed"
            type="success"
            showIcon
            title={t('accounts.changePassword.done')}
            style={{ marginBottom: 16 }}
          />
        )}
        {login.error && (
          <Alert
            data-testid="login-error"
            type="error"
            showIcon
            title={errorText(login.error)}
            style={{ marginBottom: 16 }}
          />
        )}
        <Form<LoginForm> form={form} layout="vertical" onFinish={onFinish} requiredMark={false} size="large">
          <Form.Item
            name="username"
            label={t('login.username')}
            rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('login.passwordRequired') }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={login.isPending} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
        <Typography.Paragraph
          type="secondary"
          style={{ marginTop: 16, marginBottom: 0, textAlign: 'center' }}
        >
          {t('app.fictional')}
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
