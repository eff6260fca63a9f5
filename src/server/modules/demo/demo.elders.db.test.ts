import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../../../../test/helpers.ts';
import { parseIdNumber } from '../../../shared/id-number.ts';
import { DEMO_PASSWORD, seed } from './demo.generator.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seed(t.database.db, 'demo');
}, 180_000); // the whole demo seed, every module's step
afterAll(() => t.close());

describe('demo elders', () => {
  it('has ~600 elders with realistic spreads and valid fictional ID numbers', async () => {
    const [s] = await t.database.query<{
      n: number;
      alone: number;
      min_age: number;
      max_age: number;
      assessed: number;
      with_circle: number;
      contracts: number;
    }>(`SELECT count(*)::int AS n,
          count(*) FILTER (WHERE living_situation = '独居')::int AS alone,
          min(date_part('year', age('2026-11-22'::date, birth_date)))::int AS min_age,
          max(date_part('year', age('2026-11-22'::date, birth_date)))::int AS max_age,
          count(*) FILTER (WHERE ability_level IS NOT NULL)::int AS assessed,
          (SELECT count(DISTINCT elder_id) FROM circle_contacts WHERE kind = 'relative')::int AS with_circle,
          (SELECT count(*) FROM doctor_contracts)::int AS contracts
        FROM elders`);
    expect(s.n).toBe(600);
    expect(s.alone / s.n).toBeGreaterThan(0.14);
    expect(s.alone / s.n).toBeLessThan(0.26);
    expect(s.min_age).toBeGreaterThanOrEqual(60);
    expect(s.max_age).toBeLessThanOrEqual(103);
    expect(s.max_age).toBeGreaterThanOrEqual(95);
    expect(s.assessed).toBeGreaterThan(200);
    expect(s.with_circle).toBeGreaterThan(500);
    expect(s.contracts).toBeGreaterThan(100);
    const ids = await t.database.query<{ id_number: string; birth_date: string; gender: string }>(
      'SELECT id_number, birth_date, gender FROM elders',
    );
    for (const e of ids) {
      const p = parseIdNumber(e.id_number);
      expect(p).toMatchObject({ ok: true, birthDate: e.birth_date, gender: e.gender });
    }
    const [{ n: assessments }] = await t.database.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM ability_assessments',
    );
    expect(assessments).toBe(s.assessed);
  });

  it('the demo logins see their elders: the coordinator their street, the doctor their contracts', async () => {
    const coordinator = await signIn(t.app, 'coordinator', DEMO_PASSWORD);
    const list = (await coordinator.get('/api/elders?limit=200')).json();
    expect(list.items.length).toBeGreaterThan(100);
    const first = (await coordinator.get(`/api/elders/${list.items[0].id}`)).json();
    const byInitials = (await coordinator.get(`/api/elders?q=${first.nameInitials}&limit=200`)).json();
    expect(byInitials.items.map((e: { id: number }) => e.id)).toContain(first.id);
    const doctor = await signIn(t.app, 'doctor', DEMO_PASSWORD);
    const mine = (await doctor.get('/api/elders?limit=200')).json().items;
    expect(mine.length).toBeGreaterThan(5);
    const stats = (await coordinator.get('/api/elders/stats/completeness')).json();
    expect(stats.total.elders).toBeGreaterThan(100);
    expect(stats.total.agreementShare).toBeGreaterThan(0.7);
  });

  it('is deterministic: the same elders every time', async () => {
    const other = await createTestApp();
    try {
      await seed(other.database.db, 'demo');
      const q = 'SELECT name, id_number, living_situation FROM elders ORDER BY id LIMIT 20';
      expect(await other.database.query(q)).toEqual(await t.database.query(q));
    } finally {
      await other.close();
    }
  }, 180_000);
});
