import { and, asc, count, eq, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db.ts';
import { orgs } from './orgs.schema.ts';

export type OrgRow = typeof orgs.$inferSelect;

export async function listOrgs(ex: Executor, scope: SQL, tree?: string): Promise<OrgRow[]> {
  return ex
    .select()
    .from(orgs)
    .where(and(scope, tree ? eq(orgs.tree, tree) : undefined))
    .orderBy(asc(orgs.depth), asc(orgs.sortOrder), asc(orgs.id));
}

export async function getOrg(ex: Executor, id: number): Promise<OrgRow | undefined> {
  const [row] = await ex.select().from(orgs).where(eq(orgs.id, id));
  return row;
}

export async function getOrgsByIds(ex: Executor, ids: number[]): Promise<OrgRow[]> {
  if (ids.length === 0) return [];
  return ex
    .select()
    .from(orgs)
    .where(sql`${orgs.id} = ANY(${sql.param(ids)}::bigint[])`);
}

/** Inserts a node and sets its materialised path from its new id. */
export async function insertOrg(
  ex: Executor,
  o: {
    tree: string;
    kind: string;
    parentId: number | null;
    name: string;
    code?: string | null;
    sortOrder?: number;
  },
  parentPath: string,
): Promise<OrgRow> {
  const [row] = await ex
    .insert(orgs)
    .values({
      tree: o.tree,
      kind: o.kind,
      parentId: o.parentId,
      name: o.name,
      code: o.code ?? null,
      sortOrder: o.sortOrder ?? 0,
      path: `${parentPath}~${crypto.randomUUID()}`,
      depth: parentPath.split('/').length - 1,
    })
    .returning({ id: orgs.id });
  const [done] = await ex
    .update(orgs)
    .set({ path: `${parentPath}${row.id}/` })
    .where(eq(orgs.id, row.id))
    .returning();
  return done;
}

export async function updateOrg(
  ex: Executor,
  id: number,
  patch: { name?: string; code?: string | null; sortOrder?: number },
): Promise<OrgRow | undefined> {
  const [row] = await ex
    .update(orgs)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(orgs.id, id))
    .returning();
  return row;
}

export async function countChildren(ex: Executor, id: number): Promise<number> {
  const [r] = await ex.select({ n: count() }).from(orgs).where(eq(orgs.parentId, id));
  return r.n;
}

export async function deleteOrg(ex: Executor, id: number): Promise<void> {
  await ex.delete(orgs).where(eq(orgs.id, id));
}

/** Bulk insert of one tree level: temporary paths first, then one UPDATE sets `parent path || id || '/'`. */
export async function insertOrgsBulk(
  ex: Executor,
  items: {
    tree: string;
    kind: string;
    parentId: number | null;
    parentPath: string;
    name: string;
    code?: string | null;
    sortOrder?: number;
  }[],
): Promise<OrgRow[]> {
  if (items.length === 0) return [];
  const inserted = await ex
    .insert(orgs)
    .values(
      items.map((o) => ({
        tree: o.tree,
        kind: o.kind,
        parentId: o.parentId,
        name: o.name,
        code: o.code ?? null,
        sortOrder: o.sortOrder ?? 0,
        path: `${o.parentPath}~${crypto.randomUUID()}`,
        depth: o.parentPath.split('/').length - 1,
      })),
    )
    .returning({ id: orgs.id });
  return ex
    .update(orgs)
    .set({ path: sql`split_part(${orgs.path}, '~', 1) || ${orgs.id} || '/'` })
    .where(sql`${orgs.id} = ANY(${sql.param(inserted.map((r) => r.id))}::bigint[])`)
    .returning()
    .then((rs) => rs.sort((a, b) => a.id - b.id));
}
