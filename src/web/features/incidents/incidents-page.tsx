import {
  ArrowLeftOutlined,
  HistoryOutlined,
  SoundOutlined,
  WarningFilled,
  WifiOutlined,
} from '@ant-design/icons';
import { Badge, Button, Card, Col, Empty, Grid, List, Row, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import type { Incident } from '../../../shared/incidents.ts';
import { LoadError, retryOf } from '../../components/load-error.tsx';
import { IncidentCard } from './incident-card.tsx';
import { IncidentPeople } from './incident-people.tsx';
import { useFollowUps, useQueue } from './incidents-api.ts';
import { useAlarm, useLiveEvents, useNow } from './live.ts';
import { elapsed } from './rules.ts';
import { SeverityTag, StateTag } from './tags.tsx';
import './incidents.css';

/** The dispatcher console: the live queue on the left, the selected incident's card on the right. */
export function IncidentsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const params = useParams();
  const selected = params.id ? Number(params.id) : null;
  const screens = Grid.useBreakpoint();
  const narrow = !screens.lg;
  const live = useLiveEvents();
  const queue = useQueue();
  const followUps = useFollowUps();
  const alarm = useAlarm(queue.data?.items, `${t('incidents.title')} · ${t('app.name')}`);
  const now = useNow();

  if (queue.isError) return <LoadError {...retryOf(queue)} />;

  const header = (
    <Space orientation="vertical" style={{ width: '100%' }} size={8}>
      {alarm.openCount > 0 && (
        <div className="cc-alarm" role="alert" data-testid="incident-alarm">
          <WarningFilled />
          {t('incidents.alarm.banner', { count: alarm.openCount })}
        </div>
      )}
      <Space wrap size={8}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('incidents.title')}
        </Typography.Title>
        {/* before the status tags: the first click turns the sound on and the tags change width, so
            a button after them would move away under the pointer */}
        <Button
          icon={<HistoryOutlined />}
          onClick={() => navigate('/incidents/history')}
          data-testid="open-history"
        >
          {t('incidents.history.open')}
        </Button>
        {(followUps.data?.overdue ?? 0) > 0 && (
          <Button
            danger
            onClick={() => navigate('/incidents/history?tab=follow-ups')}
            data-testid="open-follow-ups"
          >
            {t('incidents.history.overdueCount', { count: followUps.data?.overdue })}
          </Button>
        )}
        <Tag
          data-testid="live-status"
          data-status={live}
          color={live === 'live' ? 'green' : 'orange'}
          icon={<WifiOutlined />}
        >
          {live === 'live' ? t('incidents.alarm.live') : t('incidents.alarm.offline')}
        </Tag>
        <Tag data-testid="sound-status" color={alarm.soundOn ? 'blue' : 'default'} icon={<SoundOutlined />}>
          {alarm.soundOn ? t('incidents.alarm.soundOn') : t('incidents.alarm.soundOff')}
        </Tag>
      </Space>
    </Space>
  );

  const list = (
    <Card
      size="small"
      title={
        <Space>
          {t('incidents.queue.title')}
          <Badge count={queue.data?.total ?? 0} showZero color="#1677ff" />
        </Space>
      }
      styles={{ body: { padding: 4 } }}
    >
      <List<Incident>
        data-testid="incident-queue"
        loading={queue.isPending}
        dataSource={queue.data?.items}
        rowKey="id"
        locale={{ emptyText: <Empty description={t('incidents.queue.empty')} /> }}
        renderItem={(i) => (
          <List.Item
            className="cc-queue-item"
            data-testid={`queue-item-${i.id}`}
            data-state={i.state}
            data-selected={i.id === selected}
            onClick={() => navigate(`/incidents/${i.id}`)}
          >
            <Space orientation="vertical" size={2} style={{ width: '100%', minWidth: 0 }}>
              <Space size={6} wrap>
                <SeverityTag severity={i.severity} />
                <Typography.Text strong>{i.elderName ?? `#${i.elderId}`}</Typography.Text>
                <StateTag state={i.state} />
              </Space>
              <Space size={8} wrap style={{ justifyContent: 'space-between', width: '100%' }}>
                <Typography.Text>{t(`incidents.kind.${i.kind}`)}</Typography.Text>
                <Typography.Text className="cc-clock" style={{ fontSize: 16 }} type="danger">
                  {elapsed(i.triggeredAt, now)}
                </Typography.Text>
              </Space>
              <IncidentPeople incident={i} compact />
              {i.triggers > 1 && (
                <Typography.Text type="secondary">
                  {t('incidents.queue.triggers', { count: i.triggers })}
                </Typography.Text>
              )}
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );

  const card =
    selected != null ? (
      <IncidentCard id={selected} now={now} />
    ) : (
      <Card>
        <Empty description={t('incidents.queue.select')} />
      </Card>
    );

  if (narrow && selected != null) {
    return (
      <Space orientation="vertical" style={{ width: '100%' }} size={12}>
        {header}
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/incidents')} size="large">
          {t('incidents.back')}
        </Button>
        {card}
      </Space>
    );
  }
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      {header}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={8} xl={7}>
          {list}
        </Col>
        {!narrow && (
          <Col lg={16} xl={17}>
            {card}
          </Col>
        )}
      </Row>
    </Space>
  );
}
