import { Card, Tag, Timeline, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { IncidentDetail, TimelineEntry } from './incidents-api.ts';
import { dayTime } from './rules.ts';

const str = (v: unknown) => (typeof v === 'string' && v ? v : null);

/** One line of details per event type, from the small payloads the server keeps on each event. */
function describe(e: TimelineEntry, t: TFunction): string | null {
  const d = e.details ?? {};
  switch (e.type) {
    case 'note':
    case 'followed_up':
      return str(d.note) ?? str(d.text);
    case 'dispatched':
      return [str(d.responder), str(d.phone), str(d.note)].filter(Boolean).join(' · ') || null;
    case 'transition':
    case 'resolved': {
      const parts = [
        `${t(`incidents.state.${String(d.from)}`)} → ${t(`incidents.state.${String(d.to)}`)}`,
        str(d.outcome) && t(`incidents.outcome.${String(d.outcome)}`),
        str(d.note),
      ];
      return parts.filter(Boolean).join(' · ');
    }
    case 'known':
    case 'acknowledged':
    case 'acknowledged_again': {
      const via = str(d.via)
        ? t(`incidents.timeline.via.${String(d.via)}`, { defaultValue: String(d.via) })
        : null;
      const reply = str(d.reply) ? `“${t(`incidents.timeline.reply.${String(d.reply)}`)}”` : null;
      return [via, reply].filter(Boolean).join(' · ') || null;
    }
    case 'step_fired':
    case 'step_skipped': {
      const names = Array.isArray(d.recipients) ? (d.recipients as string[]).join('、') : '';
      return (
        [names && t('incidents.timeline.notified', { names }), str(d.prompt)].filter(Boolean).join(' · ') ||
        null
      );
    }
    default:
      return null;
  }
}

const colorOf: Record<string, string> = {
  opened: 'red',
  trigger_joined: 'red',
  elder_false_alarm: 'orange',
  acknowledged: 'green',
  acknowledged_again: 'green',
  known: 'blue',
  resolved: 'green',
  followed_up: 'green',
  dispatched: 'blue',
  step_fired: 'orange',
};

export function IncidentTimeline({
  detail,
  bare = false,
}: {
  detail: Pick<IncidentDetail, 'timeline' | 'notifications'>;
  /** inside another card (the history): no frame of its own */
  bare?: boolean;
}) {
  const { t, i18n } = useTranslation();
  return (
    <Card
      size="small"
      title={bare ? undefined : t('incidents.timeline.title')}
      variant={bare ? 'borderless' : 'outlined'}
    >
      <Timeline
        data-testid="incident-timeline"
        items={detail.timeline.map((e) => ({
          key: e.id,
          color: colorOf[e.type] ?? 'gray',
          content: (
            <div data-testid="timeline-entry" data-type={e.type}>
              <Typography.Text type="secondary" style={{ fontVariantNumeric: 'tabular-nums' }}>
                {dayTime(e.at, i18n.language, true)}
              </Typography.Text>{' '}
              <Typography.Text strong>
                {t(`incidents.timeline.${e.type}`, { defaultValue: e.type })}
              </Typography.Text>
              {e.actor && <Tag style={{ marginInlineStart: 8 }}>{e.actor}</Tag>}
              {describe(e, t) && <div>{describe(e, t)}</div>}
            </div>
          ),
        }))}
      />
      {detail.notifications.length > 0 && (
        <>
          <Typography.Text strong>{t('incidents.notifications.title')}</Typography.Text>
          <ul style={{ paddingInlineStart: 18, margin: '4px 0 0' }} data-testid="incident-notifications">
            {detail.notifications.map((n) => (
              <li key={n.id}>
                {dayTime(n.createdAt, i18n.language, true)} · {n.recipient} ·{' '}
                {t(`incidents.notifications.channel.${n.channel}`)} ·{' '}
                {n.ackedAt
                  ? n.ackReply === 'received'
                    ? t('incidents.notifications.status.known')
                    : t('incidents.notifications.status.acked')
                  : t(`incidents.notifications.status.${n.status}`, { defaultValue: n.status })}
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}
