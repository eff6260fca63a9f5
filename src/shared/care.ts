import { z } from 'zod';

// The care network's contract: cadences and policy rules are data an administrator edits, so their
// shapes live here, shared by the server (planning, SQL) and the web (policy editor).

const hhmm = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, '时间格式应为 HH:MM（如 08:00）');
const days = (max: number, dflt: number) => z.number().int().min(0).max(max).default(dflt);

export const lunarHolidays = ['spring_festival', 'mid_autumn', 'double_ninth'] as const;
export const lunarHolidaySchema = z.enum(lunarHolidays);
export type LunarHoliday = z.infer<typeof lunarHolidaySchema>;

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
// A recursive schema is a named component of the OpenAPI document (`#/components/schemas/RuleCondition`
// and `RuleConditionInput`): its own $ref must point to something the document contains.
conditionSchema.register(z.globalRegistry, { id: 'RuleCondition' });

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
/** A duty's last outcome when the elder checked in on the 长辈版 page ("我很好"): no carer, no contact row. */
export const SELF_CHECKIN = 'self_checkin';
export const isNotReached = (o: string) => o.startsWith('not_reached');
export const isReached = (o: string) => o === 'reached_ok' || o === 'reached_concern';

// ---- API contract ----

const id = z.coerce.number().int().positive();
const dateStr = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
export const idParam = z.object({ id });

export const templateSchema = z.object({
  id: z.number(),
  key: z.string(),
  name: z.string(),
  cadence: cadenceSchema,
  channel: z.string(),
  watchSilence: z.boolean(),
  /** whose work: the paired carers ('carer') or the elder's contracted family doctor ('doctor') */
  assigneeRole: z.enum(['carer', 'doctor']),
  version: z.number(),
  active: z.boolean(),
});
export const ruleSchema = z.object({
  id: z.number(),
  key: z.string(),
  name: z.string(),
  templateId: z.number(),
  condition: conditionSchema,
  active: z.boolean(),
});
export const policyResponse = z.object({
  templates: z.array(templateSchema),
  rules: z.array(ruleSchema),
  holidays: z.array(
    z.object({ holiday: lunarHolidaySchema, year: z.number(), date: z.string(), overridden: z.boolean() }),
  ),
});
export const updateTemplateBody = z.object({
  name: z.string().trim().min(1, '请输入名称').max(50).optional(),
  cadence: cadenceSchema.optional(),
  channel: z.enum(['phone', 'home_visit']).optional(),
  watchSilence: z.boolean().optional(),
  active: z.boolean().optional(),
});
export const createRuleBody = z.object({
  key: z
    .string()
    .trim()
    .regex(/^[a-z0-9_]{2,50}$/, '规则标识只能包含小写字母、数字和下划线'),
  name: z.string().trim().min(1, '请输入名称').max(100),
  templateId: z.number().int().positive(),
  condition: conditionSchema,
  active: z.boolean().default(true),
});
export const updateRuleBody = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  condition: conditionSchema.optional(),
  active: z.boolean().optional(),
});
export const holidayOverrideBody = z.object({
  holiday: lunarHolidaySchema,
  year: z.number().int().min(2000).max(2100),
  date: dateStr,
});
export const replanResponse = z.object({ upserted: z.number(), closed: z.number() });

export const pairBody = z.object({
  carerId: z.number().int().positive(),
  elderIds: z.array(z.number().int().positive()).min(1, '请选择老人').max(10000).optional(),
  /** a whole grid (or community) in one action: 分片包干 */
  orgId: z.number().int().positive().optional(),
});
export const unpairBody = z.object({
  carerId: z.number().int().positive(),
  elderIds: z.array(z.number().int().positive()).min(1).max(10000),
});
export const reassignBody = z.object({
  fromCarerId: z.number().int().positive(),
  toCarerId: z.number().int().positive(),
});
export const leaveBody = z.object({
  carerId: z.number().int().positive(),
  substituteId: z.number().int().positive(),
  fromDate: dateStr,
  toDate: dateStr,
  reason: z.string().trim().max(200).nullable().optional(),
});
export const pairingResult = z.object({ paired: z.number(), elderIds: z.array(z.number()) });
export const loadQuery = z.object({ orgId: id });
export const loadResponse = z.object({
  carers: z.array(
    z.object({
      carerId: z.number(),
      name: z.string(),
      carerKind: z.string().nullable(),
      elders: z.number(),
      due: z.number(),
      overdue: z.number(),
      overloaded: z.boolean(),
    }),
  ),
  unpaired: z.object({ total: z.number(), items: z.array(z.object({ id: z.number(), name: z.string() })) }),
});

