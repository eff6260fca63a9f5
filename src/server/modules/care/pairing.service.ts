import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { leaveBody, loadQuery, pairBody, reassignBody, unpairBody } from '../../../shared/care.ts';
import { requireAccess } from '../../platform/access.ts';
import { AppError, fieldError } from '../../platform/app-error.ts';
import type { Ctx } from '../../platform/auth.ts';
import { shanghaiDate } from '../../platform/clock.ts';
import { type Executor, withTx } from '../../platform/db.ts';
import { inScope } from '../../platform/scope.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { addCarerToCircles, removeCarerFromCircles } from '../elders/elders.service.ts';
import * as repo from './care.repo.ts';
import { type Deps, orgPathInScope } from './care.service.ts';
import { idArray, refreshAssignees } from './plan.repo.ts';

/** A carer over this many elders shows as overloaded in the load view. */
export const OVERLOAD_ELDERS = 30;

const who: Record<string, { zh: string; en: string }> = {
  carerId: { zh: '关爱人员', en: 'carer' },
  toCarerId: { zh: '接手的关爱人员', en: 'carer taking over' },
  substituteId: { zh: '代班人', en: 'substitute' },
};

/**
 * The carer account a write names, checked against the caller's scope: one outside it (another
 * street's, another district's) is 404 naming the field, as if it did not exist — pairing an elder with
 * it, or making it a substitute, would hand the elder's phones and address to someone the caller may
 * not manage.
 */
async function loadCarer(ex: Executor, ctx: Ctx, id: number, field: string) {
  const u = await repo.accountForWrite(ex, id, inScope(ctx.auth, sql.raw('o.path')));
  const w = who[field] ?? who.carerId;
  if (!u?.visible) {
    throw new AppError('NOT_FOUND', { zh: `找不到该${w.zh}`, en: `No such ${w.en}` }, [
      {
        field,
        message: `找不到该${w.zh}，或其不在您的管辖范围内`,
        messageEn: `No such ${w.en} within your scope`,
      },
    ]);
  }
  if (!u.active || !['carer', 'doctor', 'coordinator'].includes(u.role)) {
    throw fieldError(field, '请选择在职的关爱人员（志愿者、顾问、医生等）', 'Choose an active carer account');
  }
  return u;
}

const inCallerScope = (ctx: Ctx) => inScope(ctx.auth, sql.raw('e.org_path'));

/** Elders named in a write must all be the caller's: one outside scope is 404 naming `elderIds`. */
async function checkElders(ex: Executor, ctx: Ctx, ids: number[]) {
  const seen = new Set(await repo.visibleElderIds(ex, ids, inCallerScope(ctx)));
  const missing = [...new Set(ids)].filter((id) => !seen.has(id));
  if (missing.length) {
    throw new AppError('NOT_FOUND', { zh: '找不到该服务对象', en: 'Elder not found' }, [
      {
        field: 'elderIds',
        message: `找不到这些老人，或其不在您的管辖范围内：${missing.slice(0, 20).join('、')}`,
        messageEn: `Elders not found within your scope: ${missing.slice(0, 20).join(', ')}`,
      },
    ]);
  }
}

/** 结对: pairs a carer with chosen elders, or with every elder of a grid/community in one statement. */
export async function pair(deps: Deps, ctx: Ctx, body: z.infer<typeof pairBody>) {
  requireAccess(ctx, 'care.manage');
  if (!body.elderIds && !body.orgId)
    throw fieldError('elderIds', '请选择老人或网格', 'Choose elders or a grid');
  const now = deps.clock.now();
  return withTx(deps.db, async (tx) => {
    await loadCarer(tx, ctx, body.carerId, 'carerId');
    if (body.elderIds) await checkElders(tx, ctx, body.elderIds);
    let filter = inCallerScope(ctx);
    if (body.orgId) {
      const o = await orgPathInScope(tx, ctx, body.orgId);
      filter = sql`${filter} AND e.org_path LIKE ${`${o.path}%`}`;
    }
    if (body.elderIds) filter = sql`${filter} AND e.id = ANY(${idArray(body.elderIds)})`;
    const elderIds = await repo.insertPairings(tx, body.carerId, filter, ctx.auth.userId);
    await addCarerToCircles(tx, body.carerId, elderIds);
    await refreshAssignees(tx, sql`d2.elder_id = ANY(${idArray(elderIds)})`, shanghaiDate(now), now);
    await recordAudit(tx, ctx, {
      action: 'care.pair',
      entity: 'user',
      entityId: body.carerId,
      details: { orgId: body.orgId ?? null, paired: elderIds.length },
    });
    return { paired: elderIds.length, elderIds };
  });
}

