import { Alert, App, Card, Col, Row, Space, Spin, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { LoadError, retryOf } from '../../components/load-error.tsx';
import { formatTime } from '../../lib/i18n.ts';
import { type Archive, ArchivePanel } from './archive-panel.tsx';
import { IncidentActions } from './incident-actions.tsx';
import { IncidentPeople } from './incident-people.tsx';
import { IncidentTimeline } from './incident-timeline.tsx';
import { useIncident, useIncidentAction } from './incidents-api.ts';
import { elapsed, fullAddress } from './rules.ts';
import { SeverityTag, StateTag } from './tags.tsx';

/** One incident: who, where, how long; what to do; everything that happened so far. */
export function IncidentCard({ id, now }: { id: number; now: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const q = useIncident(id);
  const action = useIncidentAction(id);
  if (q.isPending) return <Spin />;
  if (q.isError) return <LoadError {...retryOf(q)} />;
  const { incident: i, prompt } = q.data;
  const archive = q.data.archive as Archive | null;
  const active = !['resolved', 'follow_up'].includes(i.state);
  const onReached = (name: string, phone: string) =>
    action.mutate(
      { kind: 'note', text: t('incidents.actions.reachedNote', { name, phone }) },
      { onSuccess: () => void message.success(t('incidents.actions.done')) },
    );

  return (
    <Space
      orientation="vertical"
      size={12}
      style={{ width: '100%' }}
      data-testid="incident-card"
      data-incident={i.id}
    >
      <Card size="small">
        <Space orientation="vertical" size={8} style={{ width: '100%' }}>
          <Space size={8} wrap>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="incident-elder">
              {i.elderName ?? `#${i.elderId}`}
            </Typography.Title>
            <SeverityTag severity={i.severity} />
            <Typography.Text strong>{t(`incidents.kind.${i.kind}`)}</Typography.Text>
            <StateTag state={i.state} />
            {i.outcome && <Typography.Text>{t(`incidents.outcome.${i.outcome}`)}</Typography.Text>}
          </Space>
          {archive && <Typography.Text style={{ fontSize: 16 }}>{fullAddress(archive)}</Typography.Text>}
          {i.summary && <Typography.Text type="secondary">{i.summary}</Typography.Text>}
          <IncidentPeople incident={i} />
          <Row gutter={16}>
            <Col xs={12} sm={8}>
              <Statistic
                title={t('incidents.clock.sinceTrigger')}
                value={active ? elapsed(i.triggeredAt, now) : formatTime(i.triggeredAt)}
                styles={{
                  content: {
                    fontVariantNumeric: 'tabular-nums',
                    color: i.state === 'open' ? '#cf1322' : undefined,
                  },
                }}
                data-testid="clock-trigger"
              />
            </Col>
            <Col xs={12} sm={8}>
              <Statistic
                title={t('incidents.clock.sinceStep')}
                value={active ? elapsed(i.lastStepAt ?? i.triggeredAt, now) : '—'}
                styles={{ content: { fontVariantNumeric: 'tabular-nums' } }}
                data-testid="clock-step"
              />
            </Col>
            {i.nextStepAt && (
              <Col xs={24} sm={8}>
                <Statistic
                  title={t('incidents.clock.nextStep')}
                  value={formatTime(i.nextStepAt, true).slice(11)}
                  styles={{ content: { fontVariantNumeric: 'tabular-nums' } }}
                />
              </Col>
            )}
          </Row>
          {prompt && <Alert type="error" showIcon title={prompt} data-testid="incident-prompt" />}
        </Space>
      </Card>
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={12}>
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            <IncidentActions incident={i} />
            <IncidentTimeline detail={q.data} />
          </Space>
        </Col>
        <Col xs={24} xl={12}>
          <ArchivePanel detail={q.data} onReached={onReached} />
        </Col>
      </Row>
    </Space>
  );
}
