// The coverage screen must not mislead (issue 11.8): the on-time rate counts only duties that have come
// due (a 逢十祝寿 visit due in 2029 is not "on time" today), the worst areas and duties come first, and the
// rollup (decision 0006) counts exactly what the live count does.
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

let t: TestApp;
let tree: TestTree;
let manager: Client;
const ids: Record<string, number> = {};

const sh = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
type Figures = { duties: number; onTime: number; onTimeRate: number | null };
type Cov = Figures & {
  totals: Figures;
  children: (Figures & { orgId: number })[];
  byDuty: { templateKey: string; duties: number; onTime: number }[];
  asOf: string;
  source: string;
};
const coverage = async (orgId: number, query = '') => {
  const res = await manager.get(`/api/coverage?orgId=${orgId}${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Cov;
};
const figures = ({ asOf: _a, source: _s, ...rest }: Cov) => rest;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(sh('2026-12-05 10:00'));
  tree = await makeTree(t.database);
  const a = await makeUser(t.database, 'admin', [tree.city.id]);
  const admin = await signIn(t.app, a.username, a.password);
  const m = await makeUser(t.database, 'manager', [tree.district.id]);
  manager = await signIn(t.app, m.username, m.password);
  // 77, living alone: the 80th birthday (逢十祝寿) is in 2029, the birthday in June, 春节 in February —
  // none has come due; the quarter's visit and 送温暖 (December–February) have
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
    ids[name] = res.json().id;
  }
  expect((await admin.post('/api/care/replan')).statusCode).toBe(200);
  // street B's elder is late with the quarter's visit
  await t.database.query(
    `UPDATE duties d SET next_due_at = $2::timestamptz FROM duty_templates t
     WHERE t.id = d.template_id AND t.key = 'quarterly_visit' AND d.elder_id = $1`,
    [ids.乙街老人, sh('2026-12-01 00:00').toISOString()],
  );
});
afterAll(() => t.close());

describe('coverage on-time rate', () => {
  it('counts only the duties that have come due: a 逢十祝寿 visit due in 2029 is not on time today', async () => {
    const open = await t.database.query<{ key: string; come_due: boolean }>(
      `SELECT t.key, d.window_start <= $2::timestamptz AS come_due FROM duties d
       JOIN duty_templates t ON t.id = d.template_id WHERE d.elder_id = $1 AND d.active ORDER BY t.key`,
      [ids.甲街老人, t.clock.now().toISOString()],
    );
    expect(open.find((d) => d.key === 'decade_birthday')?.come_due).toBe(false);
    const dueKeys = open.filter((d) => d.come_due).map((d) => d.key);
    expect(dueKeys).toContain('quarterly_visit');

    const a = await coverage(tree.communityA1.id, '&source=live');
    expect(a.totals).toMatchObject({ duties: dueKeys.length, onTime: dueKeys.length, onTimeRate: 1 });
    expect(a.byDuty.map((d) => d.templateKey).sort()).toEqual([...dueKeys].sort());
    expect(a.byDuty.find((d) => d.templateKey === 'decade_birthday')).toBeUndefined();

    const b = await coverage(tree.communityB1.id, '&source=live');
    expect(b.totals).toMatchObject({ duties: dueKeys.length, onTime: dueKeys.length - 1 });
  });

  it('lists the worst first: the street with the late visit before the other, the late duty first', async () => {
    const d = await coverage(tree.district.id, '&source=live');
    expect(d.children.map((c) => c.orgId)).toEqual([tree.streetB.id, tree.streetA.id]);
    expect(d.byDuty[0]).toMatchObject({ templateKey: 'quarterly_visit', onTime: 1, duties: 2 });
  });

  it('the rollup counts what the live count does, at every node', async () => {
    for (const node of [tree.district, tree.streetA, tree.streetB, tree.communityB1, tree.gridA1]) {
      const rollup = await coverage(node.id, '&source=rollup');
      expect(rollup.source).toBe('rollup');
      expect(figures(rollup)).toEqual(figures(await coverage(node.id, '&source=live')));
    }
  });
});
