import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  makeTree,
  makeUser,
  signIn,
  type TestApp,
  type TestTree,
} from '../../../../test/helpers.ts';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../../platform/config.ts';

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

  it('names a grid in /api/me with its community (issue 11.9)', async () => {
    const u = await makeUser(t.database, 'carer', [tree.gridA1.id]);
    const client = await signIn(t.app, u.username, u.password);
    const me = (await client.get('/api/me')).json();
    expect(me.scopes).toEqual([expect.objectContaining({ id: tree.gridA1.id, name: '甲一社区 / 第1网格' })]);
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

describe('whose address counts (TRUST_PROXY)', () => {
  /** another server process on the same database, configured otherwise */
  const withApp = async (env: Record<string, string>, fn: (app: FastifyInstance) => Promise<void>) => {
    const app = await buildApp({ database: t.database, config: loadConfig(env), clock: t.clock });
    try {
      await fn(app);
    } finally {
      await app.close();
    }
  };
  const storm = async (app: FastifyInstance, who: string, n: number) => {
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: '127.0.0.1',
        headers: { 'x-forwarded-for': `203.0.113.${i + 1}` },
        payload: { username: `${who}-${i}`, password: 'x' },
      });
      statuses.push(res.statusCode);
    }
    return statuses;
  };
  const auditedIps = async (who: string) =>
    (
      await t.database.query<{ ip: string }>(
        `SELECT DISTINCT details->>'ip' AS ip FROM audit_log
         WHERE action = 'auth.login_failed' AND details->>'username' LIKE $1`,
        [`${who}-%`],
      )
    ).map((r) => r.ip);

  it('by default X-Forwarded-For is ignored: the per-IP limit holds and the audit log has the real address', async () => {
    await withApp({ LOGIN_RATE_LIMIT: '10' }, async (app) => {
      const statuses = await storm(app, 'xff-default', 15);
      expect(statuses.filter((s) => s === 429).length).toBe(5);
      expect(await auditedIps('xff-default')).toEqual(['127.0.0.1']);
    });
  });

  it('with TRUST_PROXY naming the proxy, the address it forwards is the client', async () => {
    await withApp({ LOGIN_RATE_LIMIT: '10', TRUST_PROXY: '127.0.0.1' }, async (app) => {
      expect((await storm(app, 'xff-trusted', 15)).filter((s) => s === 429)).toEqual([]);
      const ips = await auditedIps('xff-trusted');
      expect(ips.length).toBe(15);
      expect(ips).toContain('203.0.113.7');
    });
  });
});

describe('wrong passwords: per source, then per account, the same for unknown usernames', () => {
  const from = (ip: string, username: string, password: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: ip,
      payload: { username, password },
    });

  it('five wrong passwords from one address pause that address only: the owner still signs in elsewhere', async () => {
    const u = await makeUser(t.database, 'carer', [tree.communityA1.id]);
    for (let i = 0; i < 4; i++) expect((await from('198.51.100.1', u.username, 'bad')).statusCode).toBe(401);
    expect((await from('198.51.100.1', u.username, 'bad')).statusCode).toBe(423);
    expect((await from('198.51.100.1', u.username, u.password)).statusCode).toBe(423);
    expect((await from('198.51.100.2', u.username, u.password)).statusCode).toBe(200);
    const [row] = await t.database.query<{ locked_until: string | null }>(
      'SELECT locked_until FROM users WHERE id = $1',
      [u.id],
    );
    expect(row.locked_until).toBeNull();
  });

  it('an account paused from one address shows as locked to the administrator, whose unlock lets its owner in from there', async () => {
    const u = await makeUser(t.database, 'carer', [tree.communityA1.id]);
    const a = await makeUser(t.database, 'admin', [tree.city.id]);
    const admin = await signIn(t.app, a.username, a.password);
    expect((await admin.get(`/api/accounts?q=${u.username}`)).json().items[0].locked).toBe(false);
    for (let i = 0; i < 5; i++) await from('198.51.102.1', u.username, 'bad');
    expect((await admin.get(`/api/accounts?q=${u.username}`)).json().items[0].locked).toBe(true);
    expect((await admin.patch(`/api/accounts/${u.id}`, { unlock: true })).statusCode).toBe(200);
    expect((await admin.get(`/api/accounts?q=${u.username}`)).json().items[0].locked).toBe(false);
    expect((await from('198.51.102.1', u.username, u.password)).statusCode).toBe(200);
  });

  it('twenty from several addresses lock the account; an admin unlock clears it', async () => {
    const u = await makeUser(t.database, 'carer', [tree.communityA1.id]);
    for (let s = 1; s <= 4; s++) {
      for (let i = 0; i < 5; i++) await from(`198.51.101.${s}`, u.username, 'bad');
    }
    const refused = await from('198.51.101.99', u.username, u.password);
    expect(refused.statusCode).toBe(423);
    const a = await makeUser(t.database, 'admin', [tree.city.id]);
    const admin = await signIn(t.app, a.username, a.password);
    const list = await admin.get(`/api/accounts?q=${u.username}`);
    expect(list.json().items[0].locked).toBe(true);
    expect((await admin.patch(`/api/accounts/${u.id}`, { unlock: true })).statusCode).toBe(200);
    expect((await from('198.51.101.1', u.username, u.password)).statusCode).toBe(200);
  });

  it('an unknown username answers exactly like a known one, attempt for attempt', async () => {
    const u = await makeUser(t.database, 'carer', [tree.communityA1.id]);
    const run = async (username: string, net: string) => {
      const seen: string[] = [];
      for (let s = 1; s <= 5; s++) {
        for (let i = 0; i < 6; i++) {
          const res = await from(`${net}.${s}`, username, 'bad');
          const e = res.json().error;
          seen.push(`${res.statusCode} ${e.code} ${e.message} ${Object.keys(e.details ?? {}).join(',')}`);
        }
      }
      return seen;
    };
    const known = await run(u.username, '192.0.2');
    const unknown = await run('no-such-person', '198.18.0');
    expect(unknown).toEqual(known);
    expect(known.filter((s) => s.startsWith('423')).length).toBeGreaterThan(10);
    expect(known[0]).toMatch(/^401/);
  });
});
