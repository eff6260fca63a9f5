import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeElder } from '../../../../test/factories/incidents.ts';
import {
  type Client,
  createTestApp,
  makeTree,
  makeUser,
  signIn,
  type TestApp,
  type TestTree,
} from '../../../../test/helpers.ts';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../../platform/config.ts';
import { type Database, openPostgres, rows } from '../../platform/db.ts';
import { sweepOnce } from '../../platform/sweeper.ts';
import { setConsoleSink } from '../notifications/channels.ts';

const onServer = !!process.env.TEST_DATABASE_URL;

/** Reads a server-sent event stream until `until` matches what arrived, or times out. */
function listen(app: FastifyInstance, cookie: string) {
  const { port } = app.server.address() as AddressInfo;
  let buf = '';
  const waiters: { until: (s: string) => boolean; resolve: () => void }[] = [];
  const req = http.get({ host: '127.0.0.1', port, path: '/api/events', headers: { cookie } }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      for (const w of waiters.splice(0)) {
        if (w.until(buf)) w.resolve();
        else waiters.push(w);
      }
    });
  });
  req.on('error', () => {});
  return {
    text: () => buf,
    waitFor(until: (s: string) => boolean, ms = 3000): Promise<void> {
      if (until(buf)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching event within ${ms} ms; got: ${buf}`)),
          ms,
        );
        waiters.push({
          until,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    close: () => req.destroy(),
  };
}

let t: TestApp;
let tree: TestTree;
let dispatcher: Client;
let dispatcherCookie: string;

beforeAll(async () => {
  t = await createTestApp();
  setConsoleSink(() => {});
  tree = await makeTree(t.database);
  const d = await makeUser(t.database, 'dispatcher', [tree.district.id]);
  dispatcher = await signIn(t.app, d.username);
  dispatcherCookie = dispatcher.cookie;
});
afterAll(() => t.close());

describe('push to the console', () => {
  it('an SOS reaches a signed-in dispatcher over server-sent events, with ids only', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const stream = listen(t.app, dispatcherCookie);
    await stream.waitFor((s) => s.includes('event: ready'));
    const elder = await makeElder(t.database, tree.communityA1);
    const res = await dispatcher.post('/api/incidents', { elderId: elder.id, kind: 'sos_hotline' });
    const id = res.json().incident.id;
    await stream.waitFor((s) => s.includes(`"incidentId":${id}`) && s.includes('"change":"opened"'));
    expect(stream.text()).not.toContain(elder.name); // small payloads: the browser refetches
    stream.close();
    await dispatcher.post(`/api/incidents/${id}/transition`, { to: 'resolved', outcome: 'false_alarm' });
  });

  it('refuses the stream without a session', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/events' });
    expect(res.statusCode).toBe(401);
  });
});

describe.skipIf(!onServer)('several server processes on one PostgreSQL database', () => {
  const second: { app?: FastifyInstance; database?: Database } = {};
  const url = () =>
    (t.database.pool as unknown as { options: { connectionString: string } }).options.connectionString;
  async function another() {
    const database = await openPostgres(url(), 5);
    const app = await buildApp({
      database,
      config: loadConfig({ LOGIN_RATE_LIMIT: '1000' }),
      clock: t.clock,
    });
    return { app, database };
  }
  afterAll(async () => {
    await second.app?.close();
    await second.database?.close();
  });

  it('two processes sweeping together fire each step exactly once, and both push to their consoles', async () => {
    Object.assign(second, await another());
    await second.app!.listen({ port: 0, host: '127.0.0.1' });
    const onSecond = listen(second.app!, dispatcherCookie);
    await onSecond.waitFor((s) => s.includes('event: ready'));

    const ids: number[] = [];
    for (let i = 0; i < 12; i++) {
      const e = await makeElder(t.database, tree.communityA1, {
        circle: [
          {
            kind: 'relative',
            name: `亲属甲${i}`,
            relation: '儿子',
            phone: `1390001${String(i).padStart(4, '0')}`,
          },
          {
            kind: 'relative',
            name: `亲属乙${i}`,
            relation: '女儿',
            phone: `1390002${String(i).padStart(4, '0')}`,
          },
        ],
      });
      ids.push((await dispatcher.post('/api/incidents', { elderId: e.id, kind: 'fall' })).json().incident.id);
    }
    // the incident opened through process 1 is pushed to a console connected to process 2
    await onSecond.waitFor((s) => s.includes(`"incidentId":${ids[11]}`));

    for (let minute = 0; minute < 30; minute++) {
      t.clock.advance(60_000);
      const now = t.clock.now();
      await Promise.all([
        sweepOnce(t.app.deps, now, { batch: 3 }),
        sweepOnce(second.app!.deps, now, { batch: 3 }),
      ]);
    }
    const fired = await rows<{ incident_id: number; step: number; attempt: number; n: number }>(
      t.database.db,
      sql`SELECT incident_id, (details->>'stepIndex')::int AS step, (details->>'attempt')::int AS attempt, count(*)::int AS n
          FROM incident_events WHERE type IN ('step_fired', 'step_skipped') AND incident_id = ANY(${sql.param(ids)}::bigint[])
          GROUP BY 1, 2, 3`,
    );
    expect(fired.every((f) => f.n === 1)).toBe(true);
    // fall ladder: dispatcher, circle ×2 attempts, community worker, family doctor, 120 → 6 firings each
    expect(fired).toHaveLength(12 * 6);
    const [{ n }] = await rows<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM notifications WHERE incident_id = ANY(${sql.param(ids)}::bigint[]) AND whom = 'circle'`,
    );
    expect(n).toBe(12 * 2 * 2 * 2); // 2 relatives × voice+sms × 2 attempts
    const [{ pending }] = await rows<{ pending: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS pending FROM notifications WHERE status = 'pending'`,
    );
    expect(pending).toBe(0); // every message delivered once by one of the two processes
    onSecond.close();
    for (const id of ids)
      await dispatcher.post(`/api/incidents/${id}/transition`, { to: 'resolved', outcome: 'false_alarm' });
  });

  it('after a restart in the middle of a ladder the next step fires once, on time', async () => {
    const e = await makeElder(t.database, tree.communityA1, {
      circle: [{ kind: 'relative', name: '吴芳', relation: '女儿', phone: '13900009999' }],
    });
    const id = (await dispatcher.post('/api/incidents', { elderId: e.id, kind: 'sos_hotline' })).json()
      .incident.id;
    // sos_hotline: circle (wait 180 s, one repeat) → community worker … ; step 0 fired at once
    const steps = async () =>
      rows<{ type: string; at: Date }>(
        t.database.db,
        sql`SELECT type, at FROM incident_events WHERE incident_id = ${id} AND type LIKE 'step_%' ORDER BY id`,
      );
    expect(await steps()).toHaveLength(1);
    const opened = t.clock.now().getTime();

    // "stop the server": the second process goes away mid-ladder; a new one starts on the same database
    await second.app!.close();
    await second.database!.close();
    Object.assign(second, await another());
    t.clock.set(new Date(opened + 179_000));
    await sweepOnce(second.app!.deps, t.clock.now());
    expect(await steps()).toHaveLength(1);
    t.clock.set(new Date(opened + 180_000));
    await Promise.all([
      sweepOnce(second.app!.deps, t.clock.now()),
      sweepOnce(second.app!.deps, t.clock.now()),
    ]);
    const after = await steps();
    expect(after).toHaveLength(2);
    expect(new Date(after[1].at).getTime()).toBe(opened + 180_000);
    await dispatcher.post(`/api/incidents/${id}/transition`, { to: 'resolved', outcome: 'false_alarm' });
  });
});
