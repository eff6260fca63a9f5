import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { SubjectKind } from './policy.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * The outbox: one row per recipient, channel and step of what the message is about — its subject
 * (`subject_kind`, `subject_id`: an incident, a work order, a campaign …; decision 0017). The unique key
 * (subject, step, attempt, channel, address) is deterministic, so a step fired twice collides instead
 * of messaging twice. Pending rows are delivered by the sweeper (`retry_at` is their timer) with
 * retries and backoff.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** `incident`, `work_order`, `campaign`, `subsidy` (policy.ts) */
    subjectKind: text('subject_kind').$type<SubjectKind>().notNull(),
    subjectId: bigint('subject_id', { mode: 'number' }).notNull(),
    /**
     * The subject again when it is an incident (NULL otherwise; CHECK
     * `notifications_incident_subject_check`), so that an incident's messages go with it: a foreign key
     * to incidents ON DELETE CASCADE, declared in SQL (migrations 0004, 0020) and not here, so this
     * module never imports incidents' tables. Written by the outbox's insert, never by callers.
     */
    incidentId: bigint('incident_id', { mode: 'number' }),
    orgPath: text('org_path').notNull(),
    /** a detail of the subject's own (an incident's ladder step, a reminder's number); 0 when unused */
    stepIndex: integer('step_index').notNull().default(0),
    attempt: integer('attempt').notNull().default(0),
    whom: text('whom').notNull(),
    recipientLabel: text('recipient_label').notNull(),
    recipientUserId: bigint('recipient_user_id', { mode: 'number' }),
    channel: text('channel').notNull(),
    /** phone number, URL, or `user:<id>` for in-app */
    address: text('address').notNull(),
    body: text('body').notNull(),
    /** pending → sent | failed | skipped | cancelled */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    retryAt: ts('retry_at'),
    lastError: text('last_error'),
    sentAt: ts('sent_at'),
    /** sha256 of the one-time acknowledgement token sent in the message (link or code) */
    ackTokenHash: text('ack_token_hash'),
    ackedAt: ts('acked_at'),
    ackReply: text('ack_reply'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    // also serves the reads by subject (list, cancel, "notified as") through its prefix
    uniqueIndex('notifications_subject_step_recipient_key').on(
      t.subjectKind,
      t.subjectId,
      t.stepIndex,
      t.attempt,
      t.channel,
      t.address,
    ),
    index('notifications_retry_due_idx').on(t.retryAt).where(sql`${t.status} = 'pending'`),
    index('notifications_address_recent_idx').on(t.channel, t.address, t.createdAt),
    uniqueIndex('notifications_ack_token_key').on(t.ackTokenHash).where(sql`${t.ackTokenHash} IS NOT NULL`),
    // the incident cascade's lookup
    index('notifications_incident_idx').on(t.incidentId, t.id),
    check(
      'notifications_incident_subject_check',
      sql`${t.incidentId} IS NOT DISTINCT FROM CASE WHEN ${t.subjectKind} = 'incident' THEN ${t.subjectId} END`,
    ),
  ],
);
