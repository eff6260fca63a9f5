import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Popconfirm,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Cadence, Condition } from '../../../shared/care.ts';
import { LoadError, retryOf } from '../../components/load-error.tsx';
import { CityConfigNote } from '../layout/city-config-note.tsx';
import { careKey, replanAll, setHoliday, setRuleActive, setTemplateActive, usePolicy } from './care-api.ts';
import type { Policy } from './types.ts';

type Template = Policy['templates'][number];
type Rule = Policy['rules'][number];
type Holiday = Policy['holidays'][number];

/** A rule's condition in words: 年龄 ≥ 80 且 居住情况为 独居 / 困难群体含 低保、特困 / 所有老人 */
export function conditionText(t: TFunction, c: Condition, nested = false): string {
  const field = (f: string) => t(`care.policy.fields.${f}`, { defaultValue: f });
  const group = (list: Condition[], joiner: string) => {
    const text = list.map((x) => conditionText(t, x, true)).join(t(joiner));
    return nested && list.length > 1 ? `（${text}）` : text;
  };
  if ('always' in c) return t('care.policy.cond.always');
  if ('all' in c) return group(c.all, 'care.policy.cond.and');
  if ('any' in c) return group(c.any, 'care.policy.cond.or');
  if ('not' in c) return t('care.policy.cond.not', { x: conditionText(t, c.not, true) });
  switch (c.op) {
    case 'gte':
    case 'lt':
      return t(`care.policy.cond.${c.op}`, { field: field(c.field), value: c.value });
    case 'in':
    case 'overlaps':
      return t(`care.policy.cond.${c.op}`, { field: field(c.field), values: c.values.join('、') });
    case 'is':
      return t(c.value ? 'care.policy.cond.isTrue' : 'care.policy.cond.isFalse', { field: field(c.field) });
  }
}

/** A cadence in words: 每天 08:00–10:00、13:00–15:00 / 每月 10 日 / 生日前 3 天至后 3 天 … */
export function cadenceText(t: TFunction, c: Cadence): string {
  switch (c.kind) {
    case 'daily':
      return t('care.cadence.daily', { windows: c.windows.map((w) => `${w.start}–${w.end}`).join('、') });
    case 'weekly':
      return c.weekday
        ? t('care.cadence.weeklyOn', { day: t(`care.weekdays.${c.weekday}`) })
        : t('care.cadence.weekly');
    case 'monthly_day':
      return t('care.cadence.monthlyDay', { day: c.day });
    case 'birthday':
      return t('care.cadence.birthday', { before: c.daysBefore, after: c.daysAfter });
    case 'decade_birthday':
      return t('care.cadence.decade', { age: c.minAge, before: c.daysBefore, after: c.daysAfter });
    case 'hospital':
      return t('care.cadence.hospital', { days: c.withinDays });
    case 'lunar_holiday':
      return t('care.cadence.lunar', {
        holiday: t(`care.holidays.${c.holiday}`),
        before: c.daysBefore,
        after: c.daysAfter,
      });
    case 'seasonal':
      return t('care.cadence.seasonal', { from: c.startMonth, to: c.endMonth });
    default:
      return t(`care.cadence.${c.kind}`);
  }
}

/**
 * 关爱政策 (administrators): duty templates, the rules that attach them, holiday dates; edits re-plan.
 * `readOnly`: an administrator below the city reads the policy and changes nothing (decision 0013).
 */
