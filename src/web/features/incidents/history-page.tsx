import { ArrowLeftOutlined, CloseOutlined } from '@ant-design/icons';
import {
  Badge,
  Button,
  Card,
  DatePicker,
  Grid,
  Select,
  Space,
  Tabs,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import {
  type IncidentKind,
  type IncidentState,
  incidentKinds,
  incidentStates,
} from '../../../shared/incidents.ts';
import { LoadError, retryOf } from '../../components/load-error.tsx';
import { TIME_ZONE } from '../../lib/i18n.ts';
import { buildForest, orgTreeOptions, orgTreeSelectProps, useOrgs } from '../../lib/orgs.ts';
import { IncidentHistoryList } from './incident-history-list.tsx';
import { useFollowUps, useHistory } from './incidents-api.ts';
import { useLiveEvents, useNow } from './live.ts';

const PAGE = 20;

function HistoryTab() {
  const { t, i18n } = useTranslation();
  const phone = !Grid.useBreakpoint().md;
  const [params, setParams] = useSearchParams();
  const orgs = useOrgs('geo');
  const today = dayjs().tz(TIME_ZONE);
  // a morning review reads the night: yesterday and today unless the reader chose otherwise
  const from = params.get('from') ?? today.subtract(1, 'day').format('YYYY-MM-DD');
  const to = params.get('to') ?? today.format('YYYY-MM-DD');
  const page = Number(params.get('page') ?? 1);
  const elderId = params.get('elder') ? Number(params.get('elder')) : undefined;
  const filters = {
    state: (params.get('state') || undefined) as IncidentState | undefined,
    kind: (params.get('kind') || undefined) as IncidentKind | undefined,
    from: from || undefined,
    to: to || undefined,
    orgId: params.get('org') ? Number(params.get('org')) : undefined,
    elderId,
    limit: PAGE,
    offset: (page - 1) * PAGE,
  };
  const history = useHistory(filters);
  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) next.delete(k);
      else next.set(k, v);
    }
    if (!('page' in patch)) next.delete('page');
    setParams(next, { replace: true });
  };
  const tree = useMemo(() => orgTreeOptions(buildForest(orgs.data ?? [])), [orgs.data]);
  const width = phone ? '100%' : 180;
  const elderName = history.data?.items.find((i) => i.elderId === elderId)?.elderName;

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Space wrap size={8} style={{ width: '100%' }} data-testid="history-filters">
        <DatePicker.RangePicker
          value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
          onChange={(v) =>
            set({
              from: (v?.[0] as Dayjs | null)?.format('YYYY-MM-DD') ?? '',
              to: (v?.[1] as Dayjs | null)?.format('YYYY-MM-DD') ?? '',
            })
          }
          format={i18n.language.startsWith('zh') ? 'M月D日' : 'MMM D'}
          allowEmpty={[true, true]}
          style={{ width: phone ? '100%' : 260 }}
          aria-label={t('incidents.history.dates')}
          data-testid="history-dates"
        />
        <Select
          allowClear
          value={filters.state}
          onChange={(v) => set({ state: v })}
          placeholder={t('incidents.history.allStates')}
          options={incidentStates.map((s) => ({ value: s, label: t(`incidents.state.${s}`) }))}
          style={{ width }}
          aria-label={t('incidents.history.state')}
          data-testid="history-state"
        />
        <Select
          allowClear
          value={filters.kind}
          onChange={(v) => set({ kind: v })}
          placeholder={t('incidents.history.allKinds')}
          options={incidentKinds.map((k) => ({ value: k, label: t(`incidents.kind.${k}`) }))}
          style={{ width: phone ? '100%' : 200 }}
          aria-label={t('incidents.history.kind')}
          data-testid="history-kind"
        />
        <TreeSelect
          allowClear
          value={filters.orgId}
          treeData={tree}
          onChange={(v: number | undefined) => set({ org: v == null ? undefined : String(v) })}
          placeholder={t('incidents.history.allOrgs')}
          {...orgTreeSelectProps}
          style={{ width: phone ? '100%' : 220 }}
          aria-label={t('incidents.history.org')}
          data-testid="history-org"
        />
        {elderId && (
          <Tag closeIcon={<CloseOutlined />} onClose={() => set({ elder: undefined })}>
            {t('incidents.history.elder', { name: elderName ?? `#${elderId}` })}
          </Tag>
        )}
      </Space>
      {history.isError ? (
        <LoadError {...retryOf(history)} />
      ) : (
        <>
          <Typography.Text type="secondary" data-testid="history-total">
            {t('incidents.history.total', { count: history.data?.total ?? 0 })}
          </Typography.Text>
          <IncidentHistoryList
            testId="history-list"
            items={history.data?.items}
            loading={history.isFetching}
            pagination={{
              current: page,
              pageSize: PAGE,
              total: history.data?.total ?? 0,
              onChange: (p) => set({ page: String(p) }),
            }}
          />
        </>
      )}
    </Space>
  );
}

function FollowUpsTab({ now }: { now: number }) {
  const { t } = useTranslation();
  const q = useFollowUps();
  if (q.isError) return <LoadError {...retryOf(q)} />;
  return (
    <Space orientation="vertical" size={8} style={{ width: '100%' }}>
      <Typography.Text type="secondary">{t('incidents.history.followUpHint')}</Typography.Text>
      <IncidentHistoryList
        testId="follow-up-list"
        items={q.data?.items}
        loading={q.isPending}
        followUps
        now={now}
      />
    </Space>
  );
}

/** 历史 / 回访: what happened while nobody was looking, and the follow-ups still owed to elders. */
export function IncidentHistoryPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const phone = !Grid.useBreakpoint().md;
  useLiveEvents();
  const now = useNow(30_000);
  const followUps = useFollowUps();
  const tab = params.get('tab') === 'follow-ups' ? 'follow-ups' : 'history';
  return (
    <Card
      styles={phone ? { body: { padding: 12 } } : undefined}
      title={
        <Space size={8} wrap>
          <Button
            type="text"
            icon={<ArrowLeftOutlined />}
            aria-label={t('incidents.back')}
            onClick={() => navigate('/incidents')}
          />
          {t('incidents.history.title')}
        </Space>
      }
    >
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams(k === 'history' ? {} : { tab: k }, { replace: true })}
        items={[
          { key: 'history', label: t('incidents.history.tab'), children: <HistoryTab /> },
          {
            key: 'follow-ups',
            label: (
              <Space size={6} data-testid="follow-ups-tab">
                {t('incidents.history.followUpsTab')}
                <Badge count={followUps.data?.overdue ?? 0} title={t('incidents.history.overdue')} />
              </Space>
            ),
            children: <FollowUpsTab now={now} />,
          },
        ]}
      />
    </Card>
  );
}
