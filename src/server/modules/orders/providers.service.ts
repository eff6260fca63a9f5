import { type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  createProviderBody,
  Provider,
  providerStaffBody,
  providersQuery,
  updateProviderBody,
} from '../../../shared/catalogue.ts';
import { checkUscc } from '../../../shared/uscc.ts';
import { requireAccess } from '../../platform/access.ts';
import { AppError, fieldError, notFound, notFoundField } from '../../platform/app-error.ts';
import type { Ctx } from '../../platform/auth.ts';
import { type Db, type Executor, withTx } from '../../platform/db.ts';
import { inScope, pathInScope } from '../../platform/scope.ts';
import { accountLabelsOf, providerAccountsInScope } from '../accounts/accounts.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { getOrgsByIds, orgDisplayNames } from '../orgs/orgs.service.ts';
import { catalogueRows, type Deps } from './catalogue.service.ts';
import * as repo from './providers.repo.ts';

// 加盟服务商 and volunteer teams. Staff see the providers whose service area meets their scope — an
// area under one of their nodes, or an area holding one of their nodes (a 全市 provider is seen by
// every street); a provider account sees only the provider it works for. Changes are an admin's,
// and only for a provider whose every area lies in the admin's scope (like an account serving two
// streets, decision 0013): a street admin does not re-scope a city-wide provider.

/** The caller's visibility of providers as a condition on `p` (providers). */
export function visibleTo(ctx: Ctx): SQL {
  if (ctx.auth.role === 'provider') {
    return sql`EXISTS (SELECT 1 FROM provider_staff s WHERE s.provider_id = p.id AND s.user_id = ${ctx.auth.userId})`;
  }
  if (ctx.auth.scopes.length === 0) return sql`false`;
  const covering = ctx.auth.scopes.map((s) => sql`starts_with(${s.path}, a.org_path)`);
  return sql`EXISTS (SELECT 1 FROM provider_areas a WHERE a.provider_id = p.id
    AND (${inScope(ctx.auth, sql.raw('a.org_path'))} OR ${sql.join(covering, sql` OR `)}))`;
}

const mayEdit = (ctx: Ctx, areaPaths: string[]) =>
  ctx.auth.role === 'admin' && areaPaths.length > 0 && areaPaths.every((p) => pathInScope(ctx.auth, p));

async function present(ex: Executor, ctx: Ctx, list: repo.ProviderRow[]): Promise<Provider[]> {
  const ids = list.map((p) => p.id);
  const [areas, served, staff, catalogue] = await Promise.all([
    repo.areasOf(ex, ids),
    repo.servedOf(ex, ids),
    repo.staffOf(ex, ids),
    catalogueRows(ex),
  ]);
  const orgIds = [...new Set(areas.map((a) => a.orgId))];
  const [orgList, names, labels] = await Promise.all([
    getOrgsByIds(ex as Db, orgIds),
    orgDisplayNames(ex as Db, orgIds),
    accountLabelsOf(
      ex,
      staff.map((s) => s.userId),
    ),
  ]);
  const kindOf = new Map(orgList.map((o) => [o.id, o.kind]));
  const catName = new Map(catalogue.categories.map((c) => [c.id, c.name]));
  const itemName = new Map(catalogue.items.map((i) => [i.id, i.name]));
  return list.map((p) => {
    const mine = areas.filter((a) => a.providerId === p.id);
    return {
      ...p,
      createdAt: undefined,
      updatedAt: undefined,
      areas: mine.map((a) => ({
        orgId: a.orgId,
        // the root of the geo tree is how the register says 全市
        name: kindOf.get(a.orgId) === 'city' ? '全市' : (names.get(a.orgId) ?? ''),
        kind: kindOf.get(a.orgId) ?? '',
      })),
      categories: served
        .filter((s) => s.providerId === p.id && s.itemId == null)
        .map((s) => ({ categoryId: s.categoryId, name: catName.get(s.categoryId) ?? '' })),
      items: served
        .filter((s) => s.providerId === p.id && s.itemId != null)
        .map((s) => ({ itemId: s.itemId!, categoryId: s.categoryId, name: itemName.get(s.itemId!) ?? '' })),
      staff: staff
        .filter((s) => s.providerId === p.id)
        .map((s) => ({ userId: s.userId, ...(labels.get(s.userId) ?? { username: '', displayName: '' }) })),
      editable: mayEdit(
        ctx,
        mine.map((a) => a.orgPath),
      ),
    };
  });
}

