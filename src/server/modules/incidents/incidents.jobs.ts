import type { EventContext } from '../../platform/events.ts';
import { type HubMessage, hubOf } from '../../platform/sse.ts';
import type { SweepJob } from '../../platform/sweeper.ts';
import type { SilenceAlertEvent } from '../care/care.service.ts';
import { sweepLadders } from './escalate.ts';
import { raiseIncidentsInTx } from './raise-incident.ts';

// The incidents module's background work, wired in src/server/wiring.ts: the ladder timers, and the
// hand-off from the care network (its silence alerts become incidents).

/** Due ladder steps; set-based: a batch of 500 due ladders costs a handful of statements (docs/benchmarks.md). */
export const incidentsSweepJobs: SweepJob[] = [{ name: 'incidents.ladders', run: sweepLadders, batch: 500 }];

/**
 * Silence becomes incidents: the care network's alerts (no news by the deadline; not reached), raised or
 * joined set-based in the events' own transaction (so they are marked handed over exactly when the
 * incidents exist), pushed to the consoles once it commits.
 */
export async function silenceAlertsToIncidents(
  alerts: SilenceAlertEvent[],
  ctx: EventContext,
): Promise<void> {
  const push: HubMessage[] = [];
  await raiseIncidentsInTx(
    ctx.tx,
    ctx.deps,
    alerts.map((a) => ({
      elderId: a.elderId,
      kind: a.kind === 'daily_silence' ? ('no_contact_deadline' as const) : ('not_reached' as const),
      source: { careAlertId: a.id, dutyId: a.dutyId, day: a.day },
      summary: a.kind === 'daily_silence' ? `${a.day} 截止时间前未联系上` : '重点老人多次联系不上',
    })),
    ctx.now,
    push,
  );
  ctx.afterCommit(() => hubOf(ctx.deps.database).publish(push));
}
