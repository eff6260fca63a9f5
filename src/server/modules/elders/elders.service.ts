import { type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { CreateElderBody, revealBody, UpdateElderBody } from '../../../shared/elders.ts';
import { maskIdNumber, parseIdNumber } from '../../../shared/id-number.ts';
import { pinyinKeys } from '../../../shared/pinyin.ts';
import { requireAccess } from '../../platform/access.ts';
import { AppError, fieldError, notFound, notFoundField } from '../../platform/app-error.ts';
import type { Ctx } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import { shanghaiDate } from '../../platform/clock.ts';
import { type Db, type Executor, rows, withTx } from '../../platform/db.ts';
import { pathInScope } from '../../platform/scope.ts';
import { changesOf, recordAudit } from '../audit/audit.service.ts';
import { getOrgsByIds, orgDisplayNames } from '../orgs/orgs.service.ts';
import * as circleRepo from './circle.repo.ts';
import { canReveal, canSeeHealth, visibleElders } from './elders.access.ts';
import * as repo from './elders.repo.ts';
import { elders } from './elders.schema.ts';
import { normalisePhones, type OrgNames, searchTails, toDetail } from './elders.view.ts';

export { findExistingIdNumbers, findIdNumbersOutsideScope, upsertEldersByIdNumber } from './elders.bulk.ts';
/** the registry's bulk path for generators (demo, seeds, benchmarks) */
export {
  type ElderBulkRow,
  type ElderRecordsBulk,
  insertElderRecordsBulk,
  insertEldersBulk,
} from './elders.bulk-insert.ts';
export { addCarerToCircles, removeCarerFromCircles } from './elders.carers.ts';
/** for the care network's planning: who holds each elder's family-doctor contract today */
export { contractedDoctorsOf } from './elders.repo.ts';
export { completenessStats, listElders, listEldersForExport } from './elders.search.ts';
export {
  type ElderBasics,
  elderBasicsAsSystem,
  elderBasicsManyAsSystem,
  emergencyRecordAsSystem,
  type FamilyDoctor,
  familyDoctorsManyAsSystem,
} from './emergency.repo.ts';

export interface Deps {
  db: Db;
  clock: Clock;
}

const today = (deps: Deps) => shanghaiDate(deps.clock.now());

/** The elder if the caller may see them, else 404 (out-of-scope records do not exist for the caller). */
export async function loadVisibleElder(ex: Executor, ctx: Ctx, id: number, day: string, forUpdate = false) {
  requireAccess(ctx, 'elders.read');
  const visible = visibleElders(ctx, day);
  const row = forUpdate
    ? await repo.getElderForUpdate(ex, id, visible)
    : await repo.getElder(ex, id, visible);
  if (!row) throw notFound({ zh: '找不到该服务对象', en: 'Elder not found' });
  return row;
}

/**
 * The condition on `elders` rows the caller may see, for a statement that checks visibility itself
 * (e.g. an INSERT … SELECT FROM elders); 403 first for roles without registry access.
 */
export function visibleElderCondition(ctx: Ctx, day: string): SQL {
  requireAccess(ctx, 'elders.read');
  return visibleElders(ctx, day);
}

/**
 * For another module's rows that belong to an elder (devices, …): the row's elder is one the caller
 * may see, by this module's rule (community/grid or affiliation in scope, a doctor's running contract,
 * a carer's pairing), so such rows never drift from the registry. 403 first as above.
 */
export function ofVisibleElder(ctx: Ctx, day: string, elderId: AnyPgColumn | SQL): SQL {
  return sql`${elderId} IN (SELECT ${elders.id} FROM ${elders} WHERE ${visibleElderCondition(ctx, day)})`;
}

export async function orgNamesOf(ex: Db, ids: (number | null)[]): Promise<OrgNames> {
  const unique = [...new Set(ids.filter((i): i is number => i != null))];
  // a grid reads with its community: 湖滨社区 / 第1网格
  return orgDisplayNames(ex, unique);
}

async function detail(deps: Deps, ctx: Ctx, row: repo.ElderRow, warnings?: string[]) {
  const day = today(deps);
  const names = await orgNamesOf(deps.db, [row.orgId, row.affiliationId]);
  const doctors = await repo.currentDoctors(deps.db, [row.id], day);
  return toDetail(row, names, day, canSeeHealth(ctx), doctors.get(row.id) ?? null, warnings);
}

/** ID number checked (GB 11643), birth date and gender must agree with it; a 15-digit number is upgraded. */
function checkIdentity(
  raw: string,
  given: { birthDate?: string; gender?: 'M' | 'F' },
  day: string,
  warnings: string[],
) {
  const id = parseIdNumber(raw, { today: day });
  if (!id.ok)
    throw fieldError('body.idNumber', `身份证号不正确：${id.reason}`, `Invalid ID number: ${id.reasonEn}`);
  if (given.birthDate && given.birthDate !== id.birthDate) {
    throw fieldError(
      'body.birthDate',
      `出生日期与身份证号不符（身份证号中为 ${id.birthDate}）`,
      `The birth date contradicts the ID number (${id.birthDate})`,
    );
  }
  if (given.gender && given.gender !== id.gender) {
    throw fieldError(
      'body.gender',
      `性别与身份证号不符（身份证号中为${id.gender === 'M' ? '男' : '女'}）`,
      `The gender contradicts the ID number (${id.gender})`,
    );
  }
  if (id.upgradedFrom15) {
    warnings.push(
      `15 位身份证号 ${maskIdNumber(id.upgradedFrom15)} 已自动升级为 18 位 ${maskIdNumber(id.idNumber)}`,
    );
  }
  return id;
}

/**
 * Where an elder is placed: a community or grid of the geo tree, and optionally an affiliation (原单位)
 * node. Both decide who sees the elder (elders.access.ts), so each one a write names must lie in the
 * caller's scope: one outside it answers 404 naming the field, exactly as an unknown id (issue 16.4).
 * A value the write keeps unchanged (`keep`) is not a new reference and is not checked again.
 */
async function placement(
  db: Db,
  ctx: Ctx,
  orgId: number,
  affiliationId: number | null | undefined,
  keep: { orgId?: number; affiliationId?: number | null } = {},
) {
  const [org] = await getOrgsByIds(db, [orgId]);
  if (!org || (orgId !== keep.orgId && !pathInScope(ctx.auth, org.path))) {
    throw notFoundField('body.orgId', { zh: '社区/网格', en: 'community/grid' });
  }
  if (org.tree !== 'geo' || !['community', 'grid'].includes(org.kind)) {
    throw fieldError(
      'body.orgId',
      '所属社区/网格须是社区或网格',
      'The community/grid must be a community or a grid',
    );
  }
  let affiliation: { id: number; path: string } | null = null;
  if (affiliationId != null) {
    const [a] = await getOrgsByIds(db, [affiliationId]);
    if (
      a?.tree !== 'affiliation' ||
      (affiliationId !== keep.affiliationId && !pathInScope(ctx.auth, a.path))
    ) {
      throw notFoundField('body.affiliationId', { zh: '原单位', en: 'affiliation' });
    }
    affiliation = { id: a.id, path: a.path };
  }
  return { org: { id: org.id, path: org.path }, affiliation };
}

async function assertUniqueIdNumber(ex: Executor, idNumber: string, selfId?: number) {
  const other = await repo.findIdByIdNumber(ex, idNumber);
  if (other != null && other !== selfId) {
    throw new AppError('DUPLICATE', { zh: '该身份证号已登记', en: 'This ID number is already registered' }, [
      {
        field: 'body.idNumber',
        message: '该身份证号已登记，一个身份证号只能登记一位服务对象',
        messageEn: 'Already registered',
      },
    ]);
  }
}

export async function createElder(deps: Deps, ctx: Ctx, body: CreateElderBody) {
  requireAccess(ctx, 'elders.write');
  const day = today(deps);
  const warnings: string[] = [];
  const id = checkIdentity(body.idNumber, body, day, warnings);
  const { org, affiliation } = await placement(deps.db, ctx, body.orgId, body.affiliationId);
  const row = await withTx(deps.db, async (tx) => {
    await assertUniqueIdNumber(tx, id.idNumber);
    if (body.survivorOf != null) await loadVisibleElder(tx, ctx, body.survivorOf, day);
    const phones = normalisePhones(body.phones);
    const keys = pinyinKeys(body.name);
    const e = await repo.insertElder(tx, {
      ...body,
      orgId: org.id,
      orgPath: org.path,
      affiliationId: affiliation?.id ?? null,
      affiliationPath: affiliation?.path ?? null,
      namePinyin: keys.full,
      nameInitials: keys.initials,
      gender: id.gender,
      idNumber: id.idNumber,
      birthDate: id.birthDate,
      phones,
      searchTails: searchTails(id.idNumber, phones),
      tags: [...new Set(body.tags)],
      status: 'active',
      statusSince: day,
      createdBy: ctx.auth.userId,
    });
    await recordAudit(tx, ctx, {
      action: 'elder.create',
      entity: 'elder',
      entityId: e.id,
      orgPath: e.orgPath,
      details: {
        name: e.name,
        idNumber: maskIdNumber(e.idNumber),
        upgradedFrom15: id.upgradedFrom15 != null,
      },
    });
    return e;
  });
  return detail(deps, ctx, row, warnings);
}

export async function getElderDetail(deps: Deps, ctx: Ctx, id: number) {
  const row = await loadVisibleElder(deps.db, ctx, id, today(deps));
  // who read an elder's record is logged (PIPL art. 51); the log folds a person's repeated views
  await recordAudit(deps.db, ctx, {
    action: 'elder.view',
    entity: 'elder',
    entityId: id,
    orgPath: row.orgPath,
  });
  return detail(deps, ctx, row);
}

export async function updateElder(deps: Deps, ctx: Ctx, id: number, body: UpdateElderBody) {
  requireAccess(ctx, 'elders.write');
  const day = today(deps);
  const warnings: string[] = [];
  const row = await withTx(deps.db, async (tx) => {
    const before = await loadVisibleElder(tx, ctx, id, day, true);
    const patch: Partial<repo.ElderInsert> = { ...body };
    delete (patch as Record<string, unknown>).idNumber;
    const idNumber = body.idNumber ?? before.idNumber;
    const ident = checkIdentity(
      idNumber,
      { birthDate: body.birthDate ?? (body.idNumber ? undefined : before.birthDate), gender: body.gender },
      day,
      warnings,
    );
    if (ident.idNumber !== before.idNumber) await assertUniqueIdNumber(tx, ident.idNumber, id);
    Object.assign(patch, { idNumber: ident.idNumber, birthDate: ident.birthDate, gender: ident.gender });
    if (body.orgId != null || body.affiliationId !== undefined) {
      const { org, affiliation } = await placement(
        tx as unknown as Db, // inside the transaction: on PGlite another connection would wait for it
        ctx,
        body.orgId ?? before.orgId,
        body.affiliationId === undefined ? before.affiliationId : body.affiliationId,
        { orgId: before.orgId, affiliationId: before.affiliationId },
      );
      Object.assign(patch, {
        orgId: org.id,
        orgPath: org.path,
        affiliationId: affiliation?.id ?? null,
        affiliationPath: affiliation?.path ?? null,
      });
    }
    if (body.name) {
      const keys = pinyinKeys(body.name);
      Object.assign(patch, { namePinyin: keys.full, nameInitials: keys.initials });
    }
    const phones = body.phones ? normalisePhones(body.phones) : before.phones;
    Object.assign(patch, { phones, searchTails: searchTails(ident.idNumber, phones) });
    if (body.tags) patch.tags = [...new Set(body.tags)];
    if (body.status && body.status !== before.status && body.statusSince === undefined)
      patch.statusSince = day;
    if (body.survivorOf != null && body.survivorOf === id) {
      throw fieldError('body.survivorOf', '不能是本人', 'Cannot be the elder themself');
    }
    if (body.survivorOf != null) await loadVisibleElder(tx, ctx, body.survivorOf, day);
    const after = await repo.updateElder(tx, id, patch);
    if (after.orgPath !== before.orgPath) await repo.moveChildRows(tx, id, after.orgPath);
    const changed = Object.keys(body).filter((k) => k !== 'idNumber' && k !== 'phones');
    const fields = [...changed, ...(body.idNumber ? ['idNumber'] : []), ...(body.phones ? ['phones'] : [])];
    await recordAudit(tx, ctx, {
      action: 'elder.update',
      entity: 'elder',
      entityId: id,
      orgPath: after.orgPath,
      details: {
        changed: fields,
        changes: await elderChanges(tx, before, after, fields),
        ...(body.status && body.status !== before.status ? { status: [before.status, body.status] } : {}),
        ...(after.orgPath !== before.orgPath ? { movedFrom: before.orgPath } : {}),
      },
    });
    return after;
  });
  return detail(deps, ctx, row, warnings);
}

/** What an edit changed, old → new, for the audit log: places by name, ID number and phones masked. */
async function elderChanges(tx: Executor, before: repo.ElderRow, after: repo.ElderRow, fields: string[]) {
  const placed = fields.includes('orgId') || fields.includes('affiliationId');
  const names = placed
    ? await orgNamesOf(tx as unknown as Db, [
        before.orgId,
        after.orgId,
        before.affiliationId,
        after.affiliationId,
      ])
    : new Map<number, string>();
  const named = (e: repo.ElderRow) => ({
    ...e,
    orgId: names.get(e.orgId) ?? e.orgId,
    affiliationId: e.affiliationId == null ? null : (names.get(e.affiliationId) ?? e.affiliationId),
  });
  return changesOf(named(before), named(after), fields);
}

/** Shows one masked field in clear, for a logged reason (PIPL art. 51; GB/T 35273 §7.2). */
export async function revealElderField(deps: Deps, ctx: Ctx, id: number, body: z.infer<typeof revealBody>) {
  const e = await loadVisibleElder(deps.db, ctx, id, today(deps));
  if (!canReveal(ctx, body.field)) throw new AppError('FORBIDDEN');
  return withTx(deps.db, async (tx) => {
    await recordAudit(tx, ctx, {
      action: 'elder.reveal',
      entity: 'elder',
      entityId: id,
      orgPath: e.orgPath,
      reason: body.reason,
      details: { field: body.field },
    });
    if (body.field === 'idNumber') return { field: body.field, idNumber: e.idNumber };
    if (body.field === 'phones') return { field: body.field, phones: e.phones };
    const contacts = await circleRepo.listCircle(tx, id);
    return {
      field: body.field,
      circlePhones: contacts.map((c) => ({ contactId: c.id, phones: c.phones })),
    };
  });
}

/**
 * For other modules acting without a registry caller (an incident's outcome "deceased", a contact
 * logging "moved"): sets the status in their transaction and audits it as a system action.
 * Hospital admissions go through health.service `admitToHospitalAsSystem`, which also opens the stay.
 */
export async function setElderStatusAsSystem(
  tx: Executor,
  elderId: number,
  status: 'active' | 'hospitalised' | 'moved_away' | 'deceased',
  since: string,
  reason: string,
): Promise<void> {
  const before = await repo.getElderForUpdate(tx, elderId, sql`true`);
  if (!before || before.status === status) return;
  const after = await repo.updateElder(tx, elderId, { status, statusSince: since, statusReason: reason });
  await recordAudit(tx, null, {
    action: 'elder.status',
    entity: 'elder',
    entityId: elderId,
    orgPath: after.orgPath,
    details: { status: [before.status, status], reason },
  });
}

/**
 * Names of elders by id, for a reader that shows who a record is about (the audit log). The caller
 * has already checked that it may see those records; ids that no longer exist are simply absent.
 */
export async function elderNamesOf(ex: Executor, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const found = await rows<{ id: number; name: string }>(
    ex,
    sql`SELECT id, name FROM elders WHERE id = ANY(${sql.param(ids)}::bigint[])`,
  );
  return new Map(found.map((r) => [Number(r.id), r.name]));
}