export async function listProviders(deps: Deps, ctx: Ctx, q: z.infer<typeof providersQuery>) {
  requireAccess(ctx, 'providers.read');
  let orgPath: string | undefined;
  if (q.orgId) {
    const [org] = await getOrgsByIds(deps.db, [q.orgId]);
    if (!org || !pathInScope(ctx.auth, org.path))
      throw notFoundField('orgId', { zh: '组织节点', en: 'org node' });
    orgPath = org.path;
  }
  const list = await repo.listProviders(deps.db, {
    visible: visibleTo(ctx),
    kind: q.kind,
    status: q.status,
    categoryId: q.categoryId,
    orgPath,
    q: q.q,
  });
  return { items: await present(deps.db, ctx, list) };
}

async function visibleProvider(ex: Executor, ctx: Ctx, id: number) {
  const [p] = await repo.listProviders(ex, { visible: visibleTo(ctx), id });
  if (!p) throw notFound({ zh: '找不到该服务商', en: 'No such provider' });
  return p;
}

export async function getProvider(deps: Deps, ctx: Ctx, id: number) {
  requireAccess(ctx, 'providers.read');
  const p = await visibleProvider(deps.db, ctx, id);
  const [out] = await present(deps.db, ctx, [p]);
  return { provider: out! };
}

/** The provider a `provider` account works for (its portal), or null. */
export async function providerOfAccount(ex: Executor, userId: number) {
  return repo.providerOfUser(ex, userId);
}

type Body = z.infer<typeof updateProviderBody>;

/** Checks every record a write names against the caller's scope and the catalogue. */
async function checkReferences(tx: Executor, ctx: Ctx, body: Body, kind: string) {
  let areas: { orgId: number; orgPath: string }[] | undefined;
  if (body.areaOrgIds) {
    const ids = [...new Set(body.areaOrgIds)];
    const found = await getOrgsByIds(tx as Db, ids);
    const bad = ids.filter(
      (id) => !found.some((o) => o.id === id && o.tree === 'geo' && pathInScope(ctx.auth, o.path)),
    );
    if (bad.length) {
      throw new AppError('NOT_FOUND', { zh: '找不到该服务区域', en: 'No such area' }, [
        {
          field: 'body.areaOrgIds',
          message: `服务区域中有不存在或不在您管辖范围内的节点：${bad.join('、')}`,
          messageEn: `Areas not found within your scope: ${bad.join(', ')}`,
        },
      ]);
    }
    areas = found.map((o) => ({ orgId: o.id, orgPath: o.path }));
  }
  let served: { categoryId: number; itemId: number | null }[] | undefined;
  if (body.categoryIds || body.itemIds) {
    const { categories, items } = await catalogueRows(tx);
    const cats = [...new Set(body.categoryIds ?? [])];
    const badCat = cats.filter((id) => !categories.some((c) => c.id === id));
    if (badCat.length) throw notFoundField('body.categoryIds', { zh: '服务类别', en: 'category' });
    const itemIds = [...new Set(body.itemIds ?? [])];
    const chosen = itemIds.map((id) => items.find((i) => i.id === id));
    if (chosen.some((i) => !i)) throw notFoundField('body.itemIds', { zh: '服务项目', en: 'service item' });
    const refused = chosen.filter((i) => !i!.providerKinds.includes(kind)).map((i) => i!.name);
    if (refused.length) {
      throw fieldError(
        'body.itemIds',
        `该类型的服务商不能提供：${refused.slice(0, 5).join('、')}`,
        `This kind of provider may not serve: ${refused.slice(0, 5).join(', ')}`,
      );
    }
    served = [
      ...cats.map((categoryId) => ({ categoryId, itemId: null })),
      ...chosen
        .filter((i) => !cats.includes(i!.categoryId))
        .map((i) => ({ categoryId: i!.categoryId, itemId: i!.id })),
    ];
  }
  return { areas, served };
}

