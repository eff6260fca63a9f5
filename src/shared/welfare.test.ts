import { describe, expect, it } from 'vitest';
import { formatUnits, periodEndRuleSchema } from './welfare.ts';

describe('the welfare vocabulary', () => {
  it('writes amounts as an office does: yuan with two decimals and thousands, visits as 次', () => {
    expect(formatUnits(30000, 'fen')).toBe('300.00 元');
    expect(formatUnits(39_900_000, 'fen')).toBe('399,000.00 元');
    expect(formatUnits(5, 'fen')).toBe('0.05 元');
    expect(formatUnits(-150, 'fen')).toBe('-1.50 元');
    expect(formatUnits(6, 'visit')).toBe('6 次');
  });

  it('checks an end-of-period rule, in Chinese', () => {
    expect(periodEndRuleSchema.safeParse({ kind: 'carry_over', cap: null }).success).toBe(true);
    expect(periodEndRuleSchema.safeParse({ kind: 'carry_over', cap: 0 }).error?.issues[0].message).toBe(
      '结转上限必须是正整数',
    );
    expect(
      periodEndRuleSchema.safeParse({ kind: 'convert', toProgrammeId: 3, rate: 0.5 }).error?.issues[0]
        .message,
    ).toBe('折算比例必须是正整数');
    expect(periodEndRuleSchema.safeParse({ kind: 'refund' }).success).toBe(false);
  });
});
