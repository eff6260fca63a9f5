// Care-network benchmarks (issue 4), for bench/run.ts to call: `runCareBench(opts)`.
//  1. GET /api/worklist p95 at 50 concurrent requests (target ≤ 20 ms at city scale);
//  2. POST /api/contacts per second vs a raw single-row INSERT ceiling measured in the same run with
//     the same driver and pool (target ≥ 50 %);
//  3. the daily re-plan and the 20:00 silence sweep over the registry (target ≤ 2 s at 1 M elders,
//     cost growing with due rows, not with the registry).
// Scale: CARE_BENCH_ELDERS (default 200,000 on PostgreSQL, 20,000 on PGlite; city scale is 1,000,000) and
// CARE_BENCH_CONTACTS_PER_ELDER (default 10 → 10 M contacts at city scale). Runs in-process on a
// fresh database (a new one on the server named by DATABASE_URL, dropped at the end, or PGlite).
//
// The server runs on this process's main thread; the HTTP load comes from wrk when it is installed
// (`apt-get install wrk`; bench/care-load.wrk.ts), else from a worker thread (bench/care-load.worker.ts),
// so its work does not steal the server's event loop and the latencies measure the server. wrk costs
// the two cores far less than a Node.js client (docs/benchmarks.md); each row names its generator. Each closed-loop phase (worklist, raw INSERT, contacts) has a 2-second warm-up
// that is not measured. Contact writers are spread so that no two requests in flight write for the
// same elder (see eldersOfConnection), and the raw INSERT ceiling uses the same elders, connections and
// pool — see docs/benchmarks.md.

import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/server/app.ts';
import { createAccountAsSystem } from '../src/server/modules/accounts/accounts.service.ts';
import { dailyReplan, sweepSilence } from '../src/server/modules/care/care.jobs.ts';
import { insertContactsFrom, insertPairingsFrom, replan } from '../src/server/modules/care/care.service.ts';
import { insertElderRecordsBulk, insertEldersBulk } from '../src/server/modules/elders/elders.service.ts';
import { refreshCoverageRollup } from '../src/server/modules/reports/coverage.service.ts';
import { systemClock } from '../src/server/platform/clock.ts';
import { loadConfig } from '../src/server/platform/config.ts';
import { type Database, rows, withTx } from '../src/server/platform/db.ts';
import {
  type CareLoadClient,
  type CareLoadJob,
  type CareLoadResult,
  eldersOfConnection,
} from './care-load.worker.ts';
import { wrkCareLoad } from './care-load.wrk.ts';
import { freshDatabase } from './fresh-db.ts';
import { summarize } from './load.ts';
import { wrkAvailable } from './wrk.ts';

export interface CareBenchOptions {
  seconds?: number;
  concurrency?: number;
  backend?: string;
  elders?: number;
  contactsPerElder?: number;
  log?: (msg: string) => void;
}

type Row = { scenario: string; backend: string; [k: string]: unknown };

const ELDERS_PER_CARER = 30;

