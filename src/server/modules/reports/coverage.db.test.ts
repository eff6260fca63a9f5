import { sql } from 'drizzle-orm';
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
import { coverageCarersLimit } from '../../../shared/care.ts';
import { rows, withTx } from '../../platform/db.ts';
import { sweepOnce } from '../../platform/sweeper.ts';
import { replan } from '../care/care.service.ts';
import { DEMO_PASSWORD, seed } from '../demo/demo.generator.ts';
import { COVERAGE_LIVE_MAX_ELDERS, COVERAGE_REFRESH_MINUTES } from './coverage.service.ts';

// The coverage rollup (decision 0006) against the live count: the demo district (600 elders, 90 days
// of contacts) and a generated city of COVERAGE_LIVE_MAX_ELDERS + 1 elders with 120 carers, so that
// `auto` reads the rollup and the carer list is cut.

let t: TestApp;
let admin: Client;
let coordinator: Client;
let manager: Client;
let big: TestTree;
let bigManager: Client;
let bigCarer: Client;
let bigElderId: number;
const BIG_ELDERS = COVERAGE_LIVE_MAX_ELDERS + 1;
const BIG_CARERS = 120;
const bigCarerIds: number[] = [];

type Cov = {
  totals: Record<string, unknown>;
  children: { orgId: number }[];
  asOf: string;
  source: string;
  [k: string]: unknown;
};
const get = async (c: Client, orgId: number, query = '') => {
  const res = await c.get(`/api/coverage?orgId=${orgId}${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Cov;
};
/** the figures only (not when, nor from where) */
const figures = ({ asOf: _a, source: _s, ...rest }: Cov) => rest;
const sweep = () => sweepOnce({ ...t.app.deps }, t.clock.now());
const advance = (minutes: number) => t.clock.set(new Date(t.clock.now().getTime() + minutes * 60_000));

/** A city of BIG_ELDERS elders (every other one living alone), 120 paired carers, some duties late. */
async function buildBigCity() {
  big = await makeTree(t.database, '汇总');
  const db = t.database.db;
  const grid = big.gridA1;
  const other = big.communityB1;
  await db.execute(sql`INSERT INTO elders (org_id, org_path, name, name_pinyin, name_initials, gender, id_number,
      birth_date, living_situation, difficulty_groups)
    SELECT CASE WHEN g % 4 = 0 THEN ${other.id}::bigint ELSE ${grid.id}::bigint END,
      CASE WHEN g % 4 = 0 THEN ${other.path} ELSE ${grid.path} END,
      '汇总老人' || g, 'huizong', 'hz', CASE WHEN g % 2 = 0 THEN 'F' ELSE 'M' END, 'H' || lpad(g::text, 17, '0'),
      DATE '1930-01-01' + (g * 37 % 6000), CASE WHEN g % 2 = 0 THEN '独居' ELSE '与子女同住' END,
      CASE WHEN g % 2 = 0 THEN ARRAY['独居'] ELSE '{}'::text[] END
    FROM generate_series(1, ${BIG_ELDERS}) g`);
  for (let i = 0; i < BIG_CARERS; i++)
    bigCarerIds.push((await makeUser(t.database, 'carer', [big.district.id])).id);
  await db.execute(sql`INSERT INTO carer_pairings (carer_id, elder_id, org_path)
    SELECT (${`{${bigCarerIds.join(',')}}`}::bigint[])[1 + e.id % ${BIG_CARERS}], e.id, e.org_path
    FROM elders e WHERE e.name LIKE '汇总老人%'`);
  const ids = (
    await rows<{ id: number }>(db, sql`SELECT id FROM elders WHERE name LIKE '汇总老人%' ORDER BY id`)
  ).map((r) => r.id);
  bigElderId = ids[1]; // '汇总老人2': living alone, in the grid
  await withTx(db, (tx) => replan(tx, t.clock.now(), { elderIds: ids }));
  // late duties, more for some carers than others, so the on-time rates differ
  await db.execute(sql`UPDATE duties SET next_due_at = ${t.clock.now().toISOString()}::timestamptz - interval '1 day'
    WHERE org_path LIKE ${`${big.city.path}%`} AND (elder_id * 7 + template_id) % 5 < 2`);
  const m = await makeUser(t.database, 'manager', [big.city.id]);
  bigManager = await signIn(t.app, m.username, m.password);
  const c = await makeUser(t.database, 'coordinator', [big.streetA.id]);
  const cu = await makeUser(t.database, 'carer', [big.streetA.id]);
  bigCarer = await signIn(t.app, cu.username, cu.password);
  return { coordA: await signIn(t.app, c.username, c.password) };
}

let bigCoordA: Client;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(new Date(Math.floor(Date.now() / 60_000) * 60_000));
  await seed(t.database.db, 'demo');
  admin = await signIn(t.app, 'admin', DEMO_PASSWORD);
  coordinator = await signIn(t.app, 'coordinator', DEMO_PASSWORD);
  manager = await signIn(t.app, 'manager', DEMO_PASSWORD);
  bigCoordA = (await buildBigCity()).coordA;
}, 300_000);
afterAll(() => t.close());

/** every geo node under (and including) `orgId`, walking the API's children */
async function subtree(c: Client, orgId: number): Promise<number[]> {
  const out = [orgId];
  for (const ch of (await get(c, orgId, '&source=live')).children) out.push(...(await subtree(c, ch.orgId)));
  return out;
}

describe('coverage rollup', () => {
  it('is computed on the first request when it was never refreshed (never zeros as if real)', async () => {
    const [before] = await rows<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM coverage_rollup_state`,
    );
    expect(before.n).toBe(0);
    const cov = await get(bigManager, big.city.id);
    expect(cov.source).toBe('rollup');
    expect(cov.asOf).toBe(t.clock.now().toISOString());
    expect(cov.totals).toMatchObject({ specialTotal: Math.floor(BIG_ELDERS / 2), specialVisited: 0 });
    expect(figures(cov)).toEqual(figures(await get(bigManager, big.city.id, '&source=live')));
  });

  it('equals the live count at every node of the demo district and the big city, for 7, 30 and 90 days', async () => {
    advance(1);
    await sweep(); // the daily re-plan's refresh
    const nodes = [
      ...(await subtree(admin, (await admin.get('/api/me')).json().scopes[0].id)),
      ...(await subtree(bigManager, big.city.id)),
    ];
    expect(nodes.length).toBeGreaterThan(10);
    let compared = 0;
    for (const orgId of nodes) {
      const c = orgId >= big.city.id ? bigManager : admin;
      for (const period of [7, 30, 90]) {
        const rolled = await get(c, orgId, `&period=${period}&source=rollup`);
        const live = await get(c, orgId, `&period=${period}&source=live`);
        expect(rolled.source).toBe('rollup');
        expect(rolled.asOf).toBe(t.clock.now().toISOString());
        expect(figures(rolled), `org ${orgId}, ${period} days`).toEqual(figures(live));
        if ((rolled.totals.specialVisited as number) > 0) compared++;
      }
    }
    // the demo's history makes the comparison meaningful: reached elders in most nodes and periods
    expect(compared).toBeGreaterThan(nodes.length);
  });

  it('auto: a large subtree reads the rollup, a small one (or another period) is counted live', async () => {
    const city = await get(bigManager, big.city.id);
    expect(city.source).toBe('rollup');
    const street = await get(bigManager, big.streetB.id); // a quarter of the elders
    expect(street.source).toBe('live');
    expect(street.asOf).toBe(t.clock.now().toISOString());
    const odd = await get(bigManager, big.city.id, '&period=45');
    expect(odd.source).toBe('live');
    const bad = await bigManager.get(`/api/coverage?orgId=${big.city.id}&period=45&source=rollup`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toEqual([expect.objectContaining({ field: 'period' })]);
    expect(bad.json().error.details[0].message).toContain('汇总数据');
  });

  it('lists at most the carers with the lowest on-time rates, from the rollup as live', async () => {
    const cov = await get(bigManager, big.city.id);
    const byCarer = cov.byCarer as { carerId: number; duties: number; onTime: number }[];
    expect(cov.carersTotal).toBe(BIG_CARERS);
    expect(byCarer).toHaveLength(coverageCarersLimit);
    const rates = byCarer.map((c) => c.onTime / c.duties);
    expect(rates).toEqual([...rates].sort((a, b) => a - b));
    expect(rates[0]).toBeLessThan(rates[rates.length - 1]);
    expect(byCarer).toEqual((await get(bigManager, big.city.id, '&source=live')).byCarer);
  });

  it('a contact shows after the next refresh, with the time of that refresh', async () => {
    const before = await get(bigManager, big.city.id);
    const visited = (c: Cov) => c.totals.specialVisited;
    expect(visited(before)).toBe(0);
    const res = await bigCoordA.request({
      method: 'POST',
      url: '/api/contacts',
      payload: { elderId: bigElderId, channel: 'phone', outcome: 'reached_ok' },
      headers: { 'idempotency-key': `cov-${Date.now()}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    // and a carer leaves: their duties go to another, so the carer's rollup rows go
    const moved = await bigManager.post('/api/pairings/reassign', {
      fromCarerId: bigCarerIds[0],
      toCarerId: bigCarerIds[1],
    });
    expect(moved.statusCode, moved.body).toBe(200);
    // live at once; the rollup still says what it said, and when
    expect((await get(bigManager, big.city.id, '&source=live')).totals.specialVisited).toBe(1);
    advance(COVERAGE_REFRESH_MINUTES - 1);
    await sweep(); // not stale yet
    const stale = await get(bigManager, big.city.id);
    expect(stale.asOf).toBe(before.asOf);
    expect(visited(stale)).toBe(0);

    advance(1);
    await sweep();
    const after = await get(bigManager, big.city.id);
    expect(after.asOf).toBe(t.clock.now().toISOString());
    expect(stale.carersTotal).toBe(BIG_CARERS);
    expect(after.carersTotal).toBe(BIG_CARERS - 1);
    const [left] = await rows<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM coverage_rollup_carers WHERE assignee_id = ${bigCarerIds[0]}`,
    );
    expect(left.n).toBe(0);
    for (const period of [7, 30, 90]) {
      const p = await get(bigManager, big.district.id, `&period=${period}&source=rollup`);
      expect(p.totals.specialVisited).toBe(1);
      const street = (id: number) => p.children.find((c) => c.orgId === id) as unknown as Cov['totals'];
      expect(street(big.streetA.id).specialVisited).toBe(1);
      expect(street(big.streetB.id).specialVisited).toBe(0);
    }
    expect(figures(after)).toEqual(figures(await get(bigManager, big.city.id, '&source=live')));
  });

  it('keeps to the caller’s scope: another street is not found, a carer is refused', async () => {
    const me = (await coordinator.get('/api/me')).json();
    const myStreet = me.scopes[0].id as number;
    const district = (await manager.get('/api/me')).json().scopes[0].id as number;
    const other = (await get(manager, district, '&source=rollup')).children.find((c) => c.orgId !== myStreet);
    expect(other).toBeDefined();
    for (const source of ['rollup', 'live', 'auto']) {
      expect((await coordinator.get(`/api/coverage?orgId=${other!.orgId}&source=${source}`)).statusCode).toBe(
        404,
      );
      expect((await coordinator.get(`/api/coverage?orgId=${myStreet}&source=${source}`)).statusCode).toBe(
        200,
      );
      expect(
        (await bigCoordA.get(`/api/coverage?orgId=${big.district.id}&source=${source}`)).statusCode,
      ).toBe(404);
      expect((await bigCarer.get(`/api/coverage?orgId=${big.streetA.id}&source=${source}`)).statusCode).toBe(
        403,
      );
      // the demo manager's district is not the big city's
      expect((await manager.get(`/api/coverage?orgId=${big.city.id}&source=${source}`)).statusCode).toBe(404);
    }
  });
});
