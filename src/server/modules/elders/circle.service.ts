import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  CircleContact,
  createCircleContactBody,
  reorderCircleBody,
  updateCircleContactBody,
} from '../../../shared/elders.ts';
import { maskPhone } from '../../../shared/id-number.ts';
import { requireAccess } from '../../platform/access.ts';
import { AppError, fieldError, notFound, notFoundField } from '../../platform/app-error.ts';
import type { Ctx } from '../../platform/auth.ts';
import { shanghaiDate } from '../../platform/clock.ts';
import { type Executor, withTx } from '../../platform/db.ts';
import { inScope } from '../../platform/scope.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as repo from './circle.repo.ts';
import { contractedDoctors } from './elders.repo.ts';
import { type Deps, loadVisibleElder } from './elders.service.ts';
import { normalisePhones } from './elders.view.ts';

const today = (deps: Deps) => shanghaiDate(deps.clock.now());

function view(c: repo.CircleRow): CircleContact {
  return {
    id: c.id,
    kind: c.kind as CircleContact['kind'],
    name: c.name,
    relation: c.relation,
    phones: c.phones.map(maskPhone),
    priority: c.priority,
    livesNearby: c.livesNearby,
    userId: c.userId,
    note: c.note,
  };
}

/** The circle in call order, and the family doctors under a running contract (masked phones). */
async function circleOf(ex: Executor, elderId: number, day: string) {
  const [items, doctors] = await Promise.all([
    repo.listCircle(ex, elderId),
    contractedDoctors(ex, [elderId], day),
  ]);
  return {
    items: items.map(view),
    familyDoctors: (doctors.get(elderId) ?? []).map((d) => ({
      id: d.id,
      name: d.name,
      phone: d.phone ? maskPhone(d.phone) : null,
      endDate: d.endDate,
    })),
  };
}

export async function getCircle(deps: Deps, ctx: Ctx, elderId: number) {
  await loadVisibleElder(deps.db, ctx, elderId, today(deps));
  return circleOf(deps.db, elderId, today(deps));
}

export async function addCircleContact(
  deps: Deps,
  ctx: Ctx,
  elderId: number,
  body: z.infer<typeof createCircleContactBody>,
) {
  requireAccess(ctx, 'elders.write');
  return withTx(deps.db, async (tx) => {
    const e = await loadVisibleElder(tx, ctx, elderId, today(deps), true);
    if (body.userId != null) await checkAccount(tx, ctx, body.userId);
    const c = await repo.insertContact(tx, {
      ...body,
      elderId,
      orgPath: e.orgPath,
      phones: normalisePhones(body.phones),
      priority: body.priority ?? (await repo.nextPriority(tx, elderId)),
    });
    await recordAudit(tx, ctx, {
      action: 'elder.circle.add',
      entity: 'elder',
      entityId: elderId,
      orgPath: e.orgPath,
      details: { contactId: c.id, kind: c.kind, name: c.name },
    });
    return view(c);
  });
}

/**
 * An account a circle entry links to is the caller's to use (issue 16.4): the ladder messages it and its
 * holder may then read the elder, so another street's or district's account is 404 naming the field.
 */
async function checkAccount(tx: Executor, ctx: Ctx, userId: number) {
  if (!(await repo.accountUsable(tx, userId, inScope(ctx.auth, sql.raw('o.path'))))) {
    throw notFoundField('body.userId', { zh: '账号', en: 'account' });
  }
}

async function editableContact(tx: Executor, elderId: number, contactId: number) {
  const c = await repo.getContact(tx, elderId, contactId);
  if (!c) throw notFound({ zh: '找不到该联系人', en: 'Contact not found' });
  if (c.kind === 'carer') {
    throw new AppError('UNPROCESSABLE', {
      zh: '结对人员请在结对管理中调整',
      en: 'Paired carers are changed through pairing',
    });
  }
  return c;
}

export async function updateCircleContact(
  deps: Deps,
  ctx: Ctx,
  elderId: number,
  contactId: number,
  body: z.infer<typeof updateCircleContactBody>,
) {
  requireAccess(ctx, 'elders.write');
  return withTx(deps.db, async (tx) => {
    const e = await loadVisibleElder(tx, ctx, elderId, today(deps), true);
    const old = await editableContact(tx, elderId, contactId);
    if (body.userId != null && body.userId !== old.userId) await checkAccount(tx, ctx, body.userId);
    const c = await repo.updateContact(tx, contactId, {
      ...body,
      ...(body.phones ? { phones: normalisePhones(body.phones) } : {}),
    });
    await recordAudit(tx, ctx, {
      action: 'elder.circle.update',
      entity: 'elder',
      entityId: elderId,
      orgPath: e.orgPath,
      details: { contactId, changed: Object.keys(body) },
    });
    return view(c);
  });
}

export async function deleteCircleContact(deps: Deps, ctx: Ctx, elderId: number, contactId: number) {
  requireAccess(ctx, 'elders.write');
  await withTx(deps.db, async (tx) => {
    const e = await loadVisibleElder(tx, ctx, elderId, today(deps), true);
    const c = await editableContact(tx, elderId, contactId);
    await repo.deleteContact(tx, contactId);
    await recordAudit(tx, ctx, {
      action: 'elder.circle.delete',
      entity: 'elder',
      entityId: elderId,
      orgPath: e.orgPath,
      details: { contactId, kind: c.kind, name: c.name },
    });
  });
}

/** The whole call order at once: every contact of the circle, each once. */
export async function reorderCircle(
  deps: Deps,
  ctx: Ctx,
  elderId: number,
  body: z.infer<typeof reorderCircleBody>,
) {
  requireAccess(ctx, 'elders.write');
  return withTx(deps.db, async (tx) => {
    const e = await loadVisibleElder(tx, ctx, elderId, today(deps), true);
    const current = await repo.listCircle(tx, elderId);
    const ids = new Set(current.map((c) => c.id));
    if (
      body.contactIds.length !== ids.size ||
      new Set(body.contactIds).size !== ids.size ||
      body.contactIds.some((i) => !ids.has(i))
    ) {
      throw fieldError(
        'body.contactIds',
        '顺序须包含该老人关爱圈的全部联系人，且每人一次',
        'The order must list every contact of the circle exactly once',
      );
    }
    await repo.reorder(tx, elderId, body.contactIds);
    await recordAudit(tx, ctx, {
      action: 'elder.circle.reorder',
      entity: 'elder',
      entityId: elderId,
      orgPath: e.orgPath,
      details: { contactIds: body.contactIds },
    });
    return circleOf(tx, elderId, today(deps));
  });
}

// The care network's pairing writes kind 'carer' rows through elders.carers.ts (set-based).

/** The circle in call order with clear phones, for the incident ladder (no caller: system use). */
export async function circleForEmergencyAsSystem(ex: Executor, elderId: number) {
  return repo.listCircle(ex, elderId);
}

/** The same for many elders in one read (the ladder sweeper's batch): elder id → circle in call order. */
export async function circlesForEmergencyAsSystem(ex: Executor, elderIds: number[]) {
  return repo.listCircles(ex, elderIds);
}