export function PolicyTab({ readOnly = false }: { readOnly?: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const policy = usePolicy();
  const replanned = (r: { upserted: number; closed: number }) => {
    void message.success(t('care.policy.replanned', r));
    void qc.invalidateQueries({ queryKey: careKey });
  };
  const onError = (e: Error) => void message.error(e.message);
  const patchTemplate = useMutation({
    mutationFn: ({ id, active }: { id: number; active: boolean }) => setTemplateActive(id, active),
    onSuccess: replanned,
    onError,
  });
  const patchRule = useMutation({
    mutationFn: ({ id, active }: { id: number; active: boolean }) => setRuleActive(id, active),
    onSuccess: replanned,
    onError,
  });
  const holiday = useMutation({
    mutationFn: setHoliday,
    onSuccess: replanned,
    onError,
  });
  const replan = useMutation({
    mutationFn: replanAll,
    onSuccess: replanned,
    onError,
  });
  const templates = policy.data?.templates ?? [];
  const templateName = (id: number) => templates.find((x) => x.id === id)?.name ?? id;

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      {policy.isError && <LoadError inline {...retryOf(policy)} />}
      <Alert type="info" showIcon title={t('care.policy.hint')} />
      {readOnly && <CityConfigNote />}
      <Card
        size="small"
        title={t('care.policy.templates')}
        extra={
          !readOnly && (
            <Popconfirm title={t('care.policy.replanConfirm')} onConfirm={() => replan.mutate()}>
              <Button loading={replan.isPending} data-testid="policy-replan">
                {t('care.policy.replan')}
              </Button>
            </Popconfirm>
          )
        }
      >
        <Table<Template>
          size="small"
          rowKey="id"
          loading={policy.isPending}
          dataSource={templates}
          pagination={false}
          scroll={{ x: 700 }}
          columns={[
            { title: t('care.policy.name'), dataIndex: 'name', width: 160 },
            { title: t('care.policy.cadence'), key: 'c', render: (_, r) => cadenceText(t, r.cadence) },
            {
              title: t('care.ledger.channel'),
              dataIndex: 'channel',
              width: 80,
              render: (v: string) => t(`worklist.channels.${v}`, { defaultValue: v }),
            },
            {
              title: t('care.policy.silence'),
              dataIndex: 'watchSilence',
              width: 90,
              render: (v: boolean) => (v ? <Tag color="red">{t('care.policy.watched')}</Tag> : null),
            },
            {
              title: t('care.policy.active'),
              dataIndex: 'active',
              width: 80,
              render: (v: boolean, r) => (
                <Switch
                  checked={v}
                  disabled={readOnly}
                  data-testid="template-active"
                  loading={patchTemplate.isPending}
                  onChange={(active) => patchTemplate.mutate({ id: r.id, active })}
                />
              ),
            },
          ]}
        />
      </Card>
      <Card size="small" title={t('care.policy.rules')}>
        <Table<Rule>
          size="small"
          rowKey="id"
          loading={policy.isPending}
          dataSource={policy.data?.rules}
          pagination={false}
          scroll={{ x: 700 }}
          columns={[
            { title: t('care.policy.name'), dataIndex: 'name', width: 200 },
            {
              title: t('care.policy.template'),
              dataIndex: 'templateId',
              width: 140,
              render: (v: number) => templateName(v),
            },
            {
              title: t('care.policy.condition'),
              dataIndex: 'condition',
              // in words; the stored JSON (what PUT /api/care/rules takes) on hover, for administrators
              render: (v: Condition) => (
                <Typography.Text title={JSON.stringify(v)} data-testid="rule-condition">
                  {conditionText(t, v)}
                </Typography.Text>
              ),
            },
            {
              title: t('care.policy.active'),
              dataIndex: 'active',
              width: 80,
              render: (v: boolean, r) => (
                <Switch
                  checked={v}
                  disabled={readOnly}
                  data-testid="rule-active"
                  loading={patchRule.isPending}
                  onChange={(active) => patchRule.mutate({ id: r.id, active })}
                />
              ),
            },
          ]}
        />
      </Card>
      <Card size="small" title={t('care.policy.holidayDates')}>
        <Table<Holiday>
          size="small"
          rowKey={(h) => `${h.holiday}-${h.year}`}
          loading={policy.isPending}
          dataSource={policy.data?.holidays}
          pagination={false}
          columns={[
            {
              title: t('care.policy.holiday'),
              dataIndex: 'holiday',
              render: (v: string) => t(`care.holidays.${v}`),
            },
            { title: t('care.policy.year'), dataIndex: 'year', width: 80 },
            {
              title: t('care.policy.date'),
              dataIndex: 'date',
              render: (v: string, h) => (
                <Space>
                  <DatePicker
                    allowClear={false}
                    disabled={readOnly}
                    data-testid="holiday-date"
                    value={dayjs(v)}
                    onChange={(d) =>
                      d && holiday.mutate({ holiday: h.holiday, year: h.year, date: d.format('YYYY-MM-DD') })
                    }
                  />
                  {h.overridden && <Tag color="orange">{t('care.policy.overridden')}</Tag>}
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
