// Care re-plans by policy and says so with a durable `care.plan_changed` event (decision 0016); the
// reports module refreshes the coverage rollup when the event is handed over (decision 0006), not by a
// call from care. The figures follow once the event is handed over — not before — and a refresh that
// fails leaves the event pending, logged and retried.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  createTestApp,
  makeTree,
  makeUser,
  signIn,
  type TestApp,
  type TestTree,
} from '../../../../test/helpers.ts';
import { makeIdNumber } from '../../../shared/id-number.ts';
import { rows, sql } from '../../platform/db.ts';
import { drainEvents, setEventFailureLog } from '../../platform/events.ts';
import { careSweepJobs } from '../care/care.jobs.ts';
import { PLAN_CHANGED_TOPIC } from '../care/care.service.ts';

let t: TestApp;
let tree: TestTree;
let admin: Client;
let manager: Client;
let quarterlyId: number;
const elders: number[] = [];
const logged: string[] = [];
let renamed = false;

const sh = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
type Figures = { duties: number; onTime: number; specialTotal: number };
type Cov = {
  totals: Figures;
  children: (Figures & { orgId: number })[];
  byDuty: { templateKey: string; duties: number; onTime: number }[];
  asOf: string;
  source: string;
};
const coverage = async (orgId: number, source: 'rollup' | 'live') => {
  const res = await manager.get(`/api/coverage?orgId=${orgId}&source=${source}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Cov;
};
const figures = ({ asOf: _a, source: _s, ...rest }: Cov) => rest;
const deps = () => ({ ...t.app.deps });
const advance = (ms: number) => t.clock.set(new Date(t.clock.now().getTime() + ms));
const events = () =>
  rows<{ cause: string; attempts: number; done: boolean; last_error: string | null; due_at: Date | string }>(
    t.database.db,
    sql`SELECT payload->>'cause' AS cause, attempts, done_at IS NOT NULL AS done, last_error, due_at
        FROM module_events WHERE topic = ${PLAN_CHANGED_TOPIC} ORDER BY id`,
  );
const nodes = () => [tree.district, tree.streetA, tree.streetB, tree.communityB1, tree.gridA1];
/** the rollup says what a live count says now, at every node, and was computed now */
async function expectRollupFollows() {
  for (const node of nodes()) {
    const rolled = await coverage(node.id, 'rollup');
    expect(rolled.asOf).toBe(t.clock.now().toISOString());
    expect(figures(rolled), node.name).toEqual(figures(await coverage(node.id, 'live')));
  }
}

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(sh('2026-12-05 10:00'));
  tree = await makeTree(t.database);
  const a = await makeUser(t.database, 'admin', [tree.city.id]);
  admin = await signIn(t.app, a.username, a.password);
  const m = await makeUser(t.database, 'manager', [tree.district.id]);
  manager = await signIn(t.app, m.username, m.password);
  for (const [name, orgId, n] of [
    ['甲街老人', tree.gridA1.id, 81],
    ['乙街老人', tree.communityB1.id, 83],
  ] as const) {
    const res = await admin.post('/api/elders', {
      name,
      phones: ['13812345678'],
      idNumber: makeIdNumber('330102', '1949-06-10', n),
      orgId,
      livingSituation: '独居',
      difficultyGroups: ['独居'],
    });
    expect(res.statusCode, res.body).toBe(201);
    elders.push(res.json().id);
  }
  const policy = (await admin.get('/api/care/policy')).json();
  quarterlyId = policy.templates.find((x: { key: string }) => x.key === 'quarterly_visit').id;
  setEventFailureLog((msg) => logged.push(msg));
});
afterAll(async () => {
  if (renamed)
    await t.database.db.execute(sql`ALTER TABLE coverage_rollups_moved RENAME TO coverage_rollups`);
  await t.close();
});

describe('the coverage rollup follows care’s re-plans through care.plan_changed', () => {
  it('全部重新排班: the event is written with the new plan, and its hand-off computes the rollup', async () => {
    expect((await admin.post('/api/care/replan')).statusCode).toBe(200);
    expect(await events()).toEqual([expect.objectContaining({ cause: 'policy', done: false, attempts: 0 })]);
    const [state] = await rows<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM coverage_rollup_state`,
    );
    expect(state.n).toBe(0); // care did not refresh it

    expect(await drainEvents(deps(), t.clock.now())).toBe(1);
    expect(await events()).toEqual([expect.objectContaining({ done: true, attempts: 1 })]);
    await expectRollupFollows();
  });

  it('a policy change: the figures stay as they were until the event is handed over, then follow', async () => {
    advance(60_000);
    const before = await coverage(tree.district.id, 'rollup');
    expect(before.byDuty.map((d) => d.templateKey)).toContain('quarterly_visit');
    const res = await admin.patch(`/api/care/templates/${quarterlyId}`, { active: false });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().closed).toBe(2);

    const live = await coverage(tree.district.id, 'live');
    expect(live.totals.duties).toBe(before.totals.duties - 2);
    expect(await coverage(tree.district.id, 'rollup')).toEqual(before);
    expect((await events()).at(-1)).toMatchObject({ cause: 'policy', done: false });

    expect(await drainEvents(deps(), t.clock.now())).toBe(1);
    expect((await events()).at(-1)).toMatchObject({ done: true });
    await expectRollupFollows();
    expect((await coverage(tree.district.id, 'rollup')).byDuty.map((d) => d.templateKey)).not.toContain(
      'quarterly_visit',
    );
  });

  it('the daily re-plan (care.replan) hands its event over right after its commit: no sweep needed', async () => {
    advance(60_000);
    const before = await coverage(tree.district.id, 'rollup');
    // street B's elder is late with a duty: the live count sees it, the rollup not yet
    await t.database.db.execute(
      sql`UPDATE duties SET next_due_at = ${sh('2026-12-01 00:00').toISOString()}::timestamptz
          WHERE elder_id = ${elders[1]} AND active AND window_start <= ${t.clock.now().toISOString()}::timestamptz`,
    );
    expect((await coverage(tree.district.id, 'live')).totals.onTime).toBeLessThan(before.totals.onTime);
    expect(await coverage(tree.district.id, 'rollup')).toEqual(before);

    const job = careSweepJobs.find((j) => j.name === 'care.replan')!;
    await job.run(deps(), t.clock.now(), 100);
    expect((await events()).at(-1)).toMatchObject({ cause: 'daily', done: true, attempts: 1 });
    await expectRollupFollows();
  });

  it('a failed refresh is rolled back, logged and retried with backoff until the figures follow', async () => {
    advance(60_000);
    const before = await coverage(tree.district.id, 'rollup');
    const res = await admin.patch(`/api/care/templates/${quarterlyId}`, { active: true });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().upserted).toBe(2);

    // the refresh fails at its last table (the node figures), after writing the others in its transaction
    await t.database.db.execute(sql`ALTER TABLE coverage_rollups RENAME TO coverage_rollups_moved`);
    renamed = true;
    expect(await drainEvents(deps(), t.clock.now())).toBe(1);
    await t.database.db.execute(sql`ALTER TABLE coverage_rollups_moved RENAME TO coverage_rollups`);
    renamed = false;
    const [failed] = (await events()).slice(-1);
    expect(failed).toMatchObject({ cause: 'policy', done: false, attempts: 1 });
    expect(failed.last_error).toMatch(/^Failed query/); // the failing statement, kept for whoever looks
    expect(new Date(failed.due_at).getTime()).toBe(t.clock.now().getTime() + 10_000);
    expect(logged.at(-1)).toMatch(/\(care\.plan_changed\) failed, attempt 1; retried in 10 s/);
    // nothing of the failed refresh stays: not the per-duty figures it had written, nor its time
    const during = await coverage(tree.district.id, 'rollup');
    expect(during).toEqual(before);
    expect(during.byDuty.map((d) => d.templateKey)).not.toContain('quarterly_visit');

    expect(await drainEvents(deps(), t.clock.now())).toBe(0); // not due again yet
    advance(10_000);
    expect(await drainEvents(deps(), t.clock.now())).toBe(1);
    expect((await events()).at(-1)).toMatchObject({ done: true, attempts: 2 });
    await expectRollupFollows();
    expect((await coverage(tree.district.id, 'rollup')).byDuty.map((d) => d.templateKey)).toContain(
      'quarterly_visit',
    );
  });
});
