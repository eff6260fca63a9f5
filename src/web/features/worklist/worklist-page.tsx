import { PhoneOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, Empty, Segmented, Space, Spin, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactOutcome, PriorityReason } from '../../../shared/care.ts';
import { LoadError, retryOf } from '../../components/load-error.tsx';
import { useCurrentUser } from '../../lib/auth.ts';
import { TIME_ZONE } from '../../lib/i18n.ts';
import { useOfflineCopy } from '../../lib/service-worker.ts';
import { ContactSheet } from './contact-sheet.tsx';
import { onContactSynced, startOutboxSync } from './outbox.ts';
import { SyncBar } from './sync-bar.tsx';
import type { Channel, WorklistItem } from './types.ts';
import { useOutbox } from './use-outbox.ts';
import { VisitFormDrawer } from './visit-form.tsx';
import { useWorklist, WORKLIST_PATH, worklistKey } from './worklist-api.ts';

type Tab = 'overdue' | 'today' | 'upcoming';
const tabs: Tab[] = ['overdue', 'today', 'upcoming'];

// the page kept its last worklist here before the service worker did (decision 0005); that copy
// outlived logouts, so it goes
try {
  localStorage.removeItem('carecircle.care.worklist');
} catch {
  // storage disabled: there is no old copy either
}

/** 今日任务: the carer's own elders to call or visit, ranked by priority with the reasons shown. */
export function WorklistPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const me = useCurrentUser();
  const box = useOutbox();
  const [tab, setTab] = useState<Tab | null>(null);
  const [sheet, setSheet] = useState<WorklistItem | null>(null);
  const [full, setFull] = useState<{ item: WorklistItem; channel: Channel; outcome?: ContactOutcome } | null>(
    null,
  );

  // without a connection the list on screen is an older one: the service worker's offline copy (after a
  // reload), or the last list loaded when a refresh has just failed
  const copy = useOfflineCopy(WORKLIST_PATH);
  // while an older list is on screen, ask again sooner
  const list = useWorklist(copy !== undefined ? 10_000 : 60_000);
  const shownAsOf =
    copy !== undefined
      ? copy
      : list.isError && list.data
        ? new Date(list.dataUpdatedAt).toISOString()
        : undefined;

  useEffect(() => {
    startOutboxSync(me.user.id);
    const refresh = () => void qc.invalidateQueries({ queryKey: worklistKey });
    // a page opened without a connection has no "reconnect" for the query cache to notice: ask here, a
    // moment later, as the first requests on a connection that has just come back often still fail
    let later: ReturnType<typeof setTimeout> | undefined;
    const reconnected = () => {
      clearTimeout(later);
      later = setTimeout(refresh, 1500);
    };
    window.addEventListener('online', reconnected);
    const stop = onContactSynced(refresh);
    return () => {
      window.removeEventListener('online', reconnected);
      clearTimeout(later);
      stop();
    };
  }, [qc, me.user.id]);

  const data = list.data;
  // opens on the first tab with work: overdue, then today, then (at night, when the day is done) upcoming
  const current: Tab = tab ?? (data ? (tabs.find((k) => data[k].length > 0) ?? 'today') : 'today');
  const pendingByDuty = useMemo(() => {
    const m = new Map<number, ContactOutcome>();
    for (const i of box.items) if (i.body.dutyId && !i.error) m.set(i.body.dutyId, i.body.outcome);
    return m;
  }, [box.items]);

  const saved = () => {
    setSheet(null);
    setFull(null);
  };

  const items = data?.[current] ?? [];
  return (
    <div style={{ maxWidth: 720, margin: '0 auto' }}>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('worklist.title')}
      </Typography.Title>
      <SyncBar />
      {list.isError && !data && <LoadError inline {...retryOf(list)} />}
      {shownAsOf !== undefined && (
        <Alert
          type="warning"
          showIcon
          data-testid="offline-copy"
          title={
            shownAsOf ? t('worklist.sync.asOf', { time: asOfText(shownAsOf) }) : t('worklist.sync.cached')
          }
          style={{ marginBottom: 12 }}
        />
      )}
      <Segmented<Tab>
        block
        size="large"
        value={current}
        onChange={setTab}
        style={{ marginBottom: 12 }}
        options={tabs.map((k) => ({
          value: k,
          label: (
            <span data-testid={`worklist-tab-${k}`}>
              {t(`worklist.tabs.${k}`)}{' '}
              <Badge
                count={data?.[k].length ?? 0}
                showZero
                style={{
                  backgroundColor: k === 'overdue' ? '#ff4d4f' : k === 'today' ? '#1677ff' : '#8c8c8c',
                }}
                size="small"
              />
            </span>
          ),
        }))}
      />
      {list.isPending && !data ? (
        <Spin style={{ display: 'block', margin: 48 }} />
      ) : items.length === 0 ? (
        <Empty description={t(`worklist.empty.${current}`)} />
      ) : (
        <Space orientation="vertical" size={10} style={{ width: '100%' }} data-testid="worklist-cards">
          {items.map((item) => (
            <WorkCard
              key={item.id}
              item={item}
              pending={pendingByDuty.get(item.id)}
              onOpen={() => setSheet(item)}
            />
          ))}
        </Space>
      )}
      <ContactSheet
        item={sheet}
        onClose={() => setSheet(null)}
        onFullForm={(item, preset) => {
          setSheet(null);
          setFull({ item, ...preset });
        }}
        onSaved={saved}
      />
      <VisitFormDrawer target={full} onClose={() => setFull(null)} onSaved={saved} />
    </div>
  );
}