/** A city of `n` elders in 100 communities, one carer per 30 elders, paired; all set-based. */
async function buildCity(database: Database, n: number, contactsPerElder: number, log: (m: string) => void) {
  const ex = (q: ReturnType<typeof sql>) => database.db.execute(q);
  await ex(
    sql`INSERT INTO orgs (tree, kind, parent_id, name, path, depth) VALUES ('geo', 'city', NULL, '压测市', '/1/', 1)`,
  );
  await ex(sql`INSERT INTO orgs (tree, kind, parent_id, name, path, depth)
    SELECT 'geo', 'community', 1, '压测社区' || g, '/1/' || (g + 1) || '/', 2 FROM generate_series(1, 100) g`);
  log(`care bench: ${n} elders`);
  // through the registry's bulk path: a fifth living alone (daily check-ins), a fifth empty-nest
  const day0 = Date.UTC(1925, 0, 1);
  for (let start = 1; start <= n; start += 5000) {
    await insertEldersBulk(
      database.db,
      Array.from({ length: Math.min(5000, n - start + 1) }, (_, k) => {
        const g = start + k;
        const living = g % 5 === 0 ? '独居' : g % 5 === 1 ? '空巢' : '与子女同住';
        return {
          org_id: 2 + (g % 100),
          org_path: `/1/${2 + (g % 100)}/`,
          name: `压测老人${g}`,
          gender: g % 2 === 0 ? ('F' as const) : ('M' as const),
          id_number: `B${String(g).padStart(17, '0')}`,
          birth_date: new Date(day0 + ((g * 7919) % 14000) * 86400_000).toISOString().slice(0, 10),
          phones: [`138${String(g % 100000000).padStart(8, '0')}`],
          living_situation: living,
          difficulty_groups: living === '与子女同住' ? [] : [living],
          hearing_impaired: g % 17 === 0,
        };
      }),
    );
  }
  const carers = Math.ceil(n / ELDERS_PER_CARER);
  log(`care bench: ${carers} carers`);
  await ex(sql`INSERT INTO users (username, display_name, password_hash, role, carer_kind)
    SELECT 'bc' || g, '压测志愿者' || g, 'x', 'carer', 'volunteer' FROM generate_series(1, ${carers}) g`);
  await ex(
    sql`INSERT INTO user_scopes (user_id, org_id) SELECT u.id, 2 + (u.id % 100) FROM users u WHERE u.username LIKE 'bc%'`,
  );
  await insertPairingsFrom(
    database.db,
    sql`SELECT u.id AS carer_id, e.id AS elder_id, e.org_path
        FROM elders e JOIN users u ON u.username = 'bc' || ((e.id - 1) / ${ELDERS_PER_CARER} + 1)`,
  );
  const pairs = await rows<{ carer_id: number; elder_id: number; org_path: string }>(
    database.db,
    sql`SELECT carer_id, elder_id, org_path FROM carer_pairings ORDER BY id`,
  );
  for (let i = 0; i < pairs.length; i += 5000) {
    await insertElderRecordsBulk(database.db, {
      circle: pairs.slice(i, i + 5000).map((p) => ({
        elder_id: p.elder_id,
        org_path: p.org_path,
        kind: 'carer',
        name: '志愿者',
        priority: 50,
        user_id: p.carer_id,
      })),
    });
  }
  if (contactsPerElder > 0) {
    log(`care bench: ${n * contactsPerElder} contacts`);
    for (let k = 0; k < contactsPerElder; k++) {
      await insertContactsFrom(
        database.db,
        sql`SELECT 'h' || ${k} || '-' || p.elder_id AS idempotency_key, p.elder_id, p.org_path, p.carer_id,
            now() - make_interval(days => 1 + ${k} * 9) AS contacted_at, 'phone' AS channel,
            CASE WHEN (p.elder_id + ${k}) % 20 = 0 THEN 'not_reached_no_answer' ELSE 'reached_ok' END AS outcome,
            NULL::text[] AS needs, NULL::text AS concern, NULL::int AS duration_min, NULL::text AS note,
            NULL::timestamptz AS recorded_at
          FROM carer_pairings p`,
      );
    }
  }
  await ex(sql`ANALYZE`);
}

async function signIn(port: number, username: string, password: string) {
  const r = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const cookie = r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const csrf = ((await r.json()) as { csrfToken: string }).csrfToken;
  return { cookie, csrf };
}

const WARMUP_SECONDS = 2;

/**
 * Closed-loop HTTP requests: from wrk when it is installed (bench/care-load.wrk.ts; CARE_BENCH_LOAD=worker
 * forces the other), else from a worker thread (bench/care-load.worker.ts). The row says which.
 */
async function load(job: CareLoadJob): Promise<CareLoadResult & { generator: string }> {
  if (process.env.CARE_BENCH_LOAD !== 'worker' && wrkAvailable()) {
    return { ...(await wrkCareLoad(job)), generator: 'wrk' };
  }
  return { ...(await workerLoad(job)), generator: 'worker thread' };
}

