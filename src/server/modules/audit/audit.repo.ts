import { and, gte, ilike, lte, type SQL, sql } from 'drizzle-orm';
import { type Executor, rows } from '../../platform/db.ts';
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
  /** entries about this elder: the elder's own record, or a record that names the elder */
  elderId?: number;
  from?: Date;
  to?: Date;
  before?: number;
  limit: number;
}

/** One line of the log: an entry, or a run of one person's repeated views of one record folded into one. */
export interface AuditLineRow {
  id: number;
  /** a Date or the database's text of it, depending on the driver: read with `new Date(…)` */
  at: Date | string;
  first_at: Date | string;
  count: number;
  actor_id: number | null;
  actor_name: string | null;
  action: string;
  entity: string | null;
  entity_id: string | null;
  ip: string | null;
  reason: string | null;
  details: unknown;
}

/** How close two views must follow each other to be one line. */
export const FOLD_GAP = sql.raw(`interval '60 seconds'`);

/**
 * The log as lines, newest first. Folding happens here, when reading: the table stays append-only.
 * A view (`*.view`) by a person is the END of its run when no view of the same record by the same
 * person follows within a minute; only ends are lines, so a line is identified by the id of its last
 * entry and keyset paging (`before`) never splits or repeats a run. The run's start is the latest view
 * with no predecessor within a minute; every lookup is an index probe on (actor_id, at).
 */
export async function listAuditLines(ex: Executor, f: AuditFilter): Promise<AuditLineRow[]> {
  const conds: (SQL | undefined)[] = [
    f.scope,
    f.actor ? ilike(auditLog.actorName, `%${escapeLike(f.actor)}%`) : undefined,
    f.action ? ilike(auditLog.action, `${escapeLike(f.action)}%`) : undefined,
    f.entity ? sql`${auditLog.entity} = ${f.entity}` : undefined,
    f.entityId ? sql`${auditLog.entityId} = ${f.entityId}` : undefined,
    f.elderId != null
      ? sql`((${auditLog.entity} = 'elder' AND ${auditLog.entityId} = ${String(f.elderId)})
          OR ${auditLog.details} ->> 'elderId' = ${String(f.elderId)})`
      : undefined,
    f.from ? gte(auditLog.at, f.from) : undefined,
    f.to ? lte(auditLog.at, f.to) : undefined,
  ];
  const where = and(...conds) ?? sql`true`;
  const same = (a: string, b: string) =>
    sql.raw(`${a}.actor_id = ${b}.actor_id AND ${a}.action = ${b}.action
      AND ${a}.entity IS NOT DISTINCT FROM ${b}.entity AND ${a}.entity_id IS NOT DISTINCT FROM ${b}.entity_id`);
  const folds = sql.raw(`l.action LIKE '%.view' AND l.actor_id IS NOT NULL`);
  return rows<AuditLineRow>(
    ex,
    sql`WITH f AS NOT MATERIALIZED (SELECT * FROM audit_log WHERE ${where})
      SELECT l.id, l.at, COALESCE(st.at, l.at) AS first_at, COALESCE(g.n, 1)::int AS count,
        l.actor_id, l.actor_name, l.action, l.entity, l.entity_id, l.ip, l.reason, l.details
      FROM f l
      LEFT JOIN LATERAL (
        SELECT s.at, s.id FROM f s
        WHERE ${same('s', 'l')} AND (s.at, s.id) <= (l.at, l.id)
          AND NOT EXISTS (SELECT 1 FROM f y WHERE ${same('y', 's')}
            AND (y.at, y.id) < (s.at, s.id) AND y.at >= s.at - ${FOLD_GAP})
        ORDER BY s.at DESC, s.id DESC LIMIT 1
      ) st ON ${folds}
      LEFT JOIN LATERAL (
        SELECT count(*) AS n FROM f x
        WHERE ${same('x', 'l')} AND (x.at, x.id) >= (st.at, st.id) AND (x.at, x.id) <= (l.at, l.id)
      ) g ON ${folds}
      WHERE ${f.before ? sql`l.id < ${f.before}` : sql`true`}
        AND NOT (${folds} AND EXISTS (SELECT 1 FROM f z WHERE ${same('z', 'l')}
          AND (z.at, z.id) > (l.at, l.id) AND z.at <= l.at + ${FOLD_GAP}))
      ORDER BY l.id DESC
      LIMIT ${f.limit}`,
  );
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
