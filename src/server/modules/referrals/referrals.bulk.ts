import { sql } from 'drizzle-orm';
import type { ReferralStatus } from '../../../shared/care.ts';
import type { Executor } from '../../platform/db.ts';
import { careReferrals } from './referrals.schema.ts';

/**
 * The referral ledger's bulk path, for generators (the demo district, the district/city seeds): referrals
 * already worked — accepted, resolved or closed, with who did it and when — as plain rows, in one unnest
 * INSERT per call. No access check and no audit: system use, never reachable from a request (a request
 * moves a referral through `applyReferralAction`, one checked step at a time). The caller chunks.
 */
export interface ReferralBulkRow {
  contactId: number;
  elderId: number;
  orgPath: string;
  need: string;
  status: ReferralStatus;
  handlerId: number | null;
  acceptedAt: Date | null;
  acceptedBy: number | null;
  resolvedAt: Date | null;
  resolvedBy: number | null;
  resolution: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export async function insertReferralsBulk(ex: Executor, list: ReferralBulkRow[]): Promise<void> {
  if (list.length === 0) return;
  const col = <T>(f: (x: ReferralBulkRow) => T) => sql.param(list.map(f));
  const at = (d: Date | null) => (d ? d.toISOString() : null);
  await ex.execute(sql`INSERT INTO ${careReferrals} (contact_id, elder_id, org_path, need, status, handler_id,
      accepted_at, accepted_by, resolved_at, resolved_by, resolution, created_at, updated_at)
    SELECT * FROM unnest(${col((x) => x.contactId)}::bigint[], ${col((x) => x.elderId)}::bigint[],
      ${col((x) => x.orgPath)}::text[], ${col((x) => x.need)}::text[], ${col((x) => x.status)}::text[],
      ${col((x) => x.handlerId)}::bigint[], ${col((x) => at(x.acceptedAt))}::timestamptz[],
      ${col((x) => x.acceptedBy)}::bigint[], ${col((x) => at(x.resolvedAt))}::timestamptz[],
      ${col((x) => x.resolvedBy)}::bigint[], ${col((x) => x.resolution)}::text[],
      ${col((x) => at(x.createdAt))}::timestamptz[], ${col((x) => at(x.updatedAt))}::timestamptz[])`);
}
