import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Grid, Input, Select, Space, Table, type TableColumnsType, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../../shared/accounts.ts';
import { roles } from '../../../shared/auth.ts';
import { LoadError, retryOf } from '../../components/load-error.tsx';
import { useCurrentUser } from '../../lib/auth.ts';
import { formatTime } from '../../lib/i18n.ts';
import { AccountDrawer } from './account-drawer.tsx';
import { AccountList } from './account-list.tsx';
import { useAccounts } from './accounts-api.ts';
import { AccountPhone } from './phone-reveal.tsx';

const PAGE = 20;

/**
 * 账号管理: accounts within the caller's scope; administrators create and edit them, coordinators add
 * volunteers (新增志愿者). Phones are masked, 查看 shows one with a reason (audited).
 */
export function AccountsPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const canEdit = me.role === 'admin';
  const volunteersOnly = me.role === 'coordinator';
  const canCreate = canEdit || volunteersOnly;
  const phone = !Grid.useBreakpoint().md;
  const [q, setQ] = useState('');
  const [role, setRole] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [drawer, setDrawer] = useState<{ open: boolean; account: Account | null }>({
    open: false,
    account: null,
  });

  const list = useAccounts({ q, role, limit: PAGE, offset: (page - 1) * PAGE });

  const pagination = { current: page, pageSize: PAGE, total: list.data?.total ?? 0, onChange: setPage };

  const status = (a: Account) =>
    !a.active ? (
      <Tag>{t('accounts.inactive')}</Tag>
    ) : a.locked ? (
      <Tag color="red">{t('accounts.locked')}</Tag>
    ) : (
      <Tag color="green">{t('accounts.active')}</Tag>
    );

  const columns: TableColumnsType<Account> = [
    { title: t('accounts.displayName'), dataIndex: 'displayName', fixed: 'left', width: 110 },
    { title: t('accounts.username'), dataIndex: 'username', width: 130 },
    {
      title: t('accounts.role'),
      dataIndex: 'role',
      width: 210,
      render: (_, a) => (
        <Space size={2} wrap>
          <Tag color="blue">{t(`role.${a.role}`)}</Tag>
          {a.carerKind && <Tag>{t(`carerKind.${a.carerKind}`, { defaultValue: a.carerKind })}</Tag>}
        </Space>
      ),
    },
    {
      title: t('accounts.scopes'),
      dataIndex: 'scopes',
      render: (_, a) => a.scopes.map((s) => s.name).join('、'),
    },
    {
      title: t('accounts.phone'),
      dataIndex: 'phone',
      width: 170,
      render: (_, a) => <AccountPhone account={a} />,
    },
    { title: t('accounts.status'), key: 'status', width: 90, render: (_, a) => status(a) },
    {
      title: t('accounts.lastLoginAt'),
      dataIndex: 'lastLoginAt',
      width: 150,
      render: (v: string | null) => formatTime(v),
    },
  ];
  if (canEdit) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: 90,
      render: (_, a) => (
        <Button
          type="link"
          size="small"
          icon={<EditOutlined />}
          onClick={() => setDrawer({ open: true, account: a })}
          data-testid={`account-edit-${a.username}`}
        >
          {t('common.edit')}
        </Button>
      ),
    });
  }

  return (
    <Card
      title={t('accounts.title')}
      extra={
        canCreate && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setDrawer({ open: true, account: null })}
            data-testid="account-create"
          >
            {t(volunteersOnly ? 'accounts.createVolunteer' : 'accounts.create')}
          </Button>
        )
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t('accounts.searchPlaceholder')}
          onSearch={(v) => {
            setQ(v.trim());
            setPage(1);
          }}
          style={{ width: 240, maxWidth: '100%' }}
          data-testid="account-search"
        />
        <Select
          allowClear
          placeholder={t('accounts.roleFilter')}
          value={role}
          onChange={(v) => {
            setRole(v);
            setPage(1);
          }}
          style={{ width: 160 }}
          options={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))}
        />
      </Space>
      {list.isError && <LoadError inline {...retryOf(list)} style={{ marginBottom: 12 }} />}
      {phone ? (
        <AccountList
          items={list.data?.items}
          loading={list.isFetching}
          status={status}
          onEdit={canEdit ? (a) => setDrawer({ open: true, account: a }) : undefined}
          pagination={pagination}
        />
      ) : (
        <Table<Account>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items}
          loading={list.isFetching}
          scroll={{ x: 1000 }}
          pagination={{
            ...pagination,
            showSizeChanger: false,
            showTotal: (n) => t('common.total', { count: n }),
          }}
          data-testid="accounts-table"
        />
      )}
      {canCreate && (
        <AccountDrawer
          open={drawer.open}
          account={drawer.account}
          volunteersOnly={volunteersOnly}
          onClose={() => setDrawer({ open: false, account: drawer.account })}
        />
      )}
    </Card>
  );
}
