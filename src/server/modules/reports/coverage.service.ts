import type { z } from 'zod';
import { coveragePeriods, type coverageQuery } from '../../../shared/care.ts';
import { requireAccess } from '../../platform/access.ts';
import { fieldError } from '../../platform/app-error.ts';
import type { Ctx } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import { type Db, type Tx, withTx } from '../../platform/db.ts';
import { orgPathInScope } from '../care/care.service.ts';
import * as repo from './coverage.repo.ts';

export interface Deps {
  db: Db;
  clock: Clock;
}

/**
 * The rollup is refreshed this often by the `reports.coverage` job, and whenever care re-plans by
 * policy (its `care.plan_changed` event, reports.jobs.ts).
 */
export const COVERAGE_REFRESH_MINUTES = 10;
/** A subtree of at most this many elders (a community, a grid) is counted live: fresh and cheap. */
export const COVERAGE_LIVE_MAX_ELDERS = 2000;

const figures = (f: repo.FigureRow | undefined) => {
  const t = f ?? { special_total: 0, special_visited: 0, duties: 0, on_time: 0 };
  return {
    specialTotal: t.special_total,
    specialVisited: t.special_visited,
    share: t.special_total ? t.special_visited / t.special_total : null,
    duties: t.duties,
    onTime: t.on_time,
    onTimeRate: t.duties ? t.on_time / t.duties : null,
  };
};

const sum = (rs: repo.FigureRow[]): repo.FigureRow => ({
  special_total: rs.reduce((s, r) => s + r.special_total, 0),
  special_visited: rs.reduce((s, r) => s + r.special_visited, 0),
  duties: rs.reduce((s, r) => s + r.duties, 0),
  on_time: rs.reduce((s, r) => s + r.on_time, 0),
});

/** Sort order of two rates, the lower first; a missing rate (nothing to count) after every number. */
const worse = (a: number | null, b: number | null) => (a ?? 2) - (b ?? 2);

const isRolledUp = (period: number) => (coveragePeriods as readonly number[]).includes(period);

/**
 * Coverage of an org node and of each child (district → street → community → grid): the share of
 * special-difficulty elders reached in the period (national target 100 % within 30 days) and the
 * share of the duties that have come due not overdue, by duty and by carer; children and duties are
 * listed worst first, like the carers.
 *
 * A district or a city reads the rollup (decision 0006: one row per node, so the cost is the number
 * of children, not of elders) and says when it was computed; a small subtree, or a period the rollup
 * does not keep, is counted live through the org-path prefix indexes.
 */
export async function coverage(deps: Deps, ctx: Ctx, q: z.infer<typeof coverageQuery>) {
  requireAccess(ctx, 'care.manage');
  const o = await orgPathInScope(deps.db, ctx, q.orgId);
  if (q.source === 'rollup' && !isRolledUp(q.period)) {
    throw fieldError(
      'period',
      `汇总数据只统计近 ${coveragePeriods.join('、')} 天；其他天数请实时统计`,
      `The rollup keeps ${coveragePeriods.join(', ')} days only; count other periods live`,
    );
  }
  const live =
    q.source === 'live' ||
    (q.source === 'auto' &&
      (!isRolledUp(q.period) || (await repo.subtreeAtMost(deps.db, o.path, COVERAGE_LIVE_MAX_ELDERS))));
  const children = await repo.childrenOf(deps.db, q.orgId);
  const now = deps.clock.now();
  const f = live
    ? await countLive(deps, o.path, now, q.period)
    : await readRollup(deps, q.orgId, children, now, q.period);
  return {
    org: { id: q.orgId, name: o.name, kind: o.kind },
    period: q.period,
    totals: figures(f.self),
    // worst first: the lowest visited share, then the lowest on-time rate (nothing to count: last)
    children: children
      .map((c) => ({ orgId: c.id, name: c.name, kind: c.kind, ...figures(f.byChild.get(c.id)) }))
      .sort((a, b) => worse(a.share, b.share) || worse(a.onTimeRate, b.onTimeRate)),
    byDuty: f.byDuty
      .map((d) => ({
        templateKey: d.key,
        name: d.name,
        duties: d.duties,
        onTime: d.on_time,
        unassigned: d.unassigned,
      }))
      .sort((a, b) => worse(a.onTime / a.duties, b.onTime / b.duties) || b.duties - a.duties),
    byCarer: f.byCarer.map((c) => ({ carerId: c.id, name: c.name, duties: c.duties, onTime: c.on_time })),
    carersTotal: f.carersTotal,
    asOf: f.asOf.toISOString(),
    source: live ? ('live' as const) : ('rollup' as const),
  };
}

