import { CheckOutlined, DownOutlined, UpOutlined } from '@ant-design/icons';
import { App, Button, Empty, Input, List, Space, Spin, Tag, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Incident } from '../../../shared/incidents.ts';
import { LoadError, retryOf } from '../../components/load-error.tsx';
import { ApiError } from '../../lib/api.ts';
import { IncidentPeople } from './incident-people.tsx';
import { IncidentTimeline } from './incident-timeline.tsx';
import { useFollowUpDone, useStory } from './incidents-api.ts';
import { dayTime } from './rules.ts';
import { SeverityTag, StateTag } from './tags.tsx';

/** The story of one incident, read when it is opened: who took it on, who knew, every event and message. */
function Story({ id }: { id: number }) {
  const story = useStory(id, true);
  if (story.isPending) return <Spin />;
  if (story.isError) return <LoadError inline {...retryOf(story)} />;
  return (
    <Space orientation="vertical" size={4} style={{ width: '100%' }} data-testid="history-story">
      <IncidentPeople incident={story.data.incident} />
      <IncidentTimeline detail={story.data} bare />
    </Space>
  );
}

function FollowUpDone({ id }: { id: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const done = useFollowUpDone(id);
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!open)
    return (
      <Button icon={<CheckOutlined />} onClick={() => setOpen(true)} data-testid="follow-up-done">
        {t('incidents.history.followUpDone')}
      </Button>
    );
  const save = async () => {
    setError(null);
    try {
      await done.mutateAsync(note);
      message.success(t('incidents.history.followUpSaved'));
    } catch (err) {
      setError(err instanceof ApiError ? (err.details[0]?.message ?? err.message) : String(err));
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={4}>
      <Input.TextArea
        autoFocus
        rows={2}
        maxLength={2000}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        placeholder={t('incidents.history.followUpNote')}
        aria-label={t('incidents.history.followUpNote')}
        status={error ? 'error' : undefined}
        data-testid="follow-up-note"
      />
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      <Space>
        <Button type="primary" loading={done.isPending} onClick={save} data-testid="follow-up-save">
          {t('incidents.actions.save')}
        </Button>
        <Button onClick={() => setOpen(false)}>{t('incidents.actions.cancel')}</Button>
      </Space>
    </Space>
  );
}

/**
 * Incidents as a reviewer reads them (the history, the follow-up queue, the elder's page): when, who,
 * what, how it ended, and the full story on demand.
 */
export function IncidentHistoryList({
  items,
  loading,
  showElder = true,
  followUps = false,
  now = Date.now(),
  pagination,
  testId,
}: {
  items: Incident[] | undefined;
  loading: boolean;
  showElder?: boolean;
  /** the follow-up queue: due times, overdue marks and the done step */
  followUps?: boolean;
  now?: number;
  pagination?: { current: number; pageSize: number; total: number; onChange: (page: number) => void };
  testId: string;
}) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState<Set<number>>(new Set());
  const toggle = (id: number) =>
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const when = (iso: string | null) => dayTime(iso, i18n.language);
  return (
    <List<Incident>
      data-testid={testId}
      loading={loading}
      dataSource={items}
      rowKey="id"
      locale={{
        emptyText: (
          <Empty description={t(followUps ? 'incidents.history.noFollowUps' : 'incidents.history.empty')} />
        ),
      }}
      pagination={
        pagination && pagination.total > pagination.pageSize
          ? { ...pagination, size: 'small', showSizeChanger: false, align: 'center' }
          : false
      }
      renderItem={(i) => {
        const overdue = followUps && (i.followUpDueAt == null || Date.parse(i.followUpDueAt) <= now);
        const lines: ReactNode[] = [];
        if (i.resolvedAt)
          lines.push(
            <span key="r">
              {t('incidents.history.resolvedAt', { at: when(i.resolvedAt) })}
              {i.outcome && ` · ${t(`incidents.outcome.${i.outcome}`)}`}
            </span>,
          );
        if (i.responsible)
          lines.push(<span key="p">{t('incidents.history.responsible', { name: i.responsible })}</span>);
        return (
          <List.Item
            data-testid={`history-item-${i.id}`}
            data-state={i.state}
            data-overdue={overdue || undefined}
            style={{ display: 'block' }}
          >
            <Space orientation="vertical" size={4} style={{ width: '100%' }}>
              <Space size={6} wrap>
                <Typography.Text
                  strong
                  style={{ fontVariantNumeric: 'tabular-nums' }}
                  data-testid="history-time"
                >
                  {when(i.triggeredAt)}
                </Typography.Text>
                <SeverityTag severity={i.severity} />
                {showElder && <Link to={`/elders/${i.elderId}`}>{i.elderName ?? `#${i.elderId}`}</Link>}
                <Typography.Text>{t(`incidents.kind.${i.kind}`)}</Typography.Text>
                <StateTag state={i.state} />
              </Space>
              {i.summary && <Typography.Text type="secondary">{i.summary}</Typography.Text>}
              {lines.length > 0 && (
                <Typography.Text>{lines.flatMap((l, k) => (k === 0 ? [l] : [' · ', l]))}</Typography.Text>
              )}
              {followUps && (
                <Space size={6} wrap data-testid="follow-up-due">
                  <Typography.Text strong>
                    {i.followUpDueAt
                      ? t('incidents.history.dueAt', { at: when(i.followUpDueAt) })
                      : t('incidents.history.dueUnset')}
                  </Typography.Text>
                  {overdue && <Tag color="red">{t('incidents.history.overdue')}</Tag>}
                </Space>
              )}
              {!followUps && i.followedUpAt && (
                <Typography.Text type="secondary">
                  {t('incidents.history.followedUpAt', { at: when(i.followedUpAt) })}
                </Typography.Text>
              )}
              <Space size={8} wrap>
                <Button
                  icon={open.has(i.id) ? <UpOutlined /> : <DownOutlined />}
                  onClick={() => toggle(i.id)}
                  aria-expanded={open.has(i.id)}
                  data-testid="history-story-toggle"
                >
                  {open.has(i.id) ? t('incidents.history.hideStory') : t('incidents.history.showStory')}
                </Button>
                {followUps && <FollowUpDone id={i.id} />}
              </Space>
              {open.has(i.id) && <Story id={i.id} />}
            </Space>
          </List.Item>
        );
      }}
    />
  );
}
