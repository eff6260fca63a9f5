import http from 'node:http';

export interface LoadResult {
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** A small closed-loop HTTP load generator: `concurrency` loops for `seconds`, latencies in ms. */
export async function load(opts: {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: () => string;
  concurrency: number;
  seconds: number;
}): Promise<LoadResult> {
  const u = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + opts.seconds * 1000;
  const one = () =>
    new Promise<void>((resolve) => {
      const body = opts.body?.();
      const t0 = process.hrtime.bigint();
      const req = http.request(
        {
          agent,
          host: u.hostname,
          port: u.port,
          path: u.pathname + u.search,
          method: opts.method ?? 'GET',
          headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...opts.headers },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
            if ((res.statusCode ?? 500) >= 400) errors++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  const started = Date.now();
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (Date.now() < end) await one();
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  agent.destroy();
  return summarize(latencies, errors, elapsed);
}

export function summarize(latencies: number[], errors: number, elapsedSeconds: number): LoadResult {
  const s = [...latencies].sort((a, b) => a - b);
  const q = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : 0);
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    requests: s.length,
    errors,
    rps: Math.round(s.length / elapsedSeconds),
    p50: r(q(0.5)),
    p95: r(q(0.95)),
    p99: r(q(0.99)),
    max: r(s[s.length - 1] ?? 0),
  };
}
