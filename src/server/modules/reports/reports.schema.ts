import { sql } from 'drizzle-orm';
import { bigint, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

// The reports module's own tables: figures derived from other modules' rows, rewritten by its jobs and
// read by its dashboards. The tables keep the names they had inside care (migration 0007), so the move
// needed no migration.

/**
 * The coverage dashboard's rollup (decision 0006): one row per org node — every level, not only the
 * leaves — holding the figures of its whole subtree as of the last refresh, so a district or city
 * reads one row for its totals and one per child instead of counting a million elders. `visited_*`
 * are the special-difficulty elders reached within 7 / 30 / 90 days (the periods the dashboard offers).
 */
export const coverageRollups = pgTable('coverage_rollups', {
  orgId: bigint('org_id', { mode: 'number' }).primaryKey(),
  orgPath: text('org_path').notNull(),
  specialTotal: integer('special_total').notNull(),
  visited7d: integer('visited_7d').notNull(),
  visited30d: integer('visited_30d').notNull(),
  visited90d: integer('visited_90d').notNull(),
  duties: integer('duties').notNull(),
  onTime: integer('on_time').notNull(),
  /** assignees with open duties in the subtree (the rows of coverage_rollup_carers for this node) */
  carers: integer('carers').notNull(),
});

/** Open duties and on-time duties per org node (subtree) and template: the dashboard's 按职责. */
export const coverageRollupDuties = pgTable(
  'coverage_rollup_duties',
  {
    orgId: bigint('org_id', { mode: 'number' }).notNull(),
    templateId: bigint('template_id', { mode: 'number' }).notNull(),
    duties: integer('duties').notNull(),
    onTime: integer('on_time').notNull(),
    /** open duties nobody holds (a doctor's duty without a running contract), come due or not */
    unassigned: integer('unassigned').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.templateId] })],
);

/**
 * Open duties and on-time duties per org node (subtree) and assignee: the dashboard's 按关爱人员,
 * which lists the lowest on-time rates first — the index hands over the worst few of a city's
 * hundred thousand carers without sorting them all.
 */
export const coverageRollupCarers = pgTable(
  'coverage_rollup_carers',
  {
    orgId: bigint('org_id', { mode: 'number' }).notNull(),
    assigneeId: bigint('assignee_id', { mode: 'number' }).notNull(),
    duties: integer('duties').notNull(),
    onTime: integer('on_time').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.assigneeId] }),
    index('coverage_rollup_carers_worst_idx').on(
      t.orgId,
      sql`(${t.onTime}::float8 / ${t.duties})`,
      t.duties.desc(),
      t.assigneeId,
    ),
  ],
);

/** When the rollup was last computed (one row, none before the first refresh): the dashboard's "as of". */
export const coverageRollupState = pgTable('coverage_rollup_state', {
  id: integer('id').primaryKey(),
  computedAt: ts('computed_at').notNull(),
  tookMs: integer('took_ms').notNull(),
});
