import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { elders } from '../elders/elders.schema.ts';
import { incidents } from '../incidents/incidents.schema.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * One-key phones (一键通) and wearables. The secret is kept as is because verifying an HMAC needs it;
 * it is returned once at registration and never again (not in lists, not in logs).
 */
export const devices = pgTable(
  'devices',
  {
    id: text('id').primaryKey(),
    elderId: bigint('elder_id', { mode: 'number' })
      .notNull()
      .references(() => elders.id),
    orgPath: text('org_path').notNull(),
    kind: text('kind').notNull(),
    label: text('label'),
    secret: text('secret').notNull(),
    heartbeatPeriodSeconds: integer('heartbeat_period_seconds').notNull().default(3600),
    lastSeenAt: ts('last_seen_at'),
    /** timer: last heartbeat (or registration) + period; the sweeper raises device_silent when due */
    silentDueAt: ts('silent_due_at'),
    batteryLowAt: ts('battery_low_at'),
    active: boolean('active').notNull().default(true),
    createdBy: bigint('created_by', { mode: 'number' }),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    index('devices_elder_idx').on(t.elderId),
    index('devices_silent_due_idx')
      .on(t.silentDueAt)
      .where(sql`${t.active} AND ${t.silentDueAt} IS NOT NULL`),
    index('devices_org_path_prefix_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
  ],
);

/** Alarm events received (sos, fall, battery_low): the same eventId twice is one event. */
export const deviceEvents = pgTable(
  'device_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    deviceId: text('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    eventId: text('event_id').notNull(),
    kind: text('kind').notNull(),
    at: ts('at').notNull(),
    receivedAt: ts('received_at').notNull(),
    incidentId: bigint('incident_id', { mode: 'number' }).references(() => incidents.id),
  },
  (t) => [uniqueIndex('device_events_device_event_key').on(t.deviceId, t.eventId)],
);
