import type { Cadence, Condition } from '../../../shared/care.ts';
import { closedStatuses, type ElderFacts, matches } from '../elders/elders.match.ts';

// A rule's condition is the registry's condition language: the elders module owns the facts and
// their SQL (`elders.match.ts`), which other modules also use to pick target populations.
export {
  ageCutoff,
  ageThresholds,
  closedStatuses,
  compileCondition,
  type ElderFacts,
  type FactColumns,
  matches,
} from '../elders/elders.match.ts';

export function ageOn(birthDate: string, today: string): number {
  // 'YYYY-MM-DD' strings: the years apart, less one before the birthday ('MM-DD' compares as text);
  // asked for every item of every worklist, so no parsing into parts
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

// ---- the default policy: DESIGN.md §4 "tiered visiting" and the seeds ----

export interface TemplateSeed {
  key: string;
  name: string;
  cadence: Cadence;
  /** preferred channel; the carer may still choose another */
  channel: 'phone' | 'home_visit';
  /** silence raises an alert (daily check-ins, at-risk elders) */
  watchSilence: boolean;
  /** a doctor's duty goes to the elder's contracted family doctor (plan.repo.ts); default the carers' */
  assigneeRole?: 'carer' | 'doctor';
}

export interface RuleSeed {
  key: string;
  name: string;
  templateKey: string;
  condition: Condition;
  active: boolean;
}

const alone = ['独居', '孤老'];
const highRiskLiving = ['独居', '孤老', '空巢', '纯老家庭'];
const cadres = ['离休干部', '退休干部', '军休干部'];
/** "priority" tier: disabled, dementia-like ability loss, 计划生育特殊家庭 (DESIGN.md §4) */
const priorityGroups = ['失能', '重残', '计划生育特殊家庭'];
const specialDifficulty = ['独居', '空巢', '留守', '失能', '重残', '计划生育特殊家庭'];

export const defaultTemplates: TemplateSeed[] = [
  {
    key: 'daily_checkin',
    name: '每日问安',
    cadence: { kind: 'daily', windows: [{ start: '08:00', end: '20:00' }] },
    channel: 'phone',
    watchSilence: true,
  },
  {
    key: 'three_asks',
    name: '一日三问',
    cadence: {
      kind: 'daily',
      windows: [
        { start: '08:00', end: '10:00' },
        { start: '13:00', end: '15:00' },
        { start: '18:00', end: '20:00' },
      ],
    },
    channel: 'phone',
    watchSilence: true,
  },
  {
    key: 'weekly_visit',
    name: '每周探访',
    cadence: { kind: 'weekly' },
    channel: 'home_visit',
    watchSilence: true,
  },
  {
    key: 'monthly_visit',
    name: '每月探访',
    cadence: { kind: 'monthly' },
    channel: 'home_visit',
    watchSilence: false,
  },
  {
    key: 'quarterly_visit',
    name: '每季探访',
    cadence: { kind: 'quarterly' },
    channel: 'home_visit',
    watchSilence: false,
  },
  {
    key: 'call_day_10th',
    name: '陪聊日电话（每月10日）',
    cadence: { kind: 'monthly_day', day: 10 },
    channel: 'phone',
    watchSilence: false,
  },
  {
    key: 'doctor_quarterly',
    name: '家庭医生季度上门',
    cadence: { kind: 'quarterly' },
    channel: 'home_visit',
    watchSilence: false,
    assigneeRole: 'doctor',
  },
  {
    key: 'doctor_monthly_call',
    name: '家庭医生每月电话随访',
    cadence: { kind: 'monthly' },
    channel: 'phone',
    watchSilence: false,
    assigneeRole: 'doctor',
  },
  {
    key: 'birthday_visit',
    name: '生日探望',
    cadence: { kind: 'birthday', daysBefore: 3, daysAfter: 3 },
    channel: 'home_visit',
    watchSilence: false,
  },
  {
    key: 'decade_birthday',
    name: '逢十祝寿',
    cadence: { kind: 'decade_birthday', minAge: 80, daysBefore: 7, daysAfter: 7 },
    channel: 'home_visit',
    watchSilence: false,
  },
  {
    key: 'hospital_visit',
    name: '住院必访',
    cadence: { kind: 'hospital', withinDays: 3 },
    channel: 'home_visit',
    watchSilence: false,
  },
  ...(
    [
      ['spring_festival', '春节慰问'],
      ['mid_autumn', '中秋慰问'],
      ['double_ninth', '重阳（老年节）慰问'],
    ] as const
  ).map(([holiday, name]) => ({
    key: `holiday_${holiday}`,
    name,
    cadence: { kind: 'lunar_holiday' as const, holiday, daysBefore: 7, daysAfter: 0 },
    channel: 'home_visit' as const,
    watchSilence: false,
  })),
  {
    key: 'summer_cool',
    name: '夏季送清凉',
    cadence: { kind: 'seasonal', startMonth: 7, endMonth: 8 },
    channel: 'home_visit',
    watchSilence: false,
  },
  {
    key: 'winter_warm',
    name: '冬季送温暖',
    cadence: { kind: 'seasonal', startMonth: 12, endMonth: 2 },
    channel: 'home_visit',
    watchSilence: false,
  },
];

const highRisk: Condition = {
  any: [
    {
      all: [
        { field: 'age', op: 'gte', value: 80 },
        { field: 'livingSituation', op: 'in', values: highRiskLiving },
      ],
    },
    { field: 'abilityLevel', op: 'gte', value: 4 },
  ],
};
const isSpecial: Condition = { field: 'difficultyGroups', op: 'overlaps', values: specialDifficulty };
const isCadre: Condition = { field: 'categories', op: 'overlaps', values: cadres };

export const defaultRules: RuleSeed[] = [
  {
    key: 'alone_80_daily',
    name: '独居且80岁以上：每日问安',
    templateKey: 'daily_checkin',
    condition: {
      all: [
        { field: 'age', op: 'gte', value: 80 },
        { field: 'livingSituation', op: 'in', values: alone },
      ],
    },
    active: true,
  },
  {
    key: 'high_risk_weekly',
    name: '高风险（80岁以上独居/空巢，或完全失能）：每周探访',
    templateKey: 'weekly_visit',
    condition: highRisk,
    active: true,
  },
  {
    key: 'priority_monthly',
    name: '重点（失能、重残、计划生育特殊家庭）：每月探访',
    templateKey: 'monthly_visit',
    condition: { field: 'difficultyGroups', op: 'overlaps', values: priorityGroups },
    active: true,
  },
  {
    key: 'general_quarterly',
    name: '一般：每季探访',
    templateKey: 'quarterly_visit',
    condition: { always: true },
    active: true,
  },
  {
    key: 'cadre_10th',
    name: '离休/退休/军休干部：每月10日陪聊日电话',
    templateKey: 'call_day_10th',
    condition: isCadre,
    active: true,
  },
  {
    key: 'family_doctor_quarterly',
    name: '签约家庭医生：每季度上门',
    templateKey: 'doctor_quarterly',
    condition: { field: 'familyDoctor', op: 'is', value: true },
    active: true,
  },
  {
    key: 'family_doctor_disabled_monthly',
    name: '签约家庭医生且重度以上失能：每月电话随访',
    templateKey: 'doctor_monthly_call',
    condition: {
      all: [
        { field: 'familyDoctor', op: 'is', value: true },
        { field: 'abilityLevel', op: 'gte', value: 3 },
      ],
    },
    active: true,
  },
  {
    key: 'everyone_birthday',
    name: '所有老人：生日探望',
    templateKey: 'birthday_visit',
    condition: { always: true },
    active: true,
  },
  {
    key: 'everyone_decade',
    name: '所有老人：逢十祝寿',
    templateKey: 'decade_birthday',
    condition: { always: true },
    active: true,
  },
  {
    key: 'hospitalised_visit',
    name: '住院：3日内探望',
    templateKey: 'hospital_visit',
    condition: { field: 'hospitalised', op: 'is', value: true },
    active: true,
  },
  ...['holiday_spring_festival', 'holiday_mid_autumn', 'holiday_double_ninth'].map((templateKey) => ({
    key: `${templateKey}_visit`,
    name: '特殊困难老人和离退休干部：节日慰问',
    templateKey,
    condition: { any: [isSpecial, isCadre] } as Condition,
    active: true,
  })),
  {
    key: 'special_summer',
    name: '特殊困难老人：夏季送清凉',
    templateKey: 'summer_cool',
    condition: isSpecial,
    active: true,
  },
  {
    key: 'special_winter',
    name: '特殊困难老人：冬季送温暖',
    templateKey: 'winter_warm',
    condition: isSpecial,
    active: true,
  },
];

/** The template keys a set of rules attaches to one elder (a template attached twice counts once). */
export function templatesFor(rules: RuleSeed[], e: ElderFacts, today: string): string[] {
  if (closedStatuses.includes(e.status)) return [];
  const keys = rules.filter((r) => r.active && matches(r.condition, e, today)).map((r) => r.templateKey);
  return [...new Set(keys)];
}
