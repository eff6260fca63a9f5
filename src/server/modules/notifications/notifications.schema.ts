import { sql } from 'drizzle-orm';
import { bigint, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { incidents } from '../incidents/incidents.schema.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * The outbox: one row per recipient, channel and ladder step. The unique key (incident, step, attempt,
 * channel, address) is deterministic, so a step fired twice collides instead of messaging twice.
 * Pending rows are delivered by the sweeper (`retry_at` is their timer) with retries and backoff.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    incidentId: bigint('incident_id', { mode: 'number' }).references(() => incidents.id, {
      onDelete: 'cascade',
    }),
    orgPath: text('org_path').notNull(),
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
    uniqueIndex('notifications_step_recipient_key').on(
      t.incidentId,
      t.stepIndex,
      t.attempt,
      t.channel,
      t.address,
    ),
    index('notifications_retry_due_idx').on(t.retryAt).where(sql`${t.status} = 'pending'`),
    index('notifications_address_recent_idx').on(t.channel, t.address, t.createdAt),
    uniqueIndex('notifications_ack_token_key').on(t.ackTokenHash).where(sql`${t.ackTokenHash} IS NOT NULL`),
    index('notifications_incident_idx').on(t.incidentId, t.id),
  ],
);
