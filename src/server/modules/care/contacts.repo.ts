import { and, eq, type SQL, sql } from 'drizzle-orm';
import { type Executor, preparedRows, rows } from '../../platform/db.ts';
import { careAlerts, type careReferrals, contacts } from './care.schema.ts';
import { asDate, type DutyProgressRow, fixProgressRow, lockElderDutiesSql } from './duties.repo.ts';

export type ContactRow = typeof contacts.$inferSelect;
export type ContactInsert = typeof contacts.$inferInsert;

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

export async function findByKey(ex: Executor, carerId: number, key: string): Promise<ContactRow | undefined> {
  const [c] = await ex
    .select()
    .from(contacts)
    .where(and(eq(contacts.carerId, carerId), eq(contacts.idempotencyKey, key)));
  return c;
}

const contactColumns = sql`id, idempotency_key AS "idempotencyKey", elder_id AS "elderId", org_path AS "orgPath",
  duty_id AS "dutyId", carer_id AS "carerId", contacted_at AS "contactedAt", channel, outcome, checks,
  eight_points AS "eightPoints", needs, duration_min AS "durationMin", note, recorded_at AS "recordedAt"`;

/**
 * Inserts a contact for an elder the caller may see (`visible`, a condition on `elders`), once per
 * (author, idempotency key): the scope check, the key check and the insert in one statement — which
 * also reads and locks the elder's open duties when `lockDuties` (one round trip for both). Undefined
 * when the elder is not visible or the key was already used (a retry): the caller tells which.
 */
export async function insertVisibleContact(
  ex: Executor,
  visible: SQL,
  c: Omit<ContactInsert, 'orgPath' | 'id'>,
  lockDuties: boolean,
): Promise<{ contact: ContactRow; duties: DutyProgressRow[] } | undefined> {
  const json = (v: unknown) => (v == null ? sql`NULL::jsonb` : sql`${JSON.stringify(v)}::jsonb`);
  const insert = sql`INSERT INTO contacts (idempotency_key, elder_id, org_path, duty_id, carer_id, contacted_at,
        channel, outcome, checks, eight_points, needs, duration_min, note, recorded_at)
      SELECT ${c.idempotencyKey}, elders.id, elders.org_path, ${c.dutyId ?? null}::bigint, ${c.carerId},
        ${ts(c.contactedAt)}, ${c.channel}, ${c.outcome}, ${json(c.checks)}, ${json(c.eightPoints)},
        ${sql.param(c.needs ?? [])}::text[], ${c.durationMin ?? null}::int, ${c.note ?? null}::text,
        ${ts(c.recordedAt ?? new Date())}
      FROM elders WHERE elders.id = ${c.elderId} AND ${visible}
      ON CONFLICT (carer_id, idempotency_key) DO NOTHING
      RETURNING ${contactColumns}`;
  const fix = (row: ContactRow) => {
    row.contactedAt = asDate(row.contactedAt) as Date;
    row.recordedAt = asDate(row.recordedAt) as Date;
    return row;
  };
  if (!lockDuties) {
    const [row] = await preparedRows<ContactRow>(ex, insert);
    return row ? { contact: fix(row), duties: [] } : undefined;
  }
  // one row per duty (or one with null duty columns when the elder has none), the contact on each
  const r = await preparedRows<DutyProgressRow & { contact: ContactRow }>(
    ex,
    sql`WITH ins AS (${insert})
      SELECT to_jsonb(ins) AS contact, d.* FROM ins LEFT JOIN LATERAL (${lockElderDutiesSql(sql`ins."elderId"`)}) d ON true
      ORDER BY d.id`,
  );
  if (!r.length) return undefined;
  return { contact: fix(r[0].contact), duties: r.filter((x) => x.id != null).map(fixProgressRow) };
}

/** The referral rows of a contact's needs, as one INSERT for a combined statement (null when none). */
export function referralsInsert(r: (typeof careReferrals.$inferInsert)[]): SQL | null {
  if (!r.length) return null;
  return sql`INSERT INTO care_referrals (contact_id, elder_id, org_path, need, created_at) VALUES ${sql.join(
    r.map(
      (x) =>
        sql`(${x.contactId}::bigint, ${x.elderId}::bigint, ${x.orgPath}, ${x.need}, ${ts(x.createdAt ?? new Date())})`,
    ),
    sql`, `,
  )}`;
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
        c.contacted_at, c.channel, c.outcome, c.checks, c.eight_points, c.needs, c.duration_min, c.note
      FROM contacts c JOIN elders e ON e.id = c.elder_id JOIN users u ON u.id = c.carer_id
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
      FROM care_alerts a JOIN elders e ON e.id = a.elder_id
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
      FROM contacts c JOIN users u ON u.id = c.carer_id
      WHERE c.elder_id = ${elderId}
      ORDER BY c.contacted_at DESC, c.id DESC LIMIT ${limit}`,
  );
  return r.map((x) => ({ ...x, contacted_at: asDate(x.contacted_at) as Date }));
}