function workerLoad(job: CareLoadJob): Promise<CareLoadResult> {
  return new Promise((resolve, reject) => {
    // the worker loads its TypeScript through tsx's API (a worker does not inherit the loader hooks)
    const file = new URL('./care-load.worker.ts', import.meta.url).href;
    const tsx = import.meta.resolve('tsx/esm/api');
    const worker = new Worker(
      `import(${JSON.stringify(tsx)}).then((m) => m.tsImport(${JSON.stringify(file)}, ${JSON.stringify(file)}))`,
      { eval: true, workerData: job },
    );
    worker.once('message', (r: CareLoadResult) => {
      resolve(r);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0 && code !== 1) reject(new Error(`load worker exited with ${code}`));
    });
  });
}

export async function runCareBench(opts: CareBenchOptions = {}): Promise<Row[]> {
  const url = process.env.DATABASE_URL || undefined;
  const backend = url ? 'postgres' : 'pglite';
  const n = opts.elders ?? Number(process.env.CARE_BENCH_ELDERS ?? (url ? 200_000 : 20_000));
  const perElder = opts.contactsPerElder ?? Number(process.env.CARE_BENCH_CONTACTS_PER_ELDER ?? 10);
  const seconds = opts.seconds ?? 10;
  const concurrency = 50;
  const log = opts.log ?? ((m: string) => console.error(m));
  const out: Row[] = [];
  const { database, drop } = await freshDatabase(url, 'care');
  const app = await buildApp({
    database,
    config: loadConfig({ LOGIN_RATE_LIMIT: '100000', NODE_ENV: 'development' }),
    clock: systemClock,
  });
  try {
    let t = performance.now();
    await buildCity(database, n, perElder, log);
    out.push({
      scenario: `care: build ${n} elders + ${n * perElder} contacts (setup)`,
      backend,
      ms: Math.round(performance.now() - t),
    });

    t = performance.now();
    const first = await withTx(database.db, (tx) => replan(tx, new Date()));
    out.push({
      scenario: `care: first plan of ${n} elders (one statement per template)`,
      backend,
      ms: Math.round(performance.now() - t),
      duties: first.upserted,
    });
    t = performance.now();
    const again = await withTx(database.db, (tx) => replan(tx, new Date()));
    out.push({
      scenario: `care: full re-plan of ${n} elders (admin action), nothing changed`,
      backend,
      ms: Math.round(performance.now() - t),
      changed: again.upserted,
    });
    t = performance.now();
    const daily = await dailyReplan({ db: database.db, clock: systemClock }, new Date(), new Date());
    out.push({
      scenario: `care: daily re-plan sweep over ${n} elders (changed + birthdays only)`,
      backend,
      ms: Math.round(performance.now() - t),
      changed: daily.upserted,
    });

    // steady state before measuring: the bulk setup above left millions of fresh rows for autovacuum,
    // which would otherwise work through them during the timed phases (minutes at city scale)
    t = performance.now();
    await database.db.execute(sql`VACUUM (ANALYZE)`);
    out.push({
      scenario: 'care: VACUUM (ANALYZE) after setup',
      backend,
      ms: Math.round(performance.now() - t),
    });

    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const password = 'bench-pass-1';
    const clients: CareLoadClient[] = [];
    const carerIds: number[] = [];
    for (let i = 0; i < 10; i++) {
      const u = await createAccountAsSystem(database.db, {
        username: `bench_carer_${i}`,
        displayName: `压测关爱人员${i}`,
        password,
        role: 'carer',
        carerKind: 'volunteer',
        scopeOrgIds: [2 + i],
      });
      // each bench carer takes over one generated carer's 30 elders (a realistic worklist)
      await database.db.execute(
        sql`UPDATE carer_pairings SET carer_id = ${u.id} WHERE carer_id = (SELECT id FROM users WHERE username = ${`bc${i * Math.max(1, Math.floor(n / ELDERS_PER_CARER / 10)) + 1}`})`,
      );
      await database.db.execute(
        sql`UPDATE circle_contacts SET user_id = ${u.id} WHERE kind = 'carer' AND user_id = (SELECT id FROM users WHERE username = ${`bc${i * Math.max(1, Math.floor(n / ELDERS_PER_CARER / 10)) + 1}`})`,
      );
      await database.db.execute(
        sql`UPDATE duties SET assignee_id = ${u.id} WHERE assignee_id = (SELECT id FROM users WHERE username = ${`bc${i * Math.max(1, Math.floor(n / ELDERS_PER_CARER / 10)) + 1}`})`,
      );
      const elderIds = (
        await rows<{ elder_id: number }>(
          database.db,
          sql`SELECT elder_id FROM carer_pairings WHERE carer_id = ${u.id}`,
        )
      ).map((r) => r.elder_id);
      clients.push({ ...(await signIn(port, `bench_carer_${i}`, password)), elderIds });
      carerIds.push(u.id);
    }

    const job = { port, clients, concurrency, seconds, warmupSeconds: WARMUP_SECONDS };
    const wl = await load({ ...job, kind: 'worklist' });
    out.push({
      scenario: `care: GET /api/worklist, ${concurrency} concurrent (target p95 ≤ 20 ms)`,
      backend,
      ...wl,
    });

    // raw ceiling: single-row INSERTs into contacts through the same driver and pool, same concurrency,
    // the same elders per connection as the contact writers below
    const rawLat: number[] = [];
    let rawSeq = 0;
    let measuring = false;
    const rawPhase = async (secs: number) => {
      const end = Date.now() + secs * 1000;
      await Promise.all(
        Array.from({ length: concurrency }, async (_, w) => {
          const elders = eldersOfConnection(clients, concurrency, w);
          const carerId = carerIds[w % clients.length];
          for (let n = 0; Date.now() < end; n++) {
            const s = process.hrtime.bigint();
            await database.query(
              `INSERT INTO contacts (idempotency_key, elder_id, org_path, carer_id, contacted_at, channel, outcome)
               SELECT $1, e.id, e.org_path, $3, now(), 'phone', 'reached_ok' FROM elders e WHERE e.id = $2`,
              [`raw-${rawSeq++}-${w}`, elders[n % elders.length], carerId],
            );
            if (measuring) rawLat.push(Number(process.hrtime.bigint() - s) / 1e6);
          }
        }),
      );
    };
    await rawPhase(WARMUP_SECONDS);
    measuring = true;
    const rawT0 = Date.now();
    await rawPhase(seconds);
    const raw = summarize(rawLat, 0, (Date.now() - rawT0) / 1000);
    out.push({ scenario: 'care: raw single-row INSERT into contacts (ceiling)', backend, ...raw });

    const writes = await load({ ...job, kind: 'contacts' });
    out.push({
      scenario: 'care: POST /api/contacts (advances duties, audit, same transaction)',
      backend,
      ...writes,
      ofRawCeiling: raw.rps ? Math.round((writes.rps / raw.rps) * 100) / 100 : null,
    });

    out.push(...(await coverageScenarios(database, port, n, backend, password)));

    // the 20:00 silence sweep, twice: an ordinary evening (95 % of the daily check-ins were made during
    // the day, as carers record them), then an evening when nobody was reached (the worst case: every
    // daily duty raises an alert). Each run counts the care sweep and the hand-off to incidents (open
    // the incident, fire its first step) until the due deadline group is checked.
    const [due] = await rows<{ at: Date | string; n: number }>(
      database.db,
      sql`SELECT max(silence_check_at) AS at, count(*)::int AS n FROM duties WHERE active AND silence_check_at IS NOT NULL`,
    );
    if (due?.n) {
      const evening = async (at: Date, reachedShare: number, label: string) => {
        if (reachedShare > 0) {
          await database.db.execute(
            sql`INSERT INTO contacts (idempotency_key, elder_id, org_path, carer_id, contacted_at, channel, outcome)
                SELECT 'day-' || d.id, d.elder_id, d.org_path, p.carer_id,
                  ${at.toISOString()}::timestamptz - interval '3 hours', 'phone', 'reached_ok'
                FROM duties d JOIN carer_pairings p ON p.elder_id = d.elder_id
                WHERE d.active AND d.silence_check_at IS NOT NULL AND d.elder_id % 100 < ${Math.round(reachedShare * 100)}`,
          );
        }
        const incidentsBefore = await countIncidents(database);
        const wall0 = Date.now();
        const t0 = performance.now();
        // every deadline group due at `at` (here one: 20:00 of that day), checked and handed over
        // the app's deps: with its database handle the sweep hands its alerts over at once (decision 0016)
        const alerts = (await sweepSilence(app.deps, at)).length;
        out.push({
          scenario: `care: 20:00 silence sweep, ${due.n} daily duties due, ${label}`,
          backend,
          ms: Math.round(performance.now() - t0),
          // the care sweep's own part: alerts raised and committed, when the first incident opens
          alertsCommittedMs: await firstIncidentAfter(database, wall0),
          alerts,
          incidentsOpened: (await countIncidents(database)) - incidentsBefore,
        });
      };
      const at = new Date(new Date(due.at).getTime() + 60_000);
      await evening(at, 0.95, '95 % reached during the day');
      await evening(new Date(at.getTime() + 86_400_000), 0, 'nobody reached (worst case)');
    }
  } finally {
    await app.close();
    await drop();
  }
  return out;
}

