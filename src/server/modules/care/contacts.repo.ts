import { type SQL, sql } from 'drizzle-orm';
import { asDate, type Executor, preparedRows, rows } from '../../platform/db.ts';
import { accountRows } from '../accounts/accounts.rows.ts';
import { elderRows } from '../elders/elders.rows.ts';
import { careAlerts, type contacts } from './care.schema.ts';
import { type DutyProgressRow, fixProgressRow, lockEldersDutiesSql } from './duties.repo.ts';

export type ContactRow = typeof contacts.$inferSelect;
export type ContactInsert = typeof contacts.$inferInsert;

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

const contactColumns = sql`id, idempotency_key AS "idempotencyKey", elder_id AS "elderId", org_path AS "orgPath",
  duty_id AS "dutyId", carer_id AS "carerId", contacted_at AS "contactedAt", channel, outcome, checks,
  eight_points AS "eightPoints", needs, concern, duration_min AS "durationMin", note, recorded_at AS "recordedAt"`;

const fixContact = (row: ContactRow) => {
  row.contactedAt = asDate(row.contactedAt) as Date;
  row.recordedAt = asDate(row.recordedAt) as Date;
  return row;
};

/** A contact to insert; `pos` is its place in the batch. */
export type NewContact = Omit<ContactInsert, 'orgPath' | 'id'> & { pos: number };

/**
 * Inserts a batch of contacts, each only for an elder its author may see and once per (author,
 * idempotency key), and reads and locks those elders' open duties — one statement, one round trip.
 * `visibility` gives, per author, the condition on `elders` their role allows (elders.access.ts) and
 * the positions of their contacts. Returns the rows inserted, in batch order; a contact with no row was
 * not visible to its author, or its key was used before (a retry): the caller tells which with
 * `findByKeys`.
 */
export async function insertVisibleContacts(
  ex: Executor,
  items: NewContact[],
  visibility: { visible: SQL; positions: number[] }[],
): Promise<{ contacts: ContactRow[]; duties: DutyProgressRow[] }> {
  const col = <T>(f: (c: NewContact) => T) => sql.param(items.map(f));
  const json = (v: unknown) => (v == null ? null : JSON.stringify(v));
  const t = (d: Date | null | undefined) => d?.toISOString() ?? null;
  const allowed = visibility.map(
    (g) => sql`(v.pos = ANY(${sql.param(g.positions)}::int[]) AND ${g.visible})`,
  );
  // the text varies with the authors' roles and scopes: an ordinary (unnamed) statement
  // one row: the inserted contacts and the locked duties as two JSON arrays (a column repeated on
  // every duty row would be parsed once per row)
  const [r] = await rows<{ contacts: ContactRow[] | string; duties: DutyProgressRow[] | string }>(
    ex,
    sql`WITH ins AS (INSERT INTO contacts (idempotency_key, elder_id, org_path, duty_id, carer_id, contacted_at,
        channel, outcome, checks, eight_points, needs, concern, duration_min, note, recorded_at)
      SELECT v.key, elders.id, elders.org_path, v.duty_id, v.carer_id, v.contacted_at, v.channel, v.outcome,
        v.checks, v.eight_points, ARRAY(SELECT jsonb_array_elements_text(v.needs)), v.concern, v.duration_min,
        v.note, v.recorded_at
      FROM unnest(${col((c) => c.pos)}::int[], ${col((c) => c.idempotencyKey)}::text[],
          ${col((c) => c.elderId)}::bigint[], ${col((c) => c.dutyId ?? null)}::bigint[],
          ${col((c) => c.carerId)}::bigint[], ${col((c) => t(c.contactedAt))}::timestamptz[],
          ${col((c) => c.channel)}::text[], ${col((c) => c.outcome)}::text[],
          ${col((c) => json(c.checks))}::jsonb[], ${col((c) => json(c.eightPoints))}::jsonb[],
          ${col((c) => JSON.stringify(c.needs ?? []))}::jsonb[], ${col((c) => c.concern ?? null)}::text[],
          ${col((c) => c.durationMin ?? null)}::int[],
          ${col((c) => c.note ?? null)}::text[], ${col((c) => t(c.recordedAt ?? new Date()))}::timestamptz[])
        AS v(pos, key, elder_id, duty_id, carer_id, contacted_at, channel, outcome, checks, eight_points,
          needs, concern, duration_min, note, recorded_at)
      JOIN ${elderRows} elders ON elders.id = v.elder_id -- joins elders via elders.elderRows (aliased for visibleElders)
      WHERE (${sql.join(allowed, sql` OR `)})
        -- the duty a contact names must be that elder's (one probe of the duties key): never another street's
        AND (v.duty_id IS NULL OR EXISTS (SELECT 1 FROM duties dd WHERE dd.id = v.duty_id AND dd.elder_id = elders.id))
      ORDER BY v.pos
      ON CONFLICT (carer_id, idempotency_key) DO NOTHING
      RETURNING ${contactColumns}),
    locked AS (${lockEldersDutiesSql(sql`SELECT "elderId" FROM ins`)})
    SELECT (SELECT coalesce(json_agg(ins ORDER BY ins.id), '[]') FROM ins) AS contacts,
      (SELECT coalesce(json_agg(locked ORDER BY locked.id), '[]') FROM locked) AS duties`,
  );
  const parse = <T>(v: T[] | string): T[] => (typeof v === 'string' ? JSON.parse(v) : v);
  return {
    contacts: parse(r.contacts).map(fixContact),
    duties: parse(r.duties).map(fixProgressRow),
  };
}

