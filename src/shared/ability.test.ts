import { describe, expect, it } from 'vitest';
import { AbilityScoreError, abilityItems, abilityLevels, levelForTotal, scoreAssessment } from './ability.ts';

function full(): Record<string, number> {
  return Object.fromEntries(abilityItems.map((i) => [i.key, i.max]));
}

/** Item scores lowered from full marks until the total is `total`. */
function withTotal(total: number): Record<string, number> {
  const items = full();
  let toRemove = 90 - total;
  for (const item of abilityItems) {
    const d = Math.min(item.max, toRemove);
    items[item.key] = item.max - d;
    toRemove -= d;
  }
  return items;
}

describe('abilityItems (GB/T 42195-2022)', () => {
  it('has 26 items whose maxima are 32 / 15 / 28 / 15 = 90', () => {
    expect(abilityItems).toHaveLength(26);
    const sum = (d: string) => abilityItems.filter((i) => i.dimension === d).reduce((s, i) => s + i.max, 0);
    expect([sum('selfCare'), sum('mobility'), sum('mental'), sum('perception')]).toEqual([32, 15, 28, 15]);
    expect(new Set(abilityItems.map((i) => i.key)).size).toBe(26);
    expect(abilityLevels.map((l) => l.zh)).toEqual([
      '能力完好',
      '轻度失能',
      '中度失能',
      '重度失能',
      '完全失能',
    ]);
  });
});

describe('scoreAssessment', () => {
  it('sums dimensions and levels by total at every boundary', () => {
    const r = scoreAssessment({ items: full() });
    expect(r).toEqual({
      total: 90,
      dimensions: { selfCare: 32, mobility: 15, mental: 28, perception: 15 },
      baseLevel: 0,
      level: 0,
      adjusted: [],
    });
    const cases: [number, number][] = [
      [90, 0],
      [89, 1],
      [66, 1],
      [65, 2],
      [46, 2],
      [45, 3],
      [30, 3],
      [29, 4],
      [0, 4],
    ];
    for (const [total, level] of cases) {
      const s = scoreAssessment({ items: withTotal(total) });
      expect([s.total, s.level]).toEqual([total, level]);
      expect(levelForTotal(total)).toBe(level);
    }
  });

  it('raises one level for dementia, mental disorder or risk events, not cumulatively', () => {
    const items = withTotal(70);
    expect(scoreAssessment({ items, dementia: true })).toMatchObject({ baseLevel: 1, level: 2 });
    expect(scoreAssessment({ items, mentalDisorder: true }).level).toBe(2);
    expect(scoreAssessment({ items, falls30d: 1 }).level).toBe(1);
    expect(scoreAssessment({ items, falls30d: 2 }).level).toBe(2);
    expect(scoreAssessment({ items, wanderingOff30d: 1 }).level).toBe(2);
    expect(scoreAssessment({ items, choking30d: 1 }).level).toBe(2);
    expect(scoreAssessment({ items, selfHarm30d: 1 }).level).toBe(2);
    const all = scoreAssessment({ items, dementia: true, mentalDisorder: true, falls30d: 3, choking30d: 1 });
    expect(all.level).toBe(2);
    expect(all.adjusted).toEqual(['dementia', 'mentalDisorder', 'riskEvents']);
    expect(scoreAssessment({ items: withTotal(10), dementia: true }).level).toBe(4);
  });

  it('puts a comatose elder at 完全失能 directly', () => {
    expect(scoreAssessment({ items: full(), coma: true })).toMatchObject({
      baseLevel: 0,
      level: 4,
      adjusted: ['coma'],
    });
  });

  it('throws a typed error listing unknown, missing and out-of-range items in Chinese', () => {
    const items: Record<string, number> = { ...full(), stairs: 4, eating: -1, flying: 2 };
    delete items.hearing;
    try {
      scoreAssessment({ items });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AbilityScoreError);
      const fields = (e as AbilityScoreError).details.map((d) => d.field).sort();
      expect(fields).toEqual(['items.eating', 'items.flying', 'items.hearing', 'items.stairs']);
      expect((e as AbilityScoreError).message).toContain('上下楼梯的得分应为 0–3 的整数');
      expect((e as AbilityScoreError).message).toContain('缺少听力的得分');
    }
    expect(() => scoreAssessment({ items: { ...full(), memory: 2.5 } })).toThrow(AbilityScoreError);
  });
});
