import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../../platform/db.ts';
import { accountRows } from '../accounts/accounts.rows.ts';

// Written for the care network's pairing (issue 4): paired carers join the elder's circle as kind
// 'carer' with their account, set-based, so assigning a whole grid is one statement.

const ids = (list: number[]) => sql`string_to_array(${list.join(',')}, ',')::bigint[]`;

/** Adds `carerId` to the circle of each elder (once); returns how many rows were added. */
export async function addCarerToCircles(ex: Executor, carerId: number, elderIds: number[]): Promise<number> {
  if (elderIds.length === 0) return 0;
  const r = await rows<{ id: number }>(
    ex,
    sql`INSERT INTO circle_contacts (elder_id, org_path, kind, name, phones, priority, user_id)
      SELECT e.id, e.org_path, 'carer', u.display_name,
        CASE WHEN u.phone IS NULL THEN '{}'::text[] ELSE ARRAY[u.phone] END, 50, u.id
      FROM elders e JOIN ${accountRows} u ON u.id = ${carerId} -- joins users via accounts.accountRows
      WHERE e.id = ANY(${ids(elderIds)}) AND NOT EXISTS (SELECT 1 FROM circle_contacts cc
        WHERE cc.elder_id = e.id AND cc.kind = 'carer' AND cc.user_id = ${carerId})
      RETURNING id`,
  );
  return r.length;
}

/** Removes `carerId` from the circles of these elders (their pairing ended). */
export async function removeCarerFromCircles(
  ex: Executor,
  carerId: number,
  elderIds: number[],
): Promise<number> {
  if (elderIds.length === 0) return 0;
  const r = await rows<{ id: number }>(
    ex,
    sql`DELETE FROM circle_contacts WHERE kind = 'carer' AND user_id = ${carerId}
      AND elder_id = ANY(${ids(elderIds)}) RETURNING id`,
  );
  return r.length;
}
