import type { z } from 'zod';
import type {
  CatalogueItem,
  createCategoryBody,
  createItemBody,
  updateCategoryBody,
  updateItemBody,
} from '../../../shared/catalogue.ts';
import { hasAccess, requireAccess } from '../../platform/access.ts';
import { AppError, notFound, notFoundField } from '../../platform/app-error.ts';
import type { Ctx } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import { type Db, type Executor, withTx } from '../../platform/db.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { defaultCatalogue } from './catalogue.defaults.ts';
import * as repo from './catalogue.repo.ts';

// 服务目录: one catalogue for the city. Everybody who works orders reads it; only an administrator
// holding the city changes it (decision 0013), because an item's limits and price apply everywhere.

export interface Deps {
  db: Db;
  clock: Clock;
}

/** Who reads the catalogue: staff who open and dispatch orders, and the providers who serve them. */
const hoursOf = (minutes: number) => Math.round((minutes / 60) * 1000) / 1000;
const minutesOf = (hours: number) => Math.round(hours * 60);

export function itemView(r: repo.ItemRow): CatalogueItem {
  return {
    id: r.id,
    categoryId: r.categoryId,
    name: r.name,
    unit: r.unit,
    priceFen: r.priceFen,
    slaHours: {
      accept: hoursOf(r.acceptMinutes),
      arrive: hoursOf(r.arriveMinutes),
      complete: hoursOf(r.completeMinutes),
    },
    followUpDays: r.followUpDays,
    workingDays: r.workingDays,
    providerKinds: r.providerKinds,
    cardPayable: r.cardPayable,
    note: r.note,
    sortOrder: r.sortOrder,
    active: r.active,
  };
}

const categoryView = (c: repo.CategoryRow) => ({
  id: c.id,
  name: c.name,
  sortOrder: c.sortOrder,
  active: c.active,
});

export async function getCatalogue(deps: Deps, ctx: Ctx) {
  requireAccess(ctx, 'catalogue.read');
  const [categories, items] = await Promise.all([repo.listCategories(deps.db), repo.listItems(deps.db)]);
  return {
    categories: categories.map((c) => ({
      ...categoryView(c),
      items: items.filter((i) => i.categoryId === c.id).map(itemView),
    })),
    editable: hasAccess(ctx, 'config.city'),
  };
}

/** Every category and item, for other parts of the module (providers, import) in their transaction. */
export async function catalogueRows(ex: Executor) {
  const [categories, items] = await Promise.all([repo.listCategories(ex), repo.listItems(ex)]);
  return { categories, items };
}

function duplicateName(field: string, what: string, name: string): AppError {
  return new AppError('DUPLICATE', { zh: `${what}“${name}”已存在`, en: `"${name}" exists already` }, [
    { field, message: `${what}“${name}”已存在`, messageEn: `"${name}" exists already` },
  ]);
}

export async function createCategory(deps: Deps, ctx: Ctx, body: z.infer<typeof createCategoryBody>) {
  requireAccess(ctx, 'config.city');
  return withTx(deps.db, async (tx) => {
    if (await repo.findCategoryByName(tx, body.name)) throw duplicateName('name', '服务类别', body.name);
    const c = await repo.insertCategory(tx, { name: body.name, sortOrder: body.sortOrder ?? 0 });
    await recordAudit(tx, ctx, {
      action: 'catalogue.category.create',
      entity: 'service_category',
      entityId: c.id,
      details: { name: c.name },
    });
    return { category: categoryView(c) };
  });
}

export async function updateCategory(
  deps: Deps,
  ctx: Ctx,
  id: number,
  body: z.infer<typeof updateCategoryBody>,
) {
  requireAccess(ctx, 'config.city');
  return withTx(deps.db, async (tx) => {
    const before = await repo.getCategory(tx, id);
    if (!before) throw notFound({ zh: '找不到该服务类别', en: 'No such category' });
    if (body.name && body.name !== before.name && (await repo.findCategoryByName(tx, body.name))) {
      throw duplicateName('name', '服务类别', body.name);
    }
    const c = await repo.updateCategory(tx, id, body, deps.clock.now());
    await recordAudit(tx, ctx, {
      action: 'catalogue.category.update',
      entity: 'service_category',
      entityId: id,
      details: { before: categoryView(before), after: categoryView(c) },
    });
    return { category: categoryView(c) };
  });
}

type ItemBody = z.infer<typeof updateItemBody>;

