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
});
afterAll(() => t.close());

describe('accounts', () => {
  it('an admin creates an account that can sign in with its role and scope', async () => {
    const res = await admin.post('/api/accounts', {
      username: 'li.volunteer',
      displayName: '李志愿',
      password: 'long-enough-1',
      role: 'carer',
      carerKind: 'volunteer',
      scopeOrgIds: [tree.communityA1.id],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      username: 'li.volunteer',
      role: 'carer',
      scopes: [{ id: tree.communityA1.id }],
    });
    expect(res.json()).not.toHaveProperty('passwordHash');
    const carer = await signIn(t.app, 'li.volunteer', 'long-enough-1');
    expect((await carer.get('/api/me')).json().role).toBe('carer');
  });

  it('refuses a taken username (409) and bad fields (400) with the field named', async () => {
    const dup = await admin.post('/api/accounts', {
      username: 'LI.VOLUNTEER',
      displayName: '重名',
      password: 'long-enough-1',
      role: 'carer',
      scopeOrgIds: [tree.communityA1.id],
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.details[0].field).toBe('username');
    const bad = await admin.post('/api/accounts', {
      username: '王',
      displayName: '',
      password: 'short',
      role: 'boss',
      scopeOrgIds: [],
    });
    expect(bad.statusCode).toBe(400);
    const fields = bad.json().error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'body.username',
        'body.displayName',
        'body.password',
        'body.role',
        'body.scopeOrgIds',
      ]),
    );
    expect(bad.json().error.details.find((d: { field: string }) => d.field === 'body.password').message).toBe(
      '密码至少 10 位',
    );
  });

  it('refuses scope nodes outside the admin’s own scope', async () => {
    const a = await makeUser(t.database, 'admin', [tree.streetB.id]);
    const admin2 = await signIn(t.app, a.username, a.password);
    const res = await admin2.post('/api/accounts', {
      username: 'outsider',
      displayName: '越权',
      password: 'long-enough-1',
      role: 'carer',
      scopeOrgIds: [tree.communityA1.id],
    });
    expect(res.statusCode).toBe(404); // as an unknown node (admin-scope.db.test.ts)
    expect(res.json().error.details[0].field).toBe('scopeOrgIds');
  });

  it('lists only accounts within the caller’s scope; carers may not list accounts', async () => {
    const m = await makeUser(t.database, 'manager', [tree.streetB.id]);
    await makeUser(t.database, 'carer', [tree.communityB1.id]);
    const manager = await signIn(t.app, m.username, m.password);
    const items = (await manager.get('/api/accounts')).json().items as {
      username: string;
      scopes: { id: number }[];
    }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.some((i) => i.username === 'li.volunteer')).toBe(false);
    const c = await makeUser(t.database, 'carer', [tree.communityA1.id]);
    const carer = await signIn(t.app, c.username, c.password);
    expect((await carer.get('/api/accounts')).statusCode).toBe(403);
  });

  it('names a grid scope with its community (issue 11.9)', async () => {
    const w = await makeUser(t.database, 'carer', [tree.gridA1.id]);
    const items = (await admin.get(`/api/accounts?q=${w.username}`)).json().items as {
      scopes: { id: number; name: string }[];
    }[];
    expect(items.map((i) => i.scopes)).toEqual([[{ id: tree.gridA1.id, name: '甲一社区 / 第1网格' }]]);
  });

  it('unlocks, resets a password and deactivates, ending open sessions', async () => {
    const u = await makeUser(t.database, 'dispatcher', [tree.district.id]);
    const session = await signIn(t.app, u.username, u.password);
    const reset = await admin.patch(`/api/accounts/${u.id}`, { password: 'brand-new-pass' });
    expect(reset.statusCode).toBe(200);
    expect((await session.get('/api/me')).statusCode).toBe(401);
    await signIn(t.app, u.username, 'brand-new-pass');
    const off = await admin.patch(`/api/accounts/${u.id}`, { active: false });
    expect(off.json().active).toBe(false);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: u.username, password: 'brand-new-pass' },
    });
    expect(res.statusCode).toBe(401);
  });

  it('a session this process has just resolved (cached) still ends at once on a role change or deactivation', async () => {
    const u = await makeUser(t.database, 'coordinator', [tree.district.id]);
    const first = await signIn(t.app, u.username, u.password);
    expect((await first.get('/api/me')).json().role).toBe('coordinator'); // now in the session cache
    expect((await admin.patch(`/api/accounts/${u.id}`, { role: 'dispatcher' })).statusCode).toBe(200);
    expect((await first.get('/api/me')).statusCode).toBe(401);

    const second = await signIn(t.app, u.username, u.password);
    expect((await second.get('/api/me')).json().role).toBe('dispatcher');
    expect((await admin.patch(`/api/accounts/${u.id}`, { displayName: '改名后' })).statusCode).toBe(200);
    // a change that keeps the session is seen at once too
    expect((await second.get('/api/me')).json().user.displayName).toBe('改名后');
    expect((await admin.patch(`/api/accounts/${u.id}`, { active: false })).statusCode).toBe(200);
    expect((await second.get('/api/me')).statusCode).toBe(401);
  });
});
