import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db.ts';
import { deviceEvents, devices } from './devices.schema.ts';

export type DeviceRow = typeof devices.$inferSelect;

export async function insertDevice(ex: Executor, d: typeof devices.$inferInsert): Promise<DeviceRow> {
  const [row] = await ex.insert(devices).values(d).returning();
  return row;
}

/** A device by id; with `visible`, only when the caller may see its elder. */
export async function getDevice(ex: Executor, id: string, visible?: SQL): Promise<DeviceRow | undefined> {
  const [row] = await ex
    .select()
    .from(devices)
    .where(and(eq(devices.id, id), visible));
  return row;
}

export async function listDevices(ex: Executor, visible: SQL, elderId?: number): Promise<DeviceRow[]> {
  return ex
    .select()
    .from(devices)
    .where(and(visible, elderId ? eq(devices.elderId, elderId) : undefined))
    .orderBy(asc(devices.createdAt), asc(devices.id));
}

export async function updateDevice(ex: Executor, id: string, patch: Partial<typeof devices.$inferInsert>) {
  const [row] = await ex.update(devices).set(patch).where(eq(devices.id, id)).returning();
  return row;
}

/** A heartbeat (or any event) re-arms the silence timer. */
export async function markSeen(ex: Executor, id: string, at: Date): Promise<void> {
  await ex
    .update(devices)
    .set({
      lastSeenAt: at,
      silentDueAt: sql`${at.toISOString()}::timestamptz + make_interval(secs => ${devices.heartbeatPeriodSeconds})`,
    })
    .where(eq(devices.id, id));
}

/** Records an alarm event once; undefined when this eventId was seen before. */
export async function insertEvent(ex: Executor, e: typeof deviceEvents.$inferInsert) {
  const [row] = await ex.insert(deviceEvents).values(e).onConflictDoNothing().returning();
  return row;
}

export async function findEvent(ex: Executor, deviceId: string, eventId: string) {
  const [row] = await ex
    .select()
    .from(deviceEvents)
    .where(and(eq(deviceEvents.deviceId, deviceId), eq(deviceEvents.eventId, eventId)));
  return row;
}

export async function setEventIncident(ex: Executor, id: number, incidentId: number): Promise<void> {
  await ex.update(deviceEvents).set({ incidentId }).where(eq(deviceEvents.id, id));
}

/** The silence sweep's claim: devices whose heartbeat is overdue. */
export async function claimSilent(ex: Executor, now: Date, limit: number): Promise<DeviceRow[]> {
  return ex
    .select()
    .from(devices)
    .where(and(eq(devices.active, true), sql`${devices.silentDueAt} <= ${now.toISOString()}::timestamptz`))
    .orderBy(asc(devices.silentDueAt))
    .limit(limit)
    .for('update', { skipLocked: true });
}
