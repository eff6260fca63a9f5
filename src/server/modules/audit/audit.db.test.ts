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

let t: TestApp;
let tree: TestTree;
let admin: Client;

beforeAll(async () => {
  t = await createTestApp();
  tree = await makeTree(t.database);
  const a = await makeUser(t.database, 'admin', [tree.city.id]);
  admin = await signIn(t.app, a.username, a.password);
  await admin.post('/api/orgs', { tree: 'geo', kind: 'grid', parentId: tree.communityA1.id, name: '甲网格' });
  await admin.post('/api/orgs', { tree: 'geo', kind: 'grid', parentId: tree.communityB1.id, name: '乙网格' });
});
afterAll(() => t.close());

describe('audit log', () => {
  it('is append-only: the database refuses UPDATE and DELETE', async () => {
    await expect(t.database.query(`UPDATE audit_log SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(t.database.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
  });

  it('admins read everything, filtered by action, with keyset pages', async () => {
    const res = await admin.get('/api/audit?action=org.&limit=1');
    expect(res.statusCode).toBe(200);
    const page1 = res.json();
    expect(page1.items).toHaveLength(1);
    expect(page1.items[0].action).toBe('org.create');
    expect(page1.items[0].ip).toBeTruthy();
    const page2 = (await admin.get(`/api/audit?action=org.&limit=1&before=${page1.nextCursor}`)).json();
    expect(page2.items[0].id).toBeLessThan(page1.items[0].id);
  });

  it('managers read only entries about their subtree; others may not read it', async () => {
    const m = await makeUser(t.database, 'manager', [tree.streetA.id]);
    const manager = await signIn(t.app, m.username, m.password);
    const items = (await manager.get('/api/audit?action=org.create')).json().items as {
      details: { name: string };
    }[];
    expect(items.map((i) => i.details.name)).toEqual(['甲网格']);
    const c = await makeUser(t.database, 'coordinator', [tree.streetA.id]);
    const coord = await signIn(t.app, c.username, c.password);
    expect((await coord.get('/api/audit')).statusCode).toBe(403);
  });
});
