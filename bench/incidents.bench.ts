// Emergency-response benchmarks (issue 5), for bench/run.ts to call: `runIncidentsBench(opts)`.
//  1. device SOS POST → the event on a dispatcher console's SSE stream: latency percentiles at a
//     steady rate (target: p99 ≤ 100 ms at 50 SOS/s for 60 s);
//  2. with N open ladders, how late their steps fire (target: ≤ 1 s at 10,000): steps due evenly
//     over a minute (the steady state), then all due at one instant (the worst case).
// Runs in-process on a fresh database: a new one on the server named by `databaseUrl` (dropped at
// the end), or an in-memory PGlite.

import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/server/app.ts';
import { createAccountAsSystem } from '../src/server/modules/accounts/accounts.service.ts';
import { signDeviceEvent } from '../src/server/modules/devices/device-signature.ts';
import { insertDevicesBulk } from '../src/server/modules/devices/devices.bulk.ts';
import { insertElderRecordsBulk, insertEldersBulk } from '../src/server/modules/elders/elders.service.ts';
import { insertIncidentsBulk } from '../src/server/modules/incidents/incidents.service.ts';
import { setConsoleSink } from '../src/server/modules/notifications/channels.ts';
import { insertOrgsBulk } from '../src/server/modules/orgs/orgs.service.ts';
import { systemClock } from '../src/server/platform/clock.ts';
import { loadConfig } from '../src/server/platform/config.ts';
import { type Database, rows, withTx } from '../src/server/platform/db.ts';
import { startSweeper } from '../src/server/platform/sweeper.ts';
import { freshDatabase } from './fresh-db.ts';
import { summarize } from './load.ts';

export interface IncidentsBenchOptions {
  databaseUrl?: string;
  /** SOS per second, sustained */
  rate?: number;
  seconds?: number;
  /** open ladders due at one instant */
  openLadders?: number;
  sweepIntervalMs?: number;
  log?: (msg: string) => void;
}

export interface IncidentsBenchResult {
  backend: 'pglite' | 'postgres';
  sosToConsole: ReturnType<typeof summarize> & { rate: number; seconds: number; missed: number };
  ladderLag: LadderLag;
  ladderSpread: LadderLag;
}

interface LadderLag {
  openLadders: number;
  fired: number;
  p50: number;
  p99: number;
  max: number;
  allFiredMs: number;
}

/**
 * `n` open SOS ladders at their second step (the circle), due evenly over `spreadMs` from 3 s from now
 * (all at once when 0); the app's sweeper runs as in production. Lag = when the step fired (its
 * timeline event) − when it was due.
 */
async function ladderLag(
  database: Database,
  app: Awaited<ReturnType<typeof buildApp>>,
  city: { id: number; path: string },
  n: number,
  spreadMs: number,
  tag: string,
  sweepIntervalMs: number | undefined,
  log: (m: string) => void,
): Promise<LadderLag> {
  const elders = await bulkElders(database, city, n, tag);
  const base = new Date(Date.now() + 3000);
  const every = spreadMs / n;
  const triggeredAt = new Date();
  for (let i = 0; i < elders.length; i += 2000) {
    await insertIncidentsBulk(
      database.db,
      elders.slice(i, i + 2000).map((e, k) => ({
        elderId: e.id,
        orgPath: e.org_path,
        kind: 'sos_device',
        ladderKind: 'sos_device',
        severity: 'critical',
        state: 'open',
        stepIndex: 1,
        stepAttempt: 0,
        nextStepAt: new Date(base.getTime() + (i + k) * every),
        triggeredAt,
      })),
    );
  }
  await database.db.execute(sql`ANALYZE incidents`);
  const due = new Map(
    (
      await rows<{ id: number; due: Date }>(
        database.db,
        sql`SELECT i.id, i.next_step_at AS due FROM incidents i JOIN elders e ON e.id = i.elder_id
            WHERE e.id_number LIKE ${`${tag}%`}`,
      )
    ).map((r) => [Number(r.id), new Date(r.due).getTime()]),
  );
  const sweeper = startSweeper(app.deps, { intervalMs: sweepIntervalMs ?? 100 });
  const deadline = Date.now() + spreadMs + 120_000;
  let fired = 0;
  let allFiredMs = -1;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    const [{ left }] = await rows<{ left: number }>(
      database.db,
      sql`SELECT count(*)::int AS left FROM incidents i JOIN elders e ON e.id = i.elder_id
          WHERE e.id_number LIKE ${`${tag}%`} AND i.step_index = 1 AND i.step_attempt = 0`,
    );
    fired = n - left;
    if (left === 0) {
      allFiredMs = Date.now() - (base.getTime() + spreadMs);
      break;
    }
  }
  await sweeper.stop();
  const events = await rows<{ id: number; at: Date }>(
    database.db,
    sql`SELECT ev.incident_id AS id, ev.at FROM incident_events ev JOIN incidents i ON i.id = ev.incident_id
        JOIN elders e ON e.id = i.elder_id
        WHERE e.id_number LIKE ${`${tag}%`} AND ev.type IN ('step_fired', 'step_skipped')`,
  );
  const s = summarize(
    events.map((ev) => new Date(ev.at).getTime() - (due.get(Number(ev.id)) ?? 0)),
    0,
    1,
  );
  log(`incidents bench: ${fired}/${n} fired, p99 lag ${s.p99} ms`);
  // acknowledged, so the next scenario measures only its own ladders
  await database.db.execute(
    sql`UPDATE incidents SET state = 'acknowledged', next_step_at = NULL WHERE state = 'open'`,
  );
  return { openLadders: n, fired, p50: s.p50, p99: s.p99, max: s.max, allFiredMs };
}

