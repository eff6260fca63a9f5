import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-db.ts';
import { TestClock } from './clock.ts';
import { loadConfig } from './config.ts';
import { type Database, rows, sql, withTx } from './db.ts';
import { drainEvents, emitEvents, setEventFailureLog, subscribeEvents } from './events.ts';
import type { SweepDeps } from './sweeper.ts';

// The durable hand-off between modules (decision 0016): events written with the change, handed over
// from the sweeper, marked done with the handler's work, retried with backoff, never lost, never twice.

let database: Database;
let deps: SweepDeps;
const clock = new TestClock('2026-11-22T02:00:00Z');
const logged: string[] = [];

const state = (topic: string) =>
  rows<{ n: number; attempts: number; done: boolean; last_error: string | null; due_at: string }>(
    database.db,
    sql`SELECT (payload->>'n')::int AS n, attempts, done_at IS NOT NULL AS done, last_error, due_at::text AS due_at
        FROM module_events WHERE topic = ${topic} ORDER BY id`,
  );

beforeAll(async () => {
  database = await createTestDatabase();
  deps = { database, db: database.db, config: loadConfig({}), clock };
  setEventFailureLog((msg) => logged.push(msg));
});
afterAll(async () => {
  await database.close();
});

describe('module events', () => {
  it('exist only if the transaction that wrote them commits', async () => {
    await expect(
      withTx(database.db, async (tx) => {
        await emitEvents(tx, 'test.rollback', [{ n: 1 }, { n: 2 }], clock.now());
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await state('test.rollback')).toEqual([]);
  });

  it("are handed over in one batch per topic, done with the handler's own writes", async () => {
    const seen: number[][] = [];
    subscribeEvents<{ n: number }>('test.ok', async (payloads, ctx) => {
      seen.push(payloads.map((p) => p.n));
      await ctx.tx.execute(sql`CREATE TABLE IF NOT EXISTS test_effects (n int PRIMARY KEY)`);
      for (const p of payloads) await ctx.tx.execute(sql`INSERT INTO test_effects VALUES (${p.n})`);
    });
    await withTx(database.db, (tx) => emitEvents(tx, 'test.ok', [{ n: 1 }, { n: 2 }, { n: 3 }], clock.now()));
    expect(await drainEvents(deps, clock.now())).toBe(3);
    expect(seen).toEqual([[1, 2, 3]]);
    expect((await state('test.ok')).map((e) => [e.n, e.done, e.attempts])).toEqual([
      [1, true, 1],
      [2, true, 1],
      [3, true, 1],
    ]);
    // done: a second sweep hands over nothing
    expect(await drainEvents(deps, clock.now())).toBe(0);
    expect(seen).toHaveLength(1);
  });

  it('a failing event is rolled back with its work, logged, retried with backoff; the others of its batch go through', async () => {
    let failures = 3; // the batch, then the event alone, then its first retry
    const effects: number[] = [];
    subscribeEvents<{ n: number }>('test.flaky', async (payloads, ctx) => {
      for (const p of payloads) await ctx.tx.execute(sql`INSERT INTO test_effects VALUES (${100 + p.n})`);
      if (payloads.some((p) => p.n === 2) && failures-- > 0) throw new Error('网关暂时不可用');
      ctx.afterCommit(() => {
        effects.push(...payloads.map((p) => p.n));
      });
    });
    const t0 = clock.now();
    await withTx(database.db, (tx) => emitEvents(tx, 'test.flaky', [{ n: 1 }, { n: 2 }, { n: 3 }], t0));
    expect(await drainEvents(deps, t0)).toBe(3);
    expect(effects.sort()).toEqual([1, 3]);
    let s = await state('test.flaky');
    expect(s.map((e) => [e.n, e.done, e.attempts])).toEqual([
      [1, true, 1],
      [2, false, 1],
      [3, true, 1],
    ]);
    expect(s[1].last_error).toBe('网关暂时不可用');
    expect(logged.at(-1)).toMatch(/module event \d+ \(test\.flaky\) failed, attempt 1; retried in 10 s/);
    // its half-done work was rolled back with it
    const fx = await rows<{ n: number }>(
      database.db,
      sql`SELECT n FROM test_effects WHERE n > 100 ORDER BY n`,
    );
    expect(fx.map((r) => r.n)).toEqual([101, 103]);
    // not due again before its backoff
    expect(await drainEvents(deps, new Date(t0.getTime() + 9_000))).toBe(0);
    expect(await drainEvents(deps, new Date(t0.getTime() + 10_000))).toBe(1);
    s = await state('test.flaky');
    expect(s[1]).toMatchObject({ done: false, attempts: 2 });
    expect(logged.at(-1)).toMatch(/attempt 2; retried in 20 s/);
    expect(await drainEvents(deps, new Date(t0.getTime() + 29_000))).toBe(0);
    expect(await drainEvents(deps, new Date(t0.getTime() + 30_000))).toBe(1);
    expect((await state('test.flaky'))[1]).toMatchObject({ done: true, attempts: 3 });
    expect(effects.sort()).toEqual([1, 2, 3]);
  });

  it('an event with no handler is kept and logged, not dropped', async () => {
    await withTx(database.db, (tx) => emitEvents(tx, 'test.nobody', [{ n: 7 }], clock.now()));
    await drainEvents(deps, clock.now());
    expect(await state('test.nobody')).toEqual([expect.objectContaining({ n: 7, done: false, attempts: 1 })]);
    expect(logged.at(-1)).toMatch(/test\.nobody/);
  });

  it('two sweepers at once hand each event over exactly once (FOR UPDATE SKIP LOCKED)', async () => {
    const calls = new Map<number, number>();
    subscribeEvents<{ n: number }>('test.race', async (payloads) => {
      for (const p of payloads) calls.set(p.n, (calls.get(p.n) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 20));
    });
    const later = new Date(clock.now().getTime() + 3600_000);
    await withTx(database.db, (tx) =>
      emitEvents(
        tx,
        'test.race',
        Array.from({ length: 40 }, (_, n) => ({ n })),
        later,
      ),
    );
    await Promise.all([
      drainEvents(deps, later, 10),
      drainEvents(deps, later, 10),
      drainEvents(deps, later, 10),
    ]);
    for (let round = 0; round < 10; round++) await drainEvents(deps, later, 10);
    expect([...calls.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, n) => n));
    expect([...calls.values()].every((c) => c === 1)).toBe(true);
    expect((await state('test.race')).every((e) => e.done && e.attempts === 1)).toBe(true);
  });
});