/**
 * The coverage dashboard at the city root (decision 0006): the rollup's refresh over the registry — the
 * first (every row inserted) and the next (only changed rows written), as the `reports.coverage` job runs
 * it every 10 minutes — then GET /api/coverage at the root through HTTP: a few sequential requests
 * reading the rollup (median), and one counted live as before the rollup, for comparison.
 */
async function coverageScenarios(
  database: Database,
  port: number,
  n: number,
  backend: string,
  password: string,
) {
  const deps = { db: database.db, clock: systemClock };
  let t = performance.now();
  const firstInner = await refreshCoverageRollup(deps, new Date());
  const firstMs = Math.round(performance.now() - t);
  t = performance.now();
  const againInner = await refreshCoverageRollup(deps, new Date());
  const againMs = Math.round(performance.now() - t);
  const [size] = await rows<{ nodes: number; duties: number; carers: number }>(
    database.db,
    sql`SELECT (SELECT count(*) FROM coverage_rollups)::int AS nodes,
      (SELECT count(*) FROM coverage_rollup_duties)::int AS duties,
      (SELECT count(*) FROM coverage_rollup_carers)::int AS carers`,
  );
  const out: Row[] = [
    {
      scenario: `care: coverage rollup refresh over ${n} elders (first, then the next run)`,
      backend,
      firstMs,
      againMs,
      firstInnerMs: firstInner,
      againInnerMs: againInner,
      rollupRows: size,
    },
  ];

  await createAccountAsSystem(database.db, {
    username: 'bench_manager',
    displayName: '压测主管',
    password,
    role: 'manager',
    scopeOrgIds: [1],
  });
  const { cookie } = await signIn(port, 'bench_manager', password);
  const getCoverage = async (query: string) => {
    const s = performance.now();
    const r = await fetch(`http://127.0.0.1:${port}/api/coverage?orgId=1${query}`, { headers: { cookie } });
    const body = (await r.json()) as { source?: string; children?: unknown[] };
    if (r.status !== 200) throw new Error(`GET /api/coverage: ${r.status} ${JSON.stringify(body)}`);
    return { ms: performance.now() - s, body };
  };
  const times: number[] = [];
  let source: string | undefined;
  for (let i = 0; i < 6; i++) {
    const r = await getCoverage('&period=30');
    if (i > 0) times.push(r.ms); // the first warms the connection and the statements up
    source = r.body.source;
  }
  times.sort((a, b) => a - b);
  const live = await getCoverage('&period=30&source=live');
  out.push({
    scenario: 'care: GET /api/coverage at the city root, 5 sequential requests (rollup)',
    backend,
    medianMs: Math.round(times[Math.floor(times.length / 2)] * 10) / 10,
    maxMs: Math.round(times[times.length - 1] * 10) / 10,
    source,
    liveMs: Math.round(live.ms),
  });
  return out;
}

/** ms from `wall0` to the first incident opened after it (the hand-off starts after the care commit) */
async function firstIncidentAfter(database: Database, wall0: number): Promise<number | null> {
  const [r] = await rows<{ at: Date | string | null }>(
    database.db,
    sql`SELECT min(triggered_at) AS at FROM incidents WHERE triggered_at >= ${new Date(wall0).toISOString()}::timestamptz`,
  );
  return r.at ? new Date(r.at).getTime() - wall0 : null;
}

async function countIncidents(database: Database): Promise<number> {
  const [r] = await rows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM incidents`);
  return r.n;
}
