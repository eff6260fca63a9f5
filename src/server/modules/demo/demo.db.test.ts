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

  it('has the catalogue, the three providers with their logins, and a volunteer team', async () => {
    const admin = await signIn(t.app, 'admin', DEMO_PASSWORD);
    const cat = (await admin.get('/api/catalogue')).json();
    expect(cat.categories.map((c: { name: string }) => c.name)).toContain('家政服务员介绍');
    const list = (await admin.get('/api/providers')).json().items;
    expect(list).toHaveLength(4);
    expect(list.filter((p: { kind: string }) => p.kind === 'volunteer_team')).toHaveLength(1);
    for (const [login, name] of [
      ['provider', '安心家政服务有限公司'],
      ['provider2', '康乐助餐服务中心'],
      ['provider3', '便民维修服务部'],
    ]) {
      const me = await signIn(t.app, login!, DEMO_PASSWORD);
      expect((await me.get('/api/providers')).json().items.map((p: { name: string }) => p.name)).toEqual([
        name,
      ]);
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
