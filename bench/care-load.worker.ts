// The care bench's HTTP load generator, run in a worker thread (node:worker_threads) so that its
// requests, response parsing and timing do not compete with the server for the main event loop: the
// figures then measure the server. Started by bench/care.bench.ts with a `CareLoadJob` as workerData;
// posts back a `CareLoadResult`.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { type LoadResult, summarize } from './load.ts';

export interface CareLoadClient {
  cookie: string;
  csrf: string;
  elderIds: number[];
}

export interface CareLoadJob {
  port: number;
  clients: CareLoadClient[];
  concurrency: number;
  seconds: number;
  /** unmeasured requests first (JIT, pool and plan caches warm) */
  warmupSeconds: number;
  kind: 'worklist' | 'contacts';
}

/** `avgKiB`: the mean size of a successful response body */
export type CareLoadResult = LoadResult & { avgKiB: number; errorStatuses?: string };

/**
 * The elders connection `w` writes contacts for: connections share the bench carers round robin, and
 * each takes its own slice of its carer's elders, so no two requests in flight record a contact for the
 * same elder (a carer does not log two visits to one elder at the same instant). Otherwise the figure
 * would measure waits on the elder's duty row locks, which the raw INSERT ceiling never takes.
 */
export function eldersOfConnection(clients: CareLoadClient[], concurrency: number, w: number): number[] {
  const c = clients[w % clients.length];
  const perClient = Math.ceil(concurrency / clients.length);
  const slot = Math.floor(w / clients.length);
  const mine = c.elderIds.filter((_, j) => j % perClient === slot);
  return mine.length ? mine : c.elderIds;
}

async function run(job: CareLoadJob): Promise<CareLoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let errors = 0;
  let bytes = 0;
  let seq = 0;
  let measuring = false;

  const one = (w: number, n: number) => {
    const c = job.clients[w % job.clients.length];
    let path = '/api/worklist';
    let method = 'GET';
    let body: string | undefined;
    const headers: Record<string, string> = { cookie: c.cookie, 'x-csrf-token': c.csrf };
    if (job.kind === 'contacts') {
      const elders = eldersOfConnection(job.clients, job.concurrency, w);
      path = '/api/contacts';
      method = 'POST';
      body = JSON.stringify({ elderId: elders[n % elders.length], channel: 'phone', outcome: 'reached_ok' });
      headers['content-type'] = 'application/json';
      headers['idempotency-key'] = `bench-${seq++}-${randomBytes(4).toString('hex')}`;
    }
    return new Promise<void>((resolve) => {
      const start = process.hrtime.bigint();
      const req = http.request({ agent, host: '127.0.0.1', port: job.port, path, method, headers }, (res) => {
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
        });
        res.on('end', () => {
          if (measuring) {
            if (res.statusCode !== 200) {
              errors++;
              statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
            } else {
              latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
              bytes += size;
            }
          }
          resolve();
        });
      });
      req.on('error', () => {
        if (measuring) errors++;
        resolve();
      });
      req.end(body);
    });
  };

  const phase = async (seconds: number) => {
    const end = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: job.concurrency }, async (_, w) => {
        for (let n = 0; Date.now() < end; n++) await one(w, n);
      }),
    );
  };

  if (job.warmupSeconds > 0) await phase(job.warmupSeconds);
  measuring = true;
  const t0 = Date.now();
  await phase(job.seconds);
  const elapsed = (Date.now() - t0) / 1000;
  agent.destroy();
  const r = {
    ...summarize(latencies, errors, elapsed),
    avgKiB: latencies.length ? Math.round((bytes / latencies.length / 1024) * 10) / 10 : 0,
  };
  return errors ? { ...r, errorStatuses: JSON.stringify(statuses) } : r;
}

if (parentPort && workerData) {
  const port = parentPort;
  run(workerData as CareLoadJob).then(
    (r) => port.postMessage(r),
    (err) => {
      throw err;
    },
  );
}
