import type { SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { auditListQuery } from '../../../shared/audit.ts';
import { ctxRequire } from '../../platform/access.ts';
import type { Ctx } from '../../platform/auth.ts';
import type { Db, Executor } from '../../platform/db.ts';
import { inScope } from '../../platform/scope.ts';
import { type AuditInsert, auditInsertManySql, insertAudit, listAudit } from './audit.repo.ts';
import { auditLog } from './audit.schema.ts';

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

/** Admins read the whole log; managers the entries about records in their subtree. */
export async function searchAudit(db: Db, ctx: Ctx, q: z.infer<typeof auditListQuery>) {
  ctxRequire(ctx, ['admin', 'manager']);
  const rows = await listAudit(db, {
    scope: ctx.auth.role === 'admin' ? undefined : inScope(ctx.auth, auditLog.orgPath),
    actor: q.actor,
    action: q.action,
    entity: q.entity,
    entityId: q.entityId,
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
    before: q.before,
    limit: q.limit,
  });
  return {
    items: rows.map((r) => ({ ...r, at: r.at.toISOString() })),
    nextCursor: rows.length === q.limit ? rows[rows.length - 1].id : null,
  };
}