function itemColumns(body: ItemBody): Partial<repo.NewItem> {
  const out: Partial<repo.NewItem> = {};
  if (body.categoryId !== undefined) out.categoryId = body.categoryId;
  if (body.name !== undefined) out.name = body.name;
  if (body.unit !== undefined) out.unit = body.unit;
  if (body.priceFen !== undefined) out.priceFen = body.priceFen;
  if (body.slaHours) {
    out.acceptMinutes = minutesOf(body.slaHours.accept);
    out.arriveMinutes = minutesOf(body.slaHours.arrive);
    out.completeMinutes = minutesOf(body.slaHours.complete);
  }
  if (body.followUpDays !== undefined) out.followUpDays = body.followUpDays;
  if (body.workingDays !== undefined) out.workingDays = body.workingDays;
  if (body.providerKinds !== undefined) out.providerKinds = [...new Set(body.providerKinds)];
  if (body.cardPayable !== undefined) out.cardPayable = body.cardPayable;
  if (body.note !== undefined) out.note = body.note || null;
  if (body.sortOrder !== undefined) out.sortOrder = body.sortOrder;
  if (body.active !== undefined) out.active = body.active;
  return out;
}

async function checkItemWrite(tx: Executor, body: ItemBody, selfId?: number) {
  if (body.categoryId !== undefined && !(await repo.getCategory(tx, body.categoryId))) {
    throw notFoundField('body.categoryId', { zh: '服务类别', en: 'category' });
  }
  if (body.name !== undefined) {
    const same = await repo.findItemByName(tx, body.name);
    if (same && same.id !== selfId) throw duplicateName('body.name', '服务项目', body.name);
  }
}

export async function createItem(deps: Deps, ctx: Ctx, body: z.infer<typeof createItemBody>) {
  requireAccess(ctx, 'config.city');
  return withTx(deps.db, async (tx) => {
    await checkItemWrite(tx, body);
    const item = await repo.insertItem(tx, itemColumns(body) as repo.NewItem);
    await recordAudit(tx, ctx, {
      action: 'catalogue.item.create',
      entity: 'service_item',
      entityId: item.id,
      details: { item: itemView(item) },
    });
    return { item: itemView(item) };
  });
}

export async function updateItem(deps: Deps, ctx: Ctx, id: number, body: ItemBody) {
  requireAccess(ctx, 'config.city');
  return withTx(deps.db, async (tx) => {
    const before = await repo.getItem(tx, id);
    if (!before) throw notFound({ zh: '找不到该服务项目', en: 'No such service item' });
    await checkItemWrite(tx, body, id);
    const item = await repo.updateItem(tx, id, itemColumns(body), deps.clock.now());
    await recordAudit(tx, ctx, {
      action: 'catalogue.item.update',
      entity: 'service_item',
      entityId: id,
      details: { before: itemView(before), after: itemView(item) },
    });
    return { item: itemView(item) };
  });
}

/**
 * Loads the default catalogue (GB/T 43153-2023 and the seeds) where it is missing: categories and
 * items by name, so it never duplicates and never overwrites an office's changes. For first start
 * and the demo; returns how many items it added.
 */
export async function ensureDefaultCatalogue(ex: Executor, now: Date): Promise<number> {
  const existing = await repo.listItems(ex);
  const known = new Set(existing.map((i) => i.name));
  const cats = await repo.upsertCategoriesByName(
    ex,
    defaultCatalogue.map((c) => c.name),
    0,
  );
  const rows: repo.ItemUpsert[] = [];
  defaultCatalogue.forEach((c, ci) => {
    c.items.forEach((i, ii) => {
      if (known.has(i.name)) return;
      rows.push({
        categoryId: cats.get(c.name)!,
        name: i.name,
        unit: i.unit,
        priceFen: i.price == null ? null : Math.round(i.price * 100),
        acceptMinutes: minutesOf(i.sla[0]),
        arriveMinutes: minutesOf(i.sla[1]),
        completeMinutes: minutesOf(i.sla[2]),
        followUpDays: i.followUpDays,
        workingDays: i.workingDays,
        providerKinds: i.kinds,
        cardPayable: i.card,
        note: i.note ?? null,
        sortOrder: ci * 100 + ii,
      });
    });
  });
  await repo.upsertItemsByName(ex, rows, now);
  return rows.length;
}

export { minutesOf };

/** The default catalogue loaded by a city admin: only the missing categories and items are added. */
export async function loadDefaultCatalogue(deps: Deps, ctx: Ctx) {
  requireAccess(ctx, 'config.city');
  await withTx(deps.db, async (tx) => {
    const added = await ensureDefaultCatalogue(tx, deps.clock.now());
    await recordAudit(tx, ctx, {
      action: 'catalogue.defaults',
      entity: 'service_catalogue',
      details: { added },
    });
  });
  return getCatalogue(deps, ctx);
}
