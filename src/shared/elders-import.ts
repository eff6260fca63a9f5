import { z } from 'zod';
import { elderListQuery } from './elders.ts';

// The Excel import/export contract (issue 3 items 7–8), shared by the server and the web.

export const importFields = [
  'serialNo',
  'name',
  'gender',
  'idNumber',
  'birthDate',
  'phones',
  'livingSituation',
  'categories',
  'community',
  'grid',
  'affiliation',
  'address',
  'building',
  'unit',
  'room',
  'contactName',
  'contactRelation',
  'contactPhone',
  'keyConcern',
  'tags',
] as const;
export type ImportField = (typeof importFields)[number];

export const fieldInfo: Record<ImportField, { zh: string; en: string; aliases: string[] }> = {
  serialNo: { zh: '序号', en: 'No.', aliases: ['序号', '编号', '顺序号', 'no', 'no.'] },
  name: { zh: '姓名', en: 'Name', aliases: ['姓名', '老人姓名', '服务对象', '服务对象姓名', '名字'] },
  gender: { zh: '性别', en: 'Gender', aliases: ['性别'] },
  idNumber: {
    zh: '身份证号',
    en: 'ID number',
    aliases: ['身份证号', '身份证号码', '公民身份号码', '身份证', '证件号码', '身份证件号码', '居民身份证号'],
  },
  birthDate: { zh: '出生日期', en: 'Birth date', aliases: ['出生日期', '出生年月', '出生年月日', '生日'] },
  phones: {
    zh: '联系电话',
    en: 'Phones',
    aliases: ['联系电话', '手机', '电话', '手机号码', '手机号', '联系方式', '本人电话', '固定电话', '座机'],
  },
  livingSituation: {
    zh: '居住情况',
    en: 'Living situation',
    aliases: ['居住情况', '居住状况', '居住状态', '居住类型', '居住方式'],
  },
  categories: {
    zh: '人员类别',
    en: 'Category',
    aliases: ['人员类别', '类别', '人员类型', '老人类别', '身份类别', '类型'],
  },
  community: { zh: '社区', en: 'Community', aliases: ['社区', '所属社区', '社区名称', '居委会', '社区/村'] },
  grid: { zh: '网格', en: 'Grid', aliases: ['网格', '楼组', '所属网格', '网格/楼组'] },
  affiliation: {
    zh: '原单位',
    en: 'Former employer',
    aliases: ['原单位', '原工作单位', '工作单位', '所属单位'],
  },
  address: {
    zh: '地址',
    en: 'Address',
    aliases: ['地址', '住址', '家庭住址', '居住地址', '现住址', '详细地址'],
  },
  building: { zh: '楼号', en: 'Building', aliases: ['楼号', '楼栋', '栋号', '楼栋号', '幢号'] },
  unit: { zh: '单元', en: 'Unit', aliases: ['单元', '单元号'] },
  room: { zh: '室号', en: 'Room', aliases: ['室号', '室', '房号', '门牌号', '房间号'] },
  contactName: {
    zh: '紧急联系人',
    en: 'Emergency contact',
    aliases: ['紧急联系人', '紧急联系人姓名', '联系人', '家属姓名', '监护人'],
  },
  contactRelation: {
    zh: '与本人关系',
    en: 'Relation',
    aliases: ['与本人关系', '关系', '与老人关系', '紧急联系人关系'],
  },
  contactPhone: {
    zh: '紧急联系电话',
    en: 'Emergency phone',
    aliases: ['紧急联系电话', '紧急联系人电话', '联系人电话', '家属电话', '监护人电话'],
  },
  keyConcern: { zh: '重点关注', en: 'Key concern', aliases: ['重点关注', '是否重点关注'] },
  // 备注 lands in tags: the registry has no free-text column to import into, and nothing is dropped
  tags: { zh: '标签', en: 'Tags', aliases: ['标签', '特殊标签', '备注', '说明'] },
};

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const importQuery = z.object({
  /** true (default): check only, write nothing */
  dryRun: bool.default(true),
  /** community or grid for rows without a 社区 cell */
  orgId: z.coerce.number().int().positive().optional(),
  /** JSON `{ "E": "idNumber", "手机号": "phones", "备注": null }`: column letter or header → field; may also come as a multipart field */
  mapping: z.string().max(5000).optional(),
  /** JSON `{ "兴庆社区": 12, "交大二村社区": { "createUnder": 5 }, "老城社区": "default" }`: what to do with each unknown community name (see communityChoice); may also come as a multipart field */
  communities: z.string().max(20000).optional(),
});

