import { z } from 'zod';

/**
 * The vocabulary of the entitlement rules (issue 13) that server and web share: ledger entry kinds,
 * units, programme periods, end-of-period rules and the hardship-subsidy states, each with its Chinese
 * name. The rules themselves are in `src/server/modules/welfare/` (ledger, periods, timetable,
 * eligibility-diff, subsidy-state); decision 0020 explains the ledger.
 */

export const entryKinds = ['grant', 'reserve', 'redeem', 'release', 'reverse', 'expire', 'adjust'] as const;
export const entryKindSchema = z.enum(entryKinds);
export type EntryKind = z.infer<typeof entryKindSchema>;

export const entryKindNames: Record<EntryKind, string> = {
  grant: '发放',
  reserve: '预留',
  redeem: '核销',
  release: '释放',
  reverse: '冲正',
  expire: '到期清零',
  adjust: '调整',
};

/**
 * Why an entry was written, beyond its kind: the period close writes `expire` entries that are really
 * carried over or converted, and the next ledger's `grant` says where it came from.
 */
export const entryCauses = ['issue', 'expired', 'carried_over', 'converted'] as const;
export type EntryCause = (typeof entryCauses)[number];

export const entryCauseNames: Record<EntryCause, string> = {
  issue: '按期发放',
  expired: '期末清零',
  carried_over: '结转',
  converted: '转换为其他项目',
};

/** Integer units only: money in fen (分), services in visits (次). */
export const welfareUnits = ['fen', 'visit'] as const;
export type WelfareUnit = (typeof welfareUnits)[number];

/** The amount as an office writes it: 30000 fen → “300.00 元”, 6 visits → “6 次”. */
export function formatUnits(amount: number, unit: WelfareUnit): string {
  if (unit === 'visit') return `${amount} 次`;
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const yuan = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}${yuan}.${String(abs % 100).padStart(2, '0')} 元`;
}

export const periodKinds = ['year', 'quarter', 'month'] as const;
export const periodKindSchema = z.enum(periodKinds);
export type PeriodKind = z.infer<typeof periodKindSchema>;

export const periodKindNames: Record<PeriodKind, string> = { year: '每年', quarter: '每季度', month: '每月' };

/** What happens to what is left on a card when its period ends. */
export const periodEndRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('expire') }),
  z.object({
    kind: z.literal('carry_over'),
    /** at most this many units move to the next period in all; the rest expires (null: no cap) */
    cap: z.number().int('结转上限必须是正整数').positive('结转上限必须是正整数').nullable().optional(),
  }),
  z.object({
    kind: z.literal('convert'),
    /** the programme whose items the rest may pay for (e.g. 其他服务项目 after the cleanings) */
    toProgrammeId: z.number().int('请选择转换到的项目').positive('请选择转换到的项目'),
    /** units of the target programme per unit left (1 visit → 5000 fen); 1 when the units agree */
    rate: z.number().int('折算比例必须是正整数').positive('折算比例必须是正整数'),
  }),
]);
export type PeriodEndRule = z.infer<typeof periodEndRuleSchema>;

export const periodEndRuleNames: Record<PeriodEndRule['kind'], string> = {
  expire: '期末清零',
  carry_over: '结转下期',
  convert: '转换为其他项目',
};

// ---- hardship subsidies (困难补助) ----

export const subsidyStatuses = [
  'draft',
  'submitted',
  'reviewed',
  'approved',
  'disbursed',
  'returned',
  'rejected',
] as const;
export const subsidyStatusSchema = z.enum(subsidyStatuses);
export type SubsidyStatus = z.infer<typeof subsidyStatusSchema>;

export const subsidyStatusNames: Record<SubsidyStatus, string> = {
  draft: '草稿',
  submitted: '待社区审核',
  reviewed: '待街道审批',
  approved: '已批准',
  disbursed: '已发放',
  returned: '已退回',
  rejected: '未通过',
};

export const subsidyActions = ['submit', 'review', 'approve', 'return', 'reject', 'disburse'] as const;
export const subsidyActionSchema = z.enum(subsidyActions);
export type SubsidyAction = z.infer<typeof subsidyActionSchema>;

/** The action as a verb after 不能 (“该申请当前为“已发放”，不能退回”). */
export const subsidyActionNames: Record<SubsidyAction, string> = {
  submit: '提交',
  review: '审核通过',
  approve: '审批通过',
  return: '退回',
  reject: '不予批准',
  disburse: '发放',
};

/** The level of the org a reviewer acts for, from the kind of their scope node. */
export const reviewLevels = ['community', 'street', 'district', 'city'] as const;
export type ReviewLevel = (typeof reviewLevels)[number];

export const reviewLevelNames: Record<ReviewLevel, string> = {
  community: '社区',
  street: '街道',
  district: '区',
  city: '市',
};

/**
 * A programme's optional timetable (e.g. 6 cleanings a year): spread evenly over each period, or on
 * given months (from `day` of the month, 1 by default); a planned date that is not a working day moves
 * to the next one (see `welfare/timetable.ts`).
 */
export const timetableSchema = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('even'),
    count: z.number().int('服务次数必须是整数').min(1, '服务次数至少 1 次').max(366, '服务次数不超过 366 次'),
  }),
  z.object({
    mode: z.literal('months'),
    months: z
      .array(z.number().int('月份应为 1–12').min(1, '月份应为 1–12').max(12, '月份应为 1–12'))
      .min(1, '至少选择一个月份')
      .refine((ms) => new Set(ms).size === ms.length, '月份不能重复'),
    day: z.number().int('日期应为 1–31').min(1, '日期应为 1–31').max(31, '日期应为 1–31').optional(),
  }),
]);
export type Timetable = z.infer<typeof timetableSchema>;
