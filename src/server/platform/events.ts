import { type SQL, sql } from 'drizzle-orm';
import { type Executor, rows, type Tx, together, withTx } from './db.ts';
import type { SweepDeps, SweepJob } from './sweeper.ts';

/**
 * Durable hand-off between modules (decision 0016). A module that causes something another module
 * must act on writes an event into `module_events` in the SAME transaction as the change (so the
 * event exists exactly when the change does), and the receiving module's handler, subscribed in
 * `wiring.ts`, gets it from the sweeper: pending events are claimed `FOR UPDATE SKIP LOCKED` (several
 * processes never take the same one), handed over by topic in batches, and marked done in the
 * handler's own transaction — a handled event never runs twice, a failed one is rolled back with it,
 * logged, and retried with backoff until it succeeds. Nothing is ever dropped. Events stay in the
 * table once done (an audit of the hand-offs; small rows).
 *
 * One handler per topic: a second consumer of the same fact gets a topic of its own, written by the
 * emitter in the same statement.
 */

/** What a handler gets: the claiming transaction, and a way to act once it has committed. */
export interface EventContext {
  tx: Tx;
  deps: SweepDeps;
  now: Date;
  /** runs after the commit that marks the events done (pushes to browsers, …) */
  afterCommit(fn: () => Promise<void> | void): void;
}

export type EventHandler<P = unknown> = (payloads: P[], ctx: EventContext) => Promise<void>;

const handlers = new Map<string, EventHandler>();
let logFailure: (msg: string, err: unknown) => void = (msg, err) => console.error(`[carecircle] ${msg}`, err);

/** The one handler of a topic (wiring.ts); a second call replaces it. Returns the previous one. */
export function subscribeEvents<P>(topic: string, handler: EventHandler<P>): EventHandler | undefined {
  const previous = handlers.get(topic);
  handlers.set(topic, handler as EventHandler);
  return previous;
}

export function eventHandler(topic: string): EventHandler | undefined {
  return handlers.get(topic);
}

/** Where failed hand-offs are logged (the app's logger; console until wiring sets it). */
export function setEventFailureLog(log: (msg: string, err: unknown) => void): void {
  logFailure = log;
}

/**
 * The statement that records events, one multi-row INSERT whatever their number (one parameter: a
 * JSON array), for `together` or `emitEvents`. Null when there is nothing to record.
 */
export function eventsInsert(topic: string, payloads: unknown[], now: Date): SQL | null {
  if (payloads.length === 0) return null;
  return sql`INSERT INTO module_events (topic, payload, created_at, due_at)
    SELECT ${topic}, e, ${now}, ${now} FROM jsonb_array_elements(${JSON.stringify(payloads)}::jsonb) AS e`;
}

/** Records events in the caller's transaction: they exist if and only if it commits. */
export async function emitEvents(tx: Executor, topic: string, payloads: unknown[], now: Date): Promise<void> {
  await together(tx, [eventsInsert(topic, payloads, now)]);
}

/** Retry delay after the n-th failure: 10 s, 20 s, 40 s, … capped at 10 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(10_000 * 2 ** Math.max(0, attempts - 1), 600_000);
}

interface Claimed {
  id: number;
  topic: string;
  payload: unknown;
  attempts: number;
}

const claim = (tx: Executor, now: Date, limit: number, ids?: number[]) =>
  rows<Claimed>(
    tx,
    sql`SELECT id, topic, payload, attempts FROM module_events
        WHERE done_at IS NULL AND due_at <= ${now}
          ${ids ? sql`AND id = ANY(${`{${ids.join(',')}}`}::bigint[])` : sql``}
        ORDER BY due_at, id LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
  );

/**
 * Claims up to `batch` due events (all topics), hands each topic's to its handler and marks them done,
 * in one transaction per topic. A failing batch is retried event by event, so one bad event delays
 * only itself. Returns how many events were handled (done or failed).
 */
