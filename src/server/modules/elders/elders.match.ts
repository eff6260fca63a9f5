import { type SQL, sql } from 'drizzle-orm';
import type { Condition } from '../../../shared/care.ts';
import type { Ctx } from '../../platform/auth.ts';
import { type Executor, rows } from '../../platform/db.ts';
import { visibleElders } from './elders.access.ts';
import { bornOnOrBefore } from './elders.view.ts';

// Which elders a condition picks (categories, age, living situation, ability, family doctor,
// hospitalised …): the language of care's policy rules, and of any module that picks a target
// population (entitlements, campaigns). The registry owns the facts, so it owns their SQL.

/** What a condition may ask about an elder, as the registry holds it (codes of src/shared/elders.ts). */
export interface ElderFacts {
  birthDate: string;
  livingSituation: string | null;
  status: string;
  abilityLevel: number | null;
  categories: string[];
  difficultyGroups: string[];
  tags: string[];
  familyDoctor: boolean;
  hearingImpaired: boolean;
  hospitalised: boolean;
}

/** SQL expressions for each fact over one elder row. */
export type FactColumns = Record<Exclude<keyof ElderFacts, 'birthDate'> | 'birthDate', SQL>;

/** Elders who leave the registry (died, moved away) are in no population. */
export const closedStatuses = ['deceased', 'moved_away'];

/**
 * The latest birth date of someone aged at least `years` on `today` ('YYYY-MM-DD', Asia/Shanghai):
 * "age ≥ 80" is `birth_date <= cutoff`, an indexable range instead of an age computed per row.
 */
export function ageCutoff(today: string, years: number): string {
  return bornOnOrBefore(today, years);
}

/** The ages a condition tests ("age ≥ 80"): elders turning one of them today may change population. */
export function ageThresholds(c: Condition): number[] {
  if ('all' in c) return c.all.flatMap(ageThresholds);
  if ('any' in c) return c.any.flatMap(ageThresholds);
  if ('not' in c) return ageThresholds(c.not);
  if ('field' in c && c.field === 'age') return [c.value];
  return [];
}

/** Evaluates a condition against one elder (tests, previews). Same meaning as `compileCondition`. */
export function matches(c: Condition, e: ElderFacts, today: string): boolean {
  if ('always' in c) return true;
  if ('all' in c) return c.all.every((x) => matches(x, e, today));
  if ('any' in c) return c.any.some((x) => matches(x, e, today));
  if ('not' in c) return !matches(c.not, e, today);
  switch (c.op) {
    case 'gte':
    case 'lt': {
      const ok =
        c.field === 'age'
          ? e.birthDate <= ageCutoff(today, c.value)
          : e.abilityLevel != null && e.abilityLevel >= c.value;
      if (c.field === 'abilityLevel' && e.abilityLevel == null) return false;
      return c.op === 'gte' ? ok : !ok;
    }
    case 'in':
      return c.values.includes(String(e[c.field] ?? ''));
    case 'overlaps':
      return e[c.field].some((v) => c.values.includes(v));
    case 'is':
      return e[c.field] === c.value;
  }
}

