import { z } from 'zod';
import { phoneSchema } from './phone.ts';

// The elder registry contract (issue 3), shared by the server and the web.

export const elderCategories = [
  '离休干部',
  '退休干部',
  '军休干部',
  '无军籍职工',
  '遗属',
  '退休教职工',
  '社区老人',
] as const;
export const livingSituations = ['独居', '空巢', '纯老家庭', '孤老', '留守', '与子女同住', '机构'] as const;
/** 民政部等十部门《关于开展特殊困难老年人探访关爱服务的指导意见》(2022) */
export const difficultyGroups = ['独居', '空巢', '留守', '失能', '重残', '计划生育特殊家庭'] as const;
export const elderStatuses = ['active', 'hospitalised', 'moved_away', 'deceased'] as const;
export const elderStatusLabels: Record<(typeof elderStatuses)[number], { zh: string; en: string }> = {
  active: { zh: '在册', en: 'Active' },
  hospitalised: { zh: '住院', en: 'In hospital' },
  moved_away: { zh: '迁出', en: 'Moved away' },
  deceased: { zh: '去世', en: 'Deceased' },
};
/** `carer` rows are written by the care-network module (pairing), not through the circle API */
export const circleKinds = [
  'relative',
  'unit_contact',
  'community_worker',
  'family_doctor',
  'neighbour_volunteer',
  'carer',
] as const;
export const editableCircleKinds = circleKinds.filter((k) => k !== 'carer') as Exclude<
  (typeof circleKinds)[number],
  'carer'
>[];
export const assessmentReasons = ['首次', '常规', '即时', '复评'] as const;
export const ageBands = ['80+', '90+', '100+'] as const;
export const revealFields = ['idNumber', 'phones', 'circlePhones'] as const;
export const elderSorts = ['name', '-name', 'age', '-age', 'updated', '-updated'] as const;
export const KEY_TAG = '重点关注';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const optText = (max: number) => z.string().trim().max(max, `不超过 ${max} 字`).nullable().optional();
const phone = phoneSchema;
export const idParams = z.object({ id: z.coerce.number().int().positive() });
export const contactParams = z.object({
  id: z.coerce.number().int().positive(),
  contactId: z.coerce.number().int().positive(),
});
export const subParams = z.object({
  id: z.coerce.number().int().positive(),
  subId: z.coerce.number().int().positive(),
});

// ---------- elder ----------

const elderFields = {
  name: z.string().trim().min(1, '姓名不能为空').max(50, '姓名不超过 50 字'),
  gender: z.enum(['M', 'F'], '性别应为 M 或 F').optional(),
  birthDate: date.optional(),
  phones: z.array(phone).max(5, '最多 5 个电话').default([]),
  orgId: z.number().int().positive('请选择所属社区或网格'),
  affiliationId: z.number().int().positive().nullable().optional(),
  address: optText(200),
  building: optText(20),
  unit: optText(20),
  room: optText(20),
  categories: z.array(z.enum(elderCategories, '人员类别不正确')).default([]),
  livingSituation: z.enum(livingSituations, '居住情况不正确').nullable().optional(),
  difficultyGroups: z.array(z.enum(difficultyGroups, '特殊困难类别不正确')).default([]),
  hearingImpaired: z.boolean().default(false),
  visionImpaired: z.boolean().default(false),
  mobilityImpaired: z.boolean().default(false),
  cognitionImpaired: z.boolean().default(false),
  tags: z.array(z.string().trim().min(1).max(20, '标签不超过 20 字')).max(20).default([]),
  photoUrl: optText(500),
  survivorOf: z.number().int().positive().nullable().optional(),
  agreementSignedAt: date.nullable().optional(),
  note: optText(1000),
};

export const createElderBody = z.object({
  ...elderFields,
  idNumber: z.string().trim().min(1, '身份证号不能为空').max(20, '身份证号位数不正确'),
});
export type CreateElderBody = z.infer<typeof createElderBody>;

