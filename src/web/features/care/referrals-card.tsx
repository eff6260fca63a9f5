import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Card, Empty, List, Segmented, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { referralFilters } from '../../../shared/care.ts';
import { LoadError, retryOf } from '../../components/load-error.tsx';
import { formatTime } from '../../lib/i18n.ts';
import { acceptReferral, referralsKey, useReferrals } from './care-api.ts';
import { ReferralActionModal, type ReferralModalAction } from './referral-action-modal.tsx';
import type { Referral } from './types.ts';

type Filter = (typeof referralFilters)[number];
const PAGE = 20;
const filters: Filter[] = ['active', 'open', 'accepted', 'resolved', 'closed', 'all'];
const statusColor: Record<Referral['status'], string | undefined> = {
  open: 'orange',
  accepted: 'blue',
  resolved: 'green',
  closed: undefined,
};

/**
 * 需求转介: the needs carers raised on visits, as a ledger the coordinator works — 受理, 办结 with the
 * result, 无需处理 with the reason, 转派 to another handler. On the care page for the whole scope; on an
 * elder's page (`elderId`) for that elder alone.
 */
export function ReferralsCard({ elderId }: { elderId?: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [filter, setFilter] = useState<Filter>('active');
  const [offset, setOffset] = useState(0);
  const [target, setTarget] = useState<{ referral: Referral; action: ReferralModalAction } | null>(null);
  const list = useReferrals({ status: filter, elderId, limit: PAGE, offset });
  const accept = useMutation({
    mutationFn: acceptReferral,
    onSuccess: () => void message.success(t('care.referrals.done.accept')),
    onError: (e) => void message.error(e.message),
    // on a conflict too: the list shows what the referral is now
    onSettled: () => void qc.invalidateQueries({ queryKey: referralsKey }),
  });
  const counts = list.data?.counts;
  const items = list.data?.items;

  const actions = (r: Referral) => {
    if (r.status === 'resolved' || r.status === 'closed') return [];
    const open = (action: ReferralModalAction) => () => setTarget({ referral: r, action });
    return [
      r.status === 'open' ? (
        <Button
          key="accept"
          type="primary"
          size="small"
          loading={accept.isPending && accept.variables?.id === r.id}
          onClick={() => accept.mutate(r)}
          data-testid={`referral-accept-${r.id}`}
        >
          {t('care.referrals.actions.accept')}
        </Button>
      ) : (
        <Button
          key="resolve"
          type="primary"
          size="small"
          onClick={open('resolve')}
          data-testid={`referral-resolve-${r.id}`}
        >
          {t('care.referrals.actions.resolve')}
        </Button>
      ),
      <Button key="assign" size="small" onClick={open('assign')} data-testid={`referral-assign-${r.id}`}>
        {t('care.referrals.actions.assign')}
      </Button>,
      <Button key="close" size="small" onClick={open('close')} data-testid={`referral-close-${r.id}`}>
        {t('care.referrals.actions.close')}
      </Button>,
    ];
  };

  return (
    <Card
      size="small"
      title={
        <Space size={6}>
          {t(elderId ? 'care.referrals.elderTitle' : 'care.referrals.title')}
          <Badge count={counts?.open ?? 0} overflowCount={999} data-testid="referrals-open-count" />
        </Space>
      }
      data-testid={elderId ? 'elder-referrals' : 'care-referrals-card'}
    >
      <div style={{ overflowX: 'auto', marginBottom: 8 }}>
        <Segmented<Filter>
          size="small"
          value={filter}
          onChange={(v) => {
            setFilter(v);
            setOffset(0);
          }}
          options={filters.map((f) => ({
            value: f,
            label:
              (f === 'open' || f === 'accepted') && counts
                ? `${t(`care.referrals.filters.${f}`)} ${counts[f]}`
                : t(`care.referrals.filters.${f}`),
          }))}
          data-testid="referrals-filter"
        />
      </div>
      {list.isError && <LoadError inline {...retryOf(list)} />}
      <List<Referral>
        data-testid="care-referrals"
        loading={list.isPending}
        dataSource={items}
        locale={{ emptyText: <Empty description={t('care.referrals.empty')} /> }}
        renderItem={(r) => (
          <List.Item data-testid={`referral-${r.id}`} data-status={r.status} actions={actions(r)}>
            <Space orientation="vertical" size={2} style={{ minWidth: 0 }}>
              <Space size={6} wrap>
                {!elderId && <Link to={`/elders/${r.elderId}`}>{r.elderName}</Link>}
                <Typography.Text strong>{r.need}</Typography.Text>
                <Tag color={statusColor[r.status]}>{t(`care.referrals.statuses.${r.status}`)}</Tag>
              </Space>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('care.referrals.raised', {
                  name: r.raisedByName,
                  time: formatTime(r.contactedAt),
                  channel: t(`worklist.channels.${r.contactChannel}`, { defaultValue: r.contactChannel }),
                })}
                {r.contactNote ? ` · ${r.contactNote}` : ''}
              </Typography.Text>
              {(r.handlerName || r.acceptedAt) && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {[
                    r.acceptedAt &&
                      t('care.referrals.acceptedBy', {
                        name: r.acceptedByName,
                        time: formatTime(r.acceptedAt),
                      }),
                    // the handler is named when someone else than the one who accepted works it
                    r.handlerName &&
                      r.handlerId !== r.acceptedById &&
                      t('care.referrals.handledBy', { name: r.handlerName }),
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </Typography.Text>
              )}
              {r.resolvedAt && (
                <Typography.Text style={{ fontSize: 12 }} data-testid={`referral-result-${r.id}`}>
                  {t(r.status === 'closed' ? 'care.referrals.closedBy' : 'care.referrals.resolvedBy', {
                    name: r.resolvedByName,
                    time: formatTime(r.resolvedAt),
                  })}
                  {r.resolution}
                </Typography.Text>
              )}
            </Space>
          </List.Item>
        )}
      />
      {(offset > 0 || list.data?.nextOffset != null) && (
        <Space style={{ marginTop: 8 }}>
          <Button size="small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
            {t('care.ledger.prev')}
          </Button>
          <Button
            size="small"
            disabled={list.data?.nextOffset == null}
            onClick={() => setOffset(list.data?.nextOffset ?? offset)}
          >
            {t('care.ledger.next')}
          </Button>
        </Space>
      )}
      <ReferralActionModal target={target} onClose={() => setTarget(null)} />
    </Card>
  );
}
