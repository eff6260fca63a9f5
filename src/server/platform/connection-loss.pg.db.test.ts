// A PostgreSQL connection dropped under load (a failover, an administrator's pg_terminate_backend, a
// proxy timeout) must cost the requests in flight a clean 503, never the process: the server runs in
// a child process here, so an unhandled 'error' event shows as a dead server, as it did in production.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildServer, startChildServer } from '../../../test/child-server.ts';
import { makeTree, makeUser, signIn } from '../../../test/helpers.ts';
import { createTestDatabase } from '../../../test/test-db.ts';
import { makeIdNumber } from '../../shared/id-number.ts';
import { buildApp } from '../app.ts';
import { systemClock } from './clock.ts';
import { loadConfig } from './config.ts';
import type { Database } from './db.ts';

const onServer = !!process.env.TEST_DATABASE_URL;
const APP_NAME = 'cc_conn_loss_test';

describe.skipIf(!onServer)('a lost PostgreSQL connection under load', () => {
  let database: Database;
  let server: ChildServer;
  let dbName: string;
  let carerId: number;
  const elderIds: number[] = [];
  let carer: { username: string; password: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    const url = new URL(
      (database.pool as unknown as { options: { connectionString: string } }).options.connectionString,
    );
    dbName = url.pathname.slice(1);
    const setup = await buildApp({
      database,
      config: loadConfig({ LOGIN_RATE_LIMIT: '1000' }),
      clock: systemClock,
    });
    const tree = await makeTree(database);
    const a = await makeUser(database, 'admin', [tree.city.id]);
    const admin = await signIn(setup, a.username, a.password);
    const c = await makeUser(database, 'coordinator', [tree.streetA.id]);
    const coord = await signIn(setup, c.username, c.password);
    const k = await makeUser(database, 'carer', [tree.streetA.id]);
    carerId = k.id;
    carer = k;
    for (let i = 0; i < 12; i++) {
      const e = await coord.post('/api/elders', {
        name: `连接测试${i}`,
        phones: ['13812345678'],
        idNumber: makeIdNumber('330102', '1940-05-10', 100 + i),
        orgId: tree.gridA1.id,
        livingSituation: '独居',
        difficultyGroups: ['独居'],
      });
      expect(e.statusCode, e.body).toBe(201);
      elderIds.push(e.json().id);
    }
    expect((await admin.post('/api/care/replan')).statusCode).toBe(200);
    const p = await coord.post('/api/pairings', { carerId, elderIds });
    expect(p.statusCode, p.body).toBe(200);
    await setup.close();

    url.searchParams.set('application_name', APP_NAME);
    server = await startChildServer({ DATABASE_URL: url.toString(), SWEEP_INTERVAL_MS: '200' });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await database?.close();
  });

  /** terminates the server's backends: the busy ones, or all of them (LISTEN and idle pool too) */
  const terminate = async (busyOnly: boolean) => {
    const r = await database.query<{ pid: number; state: string; query: string }>(
      `SELECT pid, state, query, pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = $1 AND application_name = $2 ${busyOnly ? `AND state <> 'idle'` : ''}`,
      [dbName, APP_NAME],
    );
    return r;
  };

  it('the process lives, requests in flight get 503, health recovers, every 2xx write is stored once', async () => {
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: carer.username, password: carer.password }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
    // a console listening for events, so the LISTEN connection is open and gets killed too
    const events = await fetch(`${server.url}/api/events`, { headers: { cookie } }).catch(() => null);

    let seq = 0;
    const statuses = new Map<string, number[]>();
    const post = async (key: string, elderId: number) => {
      const r = await fetch(`${server.url}/api/contacts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf, 'idempotency-key': key },
        body: JSON.stringify({ elderId, channel: 'phone', outcome: 'reached_ok' }),
      }).catch(() => null); // the server is gone
      if (!r) {
        statuses.set(key, [...(statuses.get(key) ?? []), 0]);
        return 0;
      }
      await r.arrayBuffer();
      statuses.set(key, [...(statuses.get(key) ?? []), r.status]);
      if (r.status === 503) expect(r.headers.get('retry-after')).toBeTruthy();
      return r.status;
    };

    const start = Date.now();
    const loadMs = 4000;
    const writer = async (w: number) => {
      while (Date.now() - start < loadMs && !server.exited()) {
        const key = `conn-loss-${w}-${++seq}`;
        await post(key, elderIds[seq % elderIds.length]);
      }
    };
    const killed: { state: string; query: string }[] = [];
    const killer = async () => {
      for (const [at, busyOnly] of [
        [500, true],
        [1200, true],
        [1900, true],
        [2700, false],
        [3300, true],
      ] as const) {
        await new Promise((r) => setTimeout(r, Math.max(0, start + at - Date.now())));
        killed.push(...(await terminate(busyOnly)));
      }
    };
    await Promise.all([killer(), ...Array.from({ length: 12 }, (_, w) => writer(w))]);

    expect(server.exited(), server.output()).toBeNull();
    // busy backends were really terminated mid-load (else this test proves nothing)
    expect(killed.filter((k) => k.state !== 'idle').length).toBeGreaterThan(0);
    const all = [...statuses.values()].flat();
    expect(all.length).toBeGreaterThan(20);
    expect(
      all.filter((s) => s !== 200 && s !== 503),
      server.output(),
    ).toEqual([]);

    // health recovers by itself
    let health = 0;
    for (let i = 0; i < 60 && health !== 200; i++) {
      health = (await fetch(`${server.url}/api/health`)).status;
      if (health !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(health).toBe(200);

    // a request refused with 503 is safe to send again with its key
    for (const [key, s] of statuses) {
      if (s[s.length - 1] === 200) continue;
      let status = 0;
      for (let i = 0; i < 20 && status !== 200; i++) {
        status = await post(key, elderIds[0]);
        if (status !== 200) await new Promise((r) => setTimeout(r, 250));
      }
      expect(status).toBe(200);
    }
    const stored = await database.query<{ idempotency_key: string; n: number }>(
      `SELECT idempotency_key, count(*)::int8 AS n FROM contacts WHERE carer_id = $1 GROUP BY 1`,
      [carerId],
    );
    const n = new Map(stored.map((r) => [r.idempotency_key, r.n]));
    for (const key of statuses.keys()) expect(n.get(key), key).toBe(1);
    expect(stored.length).toBe(statuses.size);

    // the LISTEN connection came back too
    let listening = false;
    for (let i = 0; i < 40 && !listening; i++) {
      const l = await database.query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND application_name = $2 AND query LIKE 'LISTEN%'`,
        [dbName, APP_NAME],
      );
      listening = l.length > 0;
      if (!listening) await new Promise((r) => setTimeout(r, 250));
    }
    expect(listening).toBe(true);
    await events?.body?.cancel();
    expect(server.exited(), server.output()).toBeNull();
  }, 120_000);
});
