import { SearchOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import {
  Alert,
  AutoComplete,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../shared/audit.ts';
import { api } from '../../lib/api.ts';
import { formatTime, TIME_ZONE } from '../../lib/i18n.ts';

const PAGE = 50;
const knownActions = [
  'auth.login',
  'auth.login_failed',
  'auth.login_refused',
  'auth.locked',
  'auth.logout',
  'org.create',
  'org.update',
  'org.delete',
  'account.create',
  'account.update',
  'account.unlock',
];

interface Filters {
  actor?: string;
  action?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

/** A calendar day picked on screen is a day in Asia/Shanghai, whatever the browser's zone. */
function dayBound(d: Dayjs | null | undefined, end: boolean): string | undefined {
  if (!d) return undefined;
  const day = dayjs.tz(d.format('YYYY-MM-DD'), TIME_ZONE);
  return (end ? day.add(1, 'day').subtract(1, 'millisecond') : day).toISOString();
}

/** 审计日志: newest first, filtered by actor, action and dates; keyset "load more". */
export function AuditPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<Filters>({});
  const query = {
    actor: filters.actor?.trim() || undefined,
    action: filters.action?.trim() || undefined,
    from: dayBound(filters.range?.[0], false),
    to: dayBound(filters.range?.[1], true),
  };

  const log = useInfiniteQuery({
    queryKey: ['audit', query],
    queryFn: ({ pageParam }) =>
      api.get<{ items: AuditEntry[]; nextCursor: number | null }>('/audit', {
        ...query,
        before: pageParam,
        limit: PAGE,
      }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];
  const actionLabel = (a: string) => t(`auditActions.${a.replace('.', '_')}`, { defaultValue: a });

  const columns: TableColumnsType<AuditEntry> = [
    { title: t('audit.at'), dataIndex: 'at', width: 170, render: (v: string) => formatTime(v, true) },
    { title: t('audit.actor'), dataIndex: 'actorName', width: 180 },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      width: 140,
      render: (a: string) => <span title={a}>{actionLabel(a)}</span>,
    },
    {
      title: t('audit.entity'),
      key: 'entity',
      width: 120,
      render: (_, r) =>
        r.entity ? `${t(`auditEntities.${r.entity}`, { defaultValue: r.entity })} #${r.entityId ?? ''}` : '',
    },
    { title: t('audit.ip'), dataIndex: 'ip', width: 130 },
    {
      title: t('audit.details'),
      key: 'details',
      render: (_, r) => (
        <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-all' }}>
          {[r.reason, r.details == null ? null : JSON.stringify(r.details)].filter(Boolean).join(' · ')}
        </Typography.Text>
      ),
    },
  ];

  return (
    <Card title={t('audit.title')}>
      <Form<Filters>
        layout="inline"
        onFinish={setFilters}
        style={{ marginBottom: 12, rowGap: 8 }}
        data-testid="audit-filters"
      >
        <Form.Item name="actor">
          <Input allowClear placeholder={t('audit.actorPlaceholder')} style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="action">
          <AutoComplete
            allowClear
            placeholder={t('audit.actionPlaceholder')}
            style={{ width: 180 }}
            options={knownActions.map((a) => ({ value: a, label: actionLabel(a) }))}
          />
        </Form.Item>
        <Form.Item name="range">
          <DatePicker.RangePicker allowEmpty={[true, true]} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
            {t('common.search')}
          </Button>
        </Form.Item>
      </Form>
      {log.isError && <Alert type="error" showIcon title={log.error.message} style={{ marginBottom: 12 }} />}
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={log.isPending}
        pagination={false}
        scroll={{ x: 1000 }}
        data-testid="audit-table"
      />
      <div style={{ textAlign: 'center', marginTop: 12 }}>
        {log.hasNextPage ? (
          <Button
            onClick={() => void log.fetchNextPage()}
            loading={log.isFetchingNextPage}
            data-testid="audit-more"
          >
            {t('audit.loadMore')}
          </Button>
        ) : (
          rows.length > 0 && <Typography.Text type="secondary">{t('audit.noMore')}</Typography.Text>
        )}
      </div>
    </Card>
  );
}
