import { sql } from 'drizzle-orm';
import { bigint, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.schema.ts';
import { contacts } from '../care/care.schema.ts';
import { elders } from '../elders/elders.schema.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * 需求转介: a need raised on a visit, worked by the coordinator as a ledger entry: open 待处理 →
 * accepted 已受理 → resolved 已办结 (with 办理结果) or closed 无需处理 (with the reason, in `resolution`).
 * `resolved_at/by` say who finished it either way. Work orders (a later issue) hand off from here.
 * Written with the contact that raised the need, in its transaction (`referralsInsert`, the seam with
 * care); the table keeps the name it had inside care, so no migration.
 */
export const careReferrals = pgTable(
  'care_referrals',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    contactId: bigint('contact_id', { mode: 'number' })
      .notNull()
      .references(() => contacts.id),
    elderId: bigint('elder_id', { mode: 'number' })
      .notNull()
      .references(() => elders.id),
    orgPath: text('org_path').notNull(),
    need: text('need').notNull(),
    status: text('status').notNull().default('open'),
    /** the staff member working it (a coordinator in scope); set on acceptance or by reassignment */
    handlerId: bigint('handler_id', { mode: 'number' }).references(() => users.id),
    acceptedAt: ts('accepted_at'),
    acceptedBy: bigint('accepted_by', { mode: 'number' }).references(() => users.id),
    resolvedAt: ts('resolved_at'),
    resolvedBy: bigint('resolved_by', { mode: 'number' }).references(() => users.id),
    /** 办理结果 when resolved, the reason when closed */
    resolution: text('resolution'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    // status first: the working list (open + accepted) reads only the backlog of the org subtree,
    // never the resolved history under it; the count on the tab is an index-only scan
    index('care_referrals_status_path_idx').using(
      'btree',
      t.status,
      sql`${t.orgPath} text_pattern_ops`,
      t.createdAt,
    ),
    index('care_referrals_elder_idx').on(t.elderId, t.createdAt),
  ],
);
