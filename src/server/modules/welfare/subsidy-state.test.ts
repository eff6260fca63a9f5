import { describe, expect, it } from 'vitest';
import {
  type SubsidyAction,
  type SubsidyStatus,
  subsidyActions,
  subsidyStatuses,
} from '../../../shared/welfare.ts';
import {
  availableSubsidyActions,
  checkSubsidyAction,
  type SubsidyActor,
  type SubsidyApplicationFacts,
} from './subsidy-state.ts';

const actors: Record<string, SubsidyActor> = {
  applicant: { kind: 'staff', userId: 1, role: 'coordinator', level: 'community' },
  reviewer: { kind: 'staff', userId: 2, role: 'coordinator', level: 'community' },
  street: { kind: 'staff', userId: 3, role: 'manager', level: 'street' },
  district: { kind: 'staff', userId: 4, role: 'admin', level: 'district' },
  streetCoordinator: { kind: 'staff', userId: 5, role: 'coordinator', level: 'street' },
  carer: { kind: 'staff', userId: 6, role: 'carer', level: 'community' },
  provider: { kind: 'staff', userId: 7, role: 'provider', level: null },
  city: { kind: 'staff', userId: 8, role: 'admin', level: 'city' },
  system: { kind: 'system' },
};

const facts = (status: SubsidyStatus): SubsidyApplicationFacts => ({
  status,
  applicantId: 1,
  reviewerId: ['reviewed', 'approved', 'disbursed'].includes(status) ? 2 : null,
  requestedAmount: 300_000,
});

/** Every legal move: [from, action, actor, to]; every other combination must be refused. */
const legal: [SubsidyStatus, SubsidyAction, string, SubsidyStatus][] = [
  ['draft', 'submit', 'applicant', 'submitted'],
  ['returned', 'submit', 'applicant', 'submitted'],
  ['submitted', 'review', 'reviewer', 'reviewed'],
  ['submitted', 'return', 'reviewer', 'returned'],
  ['submitted', 'reject', 'reviewer', 'rejected'],
  ['reviewed', 'approve', 'street', 'approved'],
  ['reviewed', 'approve', 'district', 'approved'],
  ['reviewed', 'return', 'street', 'returned'],
  ['reviewed', 'return', 'district', 'returned'],
  ['reviewed', 'reject', 'street', 'rejected'],
  ['reviewed', 'reject', 'district', 'rejected'],
  ['approved', 'disburse', 'system', 'disbursed'],
];

