import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  acceptReferralBody,
  assignReferralBody,
  closeReferralBody,
  ReferralStatus,
  referralsQuery,
  resolveReferralBody,
} from '../../../shared/care.ts';
import { rolesWith } from '../../../shared/permissions.ts';
import { requireAccess } from '../../platform/access.ts';
import { AppError, fieldError, notFound } from '../../platform/app-error.ts';
import type { Ctx } from '../../platform/auth.ts';
import { type Executor, withTx } from '../../platform/db.ts';
import { inScope } from '../../platform/scope.ts';
import type { SweepDeps } from '../../platform/sweeper.ts';
import { staffCovering } from '../accounts/accounts.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { orgPathInScope } from '../care/care.service.ts';
import { checkReferralAction, type ReferralAction } from './referral-state.ts';
import * as repo from './referrals.repo.ts';

// 需求转介: the needs carers raise on visits (one row per need, written with the contact), worked by
// admins, managers and coordinators of the subtree. Scope is a condition of every query: a referral
// outside the caller's subtree does not exist for them (404). The intake of the work-orders module.

type Deps = Pick<SweepDeps, 'db' | 'clock'>;

/** the ledger's bulk path for generators (demo, seeds) */
export { insertReferralsBulk, type ReferralBulkRow } from './referrals.bulk.ts';
export type { NewReferral } from './referrals.repo.ts';

/**
 * The seam with care's contacts: the referrals of the needs a batch of contacts raised, as one INSERT
 * that the contacts' group commit sends with its other statements (`together`), so a contact never
 * stands without its referrals and care never names this module's table. Null when there are none.
 */
export const referralsInsert = repo.referralsInsert;

const scopeOf = (ctx: Ctx) => inScope(ctx.auth, sql.raw('r.org_path'));
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function referralView(r: repo.ReferralRow) {
  return {
    id: r.id,
    elderId: r.elder_id,
    elderName: r.elder_name,
    need: r.need,
    status: r.status,
    createdAt: r.created_at.toISOString(),
    contactId: r.contact_id,
    raisedById: r.raised_by_id,
    raisedByName: r.raised_by_name,
    contactedAt: r.contacted_at.toISOString(),
    contactChannel: r.contact_channel,
    contactNote: r.contact_note,
    handlerId: r.handler_id,
    handlerName: r.handler_name,
    acceptedAt: iso(r.accepted_at),
    acceptedById: r.accepted_by,
    acceptedByName: r.accepted_by_name,
    resolvedAt: iso(r.resolved_at),
    resolvedById: r.resolved_by,
    resolvedByName: r.resolved_by_name,
    resolution: r.resolution,
    updatedAt: r.updated_at.toISOString(),
  };
}

const filterStatuses = (s: z.infer<typeof referralsQuery>['status']): ReferralStatus[] | undefined =>
  s === 'active' ? ['open', 'accepted'] : s === 'all' ? undefined : [s];

export async function listReferrals(deps: Deps, ctx: Ctx, q: z.infer<typeof referralsQuery>) {
  requireAccess(ctx, 'referrals.handle');
  const orgPath = q.orgId ? (await orgPathInScope(deps.db, ctx, q.orgId)).path : undefined;
  const f = { scope: scopeOf(ctx), orgPath, elderId: q.elderId };
  // one more than a page tells whether there is a next one, without counting the history
  const rows = await repo.listReferrals(deps.db, {
    ...f,
    statuses: filterStatuses(q.status),
    limit: q.limit + 1,
    offset: q.offset,
  });
  const counts = await repo.countBacklog(deps.db, f);
  return {
    items: rows.slice(0, q.limit).map(referralView),
    nextOffset: rows.length > q.limit ? q.offset + q.limit : null,
    counts,
  };
}

