import type { SQL } from 'drizzle-orm';
import type { AuditChange } from '../../../shared/audit.ts';
import { maskIdNumber, maskPhone } from '../../../shared/id-number.ts';
import type { Ctx } from '../../platform/auth.ts';
import type { Executor } from '../../platform/db.ts';
import { type AuditInsert, auditInsertManySql, insertAudit } from './audit.repo.ts';

export interface AuditEvent {
  action: string;
  entity?: string;
  entityId?: string | number;
  orgPath?: string | null;
  reason?: string | null;
  details?: Record<string, unknown>;
}

function auditRow(ctx: Pick<Ctx, 'auth' | 'ip'> | null, e: AuditEvent): AuditInsert {
  return {
    actorId: ctx?.auth.userId ?? null,
    actorName: ctx ? `${ctx.auth.displayName}（${ctx.auth.username}）` : '系统',
    action: e.action,
    entity: e.entity ?? null,
    entityId: e.entityId == null ? null : String(e.entityId),
    orgPath: e.orgPath ?? null,
    ip: ctx?.ip ?? null,
    reason: e.reason ?? null,
    details: e.details ?? null,
  };
}

/**
 * Writes one audit entry in the caller's transaction, so the record of a write commits with it.
 * `ctx` is null for system actions (sweepers, seeding).
 */
export async function recordAudit(ex: Executor, ctx: Pick<Ctx, 'auth' | 'ip'> | null, e: AuditEvent) {
  await insertAudit(ex, auditRow(ctx, e));
}

/**
 * Several callers' entries as one statement (null when none), for a write path that commits many
 * requests together (see platform/group-commit.ts); it must run in that transaction.
 */
export function auditManyStatement(
  entries: { ctx: Pick<Ctx, 'auth' | 'ip'> | null; event: AuditEvent }[],
): SQL | null {
  return auditInsertManySql(entries.map((e) => auditRow(e.ctx, e.event)));
}

const maskedFields: Record<string, (v: string) => string> = {
  idNumber: maskIdNumber,
  phone: maskPhone,
  phones: maskPhone,
};

/**
 * The fields that differ between two versions of a record, as `details.changes` of an audit entry
 * ({ field, from, to }), so the log can say "字段: 旧值 → 新值". Values are stored as codes (the reader
 * translates them); ID numbers and phones are masked before they are stored, passwords never listed.
 */
export function changesOf(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  fields: readonly string[],
): AuditChange[] {
  const out: AuditChange[] = [];
  for (const field of fields) {
    if (/password/i.test(field)) continue;
    const from = before[field] ?? null;
    const to = after[field] ?? null;
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    const m = maskedFields[field];
    const hide = (v: unknown) =>
      m == null ? v : Array.isArray(v) ? v.map((x) => m(String(x))) : v == null ? v : m(String(v));
    out.push({ field, from: hide(from), to: hide(to) });
  }
  return out;
}
