import type { Executor } from '../../platform/db.ts';
import { replanElders } from '../care/care.service.ts';

/**
 * Outcome "taken to hospital" starts the hospital-visit duty (住院必访): the registry has just opened a
 * stay, and the care network's re-plan of this elder attaches the duty from it (same transaction).
 */
export async function startHospitalVisitDuty(tx: Executor, e: { elderId: number; now: Date }): Promise<void> {
  await replanElders(tx, [e.elderId], e.now);
}

/**
 * HOOK: the elder page's "我很好" counts as that day's check-in. The care module has no system
 * export for a check-in yet (its `recordContact` needs a carer's session); until it does, the tap is
 * kept in `elder_checkins` (one row per elder and Shanghai day) and this hook does nothing.
 */
export async function recordCareCheckIn(_tx: Executor, _e: { elderId: number; at: Date }): Promise<void> {}