interface Counted {
  asOf: Date;
  self: repo.FigureRow | undefined;
  byChild: Map<number, repo.FigureRow>;
  byDuty: repo.DutyFigureRow[];
  byCarer: Omit<repo.CarerFigureRow, 'total'>[];
  carersTotal: number;
}

async function countLive(deps: Deps, path: string, now: Date, period: number): Promise<Counted> {
  const perChild = await repo.liveByChild(deps.db, path, now, period);
  const byCarer = await repo.liveByCarer(deps.db, path, now);
  return {
    asOf: now,
    self: sum(perChild),
    byChild: new Map(perChild.filter((r) => r.child !== '').map((r) => [Number(r.child), r])),
    byDuty: await repo.liveByDuty(deps.db, path, now),
    byCarer,
    carersTotal: byCarer[0]?.total ?? 0,
  };
}

async function readRollup(
  deps: Deps,
  orgId: number,
  children: { id: number }[],
  now: Date,
  period: number,
): Promise<Counted> {
  // never zeros as if real: before the first refresh (a fresh install), compute it now
  const asOf = (await repo.rollupComputedAt(deps.db)) ?? (await ensureRollup(deps, now));
  const nodes = await repo.rollupOf(deps.db, [orgId, ...children.map((c) => c.id)], period);
  const self = nodes.find((n) => n.org_id === orgId);
  return {
    asOf,
    self,
    byChild: new Map(nodes.map((n) => [n.org_id, n])),
    byDuty: await repo.rollupByDuty(deps.db, orgId),
    byCarer: await repo.rollupByCarer(deps.db, orgId),
    carersTotal: self?.carers ?? 0,
  };
}

/** The first refresh, by whichever request comes first; the others wait for it and read its result. */
async function ensureRollup(deps: Deps, now: Date): Promise<Date> {
  await refreshCoverageRollup(deps, now, { when: 'missing' });
  const at = await repo.rollupComputedAt(deps.db);
  if (!at) throw new Error('coverage rollup missing after its refresh');
  return at;
}

/**
 * Recomputes the rollup as of `now` in one transaction (readers see the old figures until it commits),
 * set-based: one pass over the open duties and the special elders into a temporary table, then one
 * statement per rollup table writing what changed. `when`: 'always'; 'stale' — unless refreshed within the refresh interval, and
 * never waiting for a refresh running elsewhere (the sweeper's job); 'missing' — only if never computed,
 * waiting for one running elsewhere. Returns the milliseconds it took, or null when it did nothing.
 */
export async function refreshCoverageRollup(
  deps: Pick<Deps, 'db'>,
  now: Date,
  opts: { when: 'always' | 'stale' | 'missing' } = { when: 'always' },
): Promise<number | null> {
  return withTx(deps.db, (tx) => refreshCoverageRollupIn(tx, now, opts));
}

/**
 * The same refresh in the caller's transaction: the hand-off of care's `care.plan_changed` events, so
 * the new figures commit with the events marked done (or neither, and the events are retried).
 */
export async function refreshCoverageRollupIn(
  tx: Tx,
  now: Date,
  opts: { when: 'always' | 'stale' | 'missing' } = { when: 'always' },
): Promise<number | null> {
  if (!(await repo.lockRollup(tx, opts.when !== 'stale'))) return null;
  const last = await repo.rollupComputedAt(tx);
  if (opts.when === 'missing' && last) return null;
  if (opts.when === 'stale' && last && now.getTime() - last.getTime() < COVERAGE_REFRESH_MINUTES * 60_000) {
    return null;
  }
  const t0 = performance.now();
  await tx.execute(repo.refreshMemorySql);
  await tx.execute(repo.leafFiguresSql(now));
  await tx.execute(repo.syncKeyedSql('carer'));
  await tx.execute(repo.syncKeyedSql('template'));
  await tx.execute(repo.syncNodesSql());
  const took = Math.round(performance.now() - t0);
  await tx.execute(repo.markRefreshedSql(now, took));
  return took;
}