export const updateElderBody = z.object({
  name: elderFields.name.optional(),
  idNumber: z.string().trim().min(1, '身份证号不能为空').max(20, '身份证号位数不正确').optional(),
  gender: elderFields.gender,
  birthDate: elderFields.birthDate,
  phones: z.array(phone).max(5, '最多 5 个电话').optional(),
  orgId: elderFields.orgId.optional(),
  affiliationId: elderFields.affiliationId,
  address: elderFields.address,
  building: elderFields.building,
  unit: elderFields.unit,
  room: elderFields.room,
  categories: z.array(z.enum(elderCategories, '人员类别不正确')).optional(),
  livingSituation: elderFields.livingSituation,
  difficultyGroups: z.array(z.enum(difficultyGroups, '特殊困难类别不正确')).optional(),
  hearingImpaired: z.boolean().optional(),
  visionImpaired: z.boolean().optional(),
  mobilityImpaired: z.boolean().optional(),
  cognitionImpaired: z.boolean().optional(),
  tags: z.array(z.string().trim().min(1).max(20, '标签不超过 20 字')).max(20).optional(),
  photoUrl: elderFields.photoUrl,
  survivorOf: elderFields.survivorOf,
  agreementSignedAt: elderFields.agreementSignedAt,
  note: elderFields.note,
  status: z.enum(elderStatuses, '状态不正确').optional(),
  statusSince: date.nullable().optional(),
  statusReason: optText(200),
});
export type UpdateElderBody = z.infer<typeof updateElderBody>;

const orgRef = z.object({ id: z.number(), name: z.string() }).nullable();

export const elderListItem = z.object({
  id: z.number(),
  name: z.string(),
  gender: z.enum(['M', 'F']),
  /** masked (`110105********002X`) unless revealed */
  idNumber: z.string(),
  birthDate: z.string(),
  age: z.number(),
  /** masked (`138****5678`) unless revealed */
  phones: z.array(z.string()),
  org: orgRef,
  affiliation: orgRef,
  address: z.string().nullable(),
  building: z.string().nullable(),
  unit: z.string().nullable(),
  room: z.string().nullable(),
  categories: z.array(z.string()),
  livingSituation: z.string().nullable(),
  difficultyGroups: z.array(z.string()),
  hearingImpaired: z.boolean(),
  visionImpaired: z.boolean(),
  mobilityImpaired: z.boolean(),
  cognitionImpaired: z.boolean(),
  tags: z.array(z.string()),
  status: z.enum(elderStatuses),
  /** null when the caller may not see health data */
  abilityLevel: z.number().nullable(),
  updatedAt: z.string(),
});
export type ElderListItem = z.infer<typeof elderListItem>;

export const elderSchema = elderListItem.extend({
  orgPath: z.string(),
  namePinyin: z.string(),
  nameInitials: z.string(),
  photoUrl: z.string().nullable(),
  statusSince: z.string().nullable(),
  statusReason: z.string().nullable(),
  survivorOf: z.number().nullable(),
  abilityAssessedOn: z.string().nullable(),
  agreementSignedAt: z.string().nullable(),
  note: z.string().nullable(),
  /** whether the caller sees health data (conditions, stays, assessments, medications) */
  healthVisible: z.boolean(),
  familyDoctor: z.object({ id: z.number(), name: z.string(), endDate: z.string().nullable() }).nullable(),
  createdAt: z.string(),
  /** e.g. a 15-digit ID number upgraded to 18 characters */
  warnings: z.array(z.string()).optional(),
});
export type Elder = z.infer<typeof elderSchema>;

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
export const elderListQuery = z.object({
  orgId: z.coerce.number().int().positive().optional(),
  category: z.enum(elderCategories).optional(),
  livingSituation: z.enum(livingSituations).optional(),
  difficultyGroup: z.enum(difficultyGroups).optional(),
  ageBand: z.enum(ageBands).optional(),
  abilityLevel: z.coerce.number().int().min(0).max(4).optional(),
  tag: z.string().trim().min(1).optional(),
  status: z.enum(elderStatuses).optional(),
  noCarer: bool.optional(),
  noFamilyDoctor: bool.optional(),
  /** name, pinyin or its initials (prefix), or the last ≥ 4 digits of a phone or the ID number */
  q: z.string().trim().max(50).optional(),
  sort: z.enum(elderSorts).default('name'),
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ElderListQuery = z.infer<typeof elderListQuery>;
export type ElderFilters = Omit<ElderListQuery, 'cursor' | 'limit' | 'sort'> & {
  sort?: ElderListQuery['sort'];
};
export const elderListResponse = z.object({
  items: z.array(elderListItem),
  nextCursor: z.string().nullable(),
});

export const revealBody = z.object({
  field: z.enum(revealFields, '字段应为 idNumber、phones 或 circlePhones'),
  reason: z.string().trim().min(2, '请填写查看原因').max(200, '原因不超过 200 字'),
});
export const revealResponse = z.object({
  field: z.enum(revealFields),
  idNumber: z.string().optional(),
  phones: z.array(z.string()).optional(),
  circlePhones: z.array(z.object({ contactId: z.number(), phones: z.array(z.string()) })).optional(),
});

export const completenessQuery = z.object({ orgId: z.coerce.number().int().positive().optional() });
export const completenessRow = z.object({
  org: z.object({ id: z.number(), name: z.string(), kind: z.string() }),
  elders: z.number(),
  withHealthRecord: z.number(),
  withFamilyDoctor: z.number(),
  withAgreement: z.number(),
  /** shares 0–1 */
  healthRecordShare: z.number(),
  familyDoctorShare: z.number(),
  agreementShare: z.number(),
});
export const completenessResponse = z.object({
  org: z.object({ id: z.number(), name: z.string(), kind: z.string() }).nullable(),
  total: completenessRow.omit({ org: true }),
  rows: z.array(completenessRow),
});

// ---------- circle ----------

export const circleContactSchema = z.object({
  id: z.number(),
  kind: z.enum(circleKinds),
  name: z.string(),
  relation: z.string().nullable(),
  /** masked unless revealed */
  phones: z.array(z.string()),
  priority: z.number(),
  livesNearby: z.boolean(),
  userId: z.number().nullable(),
  note: z.string().nullable(),
});
export type CircleContact = z.infer<typeof circleContactSchema>;
export const circleResponse = z.object({
  items: z.array(circleContactSchema),
  /**
   * the family doctor(s) under a contract running today — part of who is called (the ladders' 家庭医生
   * rung), shown beside the circle; changed through the contract, not here. Phone masked.
   */
  familyDoctors: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      phone: z.string().nullable(),
      endDate: z.string().nullable(),
    }),
  ),
});
export const createCircleContactBody = z.object({
  kind: z.enum(editableCircleKinds, '联系人类型不正确'),
  name: z.string().trim().min(1, '姓名不能为空').max(50, '姓名不超过 50 字'),
  relation: optText(20),
  phones: z.array(phone).max(5, '最多 5 个电话').default([]),
  /** position in call order; appended last when omitted */
  priority: z.number().int().min(0).optional(),
  livesNearby: z.boolean().default(false),
  userId: z.number().int().positive().nullable().optional(),
  note: optText(500),
});
export const updateCircleContactBody = createCircleContactBody
  .omit({ kind: true, phones: true, livesNearby: true })
  .partial()
  .extend({
    phones: z.array(phone).max(5, '最多 5 个电话').optional(),
    livesNearby: z.boolean().optional(),
  });
