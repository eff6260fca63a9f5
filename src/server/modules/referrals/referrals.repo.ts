import { type SQL, sql } from 'drizzle-orm';
import type { ReferralStatus } from '../../../shared/care.ts';
import { asDate, type Executor, rows } from '../../platform/db.ts';
import { accountRows } from '../accounts/accounts.rows.ts';
import { contactRows } from '../care/care.rows.ts';
import { elderRows } from '../elders/elders.rows.ts';
import type { careReferrals } from './referrals.schema.ts';

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

export type NewReferral = Pick<
  typeof careReferrals.$inferInsert,
  'contactId' | 'elderId' | 'orgPath' | 'need' | 'createdAt'
>;

/** The referral rows of contacts' needs, as one INSERT for a combined statement (null when none). */
export function referralsInsert(r: NewReferral[]): SQL | null {
  if (!r.length) return null;
  const col = <T>(f: (x: NewReferral) => T) => sql.param(r.map(f));
  return sql`INSERT INTO care_referrals (contact_id, elder_id, org_path, need, created_at)
    SELECT * FROM unnest(${col((x) => x.contactId)}::bigint[], ${col((x) => x.elderId)}::bigint[],
      ${col((x) => x.orgPath)}::text[], ${col((x) => x.need)}::text[],
      ${col((x) => (x.createdAt ?? new Date()).toISOString())}::timestamptz[])`;
}

export interface ReferralRow {
  id: number;
  elder_id: number;
  elder_name: string;
  org_path: string;
  need: string;
  status: ReferralStatus;
  created_at: Date;
  contact_id: number;
  raised_by_id: number;
  raised_by_name: string;
  contacted_at: Date;
  contact_channel: string;
  contact_note: string | null;
  handler_id: number | null;
  handler_name: string | null;
  accepted_at: Date | null;
  accepted_by: number | null;
  accepted_by_name: string | null;
  resolved_at: Date | null;
  resolved_by: number | null;
  resolved_by_name: string | null;
  resolution: string | null;
  updated_at: Date;
}

export interface ReferralFilter {
  /** the caller's scope on `r.org_path` */
  scope: SQL;
  statuses?: readonly ReferralStatus[];
  orgPath?: string;
  elderId?: number;
  id?: number;
  limit: number;
  offset: number;
}

function conditions(f: Omit<ReferralFilter, 'limit' | 'offset'>): SQL {
  const conds: SQL[] = [f.scope];
  if (f.statuses)
    conds.push(
      sql`r.status IN (${sql.join(
        f.statuses.map((s) => sql`${s}`),
        sql`, `,
      )})`,
    );
  if (f.orgPath) conds.push(sql`r.org_path LIKE ${`${f.orgPath}%`}`);
  if (f.elderId) conds.push(sql`r.elder_id = ${f.elderId}`);
  if (f.id) conds.push(sql`r.id = ${f.id}`);
  return sql.join(conds, sql` AND `);
}

/**
 * The referral ledger, newest first, with the visit it came from and the names of who raised, accepted,
 * handles and finished it. Filtered by status first (care_referrals_status_path_idx), so the working
 * list reads the backlog of the subtree, not its history.
 */
export async function listReferrals(ex: Executor, f: ReferralFilter): Promise<ReferralRow[]> {
  const r = await rows<ReferralRow>(
    ex,
    sql`SELECT r.id, r.elder_id, e.name AS elder_name, r.org_path, r.need, r.status, r.created_at, r.contact_id,
        c.carer_id AS raised_by_id, cu.display_name AS raised_by_name, c.contacted_at,
        c.channel AS contact_channel, c.note AS contact_note,
        r.handler_id, hu.display_name AS handler_name, r.accepted_at, r.accepted_by, au.display_name AS accepted_by_name,
        r.resolved_at, r.resolved_by, ru.display_name AS resolved_by_name, r.resolution, r.updated_at
      FROM care_referrals r
        JOIN ${elderRows} e ON e.id = r.elder_id -- joins elders via elders.elderRows
        JOIN ${contactRows} c ON c.id = r.contact_id -- joins contacts via care.contactRows
        JOIN ${accountRows} cu ON cu.id = c.carer_id -- joins users via accounts.accountRows
        LEFT JOIN ${accountRows} hu ON hu.id = r.handler_id
        LEFT JOIN ${accountRows} au ON au.id = r.accepted_by
        LEFT JOIN ${accountRows} ru ON ru.id = r.resolved_by
      WHERE ${conditions(f)}
      ORDER BY r.created_at DESC, r.id DESC LIMIT ${f.limit} OFFSET ${f.offset}`,
  );
  return r.map((x) => ({
    ...x,
    created_at: asDate(x.created_at) as Date,
    contacted_at: asDate(x.contacted_at) as Date,
    accepted_at: asDate(x.accepted_at),
    resolved_at: asDate(x.resolved_at),
    updated_at: asDate(x.updated_at) as Date,
  }));
}

/** The backlog (open and accepted) under the same filters: what the tab's badge and the filter show. */
export async function countBacklog(
  ex: Executor,
  f: Omit<ReferralFilter, 'limit' | 'offset' | 'statuses' | 'id'>,
): Promise<{ open: number; accepted: number }> {
  const [r] = await rows<{ open: number; accepted: number }>(
    ex,
    sql`SELECT count(*) FILTER (WHERE r.status = 'open')::int AS open,
        count(*) FILTER (WHERE r.status = 'accepted')::int AS accepted
      FROM care_referrals r WHERE ${conditions({ ...f, statuses: ['open', 'accepted'] })}`,
  );
  return r;
}

export interface LockedReferral {
  id: number;
  org_path: string;
  elder_id: number;
  status: ReferralStatus;
  handler_id: number | null;
  accepted_at: Date | null;
}

/** Reads and locks one referral in the caller's scope (undefined when absent or out of scope). */
export async function lockReferral(
  ex: Executor,
  id: number,
  scope: SQL,
): Promise<LockedReferral | undefined> {
  const [r] = await rows<LockedReferral>(
    ex,
    sql`SELECT r.id, r.org_path, r.elder_id, r.status, r.handler_id, r.accepted_at
      FROM care_referrals r WHERE r.id = ${id} AND ${scope} FOR UPDATE`,
  );
  return r;
}

export interface ReferralPatch {
  status: ReferralStatus;
  handlerId: number | null;
  acceptedAt?: Date;
  acceptedBy?: number;
  resolvedAt?: Date;
  resolvedBy?: number;
  resolution?: string;
}

/** Writes a change of a locked referral; columns not named in the patch keep their value. */
export async function updateReferral(ex: Executor, id: number, p: ReferralPatch, now: Date): Promise<void> {
  const set: SQL[] = [
    sql`status = ${p.status}`,
    sql`handler_id = ${p.handlerId}::bigint`,
    sql`updated_at = ${ts(now)}`,
  ];
  if (p.acceptedAt)
    set.push(sql`accepted_at = ${ts(p.acceptedAt)}`, sql`accepted_by = ${p.acceptedBy}::bigint`);
  if (p.resolvedAt)
    set.push(sql`resolved_at = ${ts(p.resolvedAt)}`, sql`resolved_by = ${p.resolvedBy}::bigint`);
  if (p.resolution != null) set.push(sql`resolution = ${p.resolution}`);
  await ex.execute(sql`UPDATE care_referrals SET ${sql.join(set, sql`, `)} WHERE id = ${id}`);
}
