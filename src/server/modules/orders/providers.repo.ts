import { eq, type SQL, sql } from 'drizzle-orm';
import { type Executor, rows } from '../../platform/db.ts';
import { providerAreas, providerItems, providerStaff, providers } from './orders.schema.ts';

// Queries of the provider register: providers, their areas, what they serve and who works for them.

export type ProviderRow = typeof providers.$inferSelect;
export type NewProvider = typeof providers.$inferInsert;

export interface ProviderFilter {
  /** the caller's visibility (see providers.service `visibleTo`) */
  visible: SQL;
  id?: number;
  kind?: string;
  status?: string;
  categoryId?: number;
  /** an org path: areas covering it or under it */
  orgPath?: string;
  q?: string;
}

export async function listProviders(ex: Executor, f: ProviderFilter): Promise<ProviderRow[]> {
  const conds: SQL[] = [f.visible];
  if (f.id != null) conds.push(sql`p.id = ${f.id}`);
  if (f.kind) conds.push(sql`p.kind = ${f.kind}`);
  if (f.status) conds.push(sql`p.status = ${f.status}`);
  if (f.q) conds.push(sql`p.name LIKE ${`%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  if (f.categoryId != null) {
    conds.push(
      sql`EXISTS (SELECT 1 FROM provider_items i WHERE i.provider_id = p.id AND i.category_id = ${f.categoryId})`,
    );
  }
  if (f.orgPath) {
    conds.push(sql`EXISTS (SELECT 1 FROM provider_areas a WHERE a.provider_id = p.id
      AND (a.org_path LIKE ${`${f.orgPath}%`} OR starts_with(${f.orgPath}, a.org_path)))`);
  }
  const found = await rows<Record<string, unknown>>(
    ex,
    sql`SELECT p.id, p.name, p.kind, p.uscc, p.contact_name, p.contact_phone, p.contract_start::text AS contract_start,
          p.contract_end::text AS contract_end, p.status, p.capacity, p.stars, p.note
        FROM providers p WHERE ${sql.join(conds, sql` AND `)} ORDER BY p.name LIMIT 2000`,
  );
  return found.map((r) => ({
    id: Number(r.id),
    name: r.name as string,
    kind: r.kind as string,
    uscc: r.uscc as string | null,
    contactName: r.contact_name as string | null,
    contactPhone: r.contact_phone as string | null,
    contractStart: r.contract_start as string | null,
    contractEnd: r.contract_end as string | null,
    status: r.status as string,
    capacity: Number(r.capacity),
    stars: r.stars == null ? null : Number(r.stars),
    note: r.note as string | null,
    createdAt: new Date(0),
    updatedAt: new Date(0),
  }));
}

export async function areasOf(ex: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  const found = await rows<{ provider_id: number; org_id: number; org_path: string }>(
    ex,
    sql`SELECT provider_id, org_id, org_path FROM provider_areas WHERE provider_id = ANY(${sql.param(ids)}::bigint[])`,
  );
  return found.map((r) => ({
    providerId: Number(r.provider_id),
    orgId: Number(r.org_id),
    orgPath: r.org_path,
  }));
}

export async function servedOf(ex: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  const found = await rows<{ provider_id: number; category_id: number; item_id: number | null }>(
    ex,
    sql`SELECT provider_id, category_id, item_id FROM provider_items WHERE provider_id = ANY(${sql.param(ids)}::bigint[])`,
  );
  return found.map((r) => ({
    providerId: Number(r.provider_id),
    categoryId: Number(r.category_id),
    itemId: r.item_id == null ? null : Number(r.item_id),
  }));
}

export async function staffOf(ex: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  const found = await rows<{ provider_id: number; user_id: number }>(
    ex,
    sql`SELECT provider_id, user_id FROM provider_staff WHERE provider_id = ANY(${sql.param(ids)}::bigint[])
        ORDER BY created_at, user_id`,
  );
  return found.map((r) => ({ providerId: Number(r.provider_id), userId: Number(r.user_id) }));
}

/** The provider an account works for, if any. */
export async function providerOfUser(ex: Executor, userId: number): Promise<number | null> {
  const [r] = await ex.select().from(providerStaff).where(eq(providerStaff.userId, userId));
  return r?.providerId ?? null;
}

export async function findProviderByUscc(ex: Executor, uscc: string) {
  const [r] = await ex.select().from(providers).where(eq(providers.uscc, uscc));
  return r;
}

export async function findProviderByName(ex: Executor, name: string) {
  const [r] = await ex.select().from(providers).where(eq(providers.name, name));
  return r;
}

export async function lockProvider(ex: Executor, id: number) {
  const found = await rows<{ id: number }>(ex, sql`SELECT id FROM providers WHERE id = ${id} FOR UPDATE`);
  return found.length > 0;
}

export async function insertProvider(ex: Executor, p: NewProvider) {
  const [r] = await ex.insert(providers).values(p).returning();
  return r!;
}

export async function updateProvider(ex: Executor, id: number, patch: Partial<NewProvider>, now: Date) {
  const [r] = await ex
    .update(providers)
    .set({ ...patch, updatedAt: now })
    .where(eq(providers.id, id))
    .returning();
  return r!;
}

export async function setAreas(
  ex: Executor,
  providerId: number,
  areas: { orgId: number; orgPath: string }[],
) {
  await ex.delete(providerAreas).where(eq(providerAreas.providerId, providerId));
  if (areas.length) await ex.insert(providerAreas).values(areas.map((a) => ({ providerId, ...a })));
}

export async function setServed(
  ex: Executor,
  providerId: number,
  served: { categoryId: number; itemId: number | null }[],
) {
  await ex.delete(providerItems).where(eq(providerItems.providerId, providerId));
  if (served.length) await ex.insert(providerItems).values(served.map((s) => ({ providerId, ...s })));
}

export async function setStaff(ex: Executor, providerId: number, userIds: number[]) {
  await ex.delete(providerStaff).where(eq(providerStaff.providerId, providerId));
  if (userIds.length)
    await ex.insert(providerStaff).values(userIds.map((userId) => ({ providerId, userId })));
}

/** Which of these accounts already work for another provider. */
export async function staffElsewhere(ex: Executor, providerId: number, userIds: number[]) {
  if (userIds.length === 0) return [];
  const found = await rows<{ user_id: number; provider_id: number }>(
    ex,
    sql`SELECT user_id, provider_id FROM provider_staff
        WHERE user_id = ANY(${sql.param(userIds)}::bigint[]) AND provider_id <> ${providerId}`,
  );
  return found.map((r) => Number(r.user_id));
}
