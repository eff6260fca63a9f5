import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.schema.ts';
import { elders } from '../elders/elders.schema.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** 结对: a carer looks after an elder (1-to-1 or 1-to-many, 分片包干). */
export const carerPairings = pgTable(
  'carer_pairings',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    carerId: bigint('carer_id', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    elderId: bigint('elder_id', { mode: 'number' })
      .notNull()
      .references(() => elders.id, { onDelete: 'cascade' }),
    orgPath: text('org_path').notNull(),
    createdBy: bigint('created_by', { mode: 'number' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('carer_pairings_carer_elder_key').on(t.carerId, t.elderId),
    index('carer_pairings_elder_idx').on(t.elderId),
  ],
);

/** A substitute looks after a carer's elders during leave (dates inclusive, Asia/Shanghai). */
export const carerLeaves = pgTable(
  'carer_leaves',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    carerId: bigint('carer_id', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    substituteId: bigint('substitute_id', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    fromDate: date('from_date', { mode: 'string' }).notNull(),
    toDate: date('to_date', { mode: 'string' }).notNull(),
    reason: text('reason'),
    createdBy: bigint('created_by', { mode: 'number' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('carer_leaves_carer_idx').on(t.carerId, t.toDate)],
);

/** Care policy as data: what a duty is and how often it falls due. */
export const dutyTemplates = pgTable('duty_templates', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  key: text('key').notNull().unique('duty_templates_key_key'),
  name: text('name').notNull(),
  cadence: jsonb('cadence').notNull(),
  channel: text('channel').notNull(),
  /** silence (no contact by the daily deadline, not reached twice) raises a care alert */
  watchSilence: boolean('watch_silence').notNull().default(false),
  /** whose work it is: 'carer' (paired carer, else coordinator) or 'doctor' (the contracted family doctor) */
  assigneeRole: text('assignee_role').notNull().default('carer'),
  /** bumped on every cadence change: re-planning recomputes the windows of duties of older versions */
  version: integer('version').notNull().default(1),
  active: boolean('active').notNull().default(true),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Rules attaching templates to elders by attributes (JSON conditions, shared/care.ts). */
export const policyRules = pgTable(
  'policy_rules',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    key: text('key').notNull().unique('policy_rules_key_key'),
    name: text('name').notNull(),
    templateId: bigint('template_id', { mode: 'number' })
      .notNull()
      .references(() => dutyTemplates.id),
    condition: jsonb('condition').notNull(),
    active: boolean('active').notNull().default(true),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('policy_rules_template_idx').on(t.templateId)],
);

/** An administrator's correction of a computed lunar-holiday date. */
export const holidayOverrides = pgTable(
  'holiday_overrides',
  {
    holiday: text('holiday').notNull(),
    year: integer('year').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.holiday, t.year] })],
);

/**
 * ONE row per elder-duty, never a row per elder per day: the next window, who is to do it and how
 * the last contact went. A worklist is a range scan on (assignee_id, next_due_at).
 */
export const duties = pgTable(
  'duties',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    elderId: bigint('elder_id', { mode: 'number' })
      .notNull()
      .references(() => elders.id, { onDelete: 'cascade' }),
    templateId: bigint('template_id', { mode: 'number' })
      .notNull()
      .references(() => dutyTemplates.id),
    templateVersion: integer('template_version').notNull(),
    orgPath: text('org_path').notNull(),
    /** who does it now: the paired carer, their substitute on leave, or the community's coordinator */
    assigneeId: bigint('assignee_id', { mode: 'number' }).references(() => users.id),
    windowStart: ts('window_start'),
    nextDueAt: ts('next_due_at'),
    lastDoneAt: ts('last_done_at'),
    lastOutcome: text('last_outcome'),
    lastContactId: bigint('last_contact_id', { mode: 'number' }),
    /** consecutive "not reached" since the last time the elder was reached */
    notReachedCount: integer('not_reached_count').notNull().default(0),
    firstNotReachedAt: ts('first_not_reached_at'),
    /**
     * daily deadline (Asia/Shanghai, per elder-duty), and the first deadline instant from which the
     * silence sweep checks this duty (set when planned or when the deadline changes; not moved after)
     */
    deadlineTime: text('deadline_time').notNull().default('20:00'),
    silenceCheckAt: ts('silence_check_at'),
    pausedUntil: ts('paused_until'),
    pauseReason: text('pause_reason'),
    active: boolean('active').notNull().default(true),
    closedAt: ts('closed_at'),
    closedReason: text('closed_reason'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('duties_elder_template_key').on(t.elderId, t.templateId),
    index('duties_worklist_idx').on(t.assigneeId, t.nextDueAt).where(sql`${t.active}`),
    index('duties_sweep_idx').on(t.nextDueAt).where(sql`${t.active}`),
    // the silence sweep checks one deadline group (day, deadline time) at a time
    index('duties_silence_group_idx')
      .on(t.deadlineTime, t.silenceCheckAt)
      .where(sql`${t.active} AND ${t.silenceCheckAt} IS NOT NULL`),
    index('duties_resume_sweep_idx')
      .on(t.pausedUntil)
      .where(sql`${t.active} AND ${t.pausedUntil} IS NOT NULL`),
    index('duties_org_path_prefix_idx').using('btree', sql`${t.orgPath} text_pattern_ops`, t.nextDueAt),
  ],
);

/** 走访/联系台账: append-only; one record per idempotency key of its author. */
export const contacts = pgTable(
  'contacts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    idempotencyKey: text('idempotency_key').notNull(),
    elderId: bigint('elder_id', { mode: 'number' })
      .notNull()
      .references(() => elders.id),
    orgPath: text('org_path').notNull(),
    dutyId: bigint('duty_id', { mode: 'number' }),
    carerId: bigint('carer_id', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    contactedAt: ts('contacted_at').notNull(),
    channel: text('channel').notNull(),
    outcome: text('outcome').notNull(),
    /** the five check areas of the national guidance: { health: 'ok'|'concern', … , notes } */
    checks: jsonb('checks'),
    /** the seeds' 八清楚 */
    eightPoints: jsonb('eight_points'),
    needs: text('needs').array().notNull().default(sql`'{}'::text[]`),
    /** 有异常: what the concern is (required with outcome reached_concern) */
    concern: text('concern'),
    durationMin: integer('duration_min'),
    note: text('note'),
    recordedAt: ts('recorded_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('contacts_idempotency_key').on(t.carerId, t.idempotencyKey),
    index('contacts_elder_at_idx').on(t.elderId, t.contactedAt),
    index('contacts_carer_at_idx').on(t.carerId, t.contactedAt),
    index('contacts_org_path_at_idx').using('btree', sql`${t.orgPath} text_pattern_ops`, t.contactedAt),
  ],
);

/** Silence: a daily contact missed by the deadline, or an at-risk elder not reached twice. */
export const careAlerts = pgTable(
  'care_alerts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    elderId: bigint('elder_id', { mode: 'number' })
      .notNull()
      .references(() => elders.id),
    dutyId: bigint('duty_id', { mode: 'number' })
      .notNull()
      .references(() => duties.id),
    orgPath: text('org_path').notNull(),
    kind: text('kind').notNull(),
    /** the Shanghai day it concerns: one alert per duty, kind and day, however often a sweep runs */
    day: date('day', { mode: 'string' }).notNull(),
    raisedAt: ts('raised_at').notNull(),
    status: text('status').notNull().default('open'),
    details: jsonb('details'),
    acknowledgedBy: bigint('acknowledged_by', { mode: 'number' }),
    acknowledgedAt: ts('acknowledged_at'),
  },
  (t) => [
    uniqueIndex('care_alerts_duty_kind_day_key').on(t.dutyId, t.kind, t.day),
    index('care_alerts_open_idx').using('btree', sql`${t.orgPath} text_pattern_ops`, t.raisedAt),
  ],
);

/**
 * The silence sweep's record of the deadline groups it has checked: one row per Shanghai day and
 * deadline time. The process that inserts the row checks the group in the same transaction, so two
 * processes never check it twice, and a restart checks what is left.
 */
export const silenceChecks = pgTable(
  'silence_checks',
  {
    day: date('day', { mode: 'string' }).notNull(),
    deadlineTime: text('deadline_time').notNull(),
    checkedAt: ts('checked_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.deadlineTime] })],
);
