import type { Role } from '../../../shared/auth.ts';
import {
  formatUnits,
  type ReviewLevel,
  reviewLevelNames,
  type SubsidyAction,
  type SubsidyStatus,
  subsidyActionNames,
  subsidyStatusNames,
} from '../../../shared/welfare.ts';

/**
 * The hardship-subsidy (困难补助) application state machine of issue 13:
 *
 *   draft 草稿 → submitted 待社区审核 → reviewed 待街道审批 → approved 已批准 → disbursed 已发放
 *
 * plus: each review step may return the application to its applicant with a reason (returned 已退回; the
 * applicant corrects it and submits again, and the review starts over at the community) or reject it
 * with a reason (rejected 未通过, final). Approval sets the approved amount, at most the amount asked
 * and within what is left of the elder's yearly cap. An approved application is disbursed when the
 * disbursement batch (发放批次) holding it is marked paid, so only the system makes that move.
 *
 * Who may make each move is data: each action lists, per capacity, the states it leaves. A person's
 * capacity comes from their role, the level of the org they act for and whether they wrote the
 * application: nobody reviews or approves their own application, and the community reviewer does not
 * approve the same application at the street (four eyes). Nothing skips a level: approval starts only
 * from `reviewed`. The levels are data too (`defaultChain`), so an administrator's chain
 * (社区 → 街道 → 离退休处) can name other levels later.
 */
export type SubsidyCapacity = 'applicant' | 'reviewer' | 'approver' | 'system';

export interface SubsidyRule {
  to: SubsidyStatus;
  from: Partial<Record<SubsidyCapacity, readonly SubsidyStatus[]>>;
  needsReason?: boolean;
  needsAmount?: boolean;
}

export const rules: Record<SubsidyAction, SubsidyRule> = {
  submit: { to: 'submitted', from: { applicant: ['draft', 'returned'] } },
  review: { to: 'reviewed', from: { reviewer: ['submitted'] } },
  approve: { to: 'approved', from: { approver: ['reviewed'] }, needsAmount: true },
  return: { to: 'returned', from: { reviewer: ['submitted'], approver: ['reviewed'] }, needsReason: true },
  reject: { to: 'rejected', from: { reviewer: ['submitted'], approver: ['reviewed'] }, needsReason: true },
  disburse: { to: 'disbursed', from: { system: ['approved'] } },
};

/** Which roles at which levels review (the first step) and approve (the second). */
export interface SubsidyChain {
  reviewer: { roles: readonly Role[]; levels: readonly ReviewLevel[] };
  approver: { roles: readonly Role[]; levels: readonly ReviewLevel[] };
}

export const defaultChain: SubsidyChain = {
  reviewer: { roles: ['coordinator', 'manager', 'admin'], levels: ['community'] },
  approver: { roles: ['manager', 'admin'], levels: ['street', 'district'] },
};

const applicantRoles: readonly Role[] = ['coordinator', 'manager', 'admin'];

export const isFinished = (s: SubsidyStatus) => s === 'disbursed' || s === 'rejected';

export type SubsidyActor =
  | {
      kind: 'staff';
      userId: number;
      role: Role /** the level of the org acted for */;
      level: ReviewLevel | null;
    }
  | { kind: 'system' };

export interface SubsidyApplicationFacts {
  status: SubsidyStatus;
  /** who wrote the application on the elder's behalf */
  applicantId: number;
  /** who passed the community review, once it has */
  reviewerId?: number | null;
  /** the amount asked, in fen */
  requestedAmount: number;
}

export interface SubsidyMove {
  application: SubsidyApplicationFacts;
  /** the status the client saw; a different current status is a conflict */
  expected?: SubsidyStatus;
  action: SubsidyAction;
  actor: SubsidyActor;
  reason?: string | null;
  /** the approved amount in fen (approve only) */
  approvedAmount?: number | null;
  /** what is left of the elder's yearly cap in fen, when the programme has one (approve only) */
  capLeft?: number | null;
}

export type SubsidyCheck =
  | { ok: true; to: SubsidyStatus }
  | {
      ok: false;
      reason:
        | 'conflict'
        | 'forbidden'
        | 'own_application'
        | 'same_reviewer'
        | 'illegal'
        | 'missing'
        | 'invalid';
      field: string;
      zh: string;
      en: string;
    };

/** The capacities an actor holds toward one application. */
export function capacitiesOf(
  actor: SubsidyActor,
  app: SubsidyApplicationFacts,
  chain: SubsidyChain = defaultChain,
): SubsidyCapacity[] {
  if (actor.kind === 'system') return ['system'];
  const out: SubsidyCapacity[] = [];
  const own = actor.userId === app.applicantId;
  if (own && applicantRoles.includes(actor.role)) out.push('applicant');
  const holds = (c: SubsidyChain['reviewer']) =>
    !own && c.roles.includes(actor.role) && actor.level != null && c.levels.includes(actor.level);
  if (holds(chain.reviewer)) out.push('reviewer');
  if (holds(chain.approver) && actor.userId !== app.reviewerId) out.push('approver');
  return out;
}

