import { z } from 'zod';

// 服务目录 and 服务商: the contract of the catalogue (city-wide configuration) and the provider register,
// shared by the server and the web pages. Prices are fen (integers; null is 免费); limits are hours in
// the API (0.25 for a 15-minute 助急 acceptance) and minutes in the database.

export const providerKinds = [
  'enterprise',
  'social_org',
  'medical',
  'volunteer_team',
  'public_service',
] as const;
export const providerKindSchema = z.enum(providerKinds, {
  message: '服务商类型应为企业、社会组织、医疗机构、志愿团队或事业单位',
});
export type ProviderKind = z.infer<typeof providerKindSchema>;
export const providerKindLabels: Record<ProviderKind, string> = {
  enterprise: '企业',
  social_org: '社会组织',
  medical: '医疗机构',
  volunteer_team: '志愿团队',
  public_service: '事业单位',
};

export const providerStatuses = ['active', 'suspended', 'expired'] as const;
export const providerStatusSchema = z.enum(providerStatuses, { message: '状态应为合作中、暂停或已到期' });
export type ProviderStatus = z.infer<typeof providerStatusSchema>;
export const providerStatusLabels: Record<ProviderStatus, string> = {
  active: '合作中',
  suspended: '暂停派单',
  expired: '合同到期',
};

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const id = z.coerce.number().int().positive();
export const idParam = z.object({ id });

const name = (what: string, max: number) =>
  z.string().trim().min(1, `请填写${what}`).max(max, `${what}不超过${max}字`);
const hours = (what: string) =>
  z
    .number({ message: `${what}应为小时数` })
    .positive(`${what}应大于 0`)
    .max(24 * 365, `${what}不超过一年`)
    .refine((h) => Number.isInteger(Math.round(h * 60 * 1000) / 1000), `${what}应精确到分钟`);

export const slaHoursSchema = z.object({
  /** 接单时限 */
  accept: hours('接单时限'),
  /** 上门时限 */
  arrive: hours('上门时限'),
  /** 完成时限 */
  complete: hours('完成时限'),
});

export const categorySchema = z.object({
  id: z.number(),
  name: z.string(),
  sortOrder: z.number(),
  active: z.boolean(),
});

export const itemSchema = z.object({
  id: z.number(),
  categoryId: z.number(),
  name: z.string(),
  unit: z.string(),
  /** 参考价格, fen; null: 免费 */
  priceFen: z.number().nullable(),
  slaHours: z.object({ accept: z.number(), arrive: z.number(), complete: z.number() }),
  /** 回访 within N days of completion */
  followUpDays: z.number(),
  /** the clocks run on working days (weekends and statutory holidays skipped) */
  workingDays: z.boolean(),
  providerKinds: z.array(z.string()),
  /** a service card may pay for it */
  cardPayable: z.boolean(),
  note: z.string().nullable(),
  sortOrder: z.number(),
  active: z.boolean(),
});
export type CatalogueItem = z.infer<typeof itemSchema>;

export const catalogueResponse = z.object({
  categories: z.array(categorySchema.extend({ items: z.array(itemSchema) })),
  /** the caller may edit (a city admin, decision 0013) */
  editable: z.boolean(),
});
export type CatalogueResponse = z.infer<typeof catalogueResponse>;

export const createCategoryBody = z.object({
  name: name('类别名称', 30),
  sortOrder: z.number().int().min(0).max(10000).optional(),
});
export const updateCategoryBody = z.object({
  name: name('类别名称', 30).optional(),
  sortOrder: z.number().int().min(0).max(10000).optional(),
  active: z.boolean().optional(),
});

const itemFields = {
  categoryId: z.number({ message: '请选择服务类别' }).int().positive(),
  name: name('服务项目名称', 50),
  unit: name('计量单位', 10),
  priceFen: z
    .number({ message: '参考价格应为整数（分），免费填 null' })
    .int('参考价格应为整数（分）')
    .min(0, '参考价格不能为负')
    .max(100_000_000, '参考价格过大')
    .nullable(),
  slaHours: slaHoursSchema,
  followUpDays: z.number().int().min(0, '回访天数不能为负').max(365, '回访天数不超过 365'),
  workingDays: z.boolean(),
  providerKinds: z.array(providerKindSchema).min(1, '请至少选择一种可提供该服务的服务商类型').max(5),
  cardPayable: z.boolean(),
  note: z.string().trim().max(200, '备注不超过200字').nullable().optional(),
  sortOrder: z.number().int().min(0).max(100000).optional(),
};
export const createItemBody = z.object(itemFields);
export const updateItemBody = createItemBody.partial().extend({ active: z.boolean().optional() });

