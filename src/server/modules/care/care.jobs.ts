import { sql } from 'drizzle-orm';
import type { Condition } from '../../../shared/care.ts';
import { shanghaiDate } from '../../platform/clock.ts';
import { withTx } from '../../platform/db.ts';
import type { SweepJob } from '../../platform/sweeper.ts';
import { publishAlerts, type SilenceAlert } from './alerts.ts';
import * as repo from './care.repo.ts';
import { type Deps, replan } from './care.service.ts';
import * as duties from './duties.repo.ts';
import { refreshAssignees } from './plan.repo.ts';
import { ageCutoff, ageThresholds } from './policy-rules.ts';

// Timers live in the duties table (silence_check_at, paused_until); each sweep claims due rows with
// FOR UPDATE SKIP LOCKED in batches, so several processes never handle one twice, and is idempotent
// (alerts are unique per duty, kind and day).

/**
 * "No news by 20:00": for each daily duty whose deadline has passed, raise a care alert when the elder
 * was not reached that Shanghai day, then move the check to the next deadline.
 */
export async function sweepSilence(deps: Deps, now = deps.clock.now(), limit = 500): Promise<SilenceAlert[]> {
  const raised: SilenceAlert[] = await withTx(deps.db, async (tx) => {
    const { alerts } = await duties.sweepSilenceBatch(tx, now, limit);
    return alerts.map((a) => ({
      id: a.id,
      elderId: a.elder_id,
      dutyId: a.duty_id,
      orgPath: a.org_path,
      kind: 'daily_silence' as const,
      day: a.day,
      raisedAt: now,
      assigneeId: a.assignee_id,
      details: { deadline: a.deadline.toISOString(), deadlineTime: a.deadline_time },
    }));
  });
  await publishAlerts(raised);
  return raised;
}

/** One batch of the silence sweep for the platform sweeper: returns the rows claimed. */
async function silenceBatch(deps: Deps, now: Date, limit: number): Promise<number> {
  const { alerts, claimed } = await withTx(deps.db, (tx) => duties.sweepSilenceBatch(tx, now, limit));
  await publishAlerts(
    alerts.map((a) => ({
      id: a.id,
      elderId: a.elder_id,
      dutyId: a.duty_id,
      orgPath: a.org_path,
      kind: 'daily_silence' as const,
      day: a.day,
      raisedAt: now,
      assigneeId: a.assignee_id,
      details: { deadline: a.deadline.toISOString(), deadlineTime: a.deadline_time },
    })),
  );
  return claimed;
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
 * birthdays crossing an age in the rules), one set-based statement per template over just them.
 */
export async function dailyReplan(deps: Deps, now = deps.clock.now(), since = new Date(now.getTime() - DAY)) {
  return withTx(deps.db, async (tx) => {
    const today = shanghaiDate(now);
    const ages = new Set(
      (await repo.listRules(tx))
        .filter((r) => r.active)
        .flatMap((r) => ageThresholds(r.condition as Condition)),
    );
    const elderIds = await repo.eldersToReplan(
      tx,
      since,
      today,
      [...ages].map((a) => ageCutoff(today, a)),
    );
    return elderIds.length ? replan(tx, now, { elderIds }) : { upserted: 0, closed: 0 };
  });
}

let lastReplanDay = '';
let lastReplanAt: Date | undefined;
const DAY = 86400_000;

/** The care sweeps for the platform sweeper (registered by the care routes plugin). */
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
