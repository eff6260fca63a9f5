import type { z } from 'zod';
import type { AuditLine, auditFilterQuery, auditListQuery } from '../../../shared/audit.ts';
import { maskIdNumber, maskPhone } from '../../../shared/id-number.ts';
import { hasAccess, requireAccess } from '../../platform/access.ts';
import type { Ctx } from '../../platform/auth.ts';
import type { Db } from '../../platform/db.ts';
import { inScope } from '../../platform/scope.ts';
import { accountNamesOf } from '../accounts/accounts.service.ts';
import { elderNamesOf } from '../elders/elders.service.ts';
import { getOrgsByIds } from '../orgs/orgs.service.ts';
import { type AuditFilter, type AuditLineRow, listAuditLines } from './audit.repo.ts';
import { auditLog } from './audit.schema.ts';

// The reader of the log (the writer is audit.service.ts, imported by every module; this file imports
// other modules' name look-ups, so it lives apart to keep the imports one-way).

/**
 * Who may read the log: an admin of the whole city all of it (sign-ins, accounts and policy entries
 * carry no org); any other admin and managers the entries about records in their subtree (0013).
 */
function filterOf(ctx: Ctx, q: z.infer<typeof auditFilterQuery>): Omit<AuditFilter, 'limit'> {
  requireAccess(ctx, 'audit.read');
  return {
    scope: hasAccess(ctx, 'audit.readAll') ? undefined : inScope(ctx.auth, auditLog.orgPath),
    actor: q.actor || undefined,
    action: q.action || undefined,
    entity: q.entity || undefined,
    entityId: q.entityId || undefined,
    elderId: q.elderId,
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
  };
}

export async function searchAudit(db: Db, ctx: Ctx, q: z.infer<typeof auditListQuery>) {
  const rows = await listAuditLines(db, { ...filterOf(ctx, q), before: q.before, limit: q.limit });
  return {
    items: await toLines(db, rows),
    nextCursor: rows.length === q.limit ? Number(rows[rows.length - 1].id) : null,
  };
}

/** Every line the filters select (newest first), up to `max`, for the export. */
export async function auditLinesForExport(
  db: Db,
  ctx: Ctx,
  q: z.infer<typeof auditFilterQuery>,
  max: number,
) {
  const filter = filterOf(ctx, q);
  const out: AuditLine[] = [];
  let before: number | undefined;
  while (out.length < max) {
    const limit = Math.min(1000, max - out.length);
    const rows = await listAuditLines(db, { ...filter, before, limit });
    out.push(...(await toLines(db, rows)));
    if (rows.length < limit) break;
    before = Number(rows[rows.length - 1].id);
  }
  return out;
}

const elderIdOf = (r: AuditLineRow & { entityIdNumber: number | null }): number | null => {
  if (r.entity === 'elder' && r.entityIdNumber != null) return r.entityIdNumber;
  const d = r.details as Record<string, unknown> | null;
  const id = Number(d?.elderId);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
};

async function toLines(db: Db, raw: AuditLineRow[]): Promise<AuditLine[]> {
  const rows = raw.map((r) => ({ ...r, entityIdNumber: numericId(r.entity_id) }));
  const ids = (entity: string) =>
    rows.filter((r) => r.entity === entity && r.entityIdNumber != null).map((r) => r.entityIdNumber!);
  const elderIds = [...new Set(rows.map(elderIdOf).filter((i): i is number => i != null))];
  const [elders, users, orgs] = await Promise.all([
    elderNamesOf(db, elderIds),
    accountNamesOf(db, [...new Set(ids('user'))]),
    getOrgsByIds(db, [...new Set(ids('org'))]),
  ]);
  const orgNames = new Map(orgs.map((o) => [o.id, o.name]));
  return rows.map((r) => {
    const details = mask(r.details) as Record<string, unknown> | null;
    const elderId = elderIdOf(r);
    const subject =
      (r.entity === 'user' && r.entityIdNumber != null ? users.get(r.entityIdNumber) : undefined) ??
      (r.entity === 'org' && r.entityIdNumber != null ? orgNames.get(r.entityIdNumber) : undefined) ??
      (elderId != null ? elders.get(elderId) : undefined) ??
      (r.entity === 'org' && typeof details?.name === 'string' ? details.name : undefined) ??
      null;
    return {
      id: Number(r.id),
      at: new Date(r.at).toISOString(),
      firstAt: new Date(r.first_at).toISOString(),
      count: Number(r.count),
      actorId: r.actor_id == null ? null : Number(r.actor_id),
      actorName: r.actor_name,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      subject,
      ip: r.ip,
      reason: r.reason,
      details: details && typeof details === 'object' && !Array.isArray(details) ? details : null,
    };
  });
}

function numericId(s: string | null): number | null {
  if (s == null || !/^\d{1,15}$/.test(s)) return null;
  return Number(s);
}

const idKeys = new Set(['idNumber', 'idCard']);
const phoneKeys = new Set(['phone', 'phones', 'mobile']);

/**
 * Sensitive values masked again on the way out, whatever a writer stored (an older entry, a writer that
 * forgot): ID numbers and phones as on every other screen; passwords and tokens never leave.
 */
export function mask(v: unknown, key?: string): unknown {
  if (key && /password|token|secret/i.test(key)) return undefined;
  if (Array.isArray(v)) return v.map((x) => mask(x, key));
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    // a change record masks by the field it changed
    const k = typeof o.field === 'string' && 'to' in o ? o.field : undefined;
    return Object.fromEntries(
      Object.entries(o)
        .map(([kk, x]) => [kk, mask(x, k && (kk === 'from' || kk === 'to') ? k : kk)] as const)
        .filter(([, x]) => x !== undefined),
    );
  }
  if (typeof v === 'string' && key && !v.includes('*')) {
    if (idKeys.has(key)) return maskIdNumber(v);
    if (phoneKeys.has(key)) return maskPhone(v);
  }
  return v;
}
