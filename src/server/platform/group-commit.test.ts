import { describe, expect, it } from 'vitest';
import { GroupCommit, type Settled } from './group-commit.ts';

/** A writer that records each batch and finishes when the test says so. */
function gatedWriter(settle: (item: number) => Settled<string> = (i) => ({ ok: true, value: `v${i}` })) {
  const batches: number[][] = [];
  const gates: (() => void)[] = [];
  const write = async (items: number[]) => {
    batches.push(items);
    await new Promise<void>((r) => gates.push(r));
    return items.map(settle);
  };
  const openNext = async () => {
    while (gates.length === 0) await new Promise((r) => setTimeout(r, 1));
    gates.shift()?.();
    await new Promise((r) => setTimeout(r, 1));
  };
  return { batches, write, openNext };
}

describe('GroupCommit', () => {
  it('writes a lone request at once, and what arrives meanwhile together in the next batch, in order', async () => {
    const w = gatedWriter();
    const gc = new GroupCommit(w.write, { maxBatch: 100, maxInFlight: 1 });
    const first = gc.submit(1);
    expect(w.batches).toEqual([[1]]);
    const rest = [2, 3, 4].map((i) => gc.submit(i));
    expect(gc.waiting).toBe(3);
    await w.openNext();
    expect(await first).toBe('v1');
    expect(w.batches).toEqual([[1], [2, 3, 4]]);
    await w.openNext();
    expect(await Promise.all(rest)).toEqual(['v2', 'v3', 'v4']);
  });

  it('keeps batches within maxBatch and at most maxInFlight of them under way', async () => {
    const w = gatedWriter();
    const gc = new GroupCommit(w.write, { maxBatch: 2, maxInFlight: 2 });
    const all = [1, 2, 3, 4, 5, 6].map((i) => gc.submit(i));
    expect(w.batches).toEqual([[1], [2]]);
    await w.openNext();
    expect(w.batches).toEqual([[1], [2], [3, 4]]);
    while (w.batches.flat().length < 6 || gc.waiting > 0) await w.openNext();
    await w.openNext();
    await w.openNext();
    expect(await Promise.all(all)).toEqual(['v1', 'v2', 'v3', 'v4', 'v5', 'v6']);
    expect(w.batches.every((b) => b.length <= 2)).toBe(true);
  });

  it('gives each request its own outcome; a writer that throws fails only its batch', async () => {
    const w = gatedWriter((i) =>
      i === 3 ? { ok: false, error: new Error('bad 3') } : { ok: true, value: `v${i}` },
    );
    let boom = true;
    const gc = new GroupCommit<number, string>(
      async (items) => {
        if (items.includes(9) && boom) {
          boom = false;
          throw new Error('batch failed');
        }
        return w.write(items);
      },
      { maxBatch: 100, maxInFlight: 1 },
    );
    const a = gc.submit(1);
    const b = [2, 3].map((i) => gc.submit(i));
    // expectations attached before the batch settles (a rejection nobody awaits yet is "unhandled")
    const second = expect(b[0]).resolves.toBe('v2');
    const third = expect(b[1]).rejects.toThrow('bad 3');
    await w.openNext();
    await w.openNext();
    expect(await a).toBe('v1');
    await second;
    await third;
    await expect(gc.submit(9)).rejects.toThrow('batch failed');
    const after = gc.submit(10);
    await w.openNext();
    expect(await after).toBe('v10');
  });
});
