import { describe, expect, it } from 'vitest';
import { eligibilityDiff } from './eligibility-diff.ts';

describe('the issuing preview', () => {
  it('counts the eligible, the newly eligible and those no longer eligible, with the lists', () => {
    const d = eligibilityDiff([5, 3, 9, 11, 3], [1, 3, 5, 7]);
    expect(d).toEqual({
      eligible: [3, 5, 9, 11],
      newly: [9, 11],
      noLonger: [1, 7],
      continuing: 2,
      summary: '4 位老人符合条件，新增 2 位，不再符合 2 位',
    });
  });

  it('reads the first issue of a programme as everyone newly eligible', () => {
    expect(eligibilityDiff([2, 1], [])).toMatchObject({ newly: [1, 2], noLonger: [], continuing: 0 });
    expect(eligibilityDiff([], [4]).summary).toBe('0 位老人符合条件，新增 0 位，不再符合 1 位');
  });

  it('writes the counts as an office does (1,214) and handles a city’s roster', () => {
    const now = Array.from({ length: 1214 }, (_, i) => i + 6);
    const before = Array.from({ length: 1182 }, (_, i) => i + 1); // 1–5 left, 1183–1219 are new
    const d = eligibilityDiff(now, before);
    expect(d.summary).toBe('1,214 位老人符合条件，新增 37 位，不再符合 5 位');
    expect(d.noLonger).toEqual([1, 2, 3, 4, 5]);
    expect(d.newly[0]).toBe(1183);
    expect(d.continuing).toBe(1177);

    const big = Array.from({ length: 100_000 }, (_, i) => i * 2);
    const r = eligibilityDiff(
      big,
      big.map((x) => x + 2),
    );
    expect(r).toMatchObject({ newly: [0], noLonger: [200_000], continuing: 99_999 });
  });
});
