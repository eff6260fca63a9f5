// Registry search benchmark (issue 3), for bench/run.ts to call: `runEldersBench(opts)`.
// Target: GET /api/elders?q=… p95 ≤ 50 ms at 100k elders on PostgreSQL, for each kind of search a
// front desk types: a surname (Chinese name prefix), the pinyin initials of a name, the last 4 digits of
// a phone. q varies per request, drawn from values present in the registry.
// Scale: ELDERS_BENCH_ELDERS (default 100,000 on PostgreSQL, 20,000 on PGlite). Runs in-process on a
// fresh database (a new one on the server named by DATABASE_URL, dropped at the end, or in-memory
// PGlite), seeded with one fictional district — the orgs of `seed district`, every elder in the bulk
// jsonb_to_recordset form of elders.bulk.ts — and signed in as a manager scoped to the whole district
// (the widest registry scope: the search alone narrows the rows).

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/server/app.ts';
import { createAccountAsSystem } from '../src/server/modules/accounts/accounts.service.ts';
import { mobile, personName, Rng } from '../src/server/modules/demo/random.ts';
import { searchTails } from '../src/server/modules/elders/elders.view.ts';
import { insertOrgsBulk, type OrgRow } from '../src/server/modules/orgs/orgs.service.ts';
import { systemClock } from '../src/server/platform/clock.ts';
import { loadConfig } from '../src/server/platform/config.ts';
import { type Database, rows } from '../src/server/platform/db.ts';
import { makeIdNumber } from '../src/shared/id-number.ts';
import { pinyinKeys } from '../src/shared/pinyin.ts';
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

const AREAS = ['330102', '330105', '330106', '330108', '330110'];
const LIVING = ['独居', '空巢', '纯老家庭', '与子女同住', '与子女同住', '机构'];
const CHUNK = 5000;

/** `n` fictional elders spread over the grids, in jsonb_to_recordset chunks (as elders.bulk.ts writes them). */
async function seedRegistry(
  database: Database,
  n: number,
  grids: OrgRow[],
  communities: OrgRow[],
  log: (m: string) => void,
) {
  const rng = new Rng(20261122);
  const communityOf = new Map(communities.map((c) => [c.id, c]));
  const usedIds = new Set<string>();
  const pinyinCache = new Map<string, { full: string; initials: string }>();
  for (let start = 0; start < n; start += CHUNK) {
    const payload: Record<string, unknown>[] = [];
    for (let i = start; i < Math.min(n, start + CHUNK); i++) {
      const grid = grids[i % grids.length];
      const community = communityOf.get(grid.parentId!)!;
      const gender: 'M' | 'F' = rng.chance(0.56) ? 'F' : 'M';
      const birth = `${rng.int(1923, 1966)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
      let idNumber = '';
      for (let seq = rng.int(1, 499) * 2 - (gender === 'M' ? 1 : 0); ; seq += 2) {
        idNumber = makeIdNumber(rng.pick(AREAS), birth, seq);
        if (!usedIds.has(idNumber)) break;
      }
      usedIds.add(idNumber);
      const name = personName(rng, gender);
      let keys = pinyinCache.get(name);
      if (!keys) {
        keys = pinyinKeys(name);
        pinyinCache.set(name, keys);
      }
      const phones = rng.chance(0.9) ? [mobile(rng), ...(rng.chance(0.15) ? [mobile(rng)] : [])] : [];
      const living = rng.pick(LIVING);
      const building = rng.int(1, 24);
      const unit = rng.int(1, 3);
      const room = `${rng.int(1, 18)}0${rng.int(1, 4)}`;
      payload.push({
        org_id: grid.id,
        org_path: grid.path,
        name,
        name_pinyin: keys.full,
        name_initials: keys.initials,
        gender,
        id_number: idNumber,
        birth_date: birth,
        phones,
        search_tails: searchTails(idNumber, phones),
        address: `${community.name}${building}幢${unit}单元${room}室`,
        building: `${building}幢`,
        unit: `${unit}单元`,
        room,
        categories: ['社区老人'],
        living_situation: living,
        difficulty_groups: living === '独居' ? ['独居'] : living === '空巢' ? ['空巢'] : [],
        status: rng.chance(0.96) ? 'active' : 'hospitalised',
      });
    }
    await database.db.execute(sql`INSERT INTO elders (org_id, org_path, name, name_pinyin, name_initials, gender,
        id_number, birth_date, phones, search_tails, address, building, unit, room, categories,
        living_situation, difficulty_groups, status, status_since)
      SELECT x.*, (now() AT TIME ZONE 'Asia/Shanghai')::date
      FROM jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) AS x(org_id bigint, org_path text, name text,
        name_pinyin text, name_initials text, gender text, id_number text, birth_date date, phones text[],
        search_tails text[], address text, building text, unit text, room text, categories text[],
        living_situation text, difficulty_groups text[], status text)`);
    if ((start / CHUNK) % 5 === 4) log(`elders bench: ${start + payload.length} elders`);
  }
  // as seedElders does after a bulk load: planner statistics, and the GIN pending lists merged
  await database.db.execute(sql`VACUUM (ANALYZE) elders`);
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
    await seedRegistry(database, n, grids, communities, log);
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
