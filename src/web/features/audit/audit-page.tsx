import { SearchOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Select,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditLine as AuditEntry } from '../../../shared/audit.ts';
import { auditDetails, auditSentence, type Translate } from '../../../shared/audit-sentence.ts';
import { LoadError, retryOf } from '../../components/load-error.tsx';
import { currentLang, TIME_ZONE } from '../../lib/i18n.ts';
import { useAuditLog } from './audit-api.ts';

const kinds = ['auth.', 'elder.', 'account.', 'org.', 'care.', 'contact.', 'incident.', 'device.'];

/** 12月5日 09:12 (en: Dec 5 09:12), in the service's time zone; a folded run shows its span. */
function when(first: string, last: string): string {
  const fmt = currentLang() === 'zh-CN' ? 'M月D日 HH:mm' : 'MMM D HH:mm';
  const a = dayjs(first).tz(TIME_ZONE);
  const b = dayjs(last).tz(TIME_ZONE);
  if (a.format(fmt) === b.format(fmt)) return b.format(fmt);
  return `${a.format(fmt)}–${a.isSame(b, 'day') ? b.format('HH:mm') : b.format(fmt)}`;
}

interface Filters {
  actor?: string;
  action?: string;
  elderId?: number | null;
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
  const { t, i18n } = useTranslation();
  const [filters, setFilters] = useState<Filters>({});
  const query = {
    actor: filters.actor?.trim() || undefined,
    action: filters.action?.trim() || undefined,
    elderId: filters.elderId ?? undefined,
    from: dayBound(filters.range?.[0], false),
    to: dayBound(filters.range?.[1], true),
  };

  const log = useAuditLog(query);
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];
  const tr: Translate = (key, params) => (i18n.exists(key) ? t(key, params) : null);

  const columns: TableColumnsType<AuditEntry> = [
    {
      title: t('audit.at'),
      key: 'at',
      width: 150,
      render: (_, r) => <span style={{ whiteSpace: 'nowrap' }}>{when(r.firstAt, r.at)}</span>,
    },
    {
      title: t('audit.sentence'),
      key: 'sentence',
      render: (_, r) => (
        <div data-testid="audit-line">
          <span title={r.action}>{auditSentence(r, tr)}</span>
          {auditDetails(r, tr).map((d) => (
            <div key={d}>
              <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                {d}
              </Typography.Text>
            </div>
          ))}
        </div>
      ),
    },
    { title: t('audit.ip'), dataIndex: 'ip', width: 130, responsive: ['md'] },
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
          <Select
            allowClear
            placeholder={t('audit.kindPlaceholder')}
            style={{ width: 160 }}
            options={kinds.map((k) => ({ value: k, label: t(`audit.kinds.${k}`) }))}
          />
        </Form.Item>
        <Form.Item name="elderId">
          <InputNumber min={1} placeholder={t('audit.elderPlaceholder')} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="range">
          <DatePicker.RangePicker allowEmpty={[true, true]} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
            {t('common.search')}
          </Button>
        </Form.Item>
        <Form.Item>
          <Button
            data-testid="audit-export"
            href={`/api/audit/export?${new URLSearchParams(
              Object.entries(query).filter(([, v]) => v != null) as [string, string][],
            ).toString()}`}
          >
            {t('audit.export')}
          </Button>
        </Form.Item>
      </Form>
      {log.isError && <LoadError inline {...retryOf(log)} style={{ marginBottom: 12 }} />}
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={log.isPending}
        pagination={false}
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
