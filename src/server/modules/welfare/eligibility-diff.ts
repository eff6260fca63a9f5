/**
 * The preview before issuing a programme's cards for a period (“1,214 位老人符合条件，新增 37 位，不再符合
 * 5 位”): who is eligible now, who is newly eligible (no card in the previous period), who held a card
 * in the previous period and is no longer eligible (those cards are not changed silently: they go to
 * the review queue), and how many continue. The service gives the eligible ids (the care policy's
 * condition compiled to SQL) and the previous period's holders; for a million elders this is two sets
 * and two passes, well inside the issuing budget.
 */
export interface EligibilityDiff {
  /** eligible now, ascending */
  eligible: number[];
  /** eligible now and holding no card in the previous period, ascending */
  newly: number[];
  /** held a card in the previous period and are no longer eligible, ascending */
  noLonger: number[];
  /** eligible now and held a card before */
  continuing: number;
  /** 1,214 位老人符合条件，新增 37 位，不再符合 5 位 */
  summary: string;
}

const count = (n: number) => n.toLocaleString('en-US');

export function eligibilityDiff(
  eligibleNow: Iterable<number>,
  previousHolders: Iterable<number>,
): EligibilityDiff {
  const now = new Set(eligibleNow);
  const before = new Set(previousHolders);
  const newly: number[] = [];
  let continuing = 0;
  for (const id of now) {
    if (before.has(id)) continuing++;
    else newly.push(id);
  }
  const noLonger: number[] = [];
  for (const id of before) if (!now.has(id)) noLonger.push(id);
  const asc = (a: number, b: number) => a - b;
  const eligible = [...now].sort(asc);
  newly.sort(asc);
  noLonger.sort(asc);
  return {
    eligible,
    newly,
    noLonger,
    continuing,
    summary: `${count(eligible.length)} 位老人符合条件，新增 ${count(newly.length)} 位，不再符合 ${count(noLonger.length)} 位`,
  };
}
