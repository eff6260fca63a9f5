import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Database, Db } from './db.ts';

/**
 * The platform sweeper: timers live in the database as columns of the rows they belong to
 * (`incidents.next_step_at`, `notifications.retry_at`, `devices.silent_due_at`, …). Each job claims
 * due rows through an index with `FOR UPDATE SKIP LOCKED LIMIT n` and handles them idempotently, so
 * several server processes sweep together without firing anything twice, and a restart resumes.
 * Runs in the `jobs` role; tests call `sweepOnce(deps, clock.now())` themselves.
 */
export interface SweepDeps {
  database: Database;
  db: Db;
  config: Config;
  clock: Clock;
}

export interface SweepJob {
  name: string;
  /** handles at most `batch` due rows at `now`; returns how many it handled */
  run(deps: SweepDeps, now: Date, batch: number): Promise<number>;
  /** this job's batch size when the sweep's default does not fit (a set-based job takes more at once) */
  batch?: number;
}

const jobs = new Map<string, SweepJob>();

/** Jobs are registered in src/server/wiring.ts, every one listed there (idempotent by name). */
export function registerSweepJob(job: SweepJob): void {
  jobs.set(job.name, job);
}

/**
 * One pass of every job: each runs batches until fewer than `batch` rows were due (bounded, so one
 * busy job cannot starve the others for long). Returns the rows handled per job.
 */
export async function sweepOnce(
  deps: SweepDeps,
  now: Date = deps.clock.now(),
  opts: { batch?: number; maxRounds?: number; onError?: (job: string, err: unknown) => void } = {},
): Promise<Record<string, number>> {
  const batch = opts.batch ?? 100;
  const maxRounds = opts.maxRounds ?? 20;
  const handled: Record<string, number> = {};
  for (const job of jobs.values()) {
    handled[job.name] = 0;
    const size = opts.batch ?? job.batch ?? batch;
    try {
      for (let round = 0; round < maxRounds; round++) {
        const n = await job.run(deps, now, size);
        handled[job.name] += n;
        if (n < size) break;
      }
    } catch (err) {
      if (opts.onError) opts.onError(job.name, err);
      else throw err;
    }
  }
  return handled;
}

export interface RunningSweeper {
  stop(): Promise<void>;
}

/**
 * Sweeps every `intervalMs` until stopped: each job in its own loop (never overlapping itself), so a
 * slow job — thousands of SMS to hand to a gateway — never delays another job's timers (the next
 * ladder step). A job that handled a full batch goes again at once.
 */
export function startSweeper(
  deps: SweepDeps,
  opts: { intervalMs: number; batch?: number; log?: (msg: string, err?: unknown) => void },
): RunningSweeper {
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<unknown>>();
  const loop = (job: SweepJob) => {
    if (stopped) return;
    const size = opts.batch ?? job.batch ?? 100;
    let full = false;
    const p = job
      .run(deps, deps.clock.now(), size)
      .then((n) => {
        full = n >= size;
      })
      .catch((err) => opts.log?.(`sweep job ${job.name} failed`, err))
      .finally(() => {
        running.delete(p);
        if (stopped) return;
        const t = setTimeout(
          () => {
            timers.delete(t);
            loop(job);
          },
          full ? 0 : opts.intervalMs,
        );
        timers.add(t);
      });
    running.add(p);
  };
  for (const job of jobs.values()) loop(job);
  return {
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      await Promise.all(running);
    },
  };
}
