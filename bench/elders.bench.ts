// Registry search benchmark (issue 3), for bench/run.ts to call: `runEldersBench(opts)`.
// Target: GET /api/elders?q=… p95 ≤ 50 ms at 100k elders on PostgreSQL, for each kind of search a
// front desk types: a surname (Chinese name prefix), the pinyin initials of a name, the last 4 digits of
// a phone. q varies per request, drawn from values present in the registry.
// Scale: ELDERS_BENCH_ELDERS (default 100,000 on PostgreSQL, 20,000 on PGlite). Runs in-process on a
// fresh database (a new one on the server named by DATABASE_URL, dropped at the end, or in-memory
// PGlite), seeded with one fictional district — the orgs of `seed district`, the demo's elders written
// through the registry's bulk path (elders.bulk-insert.ts) — and signed in as a manager scoped to the whole district
// (the widest registry scope: the search alone narrows the rows).

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/server/app.ts';
import { createAccountAsSystem } from '../src/server/modules/accounts/accounts.service.ts';
import { insertDemoElders } from '../src/server/modules/demo/demo.elders.ts';
import { insertOrgsBulk } from '../src/server/modules/orgs/orgs.service.ts';
import { systemClock } from '../src/server/platform/clock.ts';
import { loadConfig } from '../src/server/platform/config.ts';
import { type Database, rows } from '../src/server/platform/db.ts';
import { freshDatabase } from './fresh-db.ts';
import { type LoadResult, summarize } from './load.ts';

export interface EldersBenchOptions {
  seconds?: number;
  concurrency?: number;
  backend?: string;
  elders?: number;
  log?: (msg: string) => void;
}

type Row = { scenario: string; backend: string; [k: string]: unknown };

const TARGET_P95_MS = 50;

/** The org tree of `seed district`: one district, 14 streets × 14 communities × 6 grids. */
async function buildDistrict(database: Database) {
  const db = database.db;
  const [city] = await insertOrgsBulk(db, [
    { tree: 'geo', kind: 'city', parentId: null, parentPath: '/', name: '基准市' },
  ]);
  const [district] = await insertOrgsBulk(db, [
    { tree: 'geo', kind: 'district', parentId: city.id, parentPath: city.path, name: '基准区' },
  ]);
  const streets = await insertOrgsBulk(
    db,
    Array.from({ length: 14 }, (_, i) => ({
      tree: 'geo',
      kind: 'street',
      parentId: district.id,
      parentPath: district.path,
      name: `基准街道${i + 1}`,
      sortOrder: i,
    })),
  );
  const communities = await insertOrgsBulk(
    db,
    streets.flatMap((s) =>
      Array.from({ length: 14 }, (_, i) => ({
        tree: 'geo',
        kind: 'community',
        parentId: s.id,
        parentPath: s.path,
        name: `${s.name}第${i + 1}社区`,
        sortOrder: i,
      })),
    ),
  );
  const grids = await insertOrgsBulk(
    db,
    communities.flatMap((c) =>
      Array.from({ length: 6 }, (_, i) => ({
        tree: 'geo',
        kind: 'grid',
        parentId: c.id,
        parentPath: c.path,
        name: `第${i + 1}网格`,
        sortOrder: i,
      })),
    ),
  );
  return { district, communities, grids };
}

/** Search terms taken from the registry itself: surnames, initials of names, phone tails. */
async function searchTerms(database: Database) {
  const surnames = await rows<{ s: string }>(
    database.db,
    sql`SELECT left(name, 1) AS s FROM elders GROUP BY 1 ORDER BY count(*) DESC`,
  );
  const initials = await rows<{ s: string }>(
    database.db,
    sql`SELECT DISTINCT name_initials AS s FROM (SELECT name_initials FROM elders ORDER BY random() LIMIT 500) x`,
  );
  const tails = await rows<{ s: string }>(
    database.db,
    sql`SELECT DISTINCT right(phones[1], 4) AS s
        FROM (SELECT phones FROM elders WHERE cardinality(phones) > 0 ORDER BY random() LIMIT 500) x`,
  );
  return {
    surname: surnames.map((r) => r.s),
    initials: initials.map((r) => r.s),
    phoneTail: tails.map((r) => r.s),
  };
}

async function signIn(port: number, username: string, password: string) {
  const r = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!r.ok) throw new Error(`elders bench: sign-in failed with ${r.status}`);
  const cookie = r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie };
}

