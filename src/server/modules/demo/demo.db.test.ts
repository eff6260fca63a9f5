import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../../../../test/helpers.ts';
import { DEMO_PASSWORD, demoLogins, isEmpty, seed } from './demo.generator.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('demo district', () => {
  it('loads the fictional district with one login per role', async () => {
    expect(await isEmpty(t.database.db)).toBe(true);
    const r = await seed(t.database.db, 'demo');
    expect(await isEmpty(t.database.db)).toBe(false);
    expect({ streets: r.streets.length, communities: r.communities.length }).toEqual({
      streets: 3,
      communities: 8,
    });
    expect(r.grids.length).toBeGreaterThanOrEqual(8);
    const counts = await t.database.query<{ role: string; n: number }>(
      `SELECT role, count(*)::int8 AS n FROM users GROUP BY role`,
    );
    const by = Object.fromEntries(counts.map((c) => [c.role, c.n]));
    expect(by.carer).toBeGreaterThanOrEqual(55);
    expect(by.carer).toBeLessThanOrEqual(65);
    expect(by.doctor).toBe(5);
    expect(by.provider).toBe(3);
    for (const login of demoLogins) {
      const client = await signIn(t.app, login.username, DEMO_PASSWORD);
      expect((await client.get('/api/me')).json().role).toBe(login.role);
    }
  });

  it('is deterministic: the same names every time', async () => {
    const other = await createTestApp();
    try {
      await seed(other.database.db, 'demo');
      const q = `SELECT username, display_name FROM users WHERE role = 'carer' ORDER BY username LIMIT 5`;
      expect(await other.database.query(q)).toEqual(await t.database.query(q));
    } finally {
      await other.close();
    }
  });
});