/** Elders with one relative each, through the registry's bulk path. */
async function bulkElders(database: Database, org: { id: number; path: string }, n: number, tag: string) {
  const out: { id: number; org_path: string }[] = [];
  for (let start = 1; start <= n; start += 5000) {
    const count = Math.min(5000, n - start + 1);
    await withTx(database.db, async (tx) => {
      const made = await insertEldersBulk(
        tx,
        Array.from({ length: count }, (_, k) => ({
          org_id: org.id,
          org_path: org.path,
          name: `压测老人${start + k}`,
          gender: 'F' as const,
          id_number: `${tag}${String(start + k).padStart(12, '0')}`,
          birth_date: '1940-01-01',
          phones: ['13800000000'],
        })),
      );
      await insertElderRecordsBulk(tx, {
        circle: made.map((e) => ({
          elder_id: e.id,
          org_path: e.org_path,
          kind: 'relative',
          name: '家属',
          relation: '子女',
          phones: [`139${String(e.id).padStart(8, '0')}`],
          priority: 0,
        })),
      });
      out.push(...made);
    });
  }
  return out;
}

type Row = { scenario: string; backend: string; [k: string]: unknown };

/**
 * What bench/run.ts calls (with its generic `{ seconds, concurrency, backend }`): on the server named by
 * DATABASE_URL or PGlite; INCIDENTS_BENCH_SECONDS (else `seconds`, else 60), INCIDENTS_BENCH_RATE (50 SOS/s)
 * and INCIDENTS_BENCH_LADDERS (10,000) set the scale. Returns table rows.
 */
export async function runIncidentsBench(
  opts: IncidentsBenchOptions & { backend?: string; concurrency?: number } = {},
): Promise<Row[]> {
  const env = (k: string) => (process.env[k] ? Number(process.env[k]) : undefined);
  const r = await measureIncidents({
    ...opts,
    databaseUrl: opts.databaseUrl ?? (process.env.DATABASE_URL || undefined),
    seconds: env('INCIDENTS_BENCH_SECONDS') ?? opts.seconds,
    rate: env('INCIDENTS_BENCH_RATE') ?? opts.rate,
    openLadders: env('INCIDENTS_BENCH_LADDERS') ?? opts.openLadders,
    log: opts.log ?? ((m: string) => console.error(m)),
  });
  const { rate, seconds, missed, ...sos } = r.sosToConsole;
  return [
    {
      scenario: `incidents: device SOS POST → dispatcher console SSE, ${rate} SOS/s for ${seconds} s (target p99 ≤ 100 ms)`,
      backend: r.backend,
      ...sos,
      missed,
      pass: missed === 0 && sos.p99 <= 100,
    },
    {
      scenario: `incidents: ${r.ladderSpread.openLadders} open ladders, steps due over 60 s, step lag (target ≤ 1 s)`,
      backend: r.backend,
      ...r.ladderSpread,
      pass: r.ladderSpread.fired === r.ladderSpread.openLadders && r.ladderSpread.max <= 1000,
    },
    {
      scenario: `incidents: ${r.ladderLag.openLadders} open ladders due at one instant, step lag (target ≤ 1 s)`,
      backend: r.backend,
      ...r.ladderLag,
      pass: r.ladderLag.fired === r.ladderLag.openLadders && r.ladderLag.max <= 1000,
    },
  ];
}