export const dutySchema = z.object({
  id: z.number(),
  elderId: z.number(),
  elderName: z.string(),
  templateKey: z.string(),
  templateName: z.string(),
  channel: z.string(),
  assigneeId: z.number().nullable(),
  assigneeName: z.string().nullable(),
  windowStart: z.string().nullable(),
  dueAt: z.string().nullable(),
  lastDoneAt: z.string().nullable(),
  lastOutcome: z.string().nullable(),
  pausedUntil: z.string().nullable(),
  pauseReason: z.string().nullable(),
  /** the daily "no news by" time (HH:MM, Asia/Shanghai) of a duty the silence sweep watches; else null */
  deadlineTime: z.string().nullable(),
  active: z.boolean(),
  closedReason: z.string().nullable(),
  overdue: z.boolean(),
});
export const dutiesQuery = z.object({
  orgId: id.optional(),
  assigneeId: id.optional(),
  elderId: id.optional(),
  templateKey: z.string().trim().optional(),
  overdue: z.enum(['true', 'false']).optional(),
  includeClosed: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export const dutiesResponse = z.object({ items: z.array(dutySchema) });

/**
 * Why the worklist ranks an elder where it does: a code and, where the reason has one, its number (the
 * age, the ability level 1–4, the count of conditions, the days overdue). The browser words it in the
 * reader's language (worklist.reason.<code>); the server sends no sentences.
 */
export const priorityReasonCodes = [
  'veryOld',
  'age',
  'livesAlone',
  'emptyNest',
  'ability',
  'chronic',
  'hearing',
  'overdue',
  'lastConcern',
  'lastNotReached',
] as const;
export const priorityReason = z.object({ code: z.enum(priorityReasonCodes), n: z.number().optional() });
export type PriorityReason = z.infer<typeof priorityReason>;

export const worklistItem = dutySchema.extend({
  phones: z.array(z.string()),
  address: z.string().nullable(),
  /** the elder's place as people read it: a grid with its community (`湖滨社区 / 第1网格`) */
  orgName: z.string().nullable(),
  age: z.number(),
  score: z.number(),
  reasons: z.array(priorityReason),
  daysOverdue: z.number(),
});
export const worklistResponse = z.object({
  overdue: z.array(worklistItem),
  today: z.array(worklistItem),
  upcoming: z.array(worklistItem),
});

/** 联系关爱圈: the elder's circle in call order with phones in clear, for tel: links (audited as a reveal) */
export const circleToCallResponse = z.object({
  items: z.array(
    z.object({
      id: z.number(),
      kind: z.string(),
      name: z.string(),
      relation: z.string().nullable(),
      phones: z.array(z.string()),
      livesNearby: z.boolean(),
    }),
  ),
});

export const pauseBody = z.object({
  elderId: z.number().int().positive(),
  until: dateStr,
  reason: z.enum(['hospital', 'travelling', 'other']),
  note: z.string().trim().max(200).optional(),
});
export const resumeBody = z.object({ elderId: z.number().int().positive() });
export const deadlineBody = z.object({
  elderId: z.number().int().positive(),
  time: hhmm,
});
export const countResponse = z.object({ count: z.number() });

export const checkAreas = ['health', 'livelihood', 'familySupport', 'safety', 'needs'] as const;
export const eightPoints = [
  'basics',
  'mood',
  'health',
  'difficulties',
  'hobbies',
  'learning',
  'contribution',
  'currentNeeds',
] as const;
const checkValue = z.object({
  status: z.enum(['ok', 'concern']),
  note: z.string().trim().max(500).optional(),
});
/**
 * Vital signs measured on a visit (a family doctor's), written into the health ledger with the contact.
 * Ranges are what a home measurement can plausibly read; outside them it is a typing error.
 */
export const vitalSignsSchema = z
  .object({
    systolic: z
      .number({ error: '收缩压（高压）请输入数字' })
      .int('收缩压（高压）请输入整数')
      .min(60, '收缩压（高压）应在 60–260 mmHg 之间')
      .max(260, '收缩压（高压）应在 60–260 mmHg 之间')
      .optional(),
    diastolic: z
      .number({ error: '舒张压（低压）请输入数字' })
      .int('舒张压（低压）请输入整数')
      .min(30, '舒张压（低压）应在 30–160 mmHg 之间')
      .max(160, '舒张压（低压）应在 30–160 mmHg 之间')
      .optional(),
    glucose: z
      .number({ error: '血糖请输入数字' })
      .min(1, '血糖应在 1.0–35.0 mmol/L 之间')
      .max(35, '血糖应在 1.0–35.0 mmol/L 之间')
      .optional(),
    weight: z
      .number({ error: '体重请输入数字' })
      .min(20, '体重应在 20–200 kg 之间')
      .max(200, '体重应在 20–200 kg 之间')
      .optional(),
  })
  .superRefine((v, c) => {
    if ((v.systolic == null) !== (v.diastolic == null)) {
      const field = v.systolic == null ? 'systolic' : 'diastolic';
      c.addIssue({ code: 'custom', path: [field], message: '血压请同时填写收缩压和舒张压' });
    } else if (v.systolic != null && v.diastolic != null && v.systolic <= v.diastolic) {
      c.addIssue({ code: 'custom', path: ['systolic'], message: '收缩压（高压）应高于舒张压（低压）' });
    }
    if (v.systolic == null && v.glucose == null && v.weight == null) {
      c.addIssue({ code: 'custom', path: [], message: '请至少填写一项体征（血压、血糖或体重）' });
    }
  });

/** 有异常: preset concerns a carer picks (or writes their own) */
export const concernPresets = [
  '身体不适',
  '情绪低落',
  '家中有安全隐患',
  '生活困难',
  '联系不上家属',
  '其他',
] as const;
/** 发现的需求: preset needs besides free text */
export const needPresets = ['配药', '助餐', '维修', '陪诊', '助洁', '助浴', '适老化改造', '其他'] as const;

export const createContactBody = z.object({
  elderId: z.number().int().positive(),
  dutyId: z.number().int().positive().optional(),
  contactedAt: z.iso.datetime({ offset: true }).optional(),
  channel: contactChannelSchema,
  outcome: contactOutcomeSchema,
  checks: z.partialRecord(z.enum(checkAreas), checkValue).optional(),
  eightPoints: z.partialRecord(z.enum(eightPoints), z.string().trim().max(500)).optional(),
  needs: z.array(z.string().trim().min(1).max(200)).max(20).default([]),
  /** 有异常: what the concern is — required with outcome reached_concern */
  concern: z.string().trim().max(500, '异常情况最多 500 字').optional(),
  /** a doctor's visit: blood pressure, glucose, weight into the health ledger (same transaction) */
  vitals: vitalSignsSchema.optional(),
  durationMin: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .optional(),
  note: z.string().trim().max(2000).optional(),
});
export const contactSchema = z.object({
  id: z.number(),
  elderId: z.number(),
  elderName: z.string().optional(),
  dutyId: z.number().nullable(),
  carerId: z.number(),
  carerName: z.string().optional(),
  contactedAt: z.string(),
  channel: z.string(),
  outcome: z.string(),
  checks: z.unknown().nullable(),
  eightPoints: z.unknown().nullable(),
  needs: z.array(z.string()),
  concern: z.string().nullable(),
  durationMin: z.number().nullable(),
  note: z.string().nullable(),
});
export const createContactResponse = contactSchema.extend({
  /** true when the idempotency key had been used: nothing new was stored */
  replayed: z.boolean(),
  alerts: z.array(z.number()),
});
export const contactsQuery = z.object({
  elderId: id.optional(),
  carerId: id.optional(),
  orgId: id.optional(),
  month: z
    .string()
    .regex(/^\d{4}-\d{2}$/, '月份格式应为 YYYY-MM')
    .optional(),
  format: z.enum(['json', 'xlsx']).default('json'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});
export const contactsResponse = z.object({ items: z.array(contactSchema) });

/** The periods the dashboard offers; the rollup (decision 0006) keeps a figure for each. */
export const coveragePeriods = [7, 30, 90] as const;
/** At most this many carers are listed, lowest on-time rate first (a city has a hundred thousand). */
export const coverageCarersLimit = 100;
export const coverageQuery = z.object({
  orgId: id,
  /** days back from today for "visited" (the national target: every special elder within 30 days) */
  period: z.coerce.number().int().min(1).max(366).default(30),
  /**
   * auto: counted live for a small subtree (a community, a grid) or a period the rollup does not keep,
   * else read from the rollup; live / rollup force one (live over a city takes seconds)
   */
  source: z.enum(['auto', 'live', 'rollup']).default('auto'),
});
const coverageFigures = z.object({
  specialTotal: z.number(),
  specialVisited: z.number(),
  share: z.number().nullable(),
  duties: z.number(),
  onTime: z.number(),
  onTimeRate: z.number().nullable(),
});
export const coverageResponse = z.object({
  org: z.object({ id: z.number(), name: z.string(), kind: z.string() }),
  period: z.number(),
  totals: coverageFigures,
  children: z.array(coverageFigures.extend({ orgId: z.number(), name: z.string(), kind: z.string() })),
  byDuty: z.array(
    z.object({
      templateKey: z.string(),
      name: z.string(),
      duties: z.number(),
      onTime: z.number(),
      /** duties nobody holds: a doctor's duty for an elder without a running family-doctor contract */
      unassigned: z.number(),
    }),
  ),
  /** the lowest on-time rates first, at most `coverageCarersLimit` of `carersTotal` */
  byCarer: z.array(
    z.object({ carerId: z.number(), name: z.string(), duties: z.number(), onTime: z.number() }),
  ),
  carersTotal: z.number(),
  /** when the figures were counted: now when live, else the rollup's last refresh */
  asOf: z.string(),
  source: z.enum(['live', 'rollup']),
});
export const calendarQuery = z.object({
  orgId: id,
  days: z.coerce.number().int().min(1).max(366).default(60),
});
export const calendarResponse = z.object({ items: z.array(dutySchema) });

export const alertSchema = z.object({
  id: z.number(),
  elderId: z.number(),
  elderName: z.string(),
  dutyId: z.number(),
  kind: z.enum(['daily_silence', 'unreachable']),
  day: z.string(),
  raisedAt: z.string(),
  status: z.string(),
  details: z.unknown().nullable(),
});
export const alertsQuery = z.object({
  status: z.enum(['open', 'acknowledged', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const alertsResponse = z.object({ items: z.array(alertSchema) });
// ---- 需求转介: needs raised on visits, worked by the coordinator ----

/** open 待处理 → accepted 已受理 → resolved 已办结 | closed 无需处理 */
export const referralStatuses = ['open', 'accepted', 'resolved', 'closed'] as const;
export const referralStatusSchema = z.enum(referralStatuses);
export type ReferralStatus = z.infer<typeof referralStatusSchema>;
export const referralStatusNames: Record<ReferralStatus, string> = {
  open: '待处理',
  accepted: '已受理',
  resolved: '已办结',
  closed: '无需处理',
};
/** the list's status filter: `active` = open and accepted (the default), `all` = every status */
export const referralFilters = ['active', ...referralStatuses, 'all'] as const;

export const referralsQuery = z.object({
  status: z.enum(referralFilters).default('active'),
  orgId: id.optional(),
  elderId: id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export const referralSchema = z.object({
  id: z.number(),
  elderId: z.number(),
  elderName: z.string(),
  need: z.string(),
  status: referralStatusSchema,
  createdAt: z.string(),
  /** the visit it was raised on: who, when, how, and the carer's note */
  contactId: z.number(),
  raisedById: z.number(),
  raisedByName: z.string(),
  contactedAt: z.string(),
  contactChannel: z.string(),
  contactNote: z.string().nullable(),
  handlerId: z.number().nullable(),
  handlerName: z.string().nullable(),
  acceptedAt: z.string().nullable(),
  acceptedById: z.number().nullable(),
  acceptedByName: z.string().nullable(),
  /** when and by whom it was finished: 办结 or 无需处理 */
  resolvedAt: z.string().nullable(),
  resolvedById: z.number().nullable(),
  resolvedByName: z.string().nullable(),
  /** 办理结果 (resolved) or the reason (closed) */
  resolution: z.string().nullable(),
  updatedAt: z.string(),
});
export const referralsResponse = z.object({
  items: z.array(referralSchema),
  /** the offset of the next page, null on the last */
  nextOffset: z.number().nullable(),
  /** the backlog under the same org and elder filters, whatever the status filter */
  counts: z.object({ open: z.number(), accepted: z.number() }),
});
export const referralResponse = z.object({ referral: referralSchema });

/** Every action names the status the client saw: if someone changed it meanwhile, the answer is 409. */
const expectedStatus = z.enum(referralStatuses, { error: '请提供页面上看到的状态（expectedStatus）' });
const handlerId = z.number({ error: '请选择处理人' }).int().positive('请选择处理人');
const requiredText = (name: string) =>
  z
    .string({ error: `请填写${name}` })
    .trim()
    .min(1, `请填写${name}`)
    .max(500, `${name}不能超过 500 字`);

export const acceptReferralBody = z.object({
  expectedStatus,
  /** who works it; the one accepting by default */
  handlerId: handlerId.optional(),
});
export const resolveReferralBody = z.object({ expectedStatus, resolution: requiredText('办理结果') });
export const closeReferralBody = z.object({ expectedStatus, reason: requiredText('无需处理的原因') });
export const assignReferralBody = z.object({ expectedStatus, handlerId });
export const referralHandlersResponse = z.object({
  items: z.array(z.object({ id: z.number(), name: z.string(), role: z.string() })),
});