describe('the hardship-subsidy state machine', () => {
  it('allows exactly the legal moves, for every status × action × actor', () => {
    const key = (s: string, a: string, who: string) => `${s} ${a} ${who}`;
    const expected = new Map(legal.map(([s, a, who, to]) => [key(s, a, who), to]));
    let checked = 0;
    for (const s of subsidyStatuses) {
      for (const a of subsidyActions) {
        for (const [who, actor] of Object.entries(actors)) {
          const c = checkSubsidyAction({
            application: facts(s),
            action: a,
            actor,
            reason: '材料不全',
            approvedAmount: 200_000,
          });
          const want = expected.get(key(s, a, who));
          expect(c.ok ? c.to : null, key(s, a, who)).toBe(want ?? null);
          checked++;
        }
      }
    }
    expect(checked).toBe(7 * 6 * 9);
  });

  it('offers as buttons exactly the legal moves', () => {
    for (const s of subsidyStatuses) {
      for (const [who, actor] of Object.entries(actors)) {
        const want = legal.filter(([from, , w]) => from === s && w === who).map(([, a]) => a);
        expect(availableSubsidyActions(facts(s), actor), `${s} ${who}`).toEqual(want);
      }
    }
  });

  it('never skips a level: the street cannot approve what the community has not reviewed', () => {
    expect(
      checkSubsidyAction({
        application: facts('submitted'),
        action: 'approve',
        actor: actors.street,
        approvedAmount: 1,
      }),
    ).toMatchObject({
      ok: false,
      reason: 'illegal',
      zh: '该申请当前为“待社区审核”，不能审批通过',
    });
    expect(
      checkSubsidyAction({ application: facts('reviewed'), action: 'review', actor: actors.reviewer }),
    ).toMatchObject({
      reason: 'illegal',
      zh: '该申请当前为“待街道审批”，不能审核通过',
    });
  });

  it('lets nobody review or approve their own application, nor the community reviewer approve it again', () => {
    const applicantAtStreet: SubsidyActor = { kind: 'staff', userId: 1, role: 'manager', level: 'street' };
    expect(
      checkSubsidyAction({
        application: facts('reviewed'),
        action: 'approve',
        actor: applicantAtStreet,
        approvedAmount: 1,
      }),
    ).toMatchObject({
      reason: 'own_application',
      zh: '不能审批通过自己提交的申请',
    });
    expect(
      checkSubsidyAction({
        application: { ...facts('submitted'), applicantId: 2 },
        action: 'review',
        actor: actors.reviewer,
      }),
    ).toMatchObject({
      reason: 'own_application',
      zh: '不能审核通过自己提交的申请',
    });
    const reviewerAtStreet: SubsidyActor = { kind: 'staff', userId: 2, role: 'manager', level: 'street' };
    expect(
      checkSubsidyAction({
        application: facts('reviewed'),
        action: 'approve',
        actor: reviewerAtStreet,
        approvedAmount: 1,
      }),
    ).toMatchObject({
      reason: 'same_reviewer',
      zh: '已做过社区审核的人不能再审批通过同一申请',
    });
  });

  it('names who may take an action the actor may not', () => {
    expect(
      checkSubsidyAction({
        application: facts('reviewed'),
        action: 'approve',
        actor: actors.streetCoordinator,
        approvedAmount: 1,
      }),
    ).toMatchObject({
      reason: 'forbidden',
      zh: '只有街道或区审批人可以审批通过',
    });
    expect(
      checkSubsidyAction({ application: facts('submitted'), action: 'review', actor: actors.carer }),
    ).toMatchObject({
      reason: 'forbidden',
      zh: '只有社区审核人可以审核通过',
    });
    expect(
      checkSubsidyAction({
        application: facts('submitted'),
        action: 'return',
        actor: actors.provider,
        reason: 'x',
      }).ok,
    ).toBe(false);
    expect(
      checkSubsidyAction({ application: facts('approved'), action: 'disburse', actor: actors.district }),
    ).toMatchObject({
      zh: '只有发放批次可以发放',
    });
    expect(
      checkSubsidyAction({ application: facts('draft'), action: 'submit', actor: actors.reviewer }),
    ).toMatchObject({
      zh: '只有申请人可以提交',
    });
  });

  it('tells a status changed by someone else before anything else', () => {
    expect(
      checkSubsidyAction({
        application: facts('rejected'),
        expected: 'reviewed',
        action: 'approve',
        actor: actors.street,
        approvedAmount: 1,
      }),
    ).toMatchObject({
      reason: 'conflict',
      field: 'expectedStatus',
      zh: '操作冲突：该申请已被他人改为“未通过”，请刷新后重试',
    });
  });

  it('asks a return or rejection for its reason', () => {
    for (const action of ['return', 'reject'] as const) {
      expect(
        checkSubsidyAction({ application: facts('submitted'), action, actor: actors.reviewer, reason: '  ' }),
      ).toMatchObject({
        reason: 'missing',
        field: 'reason',
        zh: `${action === 'return' ? '退回' : '不予批准'}必须填写原因`,
      });
    }
  });

  it('approves a whole number of fen, at most the amount asked and what is left of the yearly cap', () => {
    const approve = (approvedAmount: number | null, capLeft?: number) =>
      checkSubsidyAction({
        application: facts('reviewed'),
        action: 'approve',
        actor: actors.street,
        approvedAmount,
        capLeft,
      });
    expect(approve(null)).toMatchObject({ field: 'approvedAmount', zh: '审批通过必须填写批准金额' });
    expect(approve(0).ok).toBe(false);
    expect(approve(100.5)).toMatchObject({ zh: '批准金额必须大于 0，精确到分' });
    expect(approve(300_001)).toMatchObject({ zh: '批准金额 3,000.01 元 超过申请金额 3,000.00 元' });
    expect(approve(250_000, 200_000)).toMatchObject({
      zh: '批准金额 2,500.00 元 超过该老人本年度剩余补助额度 2,000.00 元',
    });
    expect(approve(200_000, 200_000)).toEqual({ ok: true, to: 'approved' });
    expect(approve(300_000)).toEqual({ ok: true, to: 'approved' });
  });
});
