// The hand-off to the emergency module (issue 5): care alerts are published after their transaction
// commits, to every registered handler; the incidents module registers one at start-up and turns the
// alert into an escalating incident. A handler failure is logged, never undoes the alert.

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

type Handler = (alerts: SilenceAlert[]) => void | Promise<void>;
const handlers = new Set<Handler>();

/**
 * Registers a handler for new silence alerts; returns a function that unregisters it. The handler
 * gets each transaction's alerts together (the 20:00 sweep raises thousands at once: hand them over
 * in one call, so the receiver can work set-based).
 */
export function onSilenceAlerts(handler: Handler): () => void {
  handlers.add(handler);
  return () => handlers.delete(handler);
}

/** Called after commit with the alerts a transaction raised (at most once per duty, kind and day). */
export async function publishAlerts(alerts: SilenceAlert[], log?: (err: unknown) => void): Promise<void> {
  if (alerts.length === 0) return;
  for (const h of handlers) {
    try {
      await h(alerts);
    } catch (err) {
      log?.(err);
    }
  }
}
