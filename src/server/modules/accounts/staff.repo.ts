import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../../platform/db.ts';

// Staff covering org paths, for modules that must reach people without a caller (the SOS ladder's
// sweeper, the archive card). A materialised path is the chain of org ids ('/1/5/9/'), so its
// ancestors are read off it: an index lookup on user_scopes, no scan of the org tree.

export interface StaffMember {
  id: number;
  displayName: string;
  phone: string | null;
}

function byKey<K>(r: (StaffMember & { key: K })[]): Map<K, StaffMember[]> {
  const out = new Map<K, StaffMember[]>();
  for (const { key, ...s } of r) {
    const member = { id: s.id, displayName: s.displayName, phone: s.phone };
    const list = out.get(key);
    if (list) list.push(member);
    else out.set(key, [member]);
  }
  return out;
}

/**
 * Active accounts of a role whose scope covers each org path (dispatchers on duty, supervisors), in
 * one read: path → accounts (by id).
 */
export async function staffCoveringPaths(
  ex: Executor,
  role: string,
  orgPaths: string[],
): Promise<Map<string, StaffMember[]>> {
  if (orgPaths.length === 0) return new Map();
  const r = await rows<StaffMember & { key: string }>(
    ex,
    sql`SELECT DISTINCT p.path AS key, u.id, u.display_name AS "displayName", u.phone
        FROM unnest(${sql.param(orgPaths)}::text[]) AS p(path)
        JOIN user_scopes us ON us.org_id = ANY(string_to_array(btrim(p.path, '/'), '/')::bigint[])
        JOIN users u ON u.id = us.user_id AND u.role = ${role} AND u.active
        ORDER BY key, u.id`,
  );
  return byKey(r);
}

/**
 * The community workers of each org path (issue 11.4), in one read: active coordinators whose scope
 * covers it, the nearest first (a community's own worker before the street's), at most three. The
 * nearest scope node is the one furthest along the path.
 */
export async function communityWorkersMany(
  ex: Executor,
  orgPaths: string[],
): Promise<Map<string, StaffMember[]>> {
  if (orgPaths.length === 0) return new Map();
  const r = await rows<StaffMember & { key: string }>(
    ex,
    sql`SELECT p.path AS key, w.id, w."displayName", w.phone
        FROM unnest(${sql.param([...new Set(orgPaths)])}::text[]) AS p(path)
        CROSS JOIN LATERAL (
          SELECT u.id, u.display_name AS "displayName", u.phone,
            max(array_position(string_to_array(btrim(p.path, '/'), '/')::bigint[], us.org_id)) AS depth
          FROM user_scopes us
          JOIN users u ON u.id = us.user_id AND u.role = 'coordinator' AND u.active
          WHERE us.org_id = ANY(string_to_array(btrim(p.path, '/'), '/')::bigint[])
          GROUP BY u.id, u.display_name, u.phone
          ORDER BY depth DESC, u.id
          LIMIT 3) w
        ORDER BY p.path, w.depth DESC, w.id`,
  );
  return byKey(r);
}

/**
 * Active accounts of `roles` (staff roles) whose scope covers one org path: who may handle a record
 * there (a referral), coordinators first, then managers. `userId` narrows it to one account.
 */
export async function staffCovering(
  ex: Executor,
  orgPath: string,
  roles: readonly string[],
  userId?: number,
): Promise<{ id: number; name: string; role: string }[]> {
  return rows(
    ex,
    sql`SELECT u.id, u.display_name AS name, u.role FROM users u
      WHERE u.id IN (SELECT us.user_id FROM user_scopes us
          WHERE us.org_id = ANY(string_to_array(btrim(${orgPath}::text, '/'), '/')::bigint[]))
        AND u.active AND u.role = ANY(${sql.param([...roles])}::text[]) ${userId ? sql`AND u.id = ${userId}` : sql``}
      ORDER BY CASE u.role WHEN 'coordinator' THEN 0 WHEN 'manager' THEN 1 ELSE 2 END, u.id LIMIT 200`,
  );
}
