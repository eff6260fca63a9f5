import { and, asc, count, desc, eq, getTableColumns, gte, lt, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db.ts';
import { elderRows } from '../elders/elders.rows.ts';
import type { IncidentWithName } from './incidents.repo.ts';
import { incidents } from './incidents.schema.ts';

const withName = { ...getTableColumns(incidents), elderName: sql<string | null>`e.name` };
/** the elder's name beside each incident */
const elderJoin = [sql`${elderRows} e`, sql`e.id = ${incidents.elderId}`] as const; // joins elders via elders.elderRows

export interface HistoryFilter {
  visible: SQL;
  state?: string;
  kind?: string;
  /** trigger time from (included) … to (excluded) */
  from?: Date;
  to?: Date;
  /** an org's materialised path: its whole subtree */
  orgPath?: string;
  elderId?: number;
  limit: number;
  offset: number;
}

/** The history: every incident in scope, resolved ones included, newest first (incidents_history_idx). */
export async function listHistory(
  ex: Executor,
  q: HistoryFilter,
): Promise<{ items: IncidentWithName[]; total: number }> {
  const where = and(
    q.visible,
    q.state ? eq(incidents.state, q.state) : undefined,
    q.kind ? eq(incidents.kind, q.kind) : undefined,
    q.from ? gte(incidents.triggeredAt, q.from) : undefined,
    q.to ? lt(incidents.triggeredAt, q.to) : undefined,
    // a path is digits and slashes only ('/1/5/9/'): nothing to escape for LIKE
    q.orgPath ? sql`${incidents.orgPath} LIKE ${`${q.orgPath}%`}` : undefined,
    q.elderId ? eq(incidents.elderId, q.elderId) : undefined,
  );
  const items = await ex
    .select(withName)
    .from(incidents)
    .leftJoin(...elderJoin)
    .where(where)
    .orderBy(desc(incidents.triggeredAt), desc(incidents.id))
    .limit(q.limit)
    .offset(q.offset);
  const [{ n }] = await ex.select({ n: count() }).from(incidents).where(where);
  return { items, total: n };
}

const pendingFollowUp = sql`${incidents.state} = 'follow_up' AND ${incidents.followedUpAt} IS NULL`;

/**
 * The follow-up queue (回访跟进): follow-ups not yet done, earliest due first, so the overdue ones lead;
 * one without a due time (moved to follow-up before due times existed) counts as overdue.
 */
export async function listFollowUps(
  ex: Executor,
  q: { visible: SQL; now: Date; limit: number; offset: number },
): Promise<{ items: IncidentWithName[]; total: number; overdue: number }> {
  const where = and(q.visible, pendingFollowUp);
  const items = await ex
    .select(withName)
    .from(incidents)
    .leftJoin(...elderJoin)
    .where(where)
    .orderBy(sql`${incidents.followUpDueAt} ASC NULLS FIRST`, asc(incidents.id))
    .limit(q.limit)
    .offset(q.offset);
  const [{ n, overdue }] = await ex
    .select({
      n: count(),
      overdue: sql<number>`count(*) FILTER (WHERE ${incidents.followUpDueAt} IS NULL
        OR ${incidents.followUpDueAt} <= ${q.now.toISOString()}::timestamptz)`.mapWith(Number),
    })
    .from(incidents)
    .where(where);
  return { items, total: n, overdue };
}
