import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.schema.ts';
import { orgs } from '../orgs/orgs.schema.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * 服务目录: categories of home services (GB/T 43153-2023 居家养老上门服务 and the seeds' 9 categories).
 * City-wide configuration (decision 0013): one catalogue for the whole city, changed by a city admin.
 */
export const serviceCategories = pgTable(
  'service_categories',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('service_categories_name_key').on(t.name)],
);

/**
 * One service an order can ask for. Limits are minutes (the register gives hours, 0.25 for 助急), the
 * follow-up in days; `working_days` says the clocks skip weekends and holidays. `price_fen` null is 免费.
 * The name is unique city-wide: it is how an office's sheet names the item, so a re-import updates it.
 */
export const serviceItems = pgTable(
  'service_items',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    categoryId: bigint('category_id', { mode: 'number' })
      .notNull()
      .references(() => serviceCategories.id),
    name: text('name').notNull(),
    unit: text('unit').notNull(),
    priceFen: integer('price_fen'),
    acceptMinutes: integer('accept_minutes').notNull(),
    arriveMinutes: integer('arrive_minutes').notNull(),
    completeMinutes: integer('complete_minutes').notNull(),
    followUpDays: integer('follow_up_days').notNull(),
    workingDays: boolean('working_days').notNull().default(false),
    /** the provider kinds that may serve it (enterprise, social_org, medical, volunteer_team …) */
    providerKinds: text('provider_kinds').array().notNull(),
    cardPayable: boolean('card_payable').notNull().default(false),
    note: text('note'),
    sortOrder: integer('sort_order').notNull().default(0),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('service_items_name_key').on(t.name),
    index('service_items_category_idx').on(t.categoryId, t.sortOrder),
  ],
);

/** 加盟服务商 and volunteer teams. `uscc` (统一社会信用代码) is unique when present; teams have none. */
export const providers = pgTable(
  'providers',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    uscc: text('uscc'),
    contactName: text('contact_name'),
    contactPhone: text('contact_phone'),
    contractStart: date('contract_start', { mode: 'string' }),
    contractEnd: date('contract_end', { mode: 'string' }),
    /** active / suspended / expired */
    status: text('status').notNull().default('active'),
    /** open orders it takes at once */
    capacity: integer('capacity').notNull().default(10),
    /** 服务星级 1–5, null when not rated (volunteer teams) */
    stars: integer('stars'),
    note: text('note'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('providers_uscc_key').on(t.uscc), uniqueIndex('providers_name_key').on(t.name)],
);

/**
 * What a provider serves: a whole category (item_id null) or single items of it. The row keeps the
 * category either way, so "who serves 维修" is one indexed lookup.
 */
export const providerItems = pgTable(
  'provider_items',
  {
    providerId: bigint('provider_id', { mode: 'number' })
      .notNull()
      .references(() => providers.id, { onDelete: 'cascade' }),
    categoryId: bigint('category_id', { mode: 'number' })
      .notNull()
      .references(() => serviceCategories.id),
    itemId: bigint('item_id', { mode: 'number' }).references(() => serviceItems.id),
  },
  (t) => [
    uniqueIndex('provider_items_key').on(t.providerId, t.categoryId, sql`coalesce(${t.itemId}, 0)`),
    index('provider_items_category_idx').on(t.categoryId, t.itemId),
  ],
);

/**
 * The org nodes a provider serves (就近). `org_path` is copied from the node so the scope rule (an
 * area under the caller's nodes, or the caller's nodes under an area) is a prefix match both ways.
 */
export const providerAreas = pgTable(
  'provider_areas',
  {
    providerId: bigint('provider_id', { mode: 'number' })
      .notNull()
      .references(() => providers.id, { onDelete: 'cascade' }),
    orgId: bigint('org_id', { mode: 'number' })
      .notNull()
      .references(() => orgs.id),
    orgPath: text('org_path').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.providerId, t.orgId] }),
    index('provider_areas_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
  ],
);

/** The `provider` role accounts working for a provider; an account works for one provider at most. */
export const providerStaff = pgTable(
  'provider_staff',
  {
    providerId: bigint('provider_id', { mode: 'number' })
      .notNull()
      .references(() => providers.id, { onDelete: 'cascade' }),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.providerId, t.userId] }),
    uniqueIndex('provider_staff_user_key').on(t.userId),
  ],
);