export const categoryResponse = z.object({ category: categorySchema });
export const itemResponse = z.object({ item: itemSchema });

// ---------- providers ----------

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

export const providerSchema = z.object({
  id: z.number(),
  name: z.string(),
  kind: z.string(),
  uscc: z.string().nullable(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  contractStart: z.string().nullable(),
  contractEnd: z.string().nullable(),
  status: z.string(),
  capacity: z.number(),
  stars: z.number().nullable(),
  note: z.string().nullable(),
  /** 全市 when an area is the root of the geo tree */
  areas: z.array(z.object({ orgId: z.number(), name: z.string(), kind: z.string() })),
  /** whole categories served */
  categories: z.array(z.object({ categoryId: z.number(), name: z.string() })),
  /** single items served (of categories not served whole) */
  items: z.array(z.object({ itemId: z.number(), categoryId: z.number(), name: z.string() })),
  staff: z.array(z.object({ userId: z.number(), displayName: z.string(), username: z.string() })),
  /** the caller may edit it: an admin whose scope holds every one of its areas */
  editable: z.boolean(),
});
export type Provider = z.infer<typeof providerSchema>;

export const providersQuery = z.object({
  kind: providerKindSchema.optional(),
  status: providerStatusSchema.optional(),
  categoryId: z.coerce.number().int().positive().optional(),
  /** providers whose area covers this org node or lies under it */
  orgId: z.coerce.number().int().positive().optional(),
  q: z.string().trim().max(50).optional(),
});
export const providersResponse = z.object({ items: z.array(providerSchema) });
export const providerResponse = z.object({ provider: providerSchema });

const providerFields = {
  name: name('服务商名称', 60),
  kind: providerKindSchema,
  uscc: z.string().trim().max(30).nullable().optional(),
  contactName: z.string().trim().max(30, '联系人不超过30字').nullable().optional(),
  contactPhone: z.string().trim().max(30, '联系电话不超过30字').nullable().optional(),
  contractStart: date.nullable().optional(),
  contractEnd: date.nullable().optional(),
  status: providerStatusSchema.optional(),
  capacity: z.number().int().min(0, '接单上限不能为负').max(100_000).optional(),
  stars: z.number().int().min(1, '星级为 1–5').max(5, '星级为 1–5').nullable().optional(),
  note: z.string().trim().max(500, '备注不超过500字').nullable().optional(),
  areaOrgIds: z.array(id).min(1, '请至少选择一个服务区域').max(200),
  categoryIds: z.array(id).max(100).optional(),
  itemIds: z.array(id).max(1000).optional(),
};
export const createProviderBody = z.object(providerFields);
export const updateProviderBody = createProviderBody.partial();
export const providerStaffBody = z.object({ userIds: z.array(id).max(500) });

// ---------- import / export ----------

export const catalogueImportQuery = z.object({
  /** true (default): check only, write nothing */
  dryRun: bool.default(true),
});

export const catalogueImportProblem = z.object({
  sheet: z.string(),
  row: z.number(),
  field: z.string(),
  message: z.string(),
});
export type CatalogueImportProblem = z.infer<typeof catalogueImportProblem>;

const sheetReport = z.object({
  sheet: z.string().nullable(),
  headerRow: z.number().nullable(),
  total: z.number(),
  valid: z.number(),
  /** dry run: will create; commit: created */
  created: z.number(),
  /** dry run: exist already and will be updated; commit: updated */
  updated: z.number(),
  problems: z.array(catalogueImportProblem),
});
export const catalogueImportReport = z.object({
  dryRun: z.boolean(),
  categoriesCreated: z.array(z.string()),
  items: sheetReport,
  providers: sheetReport,
});
export type CatalogueImportReport = z.infer<typeof catalogueImportReport>;
