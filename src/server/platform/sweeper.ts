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

/** Modules register their jobs when their plugin is registered (idempotent by name). */
export function registerSweepJob(job: SweepJob): void {
  jobs.set(job.name, job);
}

export function sweepJobNames(): string[] {
  return [...jobs.keys()];
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

/** Sweeps every `intervalMs` (never overlapping itself) until stopped. */
export function startSweeper(
  deps: SweepDeps,
  opts: { intervalMs: number; log?: (msg: string, err?: unknown) => void },
): RunningSweeper {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    if (stopped) return;
    running = sweepOnce(deps, deps.clock.now(), {
      onError: (job, err) => opts.log?.(`sweep job ${job} failed`, err),
    })
      .catch((err) => opts.log?.('sweep failed', err))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, opts.intervalMs);
      });
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
