import { type ReferralStatus, referralStatusNames } from '../../../shared/care.ts';

/**
 * The referral (需求转介) state machine: open 待处理 → accepted 已受理 → resolved 已办结, or closed 无需处理
 * from either. Resolving straight from open is allowed (the coordinator who settles a need on the spot
 * accepts it at the same moment); nothing goes back, and a finished referral is not worked again.
 * Reassigning the handler keeps the status and is allowed while the referral is not finished.
 *
 * Work orders (a later issue) hand off here: dispatching a need to a provider becomes one more action
 * (open|accepted → ordered), and the order's completion resolves the referral with its result.
 */
export type ReferralAction = 'accept' | 'resolve' | 'close' | 'assign';

const allowed: Record<ReferralAction, readonly ReferralStatus[]> = {
  accept: ['open'],
  resolve: ['open', 'accepted'],
  close: ['open', 'accepted'],
  assign: ['open', 'accepted'],
};

const target: Record<ReferralAction, ReferralStatus | null> = {
  accept: 'accepted',
  resolve: 'resolved',
  close: 'closed',
  assign: null,
};

export const actionNames: Record<ReferralAction, string> = {
  accept: '受理',
  resolve: '办结',
  close: '标记为无需处理',
  assign: '转派',
};

const pastTense: Record<ReferralAction, string> = {
  accept: 'accepted',
  resolve: 'resolved',
  close: 'closed',
  assign: 'reassigned',
};

export type ReferralCheck =
  | { ok: true; to: ReferralStatus }
  | { ok: false; reason: 'conflict' | 'illegal'; zh: string; en: string };

/**
 * Whether `action` may run on a referral now in `current`, the client having seen `expected`. A status
 * changed by someone else since the client read it is a conflict, told before any rule of the machine.
 */
export function checkReferralAction(
  current: ReferralStatus,
  expected: ReferralStatus,
  action: ReferralAction,
): ReferralCheck {
  if (current !== expected) {
    return {
      ok: false,
      reason: 'conflict',
      zh: `操作冲突：该需求已被他人改为“${referralStatusNames[current]}”，请刷新后重试`,
      en: `Conflict: someone else changed this referral to ${current}; reload and try again`,
    };
  }
  if (!allowed[action].includes(current)) {
    return {
      ok: false,
      reason: 'illegal',
      zh: `该需求当前为“${referralStatusNames[current]}”，不能${actionNames[action]}`,
      en: `The referral is ${current} and cannot be ${pastTense[action]}`,
    };
  }
  return { ok: true, to: target[action] ?? current };
}
