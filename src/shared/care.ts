import { z } from 'zod';

// The care network's contract: cadences and policy rules are data an administrator edits, so their
// shapes live here, shared by the server (planning, SQL) and the web (policy editor).

const hhmm = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, '时间格式应为 HH:MM（如 08:00）');
const days = (max: number, dflt: number) => z.number().int().min(0).max(max).default(dflt);

export const lunarHolidays = ['spring_festival', 'mid_autumn', 'double_ninth'] as const;
export const lunarHolidaySchema = z.enum(lunarHolidays);
export type LunarHoliday = z.infer<typeof lunarHolidaySchema>;
export const lunarHolidayNames: Record<LunarHoliday, string> = {
  spring_festival: '春节',
  mid_autumn: '中秋',
  double_ninth: '重阳（老年节）',
};

export const timeWindowSchema = z.object({ start: hhmm, end: hhmm });

/** How often a duty falls due. Every period is one window; a contact inside it fulfils it. */
export const cadenceSchema = z.discriminatedUnion('kind', [
  /** N times a day within windows (一日三问: 08–10, 13–15, 18–20) */
  z.object({ kind: z.literal('daily'), windows: z.array(timeWindowSchema).min(1).max(6) }),
  /** once a week; on one weekday (1 = Monday … 7 = Sunday) or any day Monday–Sunday */
  z.object({ kind: z.literal('weekly'), weekday: z.number().int().min(1).max(7).optional() }),
  /** on day D of every month (陪聊日 = 10th); a day past the month's end means its last day */
  z.object({ kind: z.literal('monthly_day'), day: z.number().int().min(1).max(31) }),
  /** once per calendar month / quarter / year, any day */
  z.object({ kind: z.literal('monthly') }),
  z.object({ kind: z.literal('quarterly') }),
  z.object({ kind: z.literal('yearly') }),
  /** around the birthday; 29 February falls on 28 February in common years */
  z.object({ kind: z.literal('birthday'), daysBefore: days(30, 3), daysAfter: days(30, 3) }),
  /** 逢十祝寿: the birthdays at ages 80, 90, 100 … (every 10 years from minAge) */
  z.object({
    kind: z.literal('decade_birthday'),
    minAge: z.number().int().min(10).max(120).default(80),
    daysBefore: days(60, 7),
    daysAfter: days(60, 7),
  }),
  /** 住院必访: within N days of a hospital admission */
  z.object({ kind: z.literal('hospital'), withinDays: z.number().int().min(1).max(60).default(3) }),
  /** lunar holidays, computed with lunar-javascript, dates overridable */
  z.object({
    kind: z.literal('lunar_holiday'),
    holiday: lunarHolidaySchema,
    daysBefore: days(30, 7),
    daysAfter: days(30, 0),
  }),
  /** seasonal windows, once a season: 送清凉 July–August, 送温暖 December–February (wraps the year) */
  z.object({
    kind: z.literal('seasonal'),
    startMonth: z.number().int().min(1).max(12),
    endMonth: z.number().int().min(1).max(12),
  }),
]);
export type Cadence = z.infer<typeof cadenceSchema>;
export type CadenceKind = Cadence['kind'];

/** Administrator's overrides of computed holiday dates: { mid_autumn: { 2026: '2026-09-25' } } */
export type HolidayOverrides = Partial<Record<LunarHoliday, Record<number, string>>>;

// ---- policy rule conditions (JSON an administrator edits; evaluated in JS and compiled to SQL) ----

export const elderListFields = ['categories', 'difficultyGroups', 'tags'] as const;
export const elderCodeFields = ['livingSituation', 'status'] as const;
/** numeric facts: age in whole years at "today" (Asia/Shanghai); ability level 0 能力完好 … 4 完全失能 */
export const elderNumberFields = ['age', 'abilityLevel'] as const;
export const elderFlagFields = ['familyDoctor', 'hearingImpaired', 'hospitalised'] as const;

export type Condition =
  | { always: true }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { field: (typeof elderNumberFields)[number]; op: 'gte' | 'lt'; value: number }
  | { field: (typeof elderCodeFields)[number]; op: 'in'; values: string[] }
  | { field: (typeof elderListFields)[number]; op: 'overlaps'; values: string[] }
  | { field: (typeof elderFlagFields)[number]; op: 'is'; value: boolean };

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ always: z.literal(true) }),
    z.object({ all: z.array(conditionSchema).min(1) }),
    z.object({ any: z.array(conditionSchema).min(1) }),
    z.object({ not: conditionSchema }),
    z.object({
      field: z.enum(elderNumberFields),
      op: z.enum(['gte', 'lt']),
      value: z.number().int().min(0).max(150),
    }),
    z.object({ field: z.enum(elderCodeFields), op: z.literal('in'), values: z.array(z.string()).min(1) }),
    z.object({
      field: z.enum(elderListFields),
      op: z.literal('overlaps'),
      values: z.array(z.string()).min(1),
    }),
    z.object({ field: z.enum(elderFlagFields), op: z.literal('is'), value: z.boolean() }),
  ]),
);

export const contactChannels = ['phone', 'wechat', 'video', 'home_visit'] as const;
export const contactChannelSchema = z.enum(contactChannels);
export const contactOutcomes = [
  'reached_ok',
  'reached_concern',
  'not_reached_no_answer',
  'not_reached_busy',
  'not_reached_wrong_number',
  'not_reached_away',
  'moved',
  'deceased',
] as const;
export const contactOutcomeSchema = z.enum(contactOutcomes);
export type ContactOutcome = z.infer<typeof contactOutcomeSchema>;
export const isNotReached = (o: string) => o.startsWith('not_reached');
export const isReached = (o: string) => o === 'reached_ok' || o === 'reached_concern';
