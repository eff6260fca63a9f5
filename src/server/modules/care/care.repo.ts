import { asc, eq, type SQL, sql } from 'drizzle-orm';
import { type Executor, rows } from '../../platform/db.ts';
import { accountRows, scopeRows } from '../accounts/accounts.rows.ts';
import { elderRows } from '../elders/elders.rows.ts';
import { carerLeaves, dutyTemplates, holidayOverrides, policyRules } from './care.schema.ts';
import { idArray } from './plan.repo.ts';
import type { RuleSeed, TemplateSeed } from './policy-rules.ts';

export type TemplateRow = typeof dutyTemplates.$inferSelect;
export type RuleRow = typeof policyRules.$inferSelect;

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

// ---- policy ----

export async function seedPolicy(ex: Executor, templates: TemplateSeed[], rules: RuleSeed[]): Promise<void> {
  await ex
    .insert(dutyTemplates)
    .values(templates.map((t) => ({ ...t, cadence: t.cadence })))
    .onConflictDoNothing();
  const all = await ex.select({ id: dutyTemplates.id, key: dutyTemplates.key }).from(dutyTemplates);
  const ids = new Map(all.map((t) => [t.key, t.id]));
  await ex
    .insert(policyRules)
    .values(
      rules.map((r) => ({
        key: r.key,
        name: r.name,
        templateId: ids.get(r.templateKey) as number,
        condition: r.condition,
        active: r.active,
      })),
    )
    .onConflictDoNothing();
}

export async function countTemplates(ex: Executor): Promise<number> {
  const [r] = await rows<{ n: number }>(ex, sql`SELECT count(*)::int AS n FROM duty_templates`);
  return r.n;
}

export async function listTemplates(ex: Executor): Promise<TemplateRow[]> {
  return ex.select().from(dutyTemplates).orderBy(asc(dutyTemplates.id));
}

export async function listRules(ex: Executor): Promise<RuleRow[]> {
  return ex.select().from(policyRules).orderBy(asc(policyRules.id));
}

export async function getTemplate(ex: Executor, id: number): Promise<TemplateRow | undefined> {
  const [t] = await ex.select().from(dutyTemplates).where(eq(dutyTemplates.id, id));
  return t;
}

export async function getRule(ex: Executor, id: number): Promise<RuleRow | undefined> {
  const [r] = await ex.select().from(policyRules).where(eq(policyRules.id, id));
  return r;
}

export async function updateTemplate(
  ex: Executor,
  id: number,
  patch: Partial<typeof dutyTemplates.$inferInsert>,
) {
  const [t] = await ex.update(dutyTemplates).set(patch).where(eq(dutyTemplates.id, id)).returning();
  return t;
}

export async function insertRule(ex: Executor, r: typeof policyRules.$inferInsert): Promise<RuleRow> {
  const [row] = await ex.insert(policyRules).values(r).returning();
  return row;
}

export async function updateRule(ex: Executor, id: number, patch: Partial<typeof policyRules.$inferInsert>) {
  const [r] = await ex.update(policyRules).set(patch).where(eq(policyRules.id, id)).returning();
  return r;
}

export async function listHolidayOverrides(ex: Executor) {
  return ex.select().from(holidayOverrides);
}

export async function upsertHolidayOverride(ex: Executor, o: typeof holidayOverrides.$inferInsert) {
  await ex
    .insert(holidayOverrides)
    .values(o)
    .onConflictDoUpdate({ target: [holidayOverrides.holiday, holidayOverrides.year], set: { date: o.date } });
}

/** Bumps the version of the templates of one lunar holiday, so the next re-plan moves their windows. */
export async function bumpHolidayTemplates(ex: Executor, holiday: string): Promise<number[]> {
  const r = await rows<{ id: number }>(
    ex,
    sql`UPDATE duty_templates SET version = version + 1, updated_at = now()
      WHERE cadence->>'kind' = 'lunar_holiday' AND cadence->>'holiday' = ${holiday} RETURNING id`,
  );
  return r.map((x) => x.id);
}

// ---- pairing ----

/** Pairs one carer with elders inside a scope predicate; returns the elders newly paired. */
export async function insertPairings(
  ex: Executor,
  carerId: number,
  elderFilter: SQL,
  createdBy: number | null,
): Promise<number[]> {
  const r = await rows<{ elder_id: number }>(
    ex,
    sql`INSERT INTO carer_pairings (carer_id, elder_id, org_path, created_by)
      SELECT ${carerId}, e.id, e.org_path, ${createdBy} FROM ${elderRows} e -- joins elders via elders.elderRows
      WHERE e.status NOT IN ('deceased', 'moved_away') AND ${elderFilter}
      ON CONFLICT (carer_id, elder_id) DO NOTHING RETURNING elder_id`,
  );
  return r.map((x) => x.elder_id);
}

export async function deletePairings(ex: Executor, carerId: number, elderFilter: SQL): Promise<number[]> {
  const r = await rows<{ elder_id: number }>(
    ex,
    sql`DELETE FROM carer_pairings p USING ${elderRows} e -- joins elders via elders.elderRows
      WHERE p.carer_id = ${carerId} AND e.id = p.elder_id AND ${elderFilter} RETURNING p.elder_id`,
  );
  return r.map((x) => x.elder_id);
}