const list = (values: string[]) =>
  sql`ARRAY[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;

/** Compiles a condition to a SQL predicate over the fact columns, for set-based work. */
export function compileCondition(c: Condition, cols: FactColumns, today: string): SQL {
  if ('always' in c) return sql`true`;
  if ('all' in c)
    return sql`(${sql.join(
      c.all.map((x) => compileCondition(x, cols, today)),
      sql` AND `,
    )})`;
  if ('any' in c)
    return sql`(${sql.join(
      c.any.map((x) => compileCondition(x, cols, today)),
      sql` OR `,
    )})`;
  if ('not' in c) return sql`(NOT coalesce(${compileCondition(c.not, cols, today)}, false))`;
  switch (c.op) {
    case 'gte':
    case 'lt': {
      const gte =
        c.field === 'age'
          ? sql`${cols.birthDate} <= ${ageCutoff(today, c.value)}::date`
          : sql`${cols.abilityLevel} >= ${c.value}`;
      if (c.op === 'gte') return sql`coalesce(${gte}, false)`;
      return c.field === 'age'
        ? sql`(NOT coalesce(${gte}, false))`
        : sql`coalesce(${cols.abilityLevel} < ${c.value}, false)`;
    }
    case 'in':
      return sql`coalesce(${cols[c.field]} = ANY(${list(c.values)}), false)`;
    case 'overlaps':
      return sql`coalesce(${cols[c.field]} && ${list(c.values)}, false)`;
    case 'is':
      return sql`(${cols[c.field]} IS ${c.value ? sql`TRUE` : sql`FALSE`})`;
  }
}

/** Fact columns over the elder row `alias` (a running family-doctor contract on `today`, an open stay). */
export function factColumns(today: string, alias = 'e'): FactColumns {
  const col = (name: string) => sql.raw(`${alias}.${name}`);
  return {
    birthDate: col('birth_date'),
    livingSituation: col('living_situation'),
    status: col('status'),
    abilityLevel: col('ability_level'),
    categories: col('categories'),
    difficultyGroups: col('difficulty_groups'),
    tags: col('tags'),
    hearingImpaired: col('hearing_impaired'),
    familyDoctor: sql`EXISTS (SELECT 1 FROM doctor_contracts dc WHERE dc.elder_id = ${col('id')}
      AND dc.start_date <= ${today}::date AND (dc.end_date IS NULL OR dc.end_date >= ${today}::date))`,
    hospitalised: sql`(${col('status')} = 'hospitalised' OR EXISTS (SELECT 1 FROM hospital_stays hs
      WHERE hs.elder_id = ${col('id')} AND hs.discharged_on IS NULL))`,
  };
}

/**
 * A condition as a predicate over the elder row `alias` — for a set-based statement that already joins
 * the elders (through `elderRows`), such as care's re-planning. It does not leave out closed elders.
 */
export function matchCondition(c: Condition, today: string, alias = 'e'): SQL {
  return compileCondition(c, factColumns(today, alias), today);
}

/**
 * The elders a condition picks on `today`, as a subquery of ids (`… WHERE x.elder_id IN (${…})`):
 * deceased and moved-away elders are in no population. Whole registry: the caller scopes it.
 */
export function eldersMatching(c: Condition, today: string): SQL {
  return sql`SELECT e.id FROM elders e
    WHERE e.status NOT IN ('deceased', 'moved_away') AND ${matchCondition(c, today, 'e')}`;
}

/** The elders a condition picks that the caller may see (`visibleElders`), as a predicate on `elders`. */
function matchingVisible(ctx: Ctx, c: Condition, today: string): SQL {
  return sql`elders.status NOT IN ('deceased', 'moved_away') AND ${visibleElders(ctx, today)}
    AND ${matchCondition(c, today, 'elders')}`;
}

/** How many elders a condition picks within the caller's scope (a target population's size). */
export async function countEldersMatching(
  ex: Executor,
  ctx: Ctx,
  c: Condition,
  today: string,
): Promise<number> {
  const [r] = await rows<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM elders WHERE ${matchingVisible(ctx, c, today)}`,
  );
  return r.n;
}

/** A page of the elders a condition picks within the caller's scope, by id (keyset: ids after `afterId`). */
export async function listEldersMatching(
  ex: Executor,
  ctx: Ctx,
  c: Condition,
  today: string,
  page: { limit: number; afterId?: number },
): Promise<{ id: number; name: string; orgId: number; orgPath: string }[]> {
  return rows(
    ex,
    sql`SELECT id, name, org_id AS "orgId", org_path AS "orgPath" FROM elders
      WHERE ${matchingVisible(ctx, c, today)} ${page.afterId == null ? sql`` : sql`AND id > ${page.afterId}`}
      ORDER BY id LIMIT ${page.limit}`,
  );
}

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/**
 * Elders whose facts may have changed since `since`, so a population they were in or out of may have
 * too: edited records, hospital stays, doctor contracts starting or ending, and birthdays on one of
 * `birthDates` (the cutoffs of the ages the conditions test) — index lookups, so the daily re-plan
 * costs what changed, not the size of the registry.
 */
export async function eldersWithChangedFacts(
  ex: Executor,
  since: Date,
  today: string,
  birthDates: string[],
): Promise<number[]> {
  const r = await rows<{ id: number }>(
    ex,
    sql`SELECT id FROM elders WHERE updated_at >= ${ts(since)}
      UNION SELECT elder_id FROM hospital_stays WHERE updated_at >= ${ts(since)}
      UNION SELECT elder_id FROM doctor_contracts WHERE start_date = ${today}::date OR end_date = ${today}::date - 1
        OR created_at >= ${ts(since)}
      ${birthDates.length ? sql`UNION SELECT id FROM elders WHERE birth_date = ANY(string_to_array(${birthDates.join(',')}, ',')::date[])` : sql``}`,
  );
  return r.map((x) => x.id);
}