export async function drainEvents(
  deps: SweepDeps,
  now: Date = deps.clock.now(),
  batch = 500,
): Promise<number> {
  const due = await rows<{ id: number; topic: string }>(
    deps.db,
    sql`SELECT id, topic FROM module_events WHERE done_at IS NULL AND due_at <= ${now}
        ORDER BY due_at, id LIMIT ${batch}`,
  );
  const byTopic = new Map<string, number[]>();
  for (const e of due) byTopic.set(e.topic, [...(byTopic.get(e.topic) ?? []), e.id]);
  let handled = 0;
  for (const [topic, ids] of byTopic) {
    try {
      handled += await handOff(deps, now, topic, ids);
    } catch (err) {
      if (ids.length === 1) {
        await failed(deps, now, topic, ids, err);
        handled++;
        continue;
      }
      for (const id of ids) {
        try {
          handled += await handOff(deps, now, topic, [id]);
        } catch (one) {
          await failed(deps, now, topic, [id], one);
          handled++;
        }
      }
    }
  }
  return handled;
}

/** One transaction: lock the events still pending (skipping any another process holds), handle, mark. */
async function handOff(deps: SweepDeps, now: Date, topic: string, ids: number[]): Promise<number> {
  const handler = handlers.get(topic);
  if (!handler) throw new Error(`no handler subscribed to ${topic}`);
  const after: (() => Promise<void> | void)[] = [];
  const n = await withTx(deps.db, async (tx) => {
    const mine = await claim(tx, now, ids.length, ids);
    if (mine.length === 0) return 0;
    await handler(
      mine.map((e) => e.payload),
      { tx, deps, now, afterCommit: (fn) => after.push(fn) },
    );
    await tx.execute(
      sql`UPDATE module_events SET done_at = ${now}, attempts = attempts + 1
          WHERE id = ANY(${`{${mine.map((e) => e.id).join(',')}}`}::bigint[])`,
    );
    return mine.length;
  });
  for (const fn of after) {
    try {
      await fn();
    } catch (err) {
      logFailure(`after-commit step of ${topic} events failed`, err);
    }
  }
  return n;
}

async function failed(deps: SweepDeps, now: Date, topic: string, ids: number[], err: unknown) {
  const r = await rows<{ id: number; attempts: number }>(
    deps.db,
    sql`UPDATE module_events
        SET attempts = attempts + 1, last_error = ${String((err as Error)?.message ?? err).slice(0, 500)},
            due_at = ${now}::timestamptz + make_interval(secs => least(600, 10 * power(2, attempts))::float8)
        WHERE id = ANY(${`{${ids.join(',')}}`}::bigint[]) AND done_at IS NULL
        RETURNING id, attempts`,
  );
  for (const e of r) {
    logFailure(
      `module event ${e.id} (${topic}) failed, attempt ${e.attempts}; retried in ${retryDelayMs(e.attempts) / 1000} s`,
      err,
    );
  }
}

/** The sweeper's job: due events, in batches. */
export const eventsSweepJob: SweepJob = {
  name: 'platform.events',
  batch: 500,
  run: (deps, now, batch) => drainEvents(deps, now, batch),
};

/**
 * Hands over what a transaction just committed without waiting for the next sweep (the emitter calls
 * it after commit, so a hand-off is as quick as the in-process callback it replaced). Best effort:
 * whatever it does not finish, the sweeper does. A request path passes `rounds: 1`, so a backlog left
 * by an outage is never worked off inside someone's request.
 */
export async function kickEvents(
  deps: SweepDeps,
  now: Date = deps.clock.now(),
  opts: { rounds?: number } = {},
): Promise<void> {
  try {
    for (let round = 0; round < (opts.rounds ?? 100); round++)
      if ((await drainEvents(deps, now)) < 500) break;
  } catch (err) {
    logFailure('module events hand-off failed; the sweeper retries', err);
  }
}
