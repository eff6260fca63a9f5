import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import {
  type createOrgBody,
  orgDisplayName,
  orgKindChildren,
  type updateOrgBody,
} from '../../../shared/orgs.ts';
import { requireAccess } from '../../platform/access.ts';
import { AppError, notFoundField } from '../../platform/app-error.ts';
import type { Ctx } from '../../platform/auth.ts';
import { type Db, type Executor, withTx } from '../../platform/db.ts';
import { assertPathInScope, inScope, pathInScope } from '../../platform/scope.ts';
import { changesOf, recordAudit } from '../audit/audit.service.ts';
import * as repo from './orgs.repo.ts';
import { orgs } from './orgs.schema.ts';

export type { OrgRow } from './orgs.repo.ts';

export async function listOrgsInScope(db: Db, ctx: Ctx, tree?: string) {
  return repo.listOrgs(db, inScope(ctx.auth, orgs.path), tree);
}

/**
 * Nodes with the name people read (`displayName`): pickers show a grid as `湖滨社区 / 第1网格` even
 * when the community itself is outside the caller's scope (a grid worker's list holds only the grid).
 */
export async function withDisplayNames<T extends repo.OrgRow>(ex: Executor, rows: T[]) {
  const byId = new Map(rows.map((o) => [o.id, o.name]));
  const missing = rows
    .filter((o) => o.kind === 'grid' && o.parentId != null && !byId.has(o.parentId))
    .map((o) => o.parentId!);
  if (missing.length)
    for (const p of await repo.getOrgsByIds(ex, [...new Set(missing)])) byId.set(p.id, p.name);
  return rows.map((o) => ({
    ...o,
    displayName: orgDisplayName(o, o.parentId ? byId.get(o.parentId) : null),
  }));
}

/** The caller's part of the tree as the API answers it: each node with its `displayName`. */
export async function listNamedOrgsInScope(db: Db, ctx: Ctx, tree?: string) {
  return withDisplayNames(db, await listOrgsInScope(db, ctx, tree));
}

/** An org the caller may see, or 404. Other modules use this to place records in the tree. */
export async function getOrgInScope(db: Db, ctx: Ctx, id: number) {
  const org = await repo.getOrg(db, id);
  assertPathInScope(ctx.auth, org?.path);
  return org!;
}

/** An org by id, whatever the caller's scope (the caller checks it), in the caller's transaction. */
export async function getOrgAsSystem(ex: Executor, id: number) {
  return repo.getOrg(ex, id);
}

export async function getOrgsByIds(db: Db, ids: number[]) {
  return repo.getOrgsByIds(db, ids);
}

/** Names as people read them, by id: a grid with its community (`湖滨社区 / 第1网格`, issue 11.9). */
export async function orgDisplayNames(db: Db, ids: number[]): Promise<Map<number, string>> {
  const found = await repo.getOrgsByIds(db, [...new Set(ids)]);
  const parentIds = found.filter((o) => o.kind === 'grid' && o.parentId != null).map((o) => o.parentId!);
  const parents = parentIds.length ? await repo.getOrgsByIds(db, [...new Set(parentIds)]) : [];
  const parentName = new Map(parents.map((p) => [p.id, p.name]));
  return new Map(found.map((o) => [o.id, orgDisplayName(o, o.parentId ? parentName.get(o.parentId) : null)]));
}

export async function createOrg(db: Db, ctx: Ctx, body: z.infer<typeof createOrgBody>) {
  requireAccess(ctx, 'orgs.write');
  return withTx(db, async (tx) => {
    let parentPath = '/';
    let parentKind = `root_${body.tree}`;
    if (body.parentId != null) {
      const parent = await repo.getOrg(tx, body.parentId);
      // a parent outside the caller's scope answers as an unknown one, naming the field (issue 16.4)
      if (!parent || !pathInScope(ctx.auth, parent.path)) {
        throw notFoundField('parentId', { zh: '上级节点', en: 'parent node' });
      }
      if (parent!.tree !== body.tree) {
        throw new AppError(
          'UNPROCESSABLE',
          { zh: '上级节点属于另一棵树', en: 'The parent belongs to the other tree' },
          [{ field: 'parentId', message: '上级节点属于另一棵树' }],
        );
      }
      parentPath = parent!.path;
      parentKind = parent!.kind;
    } else if (!ctx.auth.scopes.some((s) => s.path.split('/').length === 3)) {
      // a new root (a city, a unit) is for administrators who hold a whole tree; setup uses `npm run admin`
      throw new AppError('FORBIDDEN');
    }
    if (!orgKindChildren[parentKind]?.includes(body.kind)) {
      throw new AppError(
        'UNPROCESSABLE',
        { zh: '该层级下不能建立这种节点', en: 'This kind of node cannot be placed under that parent' },
        [
          {
            field: 'kind',
            message: `“${parentKind}”下只能建立：${orgKindChildren[parentKind]?.join('、') || '无'}`,
          },
        ],
      );
    }
    const org = await repo.insertOrg(tx, body, parentPath);
    await recordAudit(tx, ctx, {
      action: 'org.create',
      entity: 'org',
      entityId: org.id,
      orgPath: org.path,
      details: { name: org.name, kind: org.kind },
    });
    return (await withDisplayNames(tx, [org]))[0];
  });
}

export async function updateOrg(db: Db, ctx: Ctx, id: number, body: z.infer<typeof updateOrgBody>) {
  requireAccess(ctx, 'orgs.write');
  return withTx(db, async (tx) => {
    const before = await repo.getOrg(tx, id);
    assertPathInScope(ctx.auth, before?.path);
    const org = (await repo.updateOrg(tx, id, body))!;
    await recordAudit(tx, ctx, {
      action: 'org.update',
      entity: 'org',
      entityId: id,
      orgPath: org.path,
      details: {
        before: { name: before!.name, code: before!.code },
        after: body,
        changes: changesOf(before!, org, ['name', 'code']),
      },
    });
    return (await withDisplayNames(tx, [org]))[0];
  });
}

export async function deleteOrg(db: Db, ctx: Ctx, id: number) {
  requireAccess(ctx, 'orgs.write');
  await withTx(db, async (tx) => {
    const org = await repo.getOrg(tx, id);
    assertPathInScope(ctx.auth, org?.path);
    if ((await repo.countChildren(tx, id)) > 0) {
      throw new AppError('CONFLICT', {
        zh: '该节点下还有下级节点，不能删除',
        en: 'The node still has children and cannot be deleted',
      });
    }
    await repo.deleteOrg(tx, id); // references from accounts or elders make this fail with 409
    await recordAudit(tx, ctx, {
      action: 'org.delete',
      entity: 'org',
      entityId: id,
      orgPath: org!.path,
      details: { name: org!.name },
    });
  });
}

/** For the demo and scale generators: one statement per tree level, no caller. */
export const insertOrgsBulk = repo.insertOrgsBulk;

/** Every node of both trees, for administration scripts (no caller). */
export async function listAllOrgs(db: Db) {
  return repo.listOrgs(db, sql`true`);
}
