import { type SQL, sql } from 'drizzle-orm';
import { coverageCarersLimit, coveragePeriods } from '../../../shared/care.ts';
import { asDate, type Executor, rows } from '../../platform/db.ts';

// The coverage figures, counted live over a subtree or read from the rollup (decision 0006). Both
// count with the same three rules below, so a rollup refreshed at T equals a live count at T.
// Read-only over other modules' tables (elders, contacts, duties, duty_templates, orgs, users): the
// reports module is the one allowed to (README.md); it writes only its own coverage_rollup* tables.

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const DAY_MS = 86400_000;
const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);

/** A list of ids as ONE parameter (a node may have more children than a statement has parameters). */
const idArray = (ids: number[]) => sql`string_to_array(${ids.join(',')}, ',')::bigint[]`;

/** special difficulty (2022 guidance): in at least one group, and still living here */
const isSpecial = sql`e.status NOT IN ('deceased', 'moved_away') AND e.difficulty_groups <> '{}'::text[]`;
const reachedOutcomes = sql`('reached_ok', 'reached_concern')`;
const isOnTime = (now: Date) => sql`(d.next_due_at IS NULL OR d.next_due_at > ${ts(now)})`;
/**
 * counted for the on-time rate: a duty that has come due — its window has opened, or it was done
 * before. A 逢十祝寿 visit due in 2029 or next spring's 春节 visit is neither late nor on time today; counted
 * as on time, it lifted every rate.
 */
const hasComeDue = (now: Date) => sql`(d.window_start <= ${ts(now)} OR d.last_done_at IS NOT NULL)`;

export interface FigureRow {
  special_total: number;
  special_visited: number;
  duties: number;
  on_time: number;
}
/** `unassigned`: of the duties, those nobody holds (a doctor's duty without a running contract) */
export type DutyFigureRow = {
  key: string;
  name: string;
  duties: number;
  on_time: number;
  unassigned: number;
};
export type CarerFigureRow = { id: number; name: string; duties: number; on_time: number; total: number };

/** The node's children (any tree), in display order. */
export function childrenOf(ex: Executor, orgId: number) {
  return rows<{ id: number; name: string; kind: string }>(
    ex,
    sql`SELECT id, name, kind FROM orgs WHERE parent_id = ${orgId} ORDER BY sort_order, id`,
  );
}