/** True when the elder exists and `visible` (a condition on `elders`) lets the author see them. */
export async function elderVisible(ex: Executor, elderId: number, visible: SQL): Promise<boolean> {
  const r = await rows<{ id: number }>(
    ex,
    sql`SELECT elders.id FROM ${elderRows} elders WHERE elders.id = ${elderId} AND ${visible}`, // joins elders via elders.elderRows
  );
  return r.length > 0;
}

/** The contacts stored under these (author, idempotency key) pairs: the first result of a retry. */
export async function findByKeys(
  ex: Executor,
  keys: { carerId: number; key: string }[],
): Promise<ContactRow[]> {
  if (keys.length === 0) return [];
  const r = await preparedRows<ContactRow>(
    ex,
    sql`SELECT ${contactColumns} FROM contacts WHERE (carer_id, idempotency_key) IN (
      SELECT * FROM unnest(${sql.param(keys.map((k) => k.carerId))}::bigint[], ${sql.param(keys.map((k) => k.key))}::text[]))`,
  );
  return r.map(fixContact);
}

/** One alert per duty, kind and day: a second sweep or a retried write raises nothing new. */
export async function insertAlert(ex: Executor, a: typeof careAlerts.$inferInsert) {
  const [row] = await ex.insert(careAlerts).values(a).onConflictDoNothing().returning();
  return row;
}

export interface LedgerRow {
  id: number;
  elder_id: number;
  elder_name: string;
  duty_id: number | null;
  carer_id: number;
  carer_name: string;
  contacted_at: Date;
  channel: string;
  outcome: string;
  checks: unknown;
  eight_points: unknown;
  needs: string[];
  concern: string | null;
  duration_min: number | null;
  note: string | null;
}

export interface LedgerFilter {
  scope: SQL;
  elderId?: number;
  carerId?: number;
  orgPath?: string;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

export async function listLedger(ex: Executor, f: LedgerFilter): Promise<LedgerRow[]> {
  const conds: SQL[] = [f.scope];
  if (f.elderId) conds.push(sql`c.elder_id = ${f.elderId}`);
  if (f.carerId) conds.push(sql`c.carer_id = ${f.carerId}`);
  if (f.orgPath) conds.push(sql`c.org_path LIKE ${`${f.orgPath}%`}`);
  if (f.from) conds.push(sql`c.contacted_at >= ${ts(f.from)}`);
  if (f.to) conds.push(sql`c.contacted_at < ${ts(f.to)}`);
  const r = await rows<LedgerRow>(
    ex,
    sql`SELECT c.id, c.elder_id, e.name AS elder_name, c.duty_id, c.carer_id, u.display_name AS carer_name,
        c.contacted_at, c.channel, c.outcome, c.checks, c.eight_points, c.needs, c.concern, c.duration_min, c.note
      FROM contacts c JOIN ${elderRows} e ON e.id = c.elder_id -- joins elders via elders.elderRows
      JOIN ${accountRows} u ON u.id = c.carer_id -- joins users via accounts.accountRows
      WHERE ${sql.join(conds, sql` AND `)}
      ORDER BY c.contacted_at DESC, c.id DESC LIMIT ${f.limit} OFFSET ${f.offset}`,
  );
  return r.map((x) => ({ ...x, contacted_at: asDate(x.contacted_at) as Date }));
}

export async function listAlerts(ex: Executor, scope: SQL, status: string, limit: number) {
  const r = await rows<{
    id: number;
    elder_id: number;
    elder_name: string;
    duty_id: number;
    kind: 'daily_silence' | 'unreachable';
    day: string;
    raised_at: Date;
    status: string;
    details: unknown;
  }>(
    ex,
    sql`SELECT a.id, a.elder_id, e.name AS elder_name, a.duty_id, a.kind, a.day, a.raised_at, a.status, a.details
      FROM care_alerts a JOIN ${elderRows} e ON e.id = a.elder_id -- joins elders via elders.elderRows
      WHERE ${scope} ${status === 'all' ? sql`` : sql`AND a.status = ${status}`}
      ORDER BY a.raised_at DESC, a.id DESC LIMIT ${limit}`,
  );
  return r.map((x) => ({ ...x, raised_at: asDate(x.raised_at) as Date }));
}

export async function acknowledgeAlert(ex: Executor, id: number, scope: SQL, userId: number, now: Date) {
  const r = await rows<{ id: number; org_path: string }>(
    ex,
    sql`UPDATE care_alerts a SET status = 'acknowledged', acknowledged_by = ${userId}, acknowledged_at = ${ts(now)}
      WHERE a.id = ${id} AND ${scope} RETURNING a.id, a.org_path`,
  );
  return r[0];
}

export interface RecentContactRow {
  id: number;
  contacted_at: Date;
  channel: string;
  outcome: string;
  carer_name: string;
  note: string | null;
}

/** The elder's latest contacts, newest first: an index range scan on contacts_elder_at_idx. */
export async function recentOfElder(
  ex: Executor,
  elderId: number,
  limit: number,
): Promise<RecentContactRow[]> {
  const r = await rows<RecentContactRow>(
    ex,
    sql`SELECT c.id, c.contacted_at, c.channel, c.outcome, u.display_name AS carer_name, c.note
      FROM contacts c JOIN ${accountRows} u ON u.id = c.carer_id -- joins users via accounts.accountRows
      WHERE c.elder_id = ${elderId}
      ORDER BY c.contacted_at DESC, c.id DESC LIMIT ${limit}`,
  );
  return r.map((x) => ({ ...x, contacted_at: asDate(x.contacted_at) as Date }));
}
