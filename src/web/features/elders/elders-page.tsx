import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Dropdown,
  Grid,
  Space,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { SortOrder } from 'antd/es/table/interface';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { ElderFilters } from '../../../shared/elders.ts';
import { LoadError, retryOf } from '../../components/load-error.tsx';
import { useCurrentUser } from '../../lib/auth.ts';
import { CompletenessPanel } from './completeness-panel.tsx';
import { ElderCards } from './elder-cards.tsx';
import { ElderFilterBar } from './elder-filters.tsx';
import { ElderFormDrawer } from './elder-form.tsx';
import { LevelTag, StatusTag } from './elder-tags.tsx';
import { ageBand, apiPath, type ElderListItem, filterQuery, useElderList } from './elders-api.ts';

export const editorRoles = ['admin', 'manager', 'coordinator'];
type Sort = NonNullable<ElderFilters['sort']>;

function orderOf(sort: Sort, key: string): SortOrder {
  if (sort === key) return 'ascend';
  if (sort === `-${key}`) return 'descend';
  return null;
}

/** 老人档案: the registry, filtered and searched on the server, paged by cursor ("load more"). */
export function EldersPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const phone = !Grid.useBreakpoint().md;
  const canEdit = editorRoles.includes(me.role);
  const [filters, setFilters] = useState<ElderFilters>({ sort: 'name' });
  const [creating, setCreating] = useState(false);
  const list = useElderList(filters);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const sort = filters.sort ?? 'name';

  const exportHref = (form: 'list' | 'ledger') =>
    apiPath('/elders/export', { ...filterQuery(filters), form });

  const columns: TableColumnsType<ElderListItem> = [
    {
      title: t('elders.field.name'),
      dataIndex: 'name',
      key: 'name',
      fixed: 'left',
      width: 100,
      sorter: true,
      sortOrder: orderOf(sort, 'name'),
      render: (_, e) => <Link to={`/elders/${e.id}`}>{e.name}</Link>,
    },
    {
      title: t('elders.field.gender'),
      dataIndex: 'gender',
      width: 60,
      render: (g: 'M' | 'F') => t(`elders.gender.${g}`),
    },
    {
      title: t('elders.field.age'),
      dataIndex: 'age',
      key: 'age',
      width: 90,
      sorter: true,
      sortOrder: orderOf(sort, 'age'),
      render: (a: number) => (
        <Space size={4}>
          {a}
          {ageBand(a) && <Tag color="orange">{ageBand(a)}</Tag>}
        </Space>
      ),
    },
    { title: t('elders.field.idNumber'), dataIndex: 'idNumber', width: 180 },
    {
      title: t('elders.field.phones'),
      dataIndex: 'phones',
      width: 130,
      render: (p: string[]) => p.join('、'),
    },
    { title: t('elders.field.org'), key: 'org', width: 120, render: (_, e) => e.org?.name },
    {
      title: t('elders.field.categories'),
      dataIndex: 'categories',
      render: (c: string[], e) => (
        <Space size={[2, 2]} wrap>
          {c.map((x) => (
            <Tag key={x}>{x}</Tag>
          ))}
          {e.tags.map((x) => (
            <Tag key={x} color={x === '重点关注' ? 'red' : 'blue'}>
              {x}
            </Tag>
          ))}
        </Space>
      ),
    },
    { title: t('elders.field.livingSituation'), dataIndex: 'livingSituation', width: 100 },
    {
      title: t('elders.field.abilityLevel'),
      dataIndex: 'abilityLevel',
      width: 100,
      render: (l: number | null) => <LevelTag level={l} />,
    },
    {
      title: t('elders.field.status'),
      dataIndex: 'status',
      width: 80,
      render: (s: ElderListItem['status']) => <StatusTag status={s} />,
    },
    {
      title: t('elders.field.updatedAt'),
      dataIndex: 'updatedAt',
      key: 'updated',
      width: 110,
      sorter: true,
      sortOrder: orderOf(sort, 'updated'),
      render: (v: string) => v.slice(0, 10),
    },
  ];

  const actions = (
    <Space wrap>
      {canEdit && (
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setCreating(true)}
          data-testid="elder-create"
        >
          {t('elders.list.create')}
        </Button>
      )}
      {canEdit && (
        <Button
          icon={<UploadOutlined />}
          onClick={() => navigate('/elders/import')}
          data-testid="elder-import"
        >
          {phone ? undefined : t('elders.list.import')}
        </Button>
      )}
      <Dropdown
        menu={{
          items: [
            { key: 'list', label: <a href={exportHref('list')}>{t('elders.list.exportList')}</a> },
            { key: 'ledger', label: <a href={exportHref('ledger')}>{t('elders.list.exportLedger')}</a> },
          ],
        }}
      >
        <Button icon={<DownloadOutlined />} aria-label={t('elders.list.export')} data-testid="elder-export">
          {phone ? undefined : t('elders.list.export')}
        </Button>
      </Dropdown>
    </Space>
  );

  const listTab = (
    <>
      <ElderFilterBar value={filters} onChange={setFilters} phone={phone} />
      {list.isError && <LoadError inline {...retryOf(list)} style={{ marginBottom: 12 }} />}
      {phone ? (
        <ElderCards items={items} loading={list.isFetching && !list.isFetchingNextPage} />
      ) : (
        <Table<ElderListItem>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={items}
          loading={list.isFetching && !list.isFetchingNextPage}
          pagination={false}
          scroll={{ x: 1300 }}
          onChange={(_p, _f, sorter) => {
            const s = Array.isArray(sorter) ? sorter[0] : sorter;
            const key = s?.columnKey as string | undefined;
            if (!key || !s?.order) setFilters({ ...filters, sort: 'name' });
            else setFilters({ ...filters, sort: (s.order === 'descend' ? `-${key}` : key) as Sort });
          }}
          data-testid="elders-table"
        />
      )}
      <div style={{ textAlign: 'center', marginTop: 12 }}>
        {list.hasNextPage ? (
          <Button
            size={phone ? 'large' : 'middle'}
            block={phone}
            loading={list.isFetchingNextPage}
            onClick={() => void list.fetchNextPage()}
            data-testid="elder-more"
          >
            {t('elders.list.more')}
          </Button>
        ) : (
          list.isSuccess && (
            <Typography.Text type="secondary" data-testid="elder-end">
              {items.length === 0 ? t('elders.list.empty') : t('elders.list.end', { count: items.length })}
            </Typography.Text>
          )
        )}
      </div>
    </>
  );

  return (
    <Card
      title={t('elders.list.title')}
      extra={!phone && actions}
      styles={phone ? { body: { padding: 12 } } : undefined}
    >
      {phone && <div style={{ marginBottom: 8 }}>{actions}</div>}
      <Tabs
        items={[
          { key: 'list', label: t('elders.list.tab'), children: listTab },
          {
            key: 'completeness',
            label: t('elders.completeness.tab'),
            children: <CompletenessPanel phone={phone} />,
          },
        ]}
      />
      {canEdit && (
        <ElderFormDrawer
          open={creating}
          elder={null}
          onClose={() => setCreating(false)}
          onSaved={(e) => navigate(`/elders/${e.id}`)}
        />
      )}
    </Card>
  );
}
