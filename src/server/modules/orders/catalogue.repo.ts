import { asc, eq, sql } from 'drizzle-orm';
import { type Executor, rows } from '../../platform/db.ts';
import { serviceCategories, serviceItems } from './orders.schema.ts';

// Queries of the catalogue: categories and items, one function per query.

export type CategoryRow = typeof serviceCategories.$inferSelect;
export type ItemRow = typeof serviceItems.$inferSelect;
export type NewItem = typeof serviceItems.$inferInsert;

export function listCategories(ex: Executor): Promise<CategoryRow[]> {
  return ex
    .select()
    .from(serviceCategories)
    .orderBy(asc(serviceCategories.sortOrder), asc(serviceCategories.id));
}

export function listItems(ex: Executor): Promise<ItemRow[]> {
  return ex.select().from(serviceItems).orderBy(asc(serviceItems.sortOrder), asc(serviceItems.id));
}

export async function getCategory(ex: Executor, id: number): Promise<CategoryRow | undefined> {
  const [r] = await ex.select().from(serviceCategories).where(eq(serviceCategories.id, id));
  return r;
}

export async function getItem(ex: Executor, id: number): Promise<ItemRow | undefined> {
  const [r] = await ex.select().from(serviceItems).where(eq(serviceItems.id, id));
  return r;
}

export async function findCategoryByName(ex: Executor, name: string): Promise<CategoryRow | undefined> {
  const [r] = await ex.select().from(serviceCategories).where(eq(serviceCategories.name, name));
  return r;
}

export async function findItemByName(ex: Executor, name: string): Promise<ItemRow | undefined> {
  const [r] = await ex.select().from(serviceItems).where(eq(serviceItems.name, name));
  return r;
}

export async function insertCategory(ex: Executor, c: typeof serviceCategories.$inferInsert) {
  const [r] = await ex.insert(serviceCategories).values(c).returning();
  return r!;
}

export async function updateCategory(
  ex: Executor,
  id: number,
  patch: Partial<typeof serviceCategories.$inferInsert>,
  now: Date,
) {
  const [r] = await ex
    .update(serviceCategories)
    .set({ ...patch, updatedAt: now })
    .where(eq(serviceCategories.id, id))
    .returning();
  return r!;
}

export async function insertItem(ex: Executor, item: NewItem) {
  const [r] = await ex.insert(serviceItems).values(item).returning();
  return r!;
}

export async function updateItem(ex: Executor, id: number, patch: Partial<NewItem>, now: Date) {
  const [r] = await ex
    .update(serviceItems)
    .set({ ...patch, updatedAt: now })
    .where(eq(serviceItems.id, id))
    .returning();
  return r!;
}

/** Categories by name, created when missing (import, defaults); returns name → id for all of them. */
export async function upsertCategoriesByName(
  ex: Executor,
  names: string[],
  firstSortOrder: number,
): Promise<Map<string, number>> {
  if (names.length === 0) return new Map();
  const order = names.map((_, i) => firstSortOrder + i);
  await ex.execute(
    sql`INSERT INTO service_categories (name, sort_order)
        SELECT * FROM unnest(${sql.param(names)}::text[], ${sql.param(order)}::int[])
        ON CONFLICT (name) DO NOTHING`,
  );
  const found = await rows<{ id: number; name: string }>(
    ex,
    sql`SELECT id, name FROM service_categories WHERE name = ANY(${sql.param(names)}::text[])`,
  );
  return new Map(found.map((r) => [r.name, Number(r.id)]));
}

export interface ItemUpsert {
  categoryId: number;
  name: string;
  unit: string;
  priceFen: number | null;
  acceptMinutes: number;
  arriveMinutes: number;
  completeMinutes: number;
  followUpDays: number;
  workingDays: boolean;
  providerKinds: string[];
  cardPayable: boolean;
  note: string | null;
  sortOrder: number;
}

/**
 * Items by name in one statement: new names inserted, known ones updated with the sheet's values
 * (the columns the sheet does not carry — follow-up days, working days, provider kinds — only when
 * given). `inserted` tells which rows were new.
 */
export async function upsertItemsByName(ex: Executor, items: ItemUpsert[], now: Date) {
  if (items.length === 0) return [];
  const json = JSON.stringify(items);
  return rows<{ id: number; name: string; inserted: boolean }>(
    ex,
    sql`INSERT INTO service_items AS s (category_id, name, unit, price_fen, accept_minutes, arrive_minutes,
          complete_minutes, follow_up_days, working_days, provider_kinds, card_payable, note, sort_order)
        SELECT x."categoryId", x.name, x.unit, x."priceFen", x."acceptMinutes", x."arriveMinutes",
          x."completeMinutes", x."followUpDays", x."workingDays",
          ARRAY(SELECT jsonb_array_elements_text(x."providerKinds")), x."cardPayable", x.note, x."sortOrder"
        FROM jsonb_to_recordset(${json}::jsonb) AS x("categoryId" bigint, name text, unit text,
          "priceFen" int, "acceptMinutes" int, "arriveMinutes" int, "completeMinutes" int,
          "followUpDays" int, "workingDays" boolean, "providerKinds" jsonb, "cardPayable" boolean,
          note text, "sortOrder" int)
        ON CONFLICT (name) DO UPDATE SET
          category_id = EXCLUDED.category_id, unit = EXCLUDED.unit, price_fen = EXCLUDED.price_fen,
          accept_minutes = EXCLUDED.accept_minutes, arrive_minutes = EXCLUDED.arrive_minutes,
          complete_minutes = EXCLUDED.complete_minutes, card_payable = EXCLUDED.card_payable,
          note = EXCLUDED.note, sort_order = EXCLUDED.sort_order, active = true, updated_at = ${now}
        RETURNING s.id, s.name, (s.xmax = 0) AS inserted`,
  );
}
