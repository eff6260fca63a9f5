import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import { type Executor, rows } from '../../platform/db.ts';
import { accountRows, scopeRows } from '../accounts/accounts.rows.ts';
import { circleContacts } from './elders.schema.ts';

export type CircleRow = typeof circleContacts.$inferSelect;
export type CircleInsert = typeof circleContacts.$inferInsert;

/** The circle in call order. */
export async function listCircle(ex: Executor, elderId: number): Promise<CircleRow[]> {
  return ex
    .select()
    .from(circleContacts)
    .where(eq(circleContacts.elderId, elderId))
    .orderBy(asc(circleContacts.priority), asc(circleContacts.id));
}

/** Circles of many elders, each in call order. */
export async function listCircles(ex: Executor, elderIds: number[]): Promise<Map<number, CircleRow[]>> {
  const out = new Map<number, CircleRow[]>();
  if (elderIds.length === 0) return out;
  const r = await ex
    .select()
    .from(circleContacts)
    .where(sql`${circleContacts.elderId} = ANY(${sql.param(elderIds)}::bigint[])`)
    .orderBy(asc(circleContacts.elderId), asc(circleContacts.priority), asc(circleContacts.id));
  for (const c of r) {
    const list = out.get(c.elderId);
    if (list) list.push(c);
    else out.set(c.elderId, [c]);
  }
  return out;
}

export async function getContact(ex: Executor, elderId: number, id: number): Promise<CircleRow | undefined> {
  const [row] = await ex
    .select()
    .from(circleContacts)
    .where(and(eq(circleContacts.elderId, elderId), eq(circleContacts.id, id)));
  return row;
}

export async function nextPriority(ex: Executor, elderId: number): Promise<number> {
  const [r] = await rows<{ p: number }>(
    ex,
    sql`SELECT coalesce(max(priority), 0)::int + 1 AS p FROM ${circleContacts} WHERE elder_id = ${elderId}`,
  );
  return r.p;
}

export async function insertContact(ex: Executor, c: CircleInsert): Promise<CircleRow> {
  const [row] = await ex.insert(circleContacts).values(c).returning();
  return row;
}

export async function updateContact(
  ex: Executor,
  id: number,
  patch: Partial<CircleInsert>,
): Promise<CircleRow> {
  const [row] = await ex
    .update(circleContacts)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(circleContacts.id, id))
    .returning();
  return row;
}

export async function deleteContact(ex: Executor, id: number): Promise<void> {
  await ex.delete(circleContacts).where(eq(circleContacts.id, id));
}

/** Sets priorities 1..n in the given order, in one statement. */
export async function reorder(ex: Executor, elderId: number, ids: number[]): Promise<void> {
  await ex.execute(sql`UPDATE ${circleContacts} c SET priority = o.ord::int, updated_at = now()
    FROM unnest(${sql.param(ids)}::bigint[]) WITH ORDINALITY AS o(id, ord)
    WHERE c.id = o.id AND c.elder_id = ${elderId}`);
}

/** The first relative of each elder (the export's 紧急联系人). */
export async function firstRelatives(ex: Executor, elderIds: number[]): Promise<Map<number, CircleRow>> {
  if (elderIds.length === 0) return new Map();
  const r = await ex
    .selectDistinctOn([circleContacts.elderId])
    .from(circleContacts)
    .where(
      and(
        sql`${circleContacts.elderId} = ANY(${sql.param(elderIds)}::bigint[])`,
        eq(circleContacts.kind, 'relative'),
      ),
    )
    .orderBy(asc(circleContacts.elderId), asc(circleContacts.priority), asc(circleContacts.id));
  return new Map(r.map((c) => [c.elderId, c]));
}

/**
 * Whether an account a circle entry names is the caller's to use: active, with at least one scope node
 * inside the caller's scope (`visible`, over `o.path`) — the rule by which the accounts page shows it.
 */
export async function accountUsable(ex: Executor, userId: number, visible: SQL): Promise<boolean> {
  const r = await rows<{ one: number }>(
    ex,
    sql`SELECT 1 AS one FROM ${accountRows} u -- joins users via accounts.accountRows
      WHERE u.id = ${userId} AND u.active AND EXISTS (SELECT 1 FROM ${scopeRows} o -- joins user_scopes via accounts.scopeRows
        WHERE o.user_id = u.id AND ${visible})`,
  );
  return r.length > 0;
}