async function checkIdentity(tx: Executor, body: Body, selfId?: number) {
  let uscc: string | null | undefined = body.uscc === undefined ? undefined : body.uscc || null;
  if (uscc) {
    const r = checkUscc(uscc);
    if (!r.ok) throw fieldError('body.uscc', `统一社会信用代码${r.reason}`, `The credit code ${r.reasonEn}`);
    uscc = r.uscc;
    const other = await repo.findProviderByUscc(tx, uscc);
    if (other && other.id !== selfId) {
      throw new AppError(
        'DUPLICATE',
        { zh: '该统一社会信用代码已登记', en: 'The credit code is registered' },
        [
          {
            field: 'body.uscc',
            message: `统一社会信用代码已登记为“${other.name}”`,
            messageEn: 'Registered already',
          },
        ],
      );
    }
  }
  if (body.name) {
    const other = await repo.findProviderByName(tx, body.name);
    if (other && other.id !== selfId) {
      throw new AppError('DUPLICATE', { zh: '该服务商名称已登记', en: 'The name is registered' }, [
        { field: 'body.name', message: `服务商“${body.name}”已登记`, messageEn: 'Registered already' },
      ]);
    }
  }
  return uscc;
}

function checkContract(start: string | null | undefined, end: string | null | undefined) {
  if (start && end && end < start) {
    throw fieldError(
      'body.contractEnd',
      '合同截止日期不能早于起始日期',
      'The contract ends before it starts',
    );
  }
}

const columnsOf = (body: Body, uscc: string | null | undefined): Partial<repo.NewProvider> => {
  const out: Partial<repo.NewProvider> = {};
  for (const k of [
    'name',
    'kind',
    'contactName',
    'contactPhone',
    'contractStart',
    'contractEnd',
    'status',
    'capacity',
    'stars',
    'note',
  ] as const) {
    if (body[k] !== undefined) (out as Record<string, unknown>)[k] = body[k] === '' ? null : body[k];
  }
  if (uscc !== undefined) out.uscc = uscc;
  return out;
};

function requireUsccUnlessTeam(kind: string, uscc: string | null | undefined) {
  if (kind !== 'volunteer_team' && !uscc) {
    throw fieldError(
      'body.uscc',
      '请填写统一社会信用代码（志愿团队可不填）',
      'The credit code is required (teams excepted)',
    );
  }
}

export async function createProvider(deps: Deps, ctx: Ctx, body: z.infer<typeof createProviderBody>) {
  requireAccess(ctx, 'providers.write');
  checkContract(body.contractStart, body.contractEnd);
  return withTx(deps.db, async (tx) => {
    const uscc = await checkIdentity(tx, body);
    requireUsccUnlessTeam(body.kind, uscc);
    const refs = await checkReferences(tx, ctx, body, body.kind);
    const p = await repo.insertProvider(tx, columnsOf(body, uscc ?? null) as repo.NewProvider);
    await repo.setAreas(tx, p.id, refs.areas!);
    await repo.setServed(tx, p.id, refs.served ?? []);
    await recordAudit(tx, ctx, {
      action: 'provider.create',
      entity: 'provider',
      entityId: p.id,
      orgPath: refs.areas!.length === 1 ? refs.areas![0]!.orgPath : null,
      details: { ...body },
    });
    return getProvider({ ...deps, db: tx as unknown as Db }, ctx, p.id);
  });
}