export const reorderCircleBody = z.object({
  contactIds: z.array(z.number().int().positive()).min(1, '请给出联系人顺序'),
});

// ---------- health ----------

export const conditionSchema = z.object({
  id: z.number(),
  name: z.string(),
  diagnosedOn: z.string().nullable(),
  note: z.string().nullable(),
});
export const createConditionBody = z.object({
  name: z.string().trim().min(1, '疾病名称不能为空').max(50, '疾病名称不超过 50 字'),
  diagnosedOn: date.nullable().optional(),
  note: optText(500),
});

export const hospitalStaySchema = z.object({
  id: z.number(),
  hospital: z.string(),
  ward: z.string().nullable(),
  reason: z.string().nullable(),
  admittedOn: z.string(),
  dischargedOn: z.string().nullable(),
  note: z.string().nullable(),
});
export const createHospitalStayBody = z.object({
  hospital: z.string().trim().min(1, '医院不能为空').max(100, '医院名称不超过 100 字'),
  ward: optText(50),
  reason: optText(200),
  admittedOn: date,
  dischargedOn: date.nullable().optional(),
  note: optText(500),
});
export const dischargeBody = z.object({ dischargedOn: date, note: optText(500) });

export const doctorContractSchema = z.object({
  id: z.number(),
  doctor: z.object({ id: z.number(), name: z.string() }),
  startDate: z.string(),
  endDate: z.string().nullable(),
  note: z.string().nullable(),
});
export const createDoctorContractBody = z.object({
  doctorId: z.number().int().positive('请选择家庭医生'),
  startDate: date,
  endDate: date.nullable().optional(),
  note: optText(500),
});
export const endDoctorContractBody = z.object({ endDate: date });

export const medicationSchema = z.object({
  id: z.number(),
  name: z.string(),
  dosage: z.string().nullable(),
  schedule: z.string().nullable(),
  note: z.string().nullable(),
});
export const createMedicationBody = z.object({
  name: z.string().trim().min(1, '药品名称不能为空').max(100, '药品名称不超过 100 字'),
  dosage: optText(50),
  schedule: optText(50),
  note: optText(500),
});

