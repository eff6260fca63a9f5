// wrk (Debian package `wrk`) as the benchmarks' HTTP load generator when it is installed: a C program
// that costs the machine a few per cent of a core at thousands of requests a second, where a Node.js
// client costs about as much as the server it measures. On this project's 2-core machines the server,
// PostgreSQL and the generator share the cores, so the lighter generator measures the server more
// faithfully (docs/benchmarks.md). `runWrk` runs one closed-loop phase with a Lua script and returns
// the same figures as bench/load.ts.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LoadResult } from './load.ts';

export function wrkAvailable(): boolean {
  return !spawnSync('wrk', ['--version']).error;
}

/** A JavaScript string as a Lua string literal. */
export const lua = (s: string) => JSON.stringify(s);

// appended to every script: the figures as one line of JSON (wrk's latencies are in microseconds)
const report = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK_RESULT {"requests":%d,"errors":%d,"durationUs":%d,"bytes":%d,"p50":%.3f,"p95":%.3f,"p99":%.3f,"max":%.3f}\\n',
    summary.requests, e.status + e.connect + e.read + e.write + e.timeout, summary.duration, summary.bytes,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
`;

/**
 * One phase: `connections` keep-alive connections on one wrk thread for `seconds`, each sending the
 * script's `request()` as soon as its previous answer came. Every non-2xx answer counts as an error.
 */
export async function runWrk(opts: {
  url: string;
  script: string;
  connections: number;
  seconds: number;
}): Promise<LoadResult & { avgKiB: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cc-wrk-'));
  const file = path.join(dir, 'load.lua');
  writeFileSync(file, opts.script + report);
  try {
    const out = await new Promise<string>((resolve, reject) => {
      const p = spawn('wrk', ['-t1', `-c${opts.connections}`, `-d${opts.seconds}s`, '-s', file, opts.url]);
      let text = '';
      p.stdout.on('data', (d: Buffer) => {
        text += d.toString();
      });
      p.stderr.on('data', (d: Buffer) => {
        text += d.toString();
      });
      p.on('error', reject);
      p.on('close', (code) =>
        code === 0 ? resolve(text) : reject(new Error(`wrk exited with ${code}: ${text}`)),
      );
    });
    const line = out.split('\n').find((l) => l.startsWith('WRK_RESULT '));
    if (!line) throw new Error(`wrk printed no result: ${out}`);
    const r = JSON.parse(line.slice('WRK_RESULT '.length)) as {
      requests: number;
      errors: number;
      durationUs: number;
      bytes: number;
      p50: number;
      p95: number;
      p99: number;
      max: number;
    };
    const round = (x: number) => Math.round(x * 100) / 100;
    return {
      requests: r.requests,
      errors: r.errors,
      rps: Math.round(r.requests / (r.durationUs / 1e6)),
      p50: round(r.p50),
      p95: round(r.p95),
      p99: round(r.p99),
      max: round(r.max),
      avgKiB: r.requests ? Math.round((r.bytes / r.requests / 1024) * 10) / 10 : 0,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
