import type { Executor } from '../../platform/db.ts';
import { devices } from './devices.schema.ts';

/**
 * The devices module's bulk path, for generators (the demo district, the district/city seeds,
 * benchmarks): devices as plain rows in one statement per call, a device id that exists already
 * skipped. No access check, no audit: system use, never reachable from a request (a request registers
 * a device through `registerDevice`). The caller chunks (a few thousand rows) and draws the secrets.
 */
export type DeviceBulkRow = Pick<
  typeof devices.$inferInsert,
  | 'id'
  | 'elderId'
  | 'orgPath'
  | 'kind'
  | 'label'
  | 'secret'
  | 'heartbeatPeriodSeconds'
  | 'lastSeenAt'
  | 'silentDueAt'
  | 'createdAt'
>;

/** Returns how many were written. */
export async function insertDevicesBulk(ex: Executor, list: DeviceBulkRow[]): Promise<number> {
  if (list.length === 0) return 0;
  return (await ex.insert(devices).values(list).onConflictDoNothing().returning({ id: devices.id })).length;
}
