import type { Executor } from '../../platform/db.ts';

/**
 * Hand-offs to the care network that did not exist yet when this module was written.
 * HOOK: outcome "taken to hospital" must start the hospital-visit duty (住院必访: visit within N days
 * of admission). Replace the body with a call to the care service's export once it offers one
 * (e.g. `startHospitalVisitDuty(tx, { elderId, admittedOn })`); until then the incident timeline
 * records `hospitalised` and the elder's open hospital stay is the fact the care sweep can read.
 */
export async function startHospitalVisitDuty(
  _tx: Executor,
  _e: { elderId: number; incidentId: number; admittedOn: string },
): Promise<void> {}

/**
 * HOOK: the elder page's "我很好" counts as that day's check-in. Replace with the care service's
 * export (e.g. `recordCheckIn(tx, { elderId, at, channel: 'elder_page' })`) once it exists; until then
 * the tap is kept in `elder_checkins` (one row per elder and Shanghai day).
 */
export async function recordCareCheckIn(_tx: Executor, _e: { elderId: number; at: Date }): Promise<void> {}
