import { describe, expect, it } from 'vitest';
import { systemClock } from './clock.ts';
import { registerSweepJob, type SweepDeps, startSweeper } from './sweeper.ts';

// Pure scheduling: the jobs here touch no database, so deps carries only the clock.
const deps = { clock: systemClock } as unknown as SweepDeps;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('startSweeper', () => {
  it('runs each job in its own loop: a slow job never holds back another job, a full batch goes again', async () => {
    const runs = { slow: 0, fast: 0, backlog: 0 };
    let backlog = 250;
    registerSweepJob({
      name: 'test.slow',
      run: async () => {
        runs.slow++;
        await sleep(400);
        return 0;
      },
    });
    registerSweepJob({
      name: 'test.fast',
      run: async () => {
        runs.fast++;
        return 0;
      },
    });
    registerSweepJob({
      name: 'test.backlog',
      batch: 100,
      run: async (_d, _now, batch) => {
        runs.backlog++;
        const n = Math.min(batch, backlog);
        backlog -= n;
        return n;
      },
    });
    const sweeper = startSweeper(deps, { intervalMs: 20 });
    await sleep(300);
    await sweeper.stop();
    expect(runs.slow).toBe(1); // still in its first run when the others had gone round many times
    expect(runs.fast).toBeGreaterThan(5);
    expect(backlog).toBe(0); // 100 + 100 + 50 without waiting the interval between full batches
    const after = { ...runs };
    await sleep(100);
    expect(runs).toEqual(after); // stopped: nothing runs any more
  });
});
