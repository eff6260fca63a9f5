import { describe, expect, it } from 'vitest';
import { type PriorityInput, priorityOf, rankByPriority } from './priority.ts';

const base: PriorityInput = {
  age: 65,
  livesAlone: false,
  emptyNest: false,
  abilityLevel: 0,
  chronicConditions: 0,
  hearingImpaired: false,
  daysOverdue: 0,
  lastOutcome: 'reached_ok',
};

describe('priorityOf', () => {
  it('a healthy 65-year-old with family scores 0 with no reasons', () => {
    expect(priorityOf(base)).toEqual({ score: 0, reasons: [] });
  });

  it('sums named points and names every reason by code, biggest first', () => {
    const p = priorityOf({
      ...base,
      age: 92,
      livesAlone: true,
      abilityLevel: 3,
      chronicConditions: 2,
      hearingImpaired: true,
      daysOverdue: 2,
      lastOutcome: 'reached_concern',
    });
    expect(p.score).toBe(30 + 20 + 25 + 10 + 10 + 20 + 25);
    expect(p.reasons).toEqual([
      { code: 'veryOld', n: 92 },
      { code: 'ability', n: 3 },
      { code: 'lastConcern' },
      { code: 'livesAlone' },
      { code: 'overdue', n: 2 },
      { code: 'chronic', n: 2 },
      { code: 'hearing' },
    ]);
  });

  it('caps overdue days and conditions so one factor cannot drown the others', () => {
    expect(priorityOf({ ...base, daysOverdue: 30 }).score).toBe(40);
    expect(priorityOf({ ...base, chronicConditions: 9 }).score).toBe(15);
  });

  it('living alone counts more than empty-nest; not reached counts', () => {
    expect(priorityOf({ ...base, livesAlone: true }).score).toBeGreaterThan(
      priorityOf({ ...base, emptyNest: true }).score,
    );
    expect(priorityOf({ ...base, lastOutcome: 'not_reached_no_answer' }).reasons).toEqual([
      { code: 'lastNotReached' },
    ]);
  });

  it('missing age or ability adds nothing', () => {
    expect(priorityOf({ ...base, age: null, abilityLevel: null }).score).toBe(0);
  });
});

describe('rankByPriority', () => {
  it('higher score first, ties by the earlier deadline', () => {
    const mk = (id: string, input: Partial<PriorityInput>, due: string) => ({
      id,
      priority: priorityOf({ ...base, ...input }),
      dueAt: new Date(due),
    });
    const ranked = rankByPriority([
      mk('a', {}, '2026-11-22T01:00:00Z'),
      mk('b', { age: 91, livesAlone: true }, '2026-11-23T01:00:00Z'),
      mk('c', { age: 85 }, '2026-11-22T05:00:00Z'),
      mk('d', { age: 85 }, '2026-11-22T03:00:00Z'),
    ]);
    expect(ranked.map((r) => r.id)).toEqual(['b', 'd', 'c', 'a']);
  });
});
