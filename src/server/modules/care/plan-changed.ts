import type { Executor } from '../../platform/db.ts';
import { emitEvents } from '../../platform/events.ts';

// Care re-planned duties by policy — the daily re-plan (the `care.replan` job), or an administrator's
// change of a template, rule or holiday, or 全部重新排班 — and says so with a `care.plan_changed` event
// written in the re-plan's transaction (decision 0016). The reports module's handler (subscribed in
// wiring.ts) refreshes the coverage rollup from it (decision 0006), so the dashboard follows the new plan
// without care calling into reports. One elder's re-plan (a registry edit, a resumed pause) emits
// nothing: the rollup's 10-minute refresh covers it, and a city-wide refresh per edit would not pay.
// The daily job kicks the hand-off after its commit; an administrator's change leaves it to the sweeper
// (within a second), so the request does not wait for a city-wide refresh.

export const PLAN_CHANGED_TOPIC = 'care.plan_changed';

export interface PlanChangedEvent {
  /** 'daily': the care.replan job (every run, as the refresh after it always was); 'policy': an admin's change */
  cause: 'daily' | 'policy';
  /** the re-plan's instant, ISO */
  at: string;
  upserted: number;
  closed: number;
}

/** Records the re-plan as an event in its transaction: it exists if and only if the new plan does. */
export async function emitPlanChanged(
  tx: Executor,
  cause: PlanChangedEvent['cause'],
  r: { upserted: number; closed: number },
  now: Date,
): Promise<void> {
  const e: PlanChangedEvent = { cause, at: now.toISOString(), upserted: r.upserted, closed: r.closed };
  await emitEvents(tx, PLAN_CHANGED_TOPIC, [e], now);
}
