import { Grid, List, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../../lib/i18n.ts';
import type { Duty } from './types.ts';

/** Duties as a table on a desk, as a list on a phone. */
export function DutyList({
  items,
  loading,
  testId,
}: {
  items: Duty[] | undefined;
  loading: boolean;
  testId: string;
}) {
  const { t } = useTranslation();
  const phone = !Grid.useBreakpoint().md;
  const outcome = (o: string | null) => (o ? t(`worklist.outcomes.${o}`, { defaultValue: o }) : '—');
  if (phone) {
    return (
      <List<Duty>
        data-testid={testId}
        loading={loading}
        dataSource={items}
        rowKey="id"
        pagination={{ pageSize: 20, size: 'small', simple: true, hideOnSinglePage: true }}
        renderItem={(d) => (
          <List.Item>
            <Space orientation="vertical" size={2} style={{ minWidth: 0 }}>
              <Space size={6} wrap>
                <Typography.Text strong>{d.elderName}</Typography.Text>
                <Tag color="blue">{d.templateName}</Tag>
                {d.overdue && <Tag color="red">{t('care.duties.overdueTag')}</Tag>}
                {d.pausedUntil && <Tag>{t('care.duties.paused')}</Tag>}
              </Space>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('care.duties.due')} {formatTime(d.dueAt)} · {d.assigneeName ?? t('care.duties.nobody')} ·{' '}
                {t('care.duties.last')} {outcome(d.lastOutcome)}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    );
  }
  const columns: TableColumnsType<Duty> = [
    { title: t('care.elder'), dataIndex: 'elderName', width: 110 },
    { title: t('care.duty'), dataIndex: 'templateName', width: 140 },
    {
      title: t('care.duties.due'),
      dataIndex: 'dueAt',
      width: 150,
      render: (v: string | null, d) => (
        <Typography.Text type={d.overdue ? 'danger' : undefined}>{formatTime(v)}</Typography.Text>
      ),
    },
    {
      title: t('care.carer'),
      dataIndex: 'assigneeName',
      width: 120,
      render: (v: string | null) => v ?? <Tag>{t('care.duties.nobody')}</Tag>,
    },
    { title: t('care.duties.lastDone'), dataIndex: 'lastDoneAt', width: 150, render: (v) => formatTime(v) },
    { title: t('care.duties.last'), dataIndex: 'lastOutcome', render: (v: string | null) => outcome(v) },
    {
      title: t('care.duties.state'),
      key: 's',
      width: 110,
      render: (_, d) =>
        d.pausedUntil ? (
          <Tag>{t('care.duties.paused')}</Tag>
        ) : d.overdue ? (
          <Tag color="red">{t('care.duties.overdueTag')}</Tag>
        ) : (
          <Tag color="green">{t('care.duties.onTrack')}</Tag>
        ),
    },
  ];
  return (
    <Table<Duty>
      data-testid={testId}
      rowKey="id"
      size="small"
      loading={loading}
      dataSource={items}
      columns={columns}
      scroll={{ x: 900 }}
      pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
    />
  );
}