/** The provider, locked, when the caller may change it: 404 unseen, 403 with areas beyond the caller. */
async function editableProvider(tx: Executor, ctx: Ctx, id: number) {
  const p = await visibleProvider(tx, ctx, id);
  await repo.lockProvider(tx, id);
  const areas = await repo.areasOf(tx, [id]);
  if (
    !mayEdit(
      ctx,
      areas.map((a) => a.orgPath),
    )
  ) {
    throw new AppError('FORBIDDEN', {
      zh: '该服务商的服务区域超出您的管辖范围，须由管辖其全部区域的管理员修改',
      en: 'The provider serves beyond your scope: an admin over all of its areas changes it',
    });
  }
  return p;
}

export async function updateProvider(deps: Deps, ctx: Ctx, id: number, body: Body) {
  requireAccess(ctx, 'providers.write');
  return withTx(deps.db, async (tx) => {
    const before = await editableProvider(tx, ctx, id);
    const kind = body.kind ?? before.kind;
    checkContract(body.contractStart ?? before.contractStart, body.contractEnd ?? before.contractEnd);
    const uscc = await checkIdentity(tx, body, id);
    requireUsccUnlessTeam(kind, uscc === undefined ? before.uscc : uscc);
    if ((body.categoryIds === undefined) !== (body.itemIds === undefined)) {
      // one list given: the other stays as it was
      const served = await repo.servedOf(tx, [id]);
      body.categoryIds ??= served.filter((x) => x.itemId == null).map((x) => x.categoryId);
      body.itemIds ??= served.filter((x) => x.itemId != null).map((x) => x.itemId!);
    }
    const refs = await checkReferences(tx, ctx, body, kind);
    await repo.updateProvider(tx, id, columnsOf(body, uscc), deps.clock.now());
    if (refs.areas) await repo.setAreas(tx, id, refs.areas);
    if (refs.served) await repo.setServed(tx, id, refs.served);
    await recordAudit(tx, ctx, {
      action: 'provider.update',
      entity: 'provider',
      entityId: id,
      details: { before: { ...before, createdAt: undefined, updatedAt: undefined }, changes: body },
    });
    return getProvider({ ...deps, db: tx as unknown as Db }, ctx, id);
  });
}

/** Links `provider` role accounts to the provider (the list replaces the one before). */
export async function setProviderStaff(
  deps: Deps,
  ctx: Ctx,
  id: number,
  body: z.infer<typeof providerStaffBody>,
) {
  requireAccess(ctx, 'providers.write');
  const userIds = [...new Set(body.userIds)];
  return withTx(deps.db, async (tx) => {
    await editableProvider(tx, ctx, id);
    const accounts = await providerAccountsInScope(tx, ctx, userIds);
    const bad = userIds.filter((u) => !accounts.some((a) => a.id === u));
    if (bad.length) {
      throw new AppError('NOT_FOUND', { zh: '找不到该服务商账号', en: 'No such provider account' }, [
        {
          field: 'body.userIds',
          message: `以下账号不存在、不是服务商角色或不在您的管辖范围内：${bad.join('、')}`,
          messageEn: `Not provider accounts within your scope: ${bad.join(', ')}`,
        },
      ]);
    }
    const taken = await repo.staffElsewhere(tx, id, userIds);
    if (taken.length) {
      throw new AppError(
        'CONFLICT',
        { zh: '账号已属于其他服务商', en: 'Account works for another provider' },
        [
          {
            field: 'body.userIds',
            message: `以下账号已关联其他服务商，请先解除：${taken.join('、')}`,
            messageEn: `Linked to another provider already: ${taken.join(', ')}`,
          },
        ],
      );
    }
    const before = (await repo.staffOf(tx, [id])).map((s) => s.userId);
    await repo.setStaff(tx, id, userIds);
    await recordAudit(tx, ctx, {
      action: 'provider.staff',
      entity: 'provider',
      entityId: id,
      details: { before, after: userIds },
    });
    return getProvider({ ...deps, db: tx as unknown as Db }, ctx, id);
  });
}
