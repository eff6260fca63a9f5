import { sql } from 'drizzle-orm';

/**
 * The contact log as a row source for another module's join (`JOIN ${contactRows} c ON c.id = …`):
 * the referrals ledger shows the visit a need was raised on. PostgreSQL pulls the subquery up into the
 * outer query, so the plan is the plain table's; only the columns listed are shared.
 */
export const contactRows = sql`(SELECT id, elder_id, org_path, duty_id, carer_id, contacted_at, channel, outcome,
  note FROM contacts)`;