const levelsText = (ls: readonly ReviewLevel[]) => ls.map((l) => reviewLevelNames[l]).join('或');

function whoMay(action: SubsidyAction, chain: SubsidyChain): string {
  const caps = Object.keys(rules[action].from) as SubsidyCapacity[];
  const names: Record<SubsidyCapacity, string> = {
    applicant: '申请人',
    reviewer: `${levelsText(chain.reviewer.levels)}审核人`,
    approver: `${levelsText(chain.approver.levels)}审批人`,
    system: '发放批次',
  };
  return caps.map((c) => names[c]).join('或');
}

/**
 * Whether `actor` may take `action` on the application. Told in this order: a conflict (someone else
 * moved it since the client read it), a person who may not take this action at all (with the reason
 * when it is their own application or their own review), a move the machine does not allow from this
 * status, a missing reason, an approved amount that is not a whole number of fen, above the amount
 * asked or above what is left of the yearly cap.
 */
export function checkSubsidyAction(m: SubsidyMove, chain: SubsidyChain = defaultChain): SubsidyCheck {
  const { application: app, action, actor } = m;
  const current = app.status;
  const verb = subsidyActionNames[action];
  if (m.expected && m.expected !== current) {
    return {
      ok: false,
      reason: 'conflict',
      field: 'expectedStatus',
      zh: `操作冲突：该申请已被他人改为“${subsidyStatusNames[current]}”，请刷新后重试`,
      en: `Conflict: someone else changed this application to ${current}; reload and try again`,
    };
  }
  const rule = rules[action];
  const caps = capacitiesOf(actor, app, chain).filter((c) => rule.from[c]);
  if (caps.length === 0) {
    if (
      actor.kind === 'staff' &&
      (action === 'review' || action === 'approve' || action === 'return' || action === 'reject')
    ) {
      // name the four-eyes rule when that is what stands in the way
      const stranger = { ...actor, userId: -1 };
      const asStranger = capacitiesOf(stranger, { ...app, reviewerId: null }, chain).filter(
        (c) => rule.from[c],
      );
      if (asStranger.length > 0 && actor.userId === app.applicantId) {
        return {
          ok: false,
          reason: 'own_application',
          field: 'action',
          zh: `不能${verb}自己提交的申请`,
          en: `You cannot ${action} an application you submitted`,
        };
      }
      if (asStranger.length > 0 && actor.userId === app.reviewerId) {
        return {
          ok: false,
          reason: 'same_reviewer',
          field: 'action',
          zh: `已做过社区审核的人不能再${verb}同一申请`,
          en: `The community reviewer cannot also ${action} the same application`,
        };
      }
    }
    return {
      ok: false,
      reason: 'forbidden',
      field: 'action',
      zh: `只有${whoMay(action, chain)}可以${verb}`,
      en: `Only the ${Object.keys(rule.from).join(' or ')} may ${action} an application`,
    };
  }
  if (!caps.some((c) => rule.from[c]?.includes(current))) {
    return {
      ok: false,
      reason: 'illegal',
      field: 'action',
      zh: `该申请当前为“${subsidyStatusNames[current]}”，不能${verb}`,
      en: `The application is ${current}; ${action} is not allowed`,
    };
  }
  if (rule.needsReason && !m.reason?.trim()) {
    return {
      ok: false,
      reason: 'missing',
      field: 'reason',
      zh: `${verb}必须填写原因`,
      en: `${action} needs a reason`,
    };
  }
  if (rule.needsAmount) {
    const a = m.approvedAmount;
    const bad = (zh: string, en: string): SubsidyCheck => ({
      ok: false,
      reason: 'invalid',
      field: 'approvedAmount',
      zh,
      en,
    });
    if (a == null) return bad('审批通过必须填写批准金额', 'Approval needs the approved amount');
    if (!Number.isSafeInteger(a) || a <= 0)
      return bad('批准金额必须大于 0，精确到分', 'The approved amount must be positive, in whole fen');
    if (a > app.requestedAmount) {
      return bad(
        `批准金额 ${formatUnits(a, 'fen')} 超过申请金额 ${formatUnits(app.requestedAmount, 'fen')}`,
        'The approved amount exceeds the amount asked',
      );
    }
    if (m.capLeft != null && a > m.capLeft) {
      return bad(
        `批准金额 ${formatUnits(a, 'fen')} 超过该老人本年度剩余补助额度 ${formatUnits(Math.max(0, m.capLeft), 'fen')}`,
        "The approved amount exceeds what is left of the elder's yearly cap",
      );
    }
  }
  return { ok: true, to: rule.to };
}

/** The actions `actor` may take on the application now (the buttons a screen offers). */
export function availableSubsidyActions(
  app: SubsidyApplicationFacts,
  actor: SubsidyActor,
  chain: SubsidyChain = defaultChain,
): SubsidyAction[] {
  const caps = capacitiesOf(actor, app, chain);
  return (Object.keys(rules) as SubsidyAction[]).filter((a) =>
    caps.some((c) => rules[a].from[c]?.includes(app.status)),
  );
}