/** Who may handle a referral: active staff accounts whose scope covers it (for 转派). */
export async function referralHandlers(deps: Deps, ctx: Ctx, id: number) {
  requireAccess(ctx, 'referrals.handle');
  const [r] = await repo.listReferrals(deps.db, { scope: scopeOf(ctx), id, limit: 1, offset: 0 });
  if (!r) throw notFound({ zh: '找不到该需求', en: 'Referral not found' });
  return { items: await staffCovering(deps.db, r.org_path, rolesWith('referrals.handle')) };
}

export type ReferralInput =
  | ({ action: 'accept' } & z.infer<typeof acceptReferralBody>)
  | ({ action: 'resolve' } & z.infer<typeof resolveReferralBody>)
  | ({ action: 'close' } & z.infer<typeof closeReferralBody>)
  | ({ action: 'assign' } & z.infer<typeof assignReferralBody>);

/**
 * One action on one referral inside the caller's transaction: lock it (in scope), check the status the
 * client saw and the state machine, write the change and its audit entry. Exported so the work-order
 * module (a later issue) can accept or resolve a referral in the same transaction as its order.
 */
export async function applyReferralAction(
  tx: Executor,
  ctx: Ctx,
  now: Date,
  id: number,
  input: ReferralInput,
): Promise<void> {
  const row = await repo.lockReferral(tx, id, scopeOf(ctx));
  if (!row) throw notFound({ zh: '找不到该需求', en: 'Referral not found' });
  const check = checkReferralAction(row.status, input.expectedStatus, input.action as ReferralAction);
  if (!check.ok) {
    throw new AppError('CONFLICT', { zh: check.zh, en: check.en }, [
      { field: 'body.expectedStatus', message: check.zh, messageEn: check.en, current: row.status },
    ]);
  }
  const me = ctx.auth.userId;
  const wanted = input.action === 'accept' || input.action === 'assign' ? input.handlerId : undefined;
  if (
    wanted != null &&
    (await staffCovering(tx, row.org_path, rolesWith('referrals.handle'), wanted)).length === 0
  ) {
    throw fieldError(
      'body.handlerId',
      '处理人须为管辖该老人、在岗的工作人员、主管领导或系统管理员',
      'The handler must be an active staff account (admin, manager or coordinator) covering this elder',
    );
  }
  const patch: repo.ReferralPatch = { status: check.to, handlerId: row.handler_id };
  if (input.action === 'assign') patch.handlerId = input.handlerId;
  if (input.action === 'accept' || (input.action === 'resolve' && !row.accepted_at)) {
    // resolving straight from 待处理 accepts it at the same moment, by the same person
    patch.handlerId = wanted ?? row.handler_id ?? me;
    patch.acceptedAt = now;
    patch.acceptedBy = me;
  }
  if (input.action === 'resolve' || input.action === 'close') {
    patch.resolvedAt = now;
    patch.resolvedBy = me;
    patch.resolution = input.action === 'resolve' ? input.resolution : input.reason;
  }
  await repo.updateReferral(tx, id, patch, now);
  await recordAudit(tx, ctx, {
    action: `care.referral.${input.action}`,
    entity: 'care_referral',
    entityId: id,
    orgPath: row.org_path,
    reason: input.action === 'close' ? input.reason : null,
    details: {
      elderId: row.elder_id,
      from: row.status,
      to: check.to,
      handlerId: patch.handlerId,
      ...(input.action === 'resolve' ? { resolution: input.resolution } : {}),
    },
  });
}

/** An action from the API: applied in its own transaction, answered with the referral as it now is. */
export async function actOnReferral(deps: Deps, ctx: Ctx, id: number, input: ReferralInput) {
  requireAccess(ctx, 'referrals.handle');
  const now = deps.clock.now();
  return withTx(deps.db, async (tx) => {
    await applyReferralAction(tx, ctx, now, id, input);
    const [r] = await repo.listReferrals(tx, { scope: scopeOf(ctx), id, limit: 1, offset: 0 });
    return { referral: referralView(r) };
  });
}
