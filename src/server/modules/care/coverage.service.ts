import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { coverageQuery } from '../../../shared/care.ts';
import type { Ctx } from '../../platform/auth.ts';
import { rows } from '../../platform/db.ts';
import { type Deps, orgPathInScope, requireRoles, staffRoles } from './care.service.ts';

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

interface Fig {
  special_total: number;
  special_visited: number;
  duties: number;
  on_time: number;
}

const figures = (f: Fig | undefined) => {
  const t = f ?? { special_total: 0, special_visited: 0, duties: 0, on_time: 0 };
  return {
    specialTotal: t.special_total,
    specialVisited: t.special_visited,
    share: t.special_total ? t.special_visited / t.special_total : null,
    duties: t.duties,
    onTime: t.on_time,
    onTimeRate: t.duties ? t.on_time / t.duties : null,
  };
};

/**
 * Coverage of an org node and of each child (district → street → community → grid): the share of
 * special-difficulty elders reached in the period (national target 100 % within 30 days) and the
 * share of open duties not overdue. Reads the subtree through the org-path prefix indexes, and the
 * contacts through (elder_id, contacted_at): cost follows the subtree, not the registry.
 */
export async function coverage(deps: Deps, ctx: Ctx, q: z.infer<typeof coverageQuery>) {
  requireRoles(ctx, staffRoles);
  const o = await orgPathInScope(deps.db, ctx, q.orgId);
  const now = deps.clock.now();
  const since = new Date(now.getTime() - q.period * 86400_000);
  const like = `${o.path}%`;
  const perNode = await rows<Fig & { id: number; name: string; kind: string }>(
    deps.db,
    sql`WITH nodes AS (
        SELECT id, name, kind, path FROM orgs WHERE id = ${q.orgId}
        UNION ALL SELECT id, name, kind, path FROM orgs WHERE parent_id = ${q.orgId}),
      sp AS (
        SELECT e.org_path, EXISTS (SELECT 1 FROM contacts c WHERE c.elder_id = e.id AND c.contacted_at >= ${ts(since)}
          AND c.outcome IN ('reached_ok', 'reached_concern')) AS visited
        FROM elders e WHERE e.org_path LIKE ${like} AND e.status NOT IN ('deceased', 'moved_away')
          AND e.difficulty_groups <> '{}'::text[]),
      du AS (
        SELECT d.org_path, (d.next_due_at IS NULL OR d.next_due_at > ${ts(now)}) AS on_time
        FROM duties d WHERE d.active AND d.org_path LIKE ${like})
      SELECT n.id, n.name, n.kind,
        (SELECT count(*) FROM sp WHERE sp.org_path LIKE n.path || '%')::int AS special_total,
        (SELECT count(*) FROM sp WHERE sp.org_path LIKE n.path || '%' AND sp.visited)::int AS special_visited,
        (SELECT count(*) FROM du WHERE du.org_path LIKE n.path || '%')::int AS duties,
        (SELECT count(*) FROM du WHERE du.org_path LIKE n.path || '%' AND du.on_time)::int AS on_time
      FROM nodes n`,
  );
  const byDuty = await rows<{ key: string; name: string; duties: number; on_time: number }>(
    deps.db,
    sql`SELECT t.key, t.name, count(*)::int AS duties,
        count(*) FILTER (WHERE d.next_due_at IS NULL OR d.next_due_at > ${ts(now)})::int AS on_time
      FROM duties d JOIN duty_templates t ON t.id = d.template_id
      WHERE d.active AND d.org_path LIKE ${like} GROUP BY t.key, t.name ORDER BY t.key`,
  );
  const byCarer = await rows<{ id: number; name: string; duties: number; on_time: number }>(
    deps.db,
    sql`SELECT u.id, u.display_name AS name, count(*)::int AS duties,
        count(*) FILTER (WHERE d.next_due_at IS NULL OR d.next_due_at > ${ts(now)})::int AS on_time
      FROM duties d JOIN users u ON u.id = d.assignee_id
      WHERE d.active AND d.org_path LIKE ${like} GROUP BY u.id, u.display_name ORDER BY u.id`,
  );
  const self = perNode.find((n) => n.id === q.orgId);
  return {
    org: { id: q.orgId, name: o.name, kind: o.kind },
    period: q.period,
    totals: figures(self),
    children: perNode
      .filter((n) => n.id !== q.orgId)
      .map((n) => ({ orgId: n.id, name: n.name, kind: n.kind, ...figures(n) })),
    byDuty: byDuty.map((d) => ({ templateKey: d.key, name: d.name, duties: d.duties, onTime: d.on_time })),
    byCarer: byCarer.map((c) => ({ carerId: c.id, name: c.name, duties: c.duties, onTime: c.on_time })),
  };
}
