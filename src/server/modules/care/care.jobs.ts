import { sql } from 'drizzle-orm';
import type { Condition } from '../../../shared/care.ts';
import { shanghaiDate } from '../../platform/clock.ts';
import { type Tx, withTx } from '../../platform/db.ts';
import { kickEvents } from '../../platform/events.ts';
import type { SweepDeps, SweepJob } from '../../platform/sweeper.ts';
import { ageCutoff, ageThresholds, eldersWithChangedFacts } from '../elders/elders.match.ts';
import { emitSilenceAlerts, type SilenceAlert } from './alerts.ts';
import * as repo from './care.repo.ts';
import { type Deps, emitPlanChanged, replan } from './care.service.ts';
import * as duties from './duties.repo.ts';
import { refreshAssignees } from './plan.repo.ts';

// Timers live in the duties table (paused_until) and the silence deadlines in deadline groups (one
// `silence_checks` row per Shanghai day and deadline time once checked); sweeps claim their work with
// FOR UPDATE SKIP LOCKED or a marker row, so several processes never handle one twice, and are
// idempotent (alerts are unique per duty, kind and day).

const toAlert = (a: duties.SilenceAlertRow, now: Date): SilenceAlert => ({
  id: a.id,
  elderId: a.elder_id,
  dutyId: a.duty_id,
  orgPath: a.org_path,
  kind: 'daily_silence',
  day: a.day,
  raisedAt: now,
  assigneeId: a.assignee_id,
  details: { deadline: a.deadline.toISOString(), deadlineTime: a.deadline_time },
});

/**
 * "No news by 20:00": each deadline group (Shanghai day × deadline time) whose instant has passed is
 * checked once — a `daily_silence` alert for every elder of the group not reached that day — in its own
 * transaction, its alerts written as events in that transaction and handed over (to the emergency module)
 * after commit. Cost grows with
 * the group's duties (a read and an index probe each), never with the registry; no duty is rewritten.
 * Returns the alerts raised, and how many groups this call checked.
 */
async function checkDueGroups(deps: Deps, now: Date, maxGroups: number) {
  const raised: SilenceAlert[] = [];
  let checked = 0;
  for (const g of (await duties.silenceGroupsDue(deps.db, now)).slice(0, maxGroups)) {
    const mine = await withTx(deps.db, async (tx) => {
      const alerts = await duties.checkSilenceGroup(tx, g, now);
      if (!alerts) return null; // another process checked it
      const these = alerts.map((a) => toAlert(a, now));
      await emitSilenceAlerts(tx, these, now);
      return these;
    });
    if (!mine) continue;
    checked++;
    raised.push(...mine);
  }
  // handed over at once, not at the next sweep; what this does not finish, the events job does
  if (raised.length && 'database' in deps) await kickEvents(deps as unknown as SweepDeps, now);
  return { raised, checked };
}

export async function sweepSilence(
  deps: Deps,
  now = deps.clock.now(),
  maxGroups = 1000,
): Promise<SilenceAlert[]> {
  return (await checkDueGroups(deps, now, maxGroups)).raised;
}

/** One round of the silence sweep for the platform sweeper: returns the groups checked. */
async function silenceBatch(deps: Deps, now: Date, limit: number): Promise<number> {
  return (await checkDueGroups(deps, now, limit)).checked;
}

/** Pauses that have ended: the duties come back with their next window after today. */
export async function sweepResumed(deps: Deps, now = deps.clock.now(), limit = 1000): Promise<number> {
  return withTx(deps.db, async (tx) => {
    const elderIds = await duties.claimResumed(tx, now, limit);
    if (elderIds.length) await replan(tx, now, { elderIds });
    return elderIds.length;
  });
}

/** Leaves that start today or ended yesterday: the carers' duties change hands. */
export async function sweepLeaves(deps: Deps, now = deps.clock.now()): Promise<number> {
  const today = shanghaiDate(now);
  return withTx(deps.db, async (tx) => {
    const carers = await repo.carersWithLeaveChange(tx, today);
    if (!carers.length) return 0;
    return refreshAssignees(
      tx,
      sql`d2.elder_id IN (SELECT elder_id FROM carer_pairings WHERE carer_id = ANY(${repo.idArray(carers)}))`,
      today,
      now,
    );
  });
}

/**
 * The daily re-plan: elders changed since the last run (edits, hospital stays, doctor contracts,
 * birthdays crossing an age in the rules), one set-based statement per template over just them. Every
 * run writes a `care.plan_changed` event in its transaction, so the coverage rollup is refreshed after it
 * (by the reports module, once the event is handed over; decision 0006).
 */
export async function dailyReplan(deps: Deps, now = deps.clock.now(), since = new Date(now.getTime() - DAY)) {
  return withTx(deps.db, async (tx) => {
    const r = await replanChanged(tx, now, since);
    await emitPlanChanged(tx, 'daily', r, now);
    return r;
  });
}

/** The elders changed since `since` (or crossing an age in the rules today), re-planned. */
async function replanChanged(tx: Tx, now: Date, since: Date) {
  const today = shanghaiDate(now);
  const ages = new Set(
    (await repo.listRules(tx))
      .filter((r) => r.active)
      .flatMap((r) => ageThresholds(r.condition as Condition)),
  );
  const elderIds = await eldersWithChangedFacts(
    tx,
    since,
    today,
    [...ages].map((a) => ageCutoff(today, a)),
  );
  return elderIds.length ? replan(tx, now, { elderIds }) : { upserted: 0, closed: 0 };
}

let lastReplanDay = '';
let lastReplanAt: Date | undefined;
const DAY = 86400_000;

/** The care sweeps for the platform sweeper (registered in wiring.ts). */
export const careSweepJobs: SweepJob[] = [
  {
    // once per Shanghai day and process; several processes re-planning the same day is harmless
    name: 'care.replan',
    run: async (deps, now) => {
      const day = shanghaiDate(now);
      if (day === lastReplanDay) return 0;
      const since = lastReplanAt ?? new Date(now.getTime() - DAY);
      lastReplanDay = day;
      lastReplanAt = now;
      await dailyReplan(deps, now, since);
      // the dashboard's figures follow the new plan at once, not at the next 10-minute refresh: the
      // re-plan's event is handed over (to reports, which refreshes the rollup) right after its commit
      await kickEvents(deps, now);
      return 0;
    },
  },
  { name: 'care.silence', run: (deps, now, batch) => silenceBatch(deps, now, batch) },
  { name: 'care.resume', run: (deps, now, batch) => sweepResumed(deps, now, batch) },
  {
    // leaves change hands at most once a day per carer; cheap when nothing starts or ends today
    name: 'care.leaves',
    run: async (deps, now) => {
      await sweepLeaves(deps, now);
      return 0;
    },
  },
];
