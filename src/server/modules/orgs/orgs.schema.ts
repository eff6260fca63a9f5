import { sql } from 'drizzle-orm';
import { bigint, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Both org trees in one table: `geo` (city › district › street › community › grid) and
 * `affiliation` (unit › department). `path` is the materialised path of ids, '/1/4/9/', so
 * "everything under X" is one indexed prefix match (`path LIKE '/1/4/%'`).
 */
export const orgs = pgTable(
  'orgs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tree: text('tree').notNull(),
    kind: text('kind').notNull(),
    parentId: bigint('parent_id', { mode: 'number' }),
    name: text('name').notNull(),
    code: text('code'),
    path: text('path').notNull(),
    depth: integer('depth').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('orgs_path_key').on(t.path),
    index('orgs_path_prefix_idx').using('btree', sql`${t.path} text_pattern_ops`),
    uniqueIndex('orgs_parent_name_key').on(t.tree, t.parentId, t.name),
    index('orgs_parent_idx').on(t.parentId),
  ],
);