/**
 * The answer for one community name the registry does not know: an existing community or grid (its
 * id), "default" (the request's default org), or a new community created under a street on commit.
 */
export const communityChoice = z.union([
  z.number().int().positive(),
  z.literal('default'),
  z.object({ createUnder: z.number().int().positive() }).strict(),
]);
export const communityChoices = z.record(z.string().trim().min(1).max(100), communityChoice);
export type CommunityChoices = z.infer<typeof communityChoices>;

export const importProblem = z.object({
  /** the row number as the spreadsheet shows it */
  row: z.number(),
  /** the column's header text (Chinese) */
  field: z.string(),
  message: z.string(),
  /** the row's 序号 when the sheet has that column */
  serialNo: z.string().optional(),
});
export const importDuplicate = z.object({
  row: z.number(),
  /** the earlier row with the same ID number */
  ofRow: z.number(),
  message: z.string(),
  serialNo: z.string().optional(),
  ofSerialNo: z.string().optional(),
});
export const importColumn = z.object({
  column: z.string(),
  header: z.string(),
  field: z.enum(importFields).nullable(),
  fieldLabel: z.string().nullable(),
});
export const importReport = z.object({
  dryRun: z.boolean(),
  fileName: z.string().nullable(),
  headerRow: z.number(),
  mapping: z.array(importColumn),
  /** data rows (blank and footer lines not counted) */
  total: z.number(),
  /** data rows that will not be imported: total = valid + problemRows */
  problemRows: z.number(),
  /** community names the registry does not know, once per name (not in `invalid`) */
  unknownCommunities: z.array(
    z.object({ name: z.string(), rows: z.number(), firstRows: z.array(z.number()) }),
  ),
  /** communities the import creates (dry run: will create) for names the user chose to create */
  newCommunities: z.array(
    z.object({ name: z.string(), streetId: z.number(), streetName: z.string(), rows: z.number() }),
  ),
  /** rows without problems that are not repeats of an earlier row */
  valid: z.number(),
  /** dry run: valid rows whose ID number is new; commit: elders created */
  created: z.number(),
  /** dry run: valid rows whose ID number is registered already; commit: elders whose data changed */
  updated: z.number(),
  invalid: z.array(importProblem),
  duplicates: z.array(importDuplicate),
  /** valid rows whose ID number is registered already (the import updates those elders) */
  existing: z.array(z.object({ row: z.number(), serialNo: z.string().optional() })),
  /** accepted with a change worth knowing (a 15-digit ID number upgraded) */
  warnings: z.array(importProblem),
});
export type ImportReport = z.infer<typeof importReport>;

export const exportQuery = elderListQuery.omit({ cursor: true, limit: true }).extend({
  /** list: the filtered registry; ledger: the office's 台账 form (title, numbered rows, footer) */
  form: z.enum(['list', 'ledger']).default('list'),
  /** clear ID numbers and phones, for roles that may reveal them; audited with the reason */
  clear: bool.default(false),
  reason: z.string().trim().max(200).optional(),
  /** ledger title; default “<org>特殊困难老年人信息台账” when every elder listed is one, else “<org>老年人信息台账” */
  title: z.string().trim().max(100).optional(),
});
export type ExportQuery = z.infer<typeof exportQuery>;
