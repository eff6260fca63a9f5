import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Append-only (a trigger refuses UPDATE and DELETE): every write, login and reveal. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    actorId: bigint('actor_id', { mode: 'number' }),
    actorName: text('actor_name'),
    action: text('action').notNull(),
    entity: text('entity'),
    entityId: text('entity_id'),
    /** org path of the record touched, so managers read the log of their own subtree */
    orgPath: text('org_path'),
    ip: text('ip'),
    reason: text('reason'),
    details: jsonb('details'),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at),
    index('audit_log_actor_at_idx').on(t.actorId, t.at),
    index('audit_log_entity_idx').on(t.entity, t.entityId),
    index('audit_log_action_at_idx').on(t.action, t.at),
  ],
);