/** Green-channel card, home sick-bed, medication notes: one record per elder, replaced as a whole. */
export const healthCardSchema = z.object({
  greenCardNo: z.string().nullable(),
  greenCardHospital: z.string().nullable(),
  greenCardIssuedOn: z.string().nullable(),
  sickBedProvider: z.string().nullable(),
  sickBedFrom: z.string().nullable(),
  sickBedUntil: z.string().nullable(),
  sickBedNote: z.string().nullable(),
  medicationNotes: z.string().nullable(),
});
export const putHealthCardBody = z.object({
  greenCardNo: optText(50),
  greenCardHospital: optText(100),
  greenCardIssuedOn: date.nullable().optional(),
  sickBedProvider: optText(100),
  sickBedFrom: date.nullable().optional(),
  sickBedUntil: date.nullable().optional(),
  sickBedNote: optText(500),
  medicationNotes: optText(2000),
});

export const assessmentSchema = z.object({
  id: z.number(),
  standard: z.string(),
  assessedOn: z.string(),
  reason: z.enum(assessmentReasons),
  items: z.record(z.string(), z.number()),
  factors: z.object({
    dementia: z.boolean().optional(),
    mentalDisorder: z.boolean().optional(),
    falls30d: z.number().optional(),
    wanderingOff30d: z.number().optional(),
    choking30d: z.number().optional(),
    selfHarm30d: z.number().optional(),
    coma: z.boolean().optional(),
  }),
  assessor1: z.string(),
  assessor2: z.string(),
  total: z.number(),
  dimensions: z.object({
    selfCare: z.number(),
    mobility: z.number(),
    mental: z.number(),
    perception: z.number(),
  }),
  baseLevel: z.number(),
  level: z.number(),
  levelName: z.string(),
  adjusted: z.array(z.string()),
  createdAt: z.string(),
});
export const createAssessmentBody = z.object({
  assessedOn: date,
  reason: z.enum(assessmentReasons, '评估原因应为 首次、常规、即时 或 复评'),
  items: z.record(z.string(), z.number().int().min(0)),
  dementia: z.boolean().optional(),
  mentalDisorder: z.boolean().optional(),
  falls30d: z.number().int().min(0).optional(),
  wanderingOff30d: z.number().int().min(0).optional(),
  choking30d: z.number().int().min(0).optional(),
  selfHarm30d: z.number().int().min(0).optional(),
  coma: z.boolean().optional(),
  assessor1: z.string().trim().min(1, '请填写第一评估员').max(50),
  assessor2: z.string().trim().min(1, '请填写第二评估员').max(50),
});

/** 体征: measured on a visit (a family doctor's), newest first; blood pressure mmHg, glucose mmol/L, weight kg */
export const vitalSignsRecordSchema = z.object({
  id: z.number(),
  measuredAt: z.string(),
  systolic: z.number().nullable(),
  diastolic: z.number().nullable(),
  glucose: z.number().nullable(),
  weight: z.number().nullable(),
  recordedByName: z.string(),
});

export const healthResponse = z.object({
  conditions: z.array(conditionSchema),
  hospitalStays: z.array(hospitalStaySchema),
  doctorContracts: z.array(doctorContractSchema),
  medications: z.array(medicationSchema),
  card: healthCardSchema,
  assessments: z.array(assessmentSchema),
  vitalSigns: z.array(vitalSignsRecordSchema),
});

// ---------- for the Excel import (src/server/modules/elders/import) ----------

/** One roster row, already parsed and validated by the importer; upserted by ID number. */
export interface ElderImportRecord {
  idNumber: string;
  name: string;
  gender: 'M' | 'F';
  birthDate: string;
  phones: string[];
  /** a community or grid */
  orgId: number;
  affiliationId?: number | null;
  address?: string | null;
  building?: string | null;
  unit?: string | null;
  room?: string | null;
  categories: string[];
  livingSituation?: string | null;
  tags?: string[];
  /** becomes the first relative of the circle, idempotently */
  emergencyContact?: { name: string; relation?: string | null; phones: string[] } | null;
}

/** A row of the export: masked unless the caller may see clear values. */
export interface ElderExportRow {
  id: number;
  name: string;
  gender: 'M' | 'F';
  idNumber: string;
  birthDate: string;
  age: number;
  phones: string[];
  orgName: string | null;
  affiliationName: string | null;
  address: string | null;
  building: string | null;
  unit: string | null;
  room: string | null;
  categories: string[];
  livingSituation: string | null;
  difficultyGroups: string[];
  tags: string[];
  status: string;
  abilityLevel: number | null;
  emergencyContact: { name: string; relation: string | null; phones: string[] } | null;
}
