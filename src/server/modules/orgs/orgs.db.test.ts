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
  const a = await makeUser(t.database, 'admin', [tree.city.id, tree.unit.id]);
  admin = await signIn(t.app, a.username, a.password);
});
afterAll(() => t.close());

describe('org tree', () => {
  it('creates nodes with a materialised path under their parent', async () => {
    const res = await admin.post('/api/orgs', {
      tree: 'geo',
      kind: 'grid',
      parentId: tree.communityB1.id,
      name: '第2网格',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().path).toBe(`${tree.communityB1.path}${res.json().id}/`);
    expect(res.json().depth).toBe(5);
    expect(res.json().displayName).toBe('乙一社区 / 第2网格');
    const dept = await admin.post('/api/orgs', {
      tree: 'affiliation',
      kind: 'department',
      parentId: tree.unit.id,
      name: '化学学院',
    });
    expect(dept.statusCode).toBe(201);
  });

  it('refuses a node of the wrong kind for its parent, naming the field', async () => {
    const res = await admin.post('/api/orgs', {
      tree: 'geo',
      kind: 'district',
      parentId: tree.communityA1.id,
      name: '错层',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details[0].field).toBe('kind');
  });

  it('answers a missing name with a field error in Chinese (and English on request)', async () => {
    const res = await admin.post('/api/orgs', {
      tree: 'geo',
      kind: 'grid',
      parentId: tree.communityA1.id,
      name: '',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(res.json().error.details).toContainEqual({ field: 'body.name', message: '名称不能为空' });
    const en = await admin.request({
      method: 'POST',
      url: '/api/orgs',
      headers: { 'accept-language': 'en' },
      payload: { tree: 'geo', kind: 'grid', parentId: tree.communityA1.id },
    });
    expect(en.json().error.message).toMatch(/Invalid input/);
    expect(en.json().error.details[0]).toMatchObject({ field: 'body.name' });
    expect(en.body).not.toMatch(/at .*\.ts/); // never a stack trace
  });

  it('renames and deletes a leaf, refuses to delete a node with children (409)', async () => {
    const leaf = (
      await admin.post('/api/orgs', {
        tree: 'geo',
        kind: 'grid',
        parentId: tree.communityA1.id,
        name: '临时网格',
      })
    ).json();
    const renamed = await admin.patch(`/api/orgs/${leaf.id}`, { name: '第3网格' });
    expect(renamed.json().name).toBe('第3网格');
    expect((await admin.del(`/api/orgs/${tree.streetA.id}`)).statusCode).toBe(409);
    expect((await admin.del(`/api/orgs/${leaf.id}`)).statusCode).toBe(200);
    expect((await admin.del(`/api/orgs/${leaf.id}`)).statusCode).toBe(404);
  });

  it('shows each account only its own subtree; other subtrees do not exist for it', async () => {
    const c = await makeUser(t.database, 'coordinator', [tree.streetB.id]);
    const coord = await signIn(t.app, c.username, c.password);
    const list = (await coord.get('/api/orgs')).json().items as { id: number; path: string }[];
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((o) => o.path.startsWith(tree.streetB.path))).toBe(true);
    expect(list.some((o) => o.id === tree.streetA.id)).toBe(false);
    // writes are for admins
    expect((await coord.patch(`/api/orgs/${tree.communityB1.id}`, { name: 'x' })).statusCode).toBe(403);
    // an admin scoped to street B cannot touch street A: 404, not data
    const a2 = await makeUser(t.database, 'admin', [tree.streetB.id]);
    const admin2 = await signIn(t.app, a2.username, a2.password);
    expect((await admin2.patch(`/api/orgs/${tree.communityA1.id}`, { name: 'x' })).statusCode).toBe(404);
  });

  it('names a grid with its community, even for an account that holds only the grid (issue 11.9)', async () => {
    type Named = { id: number; name: string; displayName: string };
    const all = (await admin.get('/api/orgs?tree=geo')).json().items as Named[];
    expect(all.find((o) => o.id === tree.gridA1.id)?.displayName).toBe('甲一社区 / 第1网格');
    expect(all.find((o) => o.id === tree.communityA1.id)?.displayName).toBe('甲一社区');
    const w = await makeUser(t.database, 'carer', [tree.gridA1.id]);
    const carer = await signIn(t.app, w.username, w.password);
    const mine = (await carer.get('/api/orgs')).json().items as Named[];
    expect(mine.map((o) => [o.name, o.displayName])).toEqual([['第1网格', '甲一社区 / 第1网格']]);
    const renamed = await admin.patch(`/api/orgs/${tree.gridA1.id}`, { name: '第1网格' });
    expect(renamed.json().displayName).toBe('甲一社区 / 第1网格');
  });

  it('records every write in the audit log', async () => {
    const rows = await t.database.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity = 'org'`,
    );
    expect(new Set(rows.map((r) => r.action))).toEqual(new Set(['org.create', 'org.update', 'org.delete']));
  });
});
