import { EditOutlined } from '@ant-design/icons';
import { Button, List, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../../shared/accounts.ts';
import { AccountPhone } from './phone-reveal.tsx';

interface Props {
  items: Account[] | undefined;
  loading: boolean;
  status: (a: Account) => ReactNode;
  onEdit?: (a: Account) => void;
  pagination: { current: number; pageSize: number; total: number; onChange: (p: number) => void };
}

/** The accounts table as a list on a phone: one card-like row per account, no sideways scrolling. */
export function AccountList({ items, loading, status, onEdit, pagination }: Props) {
  const { t } = useTranslation();
  return (
    <List<Account>
      data-testid="accounts-list"
      loading={loading}
      dataSource={items}
      rowKey="id"
      pagination={{ ...pagination, size: 'small', simple: true }}
      renderItem={(a) => (
        <List.Item
          data-testid={`account-row-${a.username}`}
          extra={
            onEdit && (
              <Button
                type="link"
                size="small"
                icon={<EditOutlined />}
                aria-label={t('common.edit')}
                onClick={() => onEdit(a)}
                data-testid={`account-edit-${a.username}`}
              />
            )
          }
        >
          <Space orientation="vertical" size={2} style={{ minWidth: 0 }}>
            <Space size={6} wrap>
              <Typography.Text strong>{a.displayName}</Typography.Text>
              <Typography.Text type="secondary">{a.username}</Typography.Text>
              {status(a)}
            </Space>
            <Space size={2} wrap>
              <Tag color="blue">{t(`role.${a.role}`)}</Tag>
              {a.carerKind && <Tag>{t(`carerKind.${a.carerKind}`, { defaultValue: a.carerKind })}</Tag>}
            </Space>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {a.scopes.map((s) => s.name).join('、')}
            </Typography.Text>
            <AccountPhone account={a} />
          </Space>
        </List.Item>
      )}
    />
  );
}
