import type { SQL } from 'drizzle-orm';
import { type Executor, together } from '../../platform/db.ts';
import { eventsInsert } from '../../platform/events.ts';

// The hand-off to the emergency module (issue 5, made durable by decision 0016): the alerts a
// transaction raises are written as `care.silence_alert` events in that same transaction; the incidents
// module's handler (subscribed in wiring.ts) turns them into escalating incidents from the sweeper,
// retried until it succeeds. A handler failure never undoes or loses an alert.

export const SILENCE_ALERT_TOPIC = 'care.silence_alert';

export interface SilenceAlert {
  id: number;
  elderId: number;
  dutyId: number;
  orgPath: string;
  /** daily_silence: no contact by the daily deadline; unreachable: an at-risk elder not reached twice */
  kind: 'daily_silence' | 'unreachable';
  /** the Asia/Shanghai day it concerns */
  day: string;
  raisedAt: Date;
  assigneeId: number | null;
  details: Record<string, unknown>;
}

/** An alert as its event carries it (JSON: the instant as ISO text). */
export type SilenceAlertEvent = Omit<SilenceAlert, 'raisedAt'> & { raisedAt: string };

/**
 * The statement recording a transaction's alerts as events (one multi-row INSERT, for `together`);
 * null when there are none. Each transaction's alerts are handed over together (the 20:00 sweep
 * raises thousands at once), so the receiver can work set-based.
 */
export function silenceAlertsInsert(alerts: SilenceAlert[], now: Date): SQL | null {
  return eventsInsert(SILENCE_ALERT_TOPIC, alerts, now);
}

/** Records alerts as events in the caller's transaction (at most once per duty, kind and day). */
export async function emitSilenceAlerts(tx: Executor, alerts: SilenceAlert[], now: Date): Promise<void> {
  await together(tx, [silenceAlertsInsert(alerts, now)]);
}
