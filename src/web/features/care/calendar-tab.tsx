import { Card, Empty, Segmented, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadError, retryOf } from '../../components/load-error.tsx';
import { TIME_ZONE } from '../../lib/i18n.ts';
import { useCalendar } from './care-api.ts';
import type { Duty } from './types.ts';

const color = (key: string) =>
  key.includes('decade')
    ? 'magenta'
    : key.includes('birthday')
      ? 'pink'
      : key.includes('holiday') || key.includes('festival')
        ? 'gold'
        : 'blue';

function byTemplate(items: Duty[]): [string, Duty[]][] {
  const m = new Map<string, Duty[]>();
  for (const d of items) m.set(d.templateKey, [...(m.get(d.templateKey) ?? []), d]);
  return [...m];
}

/** Upcoming birthday, decade-birthday and holiday visits, grouped by the day their window opens. */
export function CalendarTab({ orgId }: { orgId: number }) {
  const { t } = useTranslation();
  const [days, setDays] = useState(60);
  const cal = useCalendar(orgId, days);
  const groups = useMemo(() => {
    const m = new Map<string, Duty[]>();
    for (const d of cal.data?.items ?? []) {
      const at = d.windowStart ?? d.dueAt;
      const day = at ? dayjs(at).tz(TIME_ZONE).format('YYYY-MM-DD') : '—';
      m.set(day, [...(m.get(day) ?? []), d]);
    }
    return [...m].sort(([a], [b]) => a.localeCompare(b));
  }, [cal.data]);

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Segmented<number>
        value={days}
        onChange={setDays}
        options={[30, 60, 120].map((d) => ({ value: d, label: t('care.calendar.next', { count: d }) }))}
      />
      {cal.isError && <LoadError inline {...retryOf(cal)} />}
      {cal.data && groups.length === 0 && <Empty description={t('care.calendar.empty')} />}
      <div data-testid="care-calendar">
        {groups.map(([day, items]) => (
          <Card
            key={day}
            size="small"
            style={{ marginBottom: 8 }}
            title={
              day === '—'
                ? day
                : t('care.calendar.from', {
                    day: dayjs.tz(day, TIME_ZONE).format(t('care.calendar.dayFormat')),
                  })
            }
          >
            {byTemplate(items).map(([key, ds]) => (
              <div key={key} style={{ display: 'flex', gap: 8, alignItems: 'baseline', marginBottom: 4 }}>
                <Tag color={color(key)} style={{ flexShrink: 0 }}>
                  {ds[0].templateName} · {t('care.calendar.people', { count: ds.length })}
                </Tag>
                <Typography.Paragraph
                  style={{ margin: 0, flex: 1, minWidth: 0 }}
                  ellipsis={{ rows: 2, expandable: true, symbol: t('care.calendar.more') }}
                >
                  {ds.map((d) => `${d.elderName}${d.assigneeName ? `（${d.assigneeName}）` : ''}`).join('、')}
                </Typography.Paragraph>
              </div>
            ))}
          </Card>
        ))}
      </div>
    </Space>
  );
}
