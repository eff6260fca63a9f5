import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, List, Segmented, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadError, retryOf } from '../../components/load-error.tsx';
import { formatTime } from '../../lib/i18n.ts';
import { ackAlert, useAlerts } from './care-api.ts';
import { ReferralsCard } from './referrals-card.tsx';
import type { CareAlert } from './types.ts';

/** Open silence alerts, refreshed every 15 s so the coordinator sees them at once. */
export const useOpenAlerts = () => useAlerts('open');

/** 失联预警 and the needs raised on visits (需求转介), worked in their own card. */
export function AlertsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [status, setStatus] = useState<'open' | 'all'>('open');
  const open = useOpenAlerts();
  const all = useAlerts('all', status === 'all');
  const list = status === 'open' ? open : all;
  const ack = useMutation({
    mutationFn: ackAlert,
    onSuccess: () => {
      void message.success(t('care.alerts.acked'));
      void qc.invalidateQueries({ queryKey: ['care', 'alerts'] });
    },
    onError: (e) => void message.error(e.message),
  });

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card
        size="small"
        title={t('care.alerts.title')}
        extra={
          <Segmented
            size="small"
            value={status}
            onChange={(v) => setStatus(v as 'open' | 'all')}
            options={[
              { value: 'open', label: t('care.alerts.open') },
              { value: 'all', label: t('care.alerts.all') },
            ]}
          />
        }
      >
        {list.isError && <LoadError inline {...retryOf(list)} />}
        <List<CareAlert>
          data-testid="care-alerts"
          loading={list.isPending}
          dataSource={list.data?.items}
          locale={{ emptyText: <Empty description={t('care.alerts.empty')} /> }}
          renderItem={(a) => (
            <List.Item
              data-testid={`care-alert-${a.id}`}
              extra={
                a.status === 'open' && (
                  <Button size="small" onClick={() => ack.mutate(a.id)} loading={ack.isPending}>
                    {t('care.alerts.ack')}
                  </Button>
                )
              }
            >
              <Space orientation="vertical" size={2}>
                <Space size={6} wrap>
                  <Typography.Text strong>{a.elderName}</Typography.Text>
                  <Tag color={a.kind === 'daily_silence' ? 'red' : 'volcano'}>
                    {t(`care.alerts.kinds.${a.kind}`)}
                  </Tag>
                  {a.status !== 'open' && (
                    <Tag>{t(`care.alerts.statuses.${a.status}`, { defaultValue: a.status })}</Tag>
                  )}
                </Space>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('care.alerts.raised', { day: a.day, time: formatTime(a.raisedAt) })}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      </Card>
      <ReferralsCard />
    </Space>
  );
}
