import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  makeTree,
  makeUser,
  signIn,
  type TestApp,
  type TestTree,
} from '../../../../test/helpers.ts';

let t: TestApp;
let tree: TestTree;

beforeAll(async () => {
  t = await createTestApp();
  tree = await makeTree(t.database);
});
afterAll(() => t.close());

const login = (username: string, password: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers });

describe('login', () => {
  it('sets an http-only SameSite session cookie and answers /api/me with role and scopes', async () => {
    const u = await makeUser(t.database, 'coordinator', [tree.streetA.id]);
    const res = await login(u.username.toUpperCase(), u.password);
    expect(res.statusCode).toBe(200);
    const session = res.cookies.find((c) => c.name === 'cc_session')!;
    expect(session.httpOnly).toBe(true);
    expect(session.sameSite).toBe('Lax');
    const client = await signIn(t.app, u.username, u.password);
    const me = await client.get('/api/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ role: 'coordinator', user: { username: u.username } });
    expect(me.json().scopes.map((s: { id: number }) => s.id)).toEqual([tree.streetA.id]);
  });

  it('refuses a wrong password with 401 in Chinese, and in English on request', async () => {
    const u = await makeUser(t.database, 'carer', [tree.communityA1.id]);
    const zh = await login(u.username, 'wrong');
    expect(zh.statusCode).toBe(401);
    expect(zh.json().error).toMatchObject({ code: 'BAD_CREDENTIALS', message: '用户名或密码错误' });
    const en = await login(u.username, 'wrong', { 'accept-language': 'en-US,en;q=0.9' });
    expect(en.json().error.message).toBe('Wrong username or password');
    const unknown = await login('nobody-here', 'x');
    expect(unknown.statusCode).toBe(401);
  });

  it('locks the account for 15 minutes after 5 wrong passwords (423), then lets it in again', async () => {
    const u = await makeUser(t.database, 'carer', [tree.communityA1.id]);
    for (let i = 1; i <= 4; i++) expect((await login(u.username, 'bad')).statusCode).toBe(401);
    const fifth = await login(u.username, 'bad');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().error.code).toBe('ACCOUNT_LOCKED');
    // even the right password is refused while locked
    expect((await login(u.username, u.password)).statusCode).toBe(423);
    t.clock.advance(14 * 60_000);
    expect((await login(u.username, u.password)).statusCode).toBe(423);
    t.clock.advance(60_000 + 1000);
    expect((await login(u.username, u.password)).statusCode).toBe(200);
    // the audit log has the lock and the login
    const rows = await t.database.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity = 'user' AND entity_id = $1 ORDER BY id`,
      [String(u.id)],
    );
    expect(rows.map((r) => r.action)).toContain('auth.locked');
    expect(rows.map((r) => r.action)).toContain('auth.login');
  });

  it('requires a session for /api/me (401) and ends it on logout', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/me' })).statusCode).toBe(401);
    const u = await makeUser(t.database, 'manager', [tree.district.id]);
    const client = await signIn(t.app, u.username, u.password);
    expect((await client.post('/api/auth/logout')).statusCode).toBe(200);
    expect((await client.get('/api/me')).statusCode).toBe(401);
  });

  it('refuses a state-changing request without the CSRF token (403)', async () => {
    const u = await makeUser(t.database, 'admin', [tree.city.id]);
    const client = await signIn(t.app, u.username, u.password);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/orgs',
      headers: { cookie: client.cookie },
      payload: { tree: 'geo', kind: 'grid', parentId: tree.communityA1.id, name: '第9网格' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CSRF_FAILED');
    const ok = await client.post('/api/orgs', {
      tree: 'geo',
      kind: 'grid',
      parentId: tree.communityA1.id,
      name: '第9网格',
    });
    expect(ok.statusCode).toBe(201);
  });
});

describe('login rate limit', () => {
  it('answers 429 per IP after the configured number of attempts a minute', async () => {
    const limited = await createTestApp({ LOGIN_RATE_LIMIT: '3' });
    try {
      const attempt = (ip: string) =>
        limited.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          remoteAddress: ip,
          payload: { username: 'x', password: 'y' },
        });
      for (let i = 0; i < 3; i++) expect((await attempt('10.0.0.1')).statusCode).toBe(401);
      const res = await attempt('10.0.0.1');
      expect(res.statusCode).toBe(429);
      expect(res.json().error.code).toBe('RATE_LIMITED');
      expect((await attempt('10.0.0.2')).statusCode).toBe(401);
    } finally {
      await limited.close();
    }
  });
});
