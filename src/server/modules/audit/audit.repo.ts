import { and, desc, eq, gte, ilike, lt, lte, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db.ts';
import { auditLog } from './audit.schema.ts';

export type AuditInsert = typeof auditLog.$inferInsert;

export async function insertAudit(ex: Executor, rows: AuditInsert | AuditInsert[]): Promise<void> {
  await ex.insert(auditLog).values(Array.isArray(rows) ? rows : [rows]);
}

/** Many entries as one INSERT with a fixed text (parallel arrays), for a batched write path. */
export function auditInsertManySql(rows: AuditInsert[]): SQL | null {
  if (rows.length === 0) return null;
  const col = <T>(f: (r: AuditInsert) => T) => sql.param(rows.map(f));
  return sql`INSERT INTO audit_log (actor_id, actor_name, action, entity, entity_id, org_path, ip, reason, details)
    SELECT * FROM unnest(${col((r) => r.actorId ?? null)}::bigint[], ${col((r) => r.actorName ?? null)}::text[],
      ${col((r) => r.action)}::text[], ${col((r) => r.entity ?? null)}::text[], ${col((r) => r.entityId ?? null)}::text[],
      ${col((r) => r.orgPath ?? null)}::text[], ${col((r) => r.ip ?? null)}::text[], ${col((r) => r.reason ?? null)}::text[],
      ${col((r) => (r.details == null ? null : JSON.stringify(r.details)))}::jsonb[])`;
}

export interface AuditFilter {
  scope?: SQL;
  actor?: string;
  action?: string;
  entity?: string;
  entityId?: string;
  from?: Date;
  to?: Date;
  before?: number;
  limit: number;
}

export async function listAudit(ex: Executor, f: AuditFilter) {
  const conds: (SQL | undefined)[] = [
    f.scope,
    f.actor ? ilike(auditLog.actorName, `%${f.actor}%`) : undefined,
    f.action ? ilike(auditLog.action, `${f.action}%`) : undefined,
    f.entity ? eq(auditLog.entity, f.entity) : undefined,
    f.entityId ? eq(auditLog.entityId, f.entityId) : undefined,
    f.from ? gte(auditLog.at, f.from) : undefined,
    f.to ? lte(auditLog.at, f.to) : undefined,
    f.before ? lt(auditLog.id, f.before) : undefined,
  ];
  return ex
    .select()
    .from(auditLog)
    .where(and(...conds))
    .orderBy(desc(auditLog.id))
    .limit(f.limit);
}
