import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.schema.ts';
import { orgs } from '../orgs/orgs.schema.ts';

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();

/**
 * The registry (服务对象). `org_path` (community/grid) and `affiliation_path` (原单位) are denormalised
 * from the org tree so scope is one indexed prefix match, and so a sharded Postgres can place every row
 * holding elder data by its org key. Age bands are derived from birth_date at query time, never stored.
 */
export const elders = pgTable(
  'elders',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    orgId: bigint('org_id', { mode: 'number' })
      .notNull()
      .references(() => orgs.id),
    orgPath: text('org_path').notNull(),
    affiliationId: bigint('affiliation_id', { mode: 'number' }).references(() => orgs.id),
    affiliationPath: text('affiliation_path'),
    name: text('name').notNull(),
    namePinyin: text('name_pinyin').notNull(),
    nameInitials: text('name_initials').notNull(),
    gender: text('gender').notNull(),
    idNumber: text('id_number').notNull(),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    phones: text('phones').array().notNull().default(sql`'{}'::text[]`),
    /** last 4 characters of every phone and of the ID number: "find by the last digits" is one GIN lookup */
    searchTails: text('search_tails').array().notNull().default(sql`'{}'::text[]`),
    address: text('address'),
    building: text('building'),
    unit: text('unit'),
    room: text('room'),
    categories: text('categories').array().notNull().default(sql`'{}'::text[]`),
    livingSituation: text('living_situation'),
    difficultyGroups: text('difficulty_groups').array().notNull().default(sql`'{}'::text[]`),
    hearingImpaired: boolean('hearing_impaired').notNull().default(false),
    visionImpaired: boolean('vision_impaired').notNull().default(false),
    mobilityImpaired: boolean('mobility_impaired').notNull().default(false),
    cognitionImpaired: boolean('cognition_impaired').notNull().default(false),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    photoUrl: text('photo_url'),
    status: text('status').notNull().default('active'),
    statusSince: date('status_since', { mode: 'string' }),
    statusReason: text('status_reason'),
    /** a 遗属 points at the deceased cadre they survive */
    survivorOf: bigint('survivor_of', { mode: 'number' }),
    /** the level of the latest ability assessment (0–4), kept with the assessment in one transaction */
    abilityLevel: integer('ability_level'),
    abilityAssessedOn: date('ability_assessed_on', { mode: 'string' }),
    agreementSignedAt: date('agreement_signed_at', { mode: 'string' }),
    note: text('note'),
    createdBy: bigint('created_by', { mode: 'number' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('elders_id_number_key').on(t.idNumber),
    index('elders_org_path_prefix_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
    index('elders_affiliation_path_prefix_idx').using('btree', sql`${t.affiliationPath} text_pattern_ops`),
    index('elders_name_prefix_idx').using('btree', sql`${t.name} text_pattern_ops`),
    index('elders_pinyin_prefix_idx').using('btree', sql`${t.namePinyin} text_pattern_ops`),
    index('elders_initials_prefix_idx').using('btree', sql`${t.nameInitials} text_pattern_ops`),
    index('elders_search_tails_idx').using('gin', t.searchTails),
    index('elders_categories_idx').using('gin', t.categories),
    index('elders_difficulty_groups_idx').using('gin', t.difficultyGroups),
    index('elders_tags_idx').using('gin', t.tags),
    index('elders_status_idx').on(t.status),
    index('elders_living_situation_idx').on(t.livingSituation),
    index('elders_ability_level_idx').on(t.abilityLevel),
    index('elders_birth_date_idx').on(t.birthDate, t.id),
    index('elders_name_sort_idx').on(t.name, t.id),
    index('elders_updated_sort_idx').on(t.updatedAt, t.id),
    index('elders_org_id_idx').on(t.orgId),
    index('elders_survivor_of_idx').on(t.survivorOf),
  ],
);

/**
 * 关爱圈: who to call, in priority order. Kind `carer` rows (user_id = the carer's account) are written
 * by the care-network module's pairing; a carer sees exactly the elders where such a row exists.
 */
export const circleContacts = pgTable(
  'circle_contacts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    elderId: bigint('elder_id', { mode: 'number' })
      .notNull()
      .references(() => elders.id, { onDelete: 'cascade' }),
    orgPath: text('org_path').notNull(),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    relation: text('relation'),
    phones: text('phones').array().notNull().default(sql`'{}'::text[]`),
    priority: integer('priority').notNull().default(0),
    livesNearby: boolean('lives_nearby').notNull().default(false),
    userId: bigint('user_id', { mode: 'number' }).references(() => users.id),
    note: text('note'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('circle_contacts_elder_priority_idx').on(t.elderId, t.priority, t.id),
    index('circle_contacts_user_kind_idx').on(t.userId, t.kind).where(sql`${t.userId} IS NOT NULL`),
    index('circle_contacts_kind_elder_idx').on(t.kind, t.elderId),
  ],
);

export const elderConditions = pgTable(
  'elder_conditions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    elderId: bigint('elder_id', { mode: 'number' })
      .notNull()
      .references(() => elders.id, { onDelete: 'cascade' }),
    orgPath: text('org_path').notNull(),
    name: text('name').notNull(),
    diagnosedOn: date('diagnosed_on', { mode: 'string' }),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [index('elder_conditions_elder_idx').on(t.elderId)],
);

/** An open stay (no discharge date) means the elder is hospitalised; at most one open stay per elder. */
export const hospitalStays = pgTable(
  'hospital_stays',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    elderId: bigint('elder_id', { mode: 'number' })
      .notNull()
      .references(() => elders.id, { onDelete: 'cascade' }),
    orgPath: text('org_path').notNull(),
    hospital: text('hospital').notNull(),
    ward: text('ward'),
    reason: text('reason'),
    admittedOn: date('admitted_on', { mode: 'string' }).notNull(),
    dischargedOn: date('discharged_on', { mode: 'string' }),
    note: text('note'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('hospital_stays_elder_idx').on(t.elderId, t.admittedOn),
    uniqueIndex('hospital_stays_one_open_key').on(t.elderId).where(sql`${t.dischargedOn} IS NULL`),
  ],
);

/** 家庭医生签约: the doctor account sees the elder while the contract runs. */
export const doctorContracts = pgTable(
  'doctor_contracts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    elderId: bigint('elder_id', { mode: 'number' })
      .notNull()
      .references(() => elders.id, { onDelete: 'cascade' }),
    orgPath: text('org_path').notNull(),
    doctorId: bigint('doctor_id', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [
    index('doctor_contracts_elder_idx').on(t.elderId, t.startDate),
    index('doctor_contracts_doctor_idx').on(t.doctorId, t.elderId),
  ],
);

/** One row per elder: green-channel card (绿色通道), home sick-bed (家庭病床), medication notes. */
export const elderHealth = pgTable('elder_health', {
  elderId: bigint('elder_id', { mode: 'number' })
    .primaryKey()
    .references(() => elders.id, { onDelete: 'cascade' }),
  orgPath: text('org_path').notNull(),
  greenCardNo: text('green_card_no'),
  greenCardHospital: text('green_card_hospital'),
  greenCardIssuedOn: date('green_card_issued_on', { mode: 'string' }),
  sickBedProvider: text('sick_bed_provider'),
  sickBedFrom: date('sick_bed_from', { mode: 'string' }),
  sickBedUntil: date('sick_bed_until', { mode: 'string' }),
  sickBedNote: text('sick_bed_note'),
  medicationNotes: text('medication_notes'),
  updatedAt: updatedAt(),
});

export const elderMedications = pgTable(
  'elder_medications',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    elderId: bigint('elder_id', { mode: 'number' })
      .notNull()
      .references(() => elders.id, { onDelete: 'cascade' }),
    orgPath: text('org_path').notNull(),
    name: text('name').notNull(),
    dosage: text('dosage'),
    schedule: text('schedule'),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [index('elder_medications_elder_idx').on(t.elderId)],
);

/** GB/T 42195-2022 assessments: raw item scores kept, the derived level recomputed by the server. History kept. */
export const abilityAssessments = pgTable(
  'ability_assessments',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    elderId: bigint('elder_id', { mode: 'number' })
      .notNull()
      .references(() => elders.id, { onDelete: 'cascade' }),
    orgPath: text('org_path').notNull(),
    standard: text('standard').notNull().default('GB/T 42195-2022'),
    assessedOn: date('assessed_on', { mode: 'string' }).notNull(),
    reason: text('reason').notNull(),
    items: jsonb('items').notNull(),
    factors: jsonb('factors').notNull(),
    assessor1: text('assessor1').notNull(),
    assessor2: text('assessor2').notNull(),
    total: integer('total').notNull(),
    dimensions: jsonb('dimensions').notNull(),
    baseLevel: integer('base_level').notNull(),
    level: integer('level').notNull(),
    adjusted: text('adjusted').array().notNull().default(sql`'{}'::text[]`),
    createdBy: bigint('created_by', { mode: 'number' }),
    createdAt: createdAt(),
  },
  (t) => [index('ability_assessments_elder_idx').on(t.elderId, t.assessedOn, t.id)],
);

/**
 * 健康档案 · 体征: vital signs measured on a visit (a family doctor's), written with the contact in the
 * same transaction through `recordVitalSigns` (health.service.ts). Append-only history.
 */
export const elderVitalSigns = pgTable(
  'elder_vital_signs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    elderId: bigint('elder_id', { mode: 'number' })
      .notNull()
      .references(() => elders.id, { onDelete: 'cascade' }),
    orgPath: text('org_path').notNull(),
    measuredAt: timestamp('measured_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** mmHg */
    systolic: integer('systolic'),
    diastolic: integer('diastolic'),
    /** mmol/L */
    glucose: numeric('glucose', { precision: 4, scale: 1, mode: 'number' }),
    /** kg */
    weight: numeric('weight', { precision: 5, scale: 1, mode: 'number' }),
    contactId: bigint('contact_id', { mode: 'number' }),
    recordedBy: bigint('recorded_by', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index('elder_vital_signs_elder_idx').on(t.elderId, t.measuredAt)],
);
