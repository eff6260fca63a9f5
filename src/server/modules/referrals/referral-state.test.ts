import { describe, expect, it } from 'vitest';
import type { referralStatuses } from '../../../shared/care.ts';
import { checkReferralAction, type ReferralAction } from './referral-state.ts';

const actions: ReferralAction[] = ['accept', 'resolve', 'close', 'assign'];

describe('the referral state machine', () => {
  it('moves open → accepted → resolved | closed, resolves or closes straight from open, reassigns in place', () => {
    const to = (from: (typeof referralStatuses)[number], a: ReferralAction) => {
      const c = checkReferralAction(from, from, a);
      return c.ok ? c.to : null;
    };
    expect(actions.map((a) => to('open', a))).toEqual(['accepted', 'resolved', 'closed', 'open']);
    expect(actions.map((a) => to('accepted', a))).toEqual([null, 'resolved', 'closed', 'accepted']);
    expect(actions.map((a) => to('resolved', a))).toEqual([null, null, null, null]);
    expect(actions.map((a) => to('closed', a))).toEqual([null, null, null, null]);
  });

  it('tells a status changed by someone else (conflict) before the rules of the machine', () => {
    expect(checkReferralAction('resolved', 'open', 'resolve')).toMatchObject({
      ok: false,
      reason: 'conflict',
      zh: '操作冲突：该需求已被他人改为“已办结”，请刷新后重试',
    });
    expect(checkReferralAction('closed', 'closed', 'resolve')).toMatchObject({
      ok: false,
      reason: 'illegal',
      zh: '该需求当前为“无需处理”，不能办结',
      en: 'The referral is closed and cannot be resolved',
    });
  });
});