/** When the list on screen was loaded: HH:mm today, M-D HH:mm before (Asia/Shanghai). */
function asOfText(iso: string): string {
  const at = dayjs(iso).tz(TIME_ZONE);
  return at.format('YYYY-MM-DD') === dayjs().tz(TIME_ZONE).format('YYYY-MM-DD')
    ? at.format('HH:mm')
    : at.format('M-D HH:mm');
}

function dueText(t: (k: string, o?: Record<string, unknown>) => string, item: WorklistItem): string {
  if (item.daysOverdue > 0) return t('worklist.overdueDays', { days: item.daysOverdue });
  if (!item.dueAt) return '';
  const due = dayjs(item.dueAt).tz(TIME_ZONE);
  const today = dayjs().tz(TIME_ZONE).format('YYYY-MM-DD');
  // a deadline at midnight means "by the end of the day before"
  const shown = due.format('HH:mm') === '00:00' ? due.subtract(1, 'minute') : due;
  return shown.format('YYYY-MM-DD') === today
    ? t('worklist.dueToday', { time: shown.format('HH:mm') })
    : t('worklist.dueAt', { time: shown.format(t('worklist.dueDateFormat')) });
}

/** secondary text on the cards: #595959 on white is 7:1 (antd's secondary, 45 % black, is 3.4:1) */
const secondary = '#595959';

function WorkCard({
  item,
  pending,
  onOpen,
}: {
  item: WorklistItem;
  pending: ContactOutcome | undefined;
  onOpen: () => void;
}) {
  const { t } = useTranslation();
  const phone = item.phones[0];
  return (
    <Card
      size="small"
      hoverable
      onClick={onOpen}
      data-testid={`worklist-card-${item.id}`}
      data-elder={item.elderName}
      style={{ borderLeft: `4px solid ${item.daysOverdue > 0 ? '#ff4d4f' : '#1677ff'}` }}
      styles={{ body: { padding: 12 } }}
    >
      <div style={{ display: 'flex', gap: 8, alignItems: 'flex-start' }}>
        <div style={{ flex: 1, minWidth: 0 }}>
          <Space size={6} wrap>
            <Typography.Text strong style={{ fontSize: 18 }}>
              {item.elderName}
            </Typography.Text>
            <Typography.Text>{t('worklist.age', { age: item.age })}</Typography.Text>
            {pending && (
              <Tag color="orange" data-testid="card-pending">
                {t('worklist.pendingTag')} · {t(`worklist.outcomes.${pending}`)}
              </Tag>
            )}
          </Space>
          <div style={{ marginTop: 4, display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 6 }}>
            <Tag color="blue" style={{ marginInlineEnd: 0 }}>
              {item.templateName}
            </Tag>
            <Typography.Text
              type={item.daysOverdue > 0 ? 'danger' : undefined}
              style={{ fontSize: 14, ...(item.daysOverdue > 0 ? {} : { color: secondary }) }}
              data-testid="card-due"
            >
              {dueText(t, item)}
            </Typography.Text>
          </div>
          <div style={{ marginTop: 6, display: 'flex', flexWrap: 'wrap', gap: 4 }} data-testid="card-reasons">
            {item.reasons.map((r) => {
              const text = reasonText(t, r);
              return (
                <Tag key={text} color={isUrgentReason(r) ? 'red' : undefined}>
                  {text}
                </Tag>
              );
            })}
          </div>
          {item.lastOutcome && (
            <Typography.Text style={{ fontSize: 14, color: secondary }} data-testid="card-last">
              {t('worklist.lastOutcome', {
                outcome: t(`worklist.outcomes.${item.lastOutcome}`, { defaultValue: item.lastOutcome }),
              })}
            </Typography.Text>
          )}
          {item.orgName && (
            <Typography.Paragraph
              style={{ fontSize: 14, margin: 0, color: secondary }}
              ellipsis
              data-testid="card-org"
            >
              {item.orgName}
            </Typography.Paragraph>
          )}
          {item.address && (
            <Typography.Paragraph style={{ fontSize: 14, margin: 0, color: secondary }} ellipsis>
              {item.address}
            </Typography.Paragraph>
          )}
        </div>
        <Space orientation="vertical" size={6}>
          {phone ? (
            <Button
              type="primary"
              shape="circle"
              size="large"
              href={`tel:${phone}`}
              icon={<PhoneOutlined />}
              aria-label={`${t('worklist.call')} ${phone}`}
              data-testid={`call-${item.id}`}
              style={{ width: 52, height: 52 }}
              // after the call the outcome sheet is already open
              onClick={(e) => {
                e.stopPropagation();
                onOpen();
              }}
            />
          ) : (
            <Typography.Text style={{ fontSize: 14, color: secondary }}>
              {t('worklist.noPhone')}
            </Typography.Text>
          )}
        </Space>
      </div>
    </Card>
  );
}

/**
 * A ranking reason in the reader's language. A worklist kept offline from before reasons became codes
 * still holds Chinese sentences: those show as they are until the next refresh.
 */
function reasonText(
  t: (k: string, o?: Record<string, unknown>) => string,
  r: PriorityReason | string,
): string {
  if (typeof r === 'string') return r;
  if (r.code === 'ability') return t(`worklist.reason.ability_${r.n}`);
  return t(`worklist.reason.${r.code}`, { n: r.n });
}

function isUrgentReason(r: PriorityReason | string): boolean {
  if (typeof r === 'string') return r.includes('逾期') || r.includes('异常');
  return r.code === 'overdue' || r.code === 'lastConcern';
}
