import { isNotReached, type PriorityReason } from '../../../shared/care.ts';

/** What the worklist knows about an elder-duty when it ranks it. */
export interface PriorityInput {
  age: number | null;
  livesAlone: boolean;
  /** 空巢 / 纯老家庭: no younger family in the household */
  emptyNest: boolean;
  /** 0 能力完好 … 4 完全失能 (GB/T 42195-2022) */
  abilityLevel: number | null;
  chronicConditions: number;
  hearingImpaired: boolean;
  daysOverdue: number;
  lastOutcome: string | null;
}

export interface Priority {
  score: number;
  reasons: PriorityReason[];
}

const abilityPoints = [0, 5, 15, 25, 30];

/**
 * A transparent score: a sum of named points, each shown to the carer as a reason (a code the browser words), so nobody has to
 * trust a black box about whom to call first. Weights follow the tiered-visiting risk factors
 * (DESIGN.md §4): age, living alone, ability, conditions, then how late and how the last contact went.
 */
export function priorityOf(p: PriorityInput): Priority {
  const parts: [number, PriorityReason][] = [];
  if (p.age != null && p.age >= 90) parts.push([30, { code: 'veryOld', n: p.age }]);
  else if (p.age != null && p.age >= 80) parts.push([20, { code: 'age', n: p.age }]);
  else if (p.age != null && p.age >= 70) parts.push([10, { code: 'age', n: p.age }]);
  if (p.livesAlone) parts.push([20, { code: 'livesAlone' }]);
  else if (p.emptyNest) parts.push([10, { code: 'emptyNest' }]);
  if (p.abilityLevel != null && p.abilityLevel > 0) {
    const lvl = Math.min(4, p.abilityLevel);
    parts.push([abilityPoints[lvl]!, { code: 'ability', n: lvl }]);
  }
  if (p.chronicConditions > 0) {
    parts.push([Math.min(15, 5 * p.chronicConditions), { code: 'chronic', n: p.chronicConditions }]);
  }
  if (p.hearingImpaired) parts.push([10, { code: 'hearing' }]);
  if (p.daysOverdue > 0)
    parts.push([Math.min(40, 10 * p.daysOverdue), { code: 'overdue', n: p.daysOverdue }]);
  if (p.lastOutcome === 'reached_concern') parts.push([25, { code: 'lastConcern' }]);
  else if (p.lastOutcome && isNotReached(p.lastOutcome)) parts.push([20, { code: 'lastNotReached' }]);
  parts.sort((a, b) => b[0] - a[0]);
  return { score: parts.reduce((s, [n]) => s + n, 0), reasons: parts.map(([, r]) => r) };
}

/** Ranks worklist items: higher score first, then the earlier deadline. */
export function rankByPriority<T extends { priority: Priority; dueAt: Date }>(items: T[]): T[] {
  return [...items].sort(
    (a, b) => b.priority.score - a.priority.score || a.dueAt.getTime() - b.dueAt.getTime(),
  );
}