/** True when the subtree holds at most `max` elders (reads at most max + 1 index entries). */
export async function subtreeAtMost(ex: Executor, path: string, max: number): Promise<boolean> {
  const [r] = await rows<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM elders WHERE org_path LIKE ${`${path}%`} LIMIT ${max + 1}) x`,
  );
  return r.n <= max;
}

// ---- live ----------------------------------------------------------------------------------------

/**
 * Live figures of the subtree at `path`, one row per child id ('' for what hangs on the node itself):
 * the child is the path segment after the node's, so the subtree is read once, through the org-path
 * prefix indexes, and each special elder's contacts through (elder_id, contacted_at).
 */
export function liveByChild(ex: Executor, path: string, now: Date, period: number) {
  const part = path.split('/').length; // '/1/5/' → the child's id is '/'-field 4 of '/1/5/23/…'
  const like = `${path}%`;
  return rows<FigureRow & { child: string }>(
    ex,
    sql`SELECT child, sum(st)::int AS special_total, sum(sv)::int AS special_visited,
        sum(du)::int AS duties, sum(ot)::int AS on_time
      FROM (
        SELECT split_part(e.org_path, '/', ${part}::int) AS child, count(*) AS st,
          count(*) FILTER (WHERE e.visited) AS sv, 0 AS du, 0 AS ot
        FROM (SELECT e.org_path, EXISTS (SELECT 1 FROM contacts c WHERE c.elder_id = e.id
            AND c.contacted_at >= ${ts(daysBefore(now, period))} AND c.outcome IN ${reachedOutcomes}) AS visited
          FROM elders e WHERE e.org_path LIKE ${like} AND ${isSpecial}) e
        GROUP BY 1
        UNION ALL
        SELECT split_part(d.org_path, '/', ${part}::int), 0, 0, count(*), count(*) FILTER (WHERE ${isOnTime(now)})
        FROM duties d WHERE d.active AND d.org_path LIKE ${like} AND ${hasComeDue(now)}
        GROUP BY 1
      ) x
      GROUP BY child`,
  );
}

export function liveByDuty(ex: Executor, path: string, now: Date) {
  return rows<DutyFigureRow>(
    ex,
    sql`SELECT t.key, t.name, count(*)::int AS duties, count(*) FILTER (WHERE ${isOnTime(now)})::int AS on_time,
        count(*) FILTER (WHERE d.assignee_id IS NULL)::int AS unassigned
      FROM duties d JOIN duty_templates t ON t.id = d.template_id
      WHERE d.active AND d.org_path LIKE ${`${path}%`} AND ${hasComeDue(now)}
      GROUP BY t.key, t.name ORDER BY t.key`,
  );
}

/** The carers of the subtree, lowest on-time rate first (then most duties), at most the list's limit. */
export function liveByCarer(ex: Executor, path: string, now: Date) {
  const onTime = sql`count(*) FILTER (WHERE ${isOnTime(now)})`;
  return rows<CarerFigureRow>(
    ex,
    sql`SELECT u.id, u.display_name AS name, count(*)::int AS duties, ${onTime}::int AS on_time,
        count(*) OVER ()::int AS total
      FROM duties d JOIN users u ON u.id = d.assignee_id
      WHERE d.active AND d.org_path LIKE ${`${path}%`} AND ${hasComeDue(now)}
      GROUP BY u.id, u.display_name
      ORDER BY ${onTime}::float8 / count(*), count(*) DESC, u.id
      LIMIT ${coverageCarersLimit}`,
  );
}

// ---- rollup: read --------------------------------------------------------------------------------

const visitedColumn = (period: number) => {
  if (!(coveragePeriods as readonly number[]).includes(period))
    throw new Error(`no rollup for ${period} days`);
  return sql.raw(`visited_${period}d`);
};

/** When the rollup was last refreshed; undefined before the first refresh. */
export async function rollupComputedAt(ex: Executor): Promise<Date | undefined> {
  const [r] = await rows<{ computed_at: Date | string }>(
    ex,
    sql`SELECT computed_at FROM coverage_rollup_state WHERE id = 1`,
  );
  return r ? (asDate(r.computed_at) as Date) : undefined;
}

/** The rollup rows of some nodes (each the figures of its whole subtree) for one period. */
export function rollupOf(ex: Executor, orgIds: number[], period: number) {
  return rows<FigureRow & { org_id: number; carers: number }>(
    ex,
    sql`SELECT org_id, special_total, ${visitedColumn(period)} AS special_visited, duties, on_time, carers
      FROM coverage_rollups WHERE org_id = ANY(${idArray(orgIds)})`,
  );
}

export function rollupByDuty(ex: Executor, orgId: number) {
  return rows<DutyFigureRow>(
    ex,
    sql`SELECT t.key, t.name, r.duties, r.on_time, r.unassigned
      FROM coverage_rollup_duties r JOIN duty_templates t ON t.id = r.template_id
      WHERE r.org_id = ${orgId} ORDER BY t.key`,
  );
}

/**
 * Same order as `liveByCarer`, read in that order from coverage_rollup_carers_worst_idx (whose
 * `duties DESC NULLS LAST` the ORDER BY repeats, or the index would give the first key only).
 */
export function rollupByCarer(ex: Executor, orgId: number) {
  return rows<Omit<CarerFigureRow, 'total'>>(
    ex,
    sql`SELECT u.id, u.display_name AS name, r.duties, r.on_time
      FROM coverage_rollup_carers r JOIN users u ON u.id = r.assignee_id
      WHERE r.org_id = ${orgId}
      ORDER BY r.on_time::float8 / r.duties, r.duties DESC NULLS LAST, r.assignee_id
      LIMIT ${coverageCarersLimit}`,
  );
}

// ---- rollup: refresh -----------------------------------------------------------------------------

const ROLLUP_LOCK = 72317006;

/** Takes the refresh lock for the transaction; `wait` false: false when another refresh holds it. */
export async function lockRollup(ex: Executor, wait: boolean): Promise<boolean> {
  if (wait) {
    await ex.execute(sql`SELECT pg_advisory_xact_lock(${ROLLUP_LOCK})`);
    return true;
  }
  const [r] = await rows<{ ok: boolean }>(ex, sql`SELECT pg_try_advisory_xact_lock(${ROLLUP_LOCK}) AS ok`);
  return r.ok;
}

/**
 * The refresh's hash tables (a million (org, carer) groups in a city) fit in memory instead of spilling
 * to disk batch by batch; for this transaction only.
 */
export const refreshMemorySql = sql`SET LOCAL work_mem = '256MB'`;

/**
 * Step 1 of a refresh: the figures of each org the elders and duties hang on, into a temporary table
 * `coverage_leaf` (kind 'org' with the special elders and duties, 'template' and 'carer' with the
 * duties per template and per assignee). One pass over the open duties (grouping sets), and per special
 * elder one backward probe of (elder_id, contacted_at) for the last reached contact within the longest
 * period, which answers every period at once.
 */
export function leafFiguresSql(now: Date): SQL {
  const longest = Math.max(...coveragePeriods);
  const visited = coveragePeriods.map(
    (p) => sql`count(*) FILTER (WHERE r.at >= ${ts(daysBefore(now, p))}) AS ${sql.raw(`v${p}`)}`,
  );
  const zeros = coveragePeriods.map(() => sql`0`);
  // int, not count's bigint: sums of int keep a bigint state, sums of bigint a numeric one (slow, big)
  const cols = coveragePeriods.map((p) => sql.raw(`v${p}::int`));
  return sql`CREATE TEMP TABLE coverage_leaf ON COMMIT DROP AS
    WITH sp AS (
      SELECT e.org_path, count(*) AS special_total, ${sql.join(visited, sql`, `)}
      FROM elders e
      LEFT JOIN LATERAL (
        SELECT c.contacted_at AS at FROM contacts c
        WHERE c.elder_id = e.id AND c.contacted_at >= ${ts(daysBefore(now, longest))}
          AND c.outcome IN ${reachedOutcomes}
        ORDER BY c.contacted_at DESC LIMIT 1) r ON true
      WHERE ${isSpecial}
      GROUP BY e.org_path
    ),
    du AS (
      SELECT d.org_path, GROUPING(d.template_id, d.assignee_id) AS g, d.template_id, d.assignee_id,
        count(*) AS duties, count(*) FILTER (WHERE ${isOnTime(now)}) AS on_time,
        count(*) FILTER (WHERE d.assignee_id IS NULL) AS unassigned
      FROM duties d WHERE d.active AND ${hasComeDue(now)}
      GROUP BY d.org_path, GROUPING SETS ((), (d.template_id), (d.assignee_id))
    )
    SELECT org_path, 'org' AS kind, NULL::bigint AS key, special_total::int, ${sql.join(cols, sql`, `)},
      0 AS duties, 0 AS on_time, 0 AS unassigned
    FROM sp
    UNION ALL
    SELECT org_path, CASE g WHEN 3 THEN 'org' WHEN 1 THEN 'template' ELSE 'carer' END,
      coalesce(template_id, assignee_id), 0, ${sql.join(zeros, sql`, `)}, duties::int, on_time::int,
      unassigned::int
    FROM du WHERE g <> 2 OR assignee_id IS NOT NULL`;
}

/** Every ancestor id of a leaf row, the leaf's own included: '/1/5/23/' → 1, 5, 23. */
const ancestors = sql`coverage_leaf l CROSS JOIN LATERAL unnest(string_to_array(btrim(l.org_path, '/'), '/')) AS a(id)`;

/**
 * Brings `table` to `fresh` (rows of `keys` + `values`) writing only the difference: a hash full join
 * of the two finds the new, changed and vanished rows (a refresh changes few of a city's million), which
 * are then upserted or deleted. One statement; cheaper than probing the primary key once per row.
 */
function syncSql(table: string, keys: string[], values: string[], fresh: SQL): SQL {
  const raw = (cols: string[], prefix = '') => sql.raw(cols.map((c) => prefix + c).join(', '));
  const on = sql.raw(keys.map((k) => `t.${k} = f.${k}`).join(' AND '));
  const both = sql.raw(
    [...keys.map((k) => `coalesce(f.${k}, t.${k}) AS ${k}`), ...values.map((v) => `f.${v}`)].join(', '),
  );
  const same = sql.raw(keys.map((k) => `t.${k} = d.${k}`).join(' AND '));
  return sql`WITH f AS MATERIALIZED (${fresh}),
    d AS MATERIALIZED (
      SELECT ${both}, f.${sql.raw(keys[0])} IS NULL AS gone
      FROM f FULL JOIN ${sql.raw(table)} t ON ${on}
      WHERE f.${sql.raw(keys[0])} IS NULL OR t.${sql.raw(keys[0])} IS NULL
        OR (${raw(values, 't.')}) IS DISTINCT FROM (${raw(values, 'f.')})
    ),
    up AS (
      INSERT INTO ${sql.raw(table)} (${raw([...keys, ...values])})
      SELECT ${raw([...keys, ...values])} FROM d WHERE NOT d.gone
      ON CONFLICT (${raw(keys)}) DO UPDATE SET (${raw(values)}) = (${raw(values, 'excluded.')})
    )
    DELETE FROM ${sql.raw(table)} t USING d WHERE d.gone AND ${same}`;
}

const visitedCols = coveragePeriods.map((p) => `visited_${p}d`);

/**
 * Steps 2–4: each rollup table from the leaf figures summed up the tree (a leaf row counts for each of
 * its ancestors), brought up to date by `syncSql`; the nodes last, as they count their carers' rows.
 */
export function syncNodesSql(): SQL {
  const sums = coveragePeriods.map((p) => sql.raw(`sum(l.v${p})::int AS visited_${p}d`));
  return syncSql(
    'coverage_rollups',
    ['org_id'],
    ['org_path', 'special_total', ...visitedCols, 'duties', 'on_time', 'carers'],
    sql`SELECT o.id AS org_id, o.path AS org_path, s.special_total, ${sql.raw(visitedCols.map((c) => `s.${c}`).join(', '))},
        s.duties, s.on_time, coalesce(k.carers, 0) AS carers
      FROM (
        SELECT a.id::bigint AS org_id, sum(l.special_total)::int AS special_total, ${sql.join(sums, sql`, `)},
          sum(l.duties)::int AS duties, sum(l.on_time)::int AS on_time
        FROM ${ancestors} WHERE l.kind = 'org' GROUP BY a.id
      ) s JOIN orgs o ON o.id = s.org_id
      LEFT JOIN (SELECT org_id, count(*)::int AS carers FROM coverage_rollup_carers GROUP BY org_id) k
        ON k.org_id = s.org_id`,
  );
}

/** coverage_rollup_duties (key: template_id) or coverage_rollup_carers (key: assignee_id). */
export function syncKeyedSql(kind: 'template' | 'carer'): SQL {
  const key = kind === 'template' ? 'template_id' : 'assignee_id';
  return syncSql(
    kind === 'template' ? 'coverage_rollup_duties' : 'coverage_rollup_carers',
    ['org_id', key],
    kind === 'template' ? ['duties', 'on_time', 'unassigned'] : ['duties', 'on_time'],
    sql`SELECT a.id::bigint AS org_id, l.key AS ${sql.raw(key)}, sum(l.duties)::int AS duties,
        sum(l.on_time)::int AS on_time${kind === 'template' ? sql`, sum(l.unassigned)::int AS unassigned` : sql``}
      FROM ${ancestors} WHERE l.kind = ${kind} GROUP BY a.id, l.key`,
  );
}

export function markRefreshedSql(now: Date, tookMs: number): SQL {
  return sql`INSERT INTO coverage_rollup_state (id, computed_at, took_ms) VALUES (1, ${ts(now)}, ${tookMs})
    ON CONFLICT (id) DO UPDATE SET computed_at = excluded.computed_at, took_ms = excluded.took_ms`;
}
