import { sql } from 'drizzle-orm';
import { orgRows } from '../orgs/orgs.rows.ts';

// Row sources for other modules' set-based joins, so that only this module names its tables.
// PostgreSQL pulls such a subquery up into the outer query: the plan is the plain tables'.
// Password hashes, lockouts and sessions are never shared.

/** Accounts as others may read them: name, role, phone, whether active. */
export const accountRows = sql`(SELECT id, username, display_name, role, carer_kind, phone, active FROM users)`;

/** Each account's scope nodes with the node's materialised path and depth: (user_id, org_id, path, depth). */
export const scopeRows = sql`(SELECT us.user_id, us.org_id, o.path, o.depth FROM user_scopes us
  JOIN ${orgRows} o ON o.id = us.org_id)`; // joins orgs via orgs.orgRows
