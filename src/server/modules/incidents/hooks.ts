import type { Executor } from '../../platform/db.ts';
import { replanElders } from '../care/care.service.ts';
import { recordSelfCheckInAsSystem } from '../care/contacts.service.ts';

/**
 * Outcome "taken to hospital" starts the hospital-visit duty (住院必访): the registry has just opened a
 * stay, and the care network's re-plan of this elder attaches the duty from it (same transaction).
 */
export async function startHospitalVisitDuty(tx: Executor, e: { elderId: number; now: Date }): Promise<void> {
  await replanElders(tx, [e.elderId], e.now);
}

/**
 * The elder page's "我很好" counts as that day's check-in: the care network advances the elder's daily
 * check-in duties (same transaction as the `elder_checkins` row, once per elder and Shanghai day).
 */
export async function recordCareCheckIn(tx: Executor, e: { elderId: number; at: Date }): Promise<void> {
  await recordSelfCheckInAsSystem(tx, e);
}
