import { and, desc, eq, gte, ilike, lt, lte, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db.ts';
import { auditLog } from './audit.schema.ts';

export type AuditInsert = typeof auditLog.$inferInsert;

export async function insertAudit(ex: Executor, rows: AuditInsert | AuditInsert[]): Promise<void> {
  await ex.insert(auditLog).values(Array.isArray(rows) ? rows : [rows]);
}

/** One entry as a plain INSERT statement, to run in the same round trip as the change it records. */
export function auditInsertSql(r: AuditInsert): SQL {
  return sql`INSERT INTO audit_log (actor_id, actor_name, action, entity, entity_id, org_path, ip, reason, details)
    VALUES (${r.actorId ?? null}::bigint, ${r.actorName ?? null}::text, ${r.action}, ${r.entity ?? null}::text,
      ${r.entityId ?? null}::text, ${r.orgPath ?? null}::text, ${r.ip ?? null}::text, ${r.reason ?? null}::text,
      ${r.details == null ? null : JSON.stringify(r.details)}::jsonb)`;
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