export async function unpair(deps: Deps, ctx: Ctx, body: z.infer<typeof unpairBody>) {
  requireAccess(ctx, 'care.manage');
  const now = deps.clock.now();
  return withTx(deps.db, async (tx) => {
    const filter = sql`${inCallerScope(ctx)} AND e.id = ANY(${idArray(body.elderIds)})`;
    const elderIds = await repo.deletePairings(tx, body.carerId, filter);
    await removeCarerFromCircles(tx, body.carerId, elderIds);
    await refreshAssignees(tx, sql`d2.elder_id = ANY(${idArray(elderIds)})`, shanghaiDate(now), now);
    await recordAudit(tx, ctx, {
      action: 'care.unpair',
      entity: 'user',
      entityId: body.carerId,
      details: { elderIds },
    });
    return { paired: elderIds.length, elderIds };
  });
}

/** A carer leaves or moves: every pairing in the caller's scope goes to another carer at once. */
export async function reassign(deps: Deps, ctx: Ctx, body: z.infer<typeof reassignBody>) {
  requireAccess(ctx, 'care.manage');
  if (body.fromCarerId === body.toCarerId)
    throw fieldError('toCarerId', '请选择另一位关爱人员', 'Choose another carer');
  const now = deps.clock.now();
  return withTx(deps.db, async (tx) => {
    await loadCarer(tx, ctx, body.toCarerId, 'toCarerId');
    const before = await repo.pairedElderIds(tx, body.fromCarerId);
    const elderIds = await repo.movePairings(tx, body.fromCarerId, body.toCarerId, inCallerScope(ctx));
    const left = new Set(await repo.pairedElderIds(tx, body.fromCarerId));
    const gone = before.filter((id) => !left.has(id));
    await removeCarerFromCircles(tx, body.fromCarerId, gone);
    await addCarerToCircles(tx, body.toCarerId, gone);
    await refreshAssignees(tx, sql`d2.elder_id = ANY(${idArray(gone)})`, shanghaiDate(now), now);
    await recordAudit(tx, ctx, {
      action: 'care.reassign',
      entity: 'user',
      entityId: body.fromCarerId,
      details: { to: body.toCarerId, moved: gone.length },
    });
    return { paired: elderIds.length, elderIds: gone };
  });
}

/** A substitute during leave: duties move to them for the dates, and back afterwards (care.jobs). */
export async function addLeave(deps: Deps, ctx: Ctx, body: z.infer<typeof leaveBody>) {
  requireAccess(ctx, 'care.manage');
  if (body.toDate < body.fromDate)
    throw fieldError('toDate', '结束日期不能早于开始日期', 'The end is before the start');
  if (body.carerId === body.substituteId)
    throw fieldError('substituteId', '代班人不能是本人', 'Choose someone else');
  const now = deps.clock.now();
  return withTx(deps.db, async (tx) => {
    await loadCarer(tx, ctx, body.carerId, 'carerId');
    await loadCarer(tx, ctx, body.substituteId, 'substituteId');
    // a leave hands every elder the carer serves to the substitute: the caller must manage them all
    if ((await repo.pairedOutside(tx, body.carerId, inCallerScope(ctx))) > 0) {
      throw new AppError(
        'FORBIDDEN',
        {
          zh: '该关爱人员还服务您管辖范围以外的老人，请由上级统一安排代班',
          en: 'This carer also serves elders outside your scope; ask a manager above you to arrange the leave',
        },
        [
          {
            field: 'carerId',
            message: '该关爱人员还服务您管辖范围以外的老人，请由上级统一安排代班',
            messageEn: 'This carer also serves elders outside your scope',
          },
        ],
      );
    }
    const leave = await repo.insertLeave(tx, {
      ...body,
      reason: body.reason ?? null,
      createdBy: ctx.auth.userId,
    });
    const n = await refreshAssignees(
      tx,
      sql`d2.elder_id IN (SELECT elder_id FROM carer_pairings WHERE carer_id = ${body.carerId})`,
      shanghaiDate(now),
      now,
    );
    await recordAudit(tx, ctx, {
      action: 'care.leave',
      entity: 'user',
      entityId: body.carerId,
      details: { ...body, leaveId: leave.id },
    });
    return { count: n };
  });
}

export async function carerLoad(deps: Deps, ctx: Ctx, q: z.infer<typeof loadQuery>) {
  requireAccess(ctx, 'care.manage');
  const o = await orgPathInScope(deps.db, ctx, q.orgId);
  const now = deps.clock.now();
  const horizon = new Date(now.getTime() + 7 * 86400_000);
  const [load, unpaired, total] = await Promise.all([
    repo.carerLoad(deps.db, o.path, now, horizon),
    repo.unpairedElders(deps.db, o.path, 100),
    repo.countUnpaired(deps.db, o.path),
  ]);
  if (load.length === 0 && total === 0 && !o) throw new AppError('NOT_FOUND');
  return {
    carers: load.map((l) => ({
      carerId: l.carer_id,
      name: l.display_name,
      carerKind: l.carer_kind,
      elders: l.elders,
      due: l.due,
      overdue: l.overdue,
      overloaded: l.elders > OVERLOAD_ELDERS,
    })),
    unpaired: { total, items: unpaired.map((e) => ({ id: e.id, name: e.name })) },
  };
}