async function measureIncidents(opts: IncidentsBenchOptions = {}): Promise<IncidentsBenchResult> {
  const rate = opts.rate ?? 50;
  const seconds = opts.seconds ?? 60;
  const openLadders = opts.openLadders ?? 10_000;
  const log = opts.log ?? (() => {});
  setConsoleSink(() => {});
  const { database, drop } = await freshDatabase(opts.databaseUrl, 'inc');
  const config = loadConfig({ LOGIN_RATE_LIMIT: '100000', NODE_ENV: 'development' });
  const app = await buildApp({ database, config, clock: systemClock });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const [city] = await insertOrgsBulk(database.db, [
      { tree: 'geo', kind: 'city', parentId: null, parentPath: '/', name: '压测市' },
    ]);
    const password = 'bench-pass-1';
    await createAccountAsSystem(database.db, {
      username: 'bench_dispatcher',
      displayName: '压测调度员',
      password,
      role: 'dispatcher',
      carerKind: null,
      scopeOrgIds: [city.id],
    });
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'bench_dispatcher', password },
    });
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');

    // 1. SOS → console
    const total = rate * seconds;
    log(`incidents bench: ${total} elders with devices…`);
    const elders = await bulkElders(database, city, total, 'B1');
    const secret = randomBytes(32).toString('hex');
    for (let i = 0; i < elders.length; i += 5000) {
      await insertDevicesBulk(
        database.db,
        elders.slice(i, i + 5000).map((e) => ({
          id: `dev_b_${e.id}`,
          elderId: e.id,
          orgPath: e.org_path,
          kind: 'one_key_phone',
          secret,
          heartbeatPeriodSeconds: 86400,
          createdAt: new Date(),
        })),
      );
    }
    const sentAt = new Map<number, number>();
    const latencies: number[] = [];
    let buf = '';
    const stream = http.get({ host: '127.0.0.1', port, path: '/api/events', headers: { cookie } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i = buf.indexOf('\n\n');
        while (i >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const m = /"change":"opened"/.test(frame) ? /"incidentId":(\d+)/.exec(frame) : null;
          if (m) pending.push({ incidentId: Number(m[1]), at: performance.now() });
          i = buf.indexOf('\n\n');
        }
      });
    });
    const pending: { incidentId: number; at: number }[] = [];
    await new Promise((r) => setTimeout(r, 300));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const post = (elderId: number) =>
      new Promise<void>((resolve) => {
        const body = JSON.stringify({ eventId: `b-${elderId}`, kind: 'sos', at: new Date().toISOString() });
        const ts = String(Math.floor(Date.now() / 1000));
        const t0 = performance.now();
        const req = http.request(
          {
            agent,
            host: '127.0.0.1',
            port,
            path: `/api/devices/dev_b_${elderId}/events`,
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-device-timestamp': ts,
              'x-device-signature': signDeviceEvent(secret, ts, body),
            },
          },
          (res) => {
            let data = '';
            res.on('data', (c) => (data += c));
            res.on('end', () => {
              try {
                sentAt.set(JSON.parse(data).incidentId, t0);
              } catch {
                /* counted as missed */
              }
              resolve();
            });
          },
        );
        req.on('error', () => resolve());
        req.end(body);
      });
    log(`incidents bench: ${rate} SOS/s for ${seconds} s…`);
    const inflight: Promise<void>[] = [];
    const start = performance.now();
    for (let k = 0; k < total; k++) {
      const due = start + (k * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      inflight.push(post(elders[k].id));
    }
    await Promise.all(inflight);
    await new Promise((r) => setTimeout(r, 500));
    for (const p of pending) {
      const t0 = sentAt.get(p.incidentId);
      if (t0 != null) latencies.push(p.at - t0);
    }
    stream.destroy();
    agent.destroy();
    const sosToConsole = {
      ...summarize(latencies, total - latencies.length, seconds),
      rate,
      seconds,
      missed: total - latencies.length,
    };

    // the SOS run's incidents are acknowledged: the ladder scenarios below measure their own
    await database.db.execute(
      sql`UPDATE incidents SET state = 'acknowledged', next_step_at = NULL WHERE state = 'open'`,
    );

    // 2. N open ladders whose next steps fall due evenly over a minute (the steady state), then
    // 3. N open ladders due at one instant (the worst case: a city-wide event), fired by the running sweeper
    log(`incidents bench: ${openLadders} open ladders, due over 60 s…`);
    const spread = await ladderLag(database, app, city, openLadders, 60_000, 'B2', opts.sweepIntervalMs, log);
    log(`incidents bench: ${openLadders} open ladders, due at one instant…`);
    const burst = await ladderLag(database, app, city, openLadders, 0, 'B3', opts.sweepIntervalMs, log);
    return {
      backend: database.kind,
      sosToConsole,
      ladderLag: burst,
      ladderSpread: spread,
    };
  } finally {
    await app.close();
    await drop();
  }
}
