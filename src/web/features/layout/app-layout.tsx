import { KeyOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Drawer, Dropdown, Grid, Layout, Menu, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { LoadError, retryOf } from '../../components/load-error.tsx';
import { useLogout, useMe } from '../../lib/auth.ts';
import { menuEntries, menuKeysFor, selectedMenuKey } from '../../lib/menu.tsx';
import { ChangePasswordModal } from '../accounts/change-password-modal.tsx';
import { LangSwitch } from './lang-switch.tsx';

/** The signed-in shell: a side menu on wide screens, a hamburger drawer on phones. */
export function AppLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const logout = useLogout();
  const location = useLocation();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [passwordOpen, setPasswordOpen] = useState(false);
  const mobile = !screens.md;

  if (me.isPending) return <Spin fullscreen />;
  if (me.isError) return <LoadError {...retryOf(me)} />;
  if (!me.data) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;

  const { user, role } = me.data;
  const items = menuKeysFor(role).map((key) => ({
    key,
    icon: menuEntries[key].icon,
    label: t(`menu.${key}`),
  }));
  const selected = selectedMenuKey(location.pathname);
  const menu = (
    <Menu
      data-testid="main-menu"
      theme={mobile ? 'light' : 'dark'}
      mode="inline"
      selectedKeys={selected ? [selected] : []}
      items={items}
      onClick={({ key }) => {
        setDrawerOpen(false);
        navigate(menuEntries[key].path);
      }}
    />
  );
  const brand = (
    <Typography.Text
      strong
      style={{ color: mobile ? undefined : '#fff', fontSize: 18, whiteSpace: 'nowrap' }}
    >
      {t('app.name')}
    </Typography.Text>
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!mobile && (
        <Layout.Sider width={208} breakpoint="lg" collapsedWidth={64}>
          <div style={{ height: 56, display: 'flex', alignItems: 'center', paddingInline: 24 }}>{brand}</div>
          {menu}
        </Layout.Sider>
      )}
      {mobile && (
        <Drawer
          placement="left"
          size={240}
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          title={brand}
          styles={{ body: { padding: 0 } }}
        >
          {menu}
        </Drawer>
      )}
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            paddingInline: mobile ? 8 : 24,
            display: 'flex',
            alignItems: 'center',
            gap: 8,
            borderBottom: '1px solid #f0f0f0',
            position: 'sticky',
            top: 0,
            zIndex: 10,
          }}
        >
          {mobile && (
            <>
              <Button
                data-testid="menu-toggle"
                type="text"
                icon={<MenuOutlined />}
                aria-label={t('layout.openMenu')}
                onClick={() => setDrawerOpen(true)}
              />
              {brand}
            </>
          )}
          <div style={{ flex: 1 }} />
          <Space size={mobile ? 4 : 12}>
            <LangSwitch />
            <Dropdown
              trigger={['click']}
              menu={{
                items: [
                  { key: 'password', icon: <KeyOutlined />, label: t('accounts.changePassword.menu') },
                  { key: 'logout', icon: <LogoutOutlined />, label: t('layout.logout') },
                ],
                onClick: ({ key }) => {
                  if (key === 'password') return setPasswordOpen(true);
                  logout.mutate(undefined, {
                    onSettled: (result) =>
                      navigate('/login', { state: result === 'pending' ? { offlineLogout: true } : null }),
                  });
                },
              }}
            >
              <Button data-testid="user-menu" type="text" icon={<UserOutlined />}>
                {!mobile && `${user.displayName} · ${t(`role.${role}`)}`}
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: mobile ? 12 : 24, minWidth: 0 }}>
          <Outlet />
        </Layout.Content>
        <ChangePasswordModal open={passwordOpen} onClose={() => setPasswordOpen(false)} />
      </Layout>
    </Layout>
  );
}