/** Closed-loop GETs, `concurrency` at a time for `seconds`, each with the next term of `terms`. */
async function drive(
  port: number,
  cookie: string,
  terms: string[],
  concurrency: number,
  seconds: number,
): Promise<LoadResult & { avgItems: number; emptyShare: number; errorStatuses?: string }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let errors = 0;
  let items = 0;
  let empty = 0;
  let seq = 0;
  const t0 = Date.now();
  const end = t0 + seconds * 1000;
  const loop = async () => {
    while (Date.now() < end) {
      const q = terms[seq++ % terms.length];
      const start = process.hrtime.bigint();
      await new Promise<void>((resolve) => {
        const req = http.request(
          {
            agent,
            host: '127.0.0.1',
            port,
            path: `/api/elders?q=${encodeURIComponent(q)}`,
            method: 'GET',
            headers: { cookie },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const ms = Number(process.hrtime.bigint() - start) / 1e6;
              if (res.statusCode !== 200) {
                errors++;
                statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
              } else {
                latencies.push(ms);
                const found = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { items: unknown[] })
                  .items.length;
                items += found;
                if (found === 0) empty++;
              }
              resolve();
            });
          },
        );
        req.on('error', () => {
          errors++;
          resolve();
        });
        req.end();
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  agent.destroy();
  const r = summarize(latencies, errors, (Date.now() - t0) / 1000);
  const ok = latencies.length || 1;
  return {
    ...r,
    avgItems: Math.round((items / ok) * 10) / 10,
    emptyShare: Math.round((empty / ok) * 1000) / 1000,
    ...(errors ? { errorStatuses: JSON.stringify(statuses) } : {}),
  };
}

export async function runEldersBench(opts: EldersBenchOptions = {}): Promise<Row[]> {
  const url = process.env.DATABASE_URL || undefined;
  const backend = url ? 'postgres' : 'pglite';
  const fromEnv = process.env.ELDERS_BENCH_ELDERS;
  const n = opts.elders ?? Number(fromEnv || (url ? 100_000 : 20_000));
  const scale =
    !url && !opts.elders && !fromEnv
      ? `${n} elders (PGlite default; target is at 100k on PostgreSQL)`
      : `${n} elders`;
  const seconds = opts.seconds ?? 10;
  const concurrency = opts.concurrency ?? 20;
  const log = opts.log ?? ((m: string) => console.error(m));
  const out: Row[] = [];
  const { database, drop } = await freshDatabase(url, 'elders');
  const app = await buildApp({
    database,
    config: loadConfig({ LOGIN_RATE_LIMIT: '100000', NODE_ENV: 'development' }),
    clock: systemClock,
  });
  try {
    const t = performance.now();
    const { district, communities, grids } = await buildDistrict(database);
    log(`elders bench: seeding ${n} elders over ${grids.length} grids`);
    // the demo's elders (their circles, conditions, assessments too), through the registry's bulk path
    await insertDemoElders(
      database.db,
      n,
      { grids, communities, units: [], departments: [] },
      { label: 'elders bench: elders', chunk: 5000 },
    );
    out.push({
      scenario: `elders: seed ${scale} (bulk insert + VACUUM ANALYZE; setup)`,
      backend,
      ms: Math.round(performance.now() - t),
    });

    const password = 'bench-pass-1';
    await createAccountAsSystem(database.db, {
      username: 'bench_manager',
      displayName: '压测区级主管',
      password,
      role: 'manager',
      scopeOrgIds: [district.id],
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const { cookie } = await signIn(port, 'bench_manager', password);
    const terms = await searchTerms(database);

    await drive(port, cookie, [...terms.surname, ...terms.initials, ...terms.phoneTail], concurrency, 2); // warm-up
    const kinds = [
      ['surname', '姓氏（中文姓名前缀）', terms.surname],
      ['initials', '拼音首字母', terms.initials],
      ['phoneTail', '手机尾号 4 位', terms.phoneTail],
    ] as const;
    // one user typing (the latency of a search itself), then `concurrency` users at once (on 2 cores
    // a closed loop of 20 mostly measures queueing: latency ≈ concurrency / throughput)
    for (const c of [...new Set([1, concurrency])]) {
      for (const [kind, zh, list] of kinds) {
        const r = await drive(port, cookie, list, c, seconds);
        out.push({
          scenario: `elders: GET /api/elders?q=<${kind}: ${zh}>, ${scale}, district manager, ${c} concurrent`,
          backend,
          elders: n,
          distinctTerms: list.length,
          concurrency: c,
          ...r,
          target: `p95 ≤ ${TARGET_P95_MS} ms`,
          pass: r.errors === 0 && r.p95 <= TARGET_P95_MS,
        });
        log(
          `elders bench: ${kind} × ${c}: p50 ${r.p50} ms, p95 ${r.p95} ms, p99 ${r.p99} ms, ${r.rps} req/s`,
        );
      }
    }
  } finally {
    await app.close();
    await drop();
  }
  return out;
}
