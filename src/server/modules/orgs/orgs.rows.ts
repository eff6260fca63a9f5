import { sql } from 'drizzle-orm';

/**
 * The org tree as a row source for another module's set-based join (`JOIN ${orgRows} o ON o.id = …`),
 * so that only this module names the `orgs` table. PostgreSQL pulls the subquery up into the outer
 * query, so the plan is the plain table's; the columns listed are the ones the tree shares.
 */
export const orgRows = sql`(SELECT id, tree, kind, parent_id, name, code, path, depth, sort_order FROM orgs)`;