/** Moves every pairing of a leaving carer (within a scope) to another, in two statements. */
export async function movePairings(
  ex: Executor,
  fromId: number,
  toId: number,
  elderFilter: SQL,
): Promise<number[]> {
  const moved = await rows<{ elder_id: number }>(
    ex,
    sql`WITH gone AS (
        DELETE FROM carer_pairings p USING ${elderRows} e -- joins elders via elders.elderRows
        WHERE p.carer_id = ${fromId} AND e.id = p.elder_id AND ${elderFilter}
        RETURNING p.elder_id, p.org_path)
      INSERT INTO carer_pairings (carer_id, elder_id, org_path)
      SELECT ${toId}, g.elder_id, g.org_path FROM gone g
      ON CONFLICT (carer_id, elder_id) DO NOTHING RETURNING elder_id`,
  );
  return moved.map((x) => x.elder_id);
}

export async function pairedElderIds(ex: Executor, carerId: number): Promise<number[]> {
  const r = await rows<{ elder_id: number }>(
    ex,
    sql`SELECT elder_id FROM carer_pairings WHERE carer_id = ${carerId}`,
  );
  return r.map((x) => x.elder_id);
}

export async function insertLeave(ex: Executor, l: typeof carerLeaves.$inferInsert) {
  const [row] = await ex.insert(carerLeaves).values(l).returning();
  return row;
}

/** Carers whose leave starts or ends on `today`: their elders change hands today. */
export async function carersWithLeaveChange(ex: Executor, today: string): Promise<number[]> {
  const r = await rows<{ carer_id: number }>(
    ex,
    sql`SELECT DISTINCT carer_id FROM carer_leaves
      WHERE from_date = ${today}::date OR to_date = ${today}::date - 1`,
  );
  return r.map((x) => x.carer_id);
}

export interface LoadRow {
  carer_id: number;
  display_name: string;
  carer_kind: string | null;
  elders: number;
  due: number;
  overdue: number;
}

/** Elders and due contacts per carer whose scope lies in the org subtree (the load view). */
export async function carerLoad(ex: Executor, orgPath: string, now: Date, horizon: Date): Promise<LoadRow[]> {
  return rows<LoadRow>(
    ex,
    sql`SELECT u.id AS carer_id, u.display_name, u.carer_kind,
        (SELECT count(*) FROM carer_pairings p WHERE p.carer_id = u.id)::int AS elders,
        (SELECT count(*) FROM duties d WHERE d.assignee_id = u.id AND d.active AND d.next_due_at < ${ts(horizon)})::int AS due,
        (SELECT count(*) FROM duties d WHERE d.assignee_id = u.id AND d.active AND d.next_due_at < ${ts(now)})::int AS overdue
      FROM ${accountRows} u -- joins users via accounts.accountRows
      WHERE u.active AND u.role IN ('carer', 'doctor') AND EXISTS (
        SELECT 1 FROM ${scopeRows} o -- joins user_scopes via accounts.scopeRows
        WHERE o.user_id = u.id AND o.path LIKE ${`${orgPath}%`})
      ORDER BY elders DESC, u.id`,
  );
}

export async function unpairedElders(ex: Executor, orgPath: string, limit: number) {
  return rows<{ id: number; name: string; org_path: string }>(
    ex,
    sql`SELECT e.id, e.name, e.org_path FROM ${elderRows} e -- joins elders via elders.elderRows
      WHERE e.org_path LIKE ${`${orgPath}%`} AND e.status NOT IN ('deceased', 'moved_away')
        AND NOT EXISTS (SELECT 1 FROM carer_pairings p WHERE p.elder_id = e.id)
      ORDER BY e.id LIMIT ${limit}`,
  );
}

export async function countUnpaired(ex: Executor, orgPath: string): Promise<number> {
  const [r] = await rows<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM ${elderRows} e -- joins elders via elders.elderRows
      WHERE e.org_path LIKE ${`${orgPath}%`} AND e.status NOT IN ('deceased', 'moved_away')
        AND NOT EXISTS (SELECT 1 FROM carer_pairings p WHERE p.elder_id = e.id)`,
  );
  return r.n;
}

export { idArray };

/**
 * An account referenced by a care write (carer, substitute), and whether it is the caller's to use: at
 * least one of its scope nodes lies inside the caller's scope (`visible`, over `o.path`) — the rule by
 * which the accounts page shows it.
 */
export async function accountForWrite(ex: Executor, id: number, visible: SQL) {
  const [u] = await rows<{ id: number; role: string; active: boolean; visible: boolean }>(
    ex,
    sql`SELECT u.id, u.role, u.active, EXISTS (SELECT 1 FROM ${scopeRows} o -- joins user_scopes via accounts.scopeRows
        WHERE o.user_id = u.id AND ${visible}) AS visible
      FROM ${accountRows} u WHERE u.id = ${id}`, // joins users via accounts.accountRows
  );
  return u;
}

/** Of some elder ids, those the condition `visible` (over `e.org_path`) lets the caller see. */
export async function visibleElderIds(ex: Executor, ids: number[], visible: SQL): Promise<number[]> {
  const r = await rows<{ id: number }>(
    ex,
    sql`SELECT e.id FROM ${elderRows} e WHERE e.id = ANY(${idArray(ids)}) AND ${visible}`, // joins elders via elders.elderRows
  );
  return r.map((x) => Number(x.id));
}

/** How many of a carer's paired elders lie outside `visible` (over `e.org_path`). */
export async function pairedOutside(ex: Executor, carerId: number, visible: SQL): Promise<number> {
  const [r] = await rows<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM carer_pairings p JOIN ${elderRows} e ON e.id = p.elder_id -- joins elders via elders.elderRows
      WHERE p.carer_id = ${carerId} AND NOT ${visible}`,
  );
  return r.n;
}
