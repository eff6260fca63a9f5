// npm run bench [-- --only cold-start,me] — never part of `npm test`.
// Prints a table and writes bench/results/<time>.json. On PGlite by default; set DATABASE_URL to
// run the same scenarios against a PostgreSQL server.
import { type ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureWebBuilt } from '../src/server/web-build.ts';
import { type LoadResult, load } from './load.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '20' },
  },
});
const only = values.only?.split(',');
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const backend = process.env.DATABASE_URL ? 'postgres' : 'pglite';
const rows: { scenario: string; backend: string; [k: string]: unknown }[] = [];
const want = (name: string) => !only || only.includes(name);
const root = path.resolve(import.meta.dirname, '..');

function startServer(
  script: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number; ms: number }> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const t0 = performance.now();
  const child = fork(script, [], {
    cwd: root,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const poll = async () => {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/api/health`);
        if (r.ok) return resolve({ child, port, ms: performance.now() - t0 });
      } catch {
        /* not up yet */
      }
      if (child.exitCode !== null) return reject(new Error(`${script} exited with ${child.exitCode}`));
      setTimeout(poll, 20);
    };
    poll();
  });
}

async function stop(child: ChildProcess) {
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await done;
}

function rss(pid: number): number {
  try {
    const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)/);
    return m ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

if (want('cold-start')) {
  await ensureWebBuilt(() => {});
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-bench-'));
  const env = { DATA_DIR: dataDir, DATABASE_URL: '' };
  const first = await startServer('src/server/main.ts', env);
  rows.push({
    scenario: 'cold start, empty data dir → healthy (migrate + demo seed)',
    backend: 'pglite',
    ms: Math.round(first.ms),
    peakRssMiB: rss(first.child.pid!),
  });
  await stop(first.child);
  const second = await startServer('src/server/main.ts', env);
  rows.push({
    scenario: 'start on existing data → healthy',
    backend: 'pglite',
    ms: Math.round(second.ms),
    peakRssMiB: rss(second.child.pid!),
  });
  await stop(second.child);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

if (want('me')) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-bench-'));
  const srv = await startServer('bench/server.ts', { DATA_DIR: dataDir });
  const base = `http://127.0.0.1:${srv.port}`;
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'coordinator', password: 'carecircle' }),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  await load({ url: `${base}/api/me`, headers: { cookie }, concurrency, seconds: 2 }); // warm-up
  const add = (scenario: string, r: LoadResult) => rows.push({ scenario, backend, concurrency, ...r });
  add(
    'GET /bench/hello (ceiling, same process)',
    await load({ url: `${base}/bench/hello`, concurrency, seconds }),
  );
  add(
    'GET /api/me (session + scopes lookup)',
    await load({ url: `${base}/api/me`, headers: { cookie }, concurrency, seconds }),
  );
  rows.push({ scenario: 'server peak RSS after load', backend, peakRssMiB: rss(srv.child.pid!) });
  await stop(srv.child);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

// Later modules register their scenarios here.
for (const extra of [
  './elders.bench.ts',
  './import.bench.ts',
  './care.bench.ts',
  './incidents.bench.ts',
  './web.bench.ts',
]) {
  const file = path.join(import.meta.dirname, extra);
  const name = path.basename(extra, '.bench.ts');
  if (!fs.existsSync(file) || !want(name)) continue;
  const mod = await import(file);
  const run = Object.values(mod).find((f) => typeof f === 'function') as (o: object) => Promise<typeof rows>;
  rows.push(...(await run({ seconds, concurrency, backend })));
}

console.table(rows);
fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
const out = path.join(
  root,
  'bench/results',
  `${new Date().toISOString().replace(/[:.]/g, '-')}-${backend}.json`,
);
fs.writeFileSync(
  out,
  JSON.stringify(
    { at: new Date().toISOString(), backend, node: process.version, cpus: os.cpus().length, rows },
    null,
    2,
  ),
);
console.log(`results: ${path.relative(root, out)}`);
