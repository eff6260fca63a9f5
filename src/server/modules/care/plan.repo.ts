import { type SQL, sql } from 'drizzle-orm';
import type { Cadence } from '../../../shared/care.ts';
import { type Executor, rows } from '../../platform/db.ts';
import { accountRows, scopeRows } from '../accounts/accounts.rows.ts';
import { elderRows, openAdmissionOf } from '../elders/elders.rows.ts';
import { contractedDoctorsOf } from '../elders/elders.service.ts';
import type { DueWindow } from './cadence.ts';

// Set-based planning: one statement per template re-plans every affected elder (INSERT … SELECT …
// ON CONFLICT DO UPDATE, and closing the duties whose rule no longer matches), never a loop over elders.
// It joins the registry (elders, their open hospital stay, doctor contracts) and the accounts' scopes
// read-only, through the fragments their owners export (elders.rows.ts, elders.match.ts,
// accounts.rows.ts): a join is the only way to plan a million elders in one statement.

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** A list of ids as ONE parameter (a grid may hold more elders than a statement has parameters). */
export function idArray(ids: number[]): SQL {
  return sql`string_to_array(${ids.join(',')}, ',')::bigint[]`;
}

// Who does an elder's duties: the first paired carer (their substitute while on leave), else the
// coordinator whose scope is closest to the elder's community. A doctor's duty (template
// assignee_role 'doctor') goes to the elder's contracted family doctor, or to nobody: a volunteer cannot
// make a doctor's visit, and an unassigned duty shows on the coverage screen.

/** Whose work a template is: its carers' (paired carer, else coordinator) or the family doctor's. */
export type AssigneeRole = 'carer' | 'doctor';

/** The first paired carer of each elder (their substitute while on leave), set-based (hash joins). */
export function pairedAssignees(elderIds: SQL, today: string): SQL {
  return sql`SELECT DISTINCT ON (p.elder_id) p.elder_id, coalesce(lv.substitute_id, p.carer_id) AS uid
    FROM carer_pairings p
    LEFT JOIN LATERAL (SELECT l.substitute_id FROM carer_leaves l WHERE l.carer_id = p.carer_id
      AND l.from_date <= ${today}::date AND l.to_date >= ${today}::date ORDER BY l.id DESC LIMIT 1) lv ON true
    WHERE p.elder_id IN (${elderIds}) ORDER BY p.elder_id, p.id`;
}

/** For each org path, the coordinator whose scope is closest: computed once per path, not per elder. */
export function closestCoordinators(paths: SQL): SQL {
  return sql`SELECT DISTINCT ON (x.org_path) x.org_path, c.user_id AS uid
    FROM (${paths}) x JOIN (
      SELECT s.user_id, s.path, s.depth FROM ${scopeRows} s -- joins user_scopes via accounts.scopeRows
      JOIN ${accountRows} u ON u.id = s.user_id -- joins users via accounts.accountRows
      WHERE u.role = 'coordinator' AND u.active) c
      ON x.org_path LIKE c.path || '%'
    ORDER BY x.org_path, c.depth DESC, c.user_id`;
}

export interface PlanSpec {
  templateId: number;
  version: number;
  cadence: Cadence;
  /** daily duties watched for silence get a deadline check */
  watchSilence: boolean;
  predicate: SQL;
  now: Date;
  today: string;
  /** calendar cadences: the current window and the one after it, computed once in JS */
  p1: DueWindow | null;
  p2: DueWindow | null;
  elderIds?: number[];
  assigneeRole: AssigneeRole;
}

/** The window of one planned row `m` (with m.birth_date, m.admitted_on, m.last_done_at). */
function windowSql(s: PlanSpec): SQL {
  const c = s.cadence;
  const year = Number(s.today.slice(0, 4));
  const notDone = sql`NOT (m.last_done_at IS NOT NULL AND m.last_done_at >= w.ws AND m.last_done_at < w.we)`;
  switch (c.kind) {
    case 'birthday':
      return sql`SELECT w.ws, w.we FROM (SELECT
          care_shanghai_midnight(care_birthday_in(m.birth_date, y) - ${c.daysBefore}::int) AS ws,
          care_shanghai_midnight(care_birthday_in(m.birth_date, y) + ${c.daysAfter + 1}::int) AS we
        FROM generate_series(${year - 1}::int, ${year + 2}::int) y) w
        WHERE w.we > ${ts(s.now)} AND ${notDone} ORDER BY w.ws LIMIT 1`;
    case 'decade_birthday':
      return sql`SELECT w.ws, w.we FROM (SELECT
          care_shanghai_midnight(care_birthday_in(m.birth_date, extract(year FROM m.birth_date)::int + a) - ${c.daysBefore}::int) AS ws,
          care_shanghai_midnight(care_birthday_in(m.birth_date, extract(year FROM m.birth_date)::int + a) + ${c.daysAfter + 1}::int) AS we
        FROM generate_series(${c.minAge}::int, 150, 10) a) w
        WHERE w.we > ${ts(s.now)} AND ${notDone} ORDER BY w.ws LIMIT 1`;
    case 'hospital':
      // a missed hospital visit stays on the list as overdue until it is made
      return sql`SELECT w.ws, w.we FROM (SELECT care_shanghai_midnight(m.admitted_on) AS ws,
          care_shanghai_midnight(m.admitted_on + ${c.withinDays + 1}::int) AS we) w
        WHERE m.admitted_on IS NOT NULL AND ${notDone}`;
    default: {
      if (!s.p1) return sql`SELECT NULL::timestamptz AS ws, NULL::timestamptz AS we`;
      const p2s = s.p2 ? ts(s.p2.windowStart) : sql`NULL::timestamptz`;
      const p2e = s.p2 ? ts(s.p2.windowEnd) : sql`NULL::timestamptz`;
      const doneP1 = sql`(m.last_done_at >= ${ts(s.p1.windowStart)} AND m.last_done_at < ${ts(s.p1.windowEnd)})`;
      return sql`SELECT CASE WHEN ${doneP1} THEN ${p2s} ELSE ${ts(s.p1.windowStart)} END AS ws,
        CASE WHEN ${doneP1} THEN ${p2e} ELSE ${ts(s.p1.windowEnd)} END AS we`;
    }
  }
}

/** The next daily deadline (per duty `deadline_time`, Asia/Shanghai) after now. */
export function nextDeadlineSql(deadline: SQL, now: Date, today: string): SQL {
  return sql`(CASE WHEN care_shanghai_midnight(${today}::date) + (${deadline})::interval > ${ts(now)}
    THEN care_shanghai_midnight(${today}::date) + (${deadline})::interval
    ELSE care_shanghai_midnight(${today}::date + 1) + (${deadline})::interval END)`;
}

export async function planTemplate(ex: Executor, s: PlanSpec): Promise<{ upserted: number; closed: number }> {
  const onlyE = s.elderIds ? sql`AND e.id = ANY(${idArray(s.elderIds)})` : sql``;
  const onlyC = s.elderIds ? sql`AND c.elder_id = ANY(${idArray(s.elderIds)})` : sql``;
  const silence =
    s.watchSilence && s.cadence.kind === 'daily'
      ? nextDeadlineSql(sql`'20:00'`, s.now, s.today)
      : sql`NULL::timestamptz`;
  const [r] = await rows<{ upserted: number; closed: number }>(
    ex,
    sql`WITH m AS (
      SELECT e.id AS elder_id, e.org_path, e.birth_date, x.last_done_at,
        ${openAdmissionOf('e')} AS admitted_on -- joins hospital_stays via elders.openAdmissionOf
      FROM ${elderRows} e -- joins elders via elders.elderRows
      LEFT JOIN duties x ON x.elder_id = e.id AND x.template_id = ${s.templateId}
      WHERE e.status NOT IN ('deceased', 'moved_away') AND ${s.predicate} ${onlyE}
    ), w AS (
      SELECT m.elder_id, m.org_path, win.ws, win.we FROM m LEFT JOIN LATERAL (${windowSql(s)}) win ON true
    ), pa AS (${s.assigneeRole === 'doctor' ? contractedDoctorsOf(sql`SELECT elder_id FROM m`, s.today) : pairedAssignees(sql`SELECT elder_id FROM m`, s.today)}
    ), co AS (${s.assigneeRole === 'doctor' ? sql`SELECT NULL::text AS org_path, NULL::bigint AS uid WHERE false` : closestCoordinators(sql`SELECT DISTINCT org_path FROM m`)}
    ), up AS (
      INSERT INTO duties AS d (elder_id, template_id, template_version, org_path, assignee_id, window_start,
        next_due_at, silence_check_at, active, updated_at)
      SELECT w.elder_id, ${s.templateId}, ${s.version}, w.org_path,
        coalesce(pa.uid, co.uid), w.ws, w.we, ${silence}, true, ${ts(s.now)}
      FROM w LEFT JOIN pa ON pa.elder_id = w.elder_id LEFT JOIN co ON co.org_path = w.org_path
      ON CONFLICT (elder_id, template_id) DO UPDATE SET
        window_start = CASE WHEN d.active AND d.template_version = excluded.template_version
          THEN d.window_start ELSE excluded.window_start END,
        next_due_at = CASE WHEN d.active AND d.template_version = excluded.template_version
          THEN d.next_due_at ELSE excluded.next_due_at END,
        silence_check_at = CASE WHEN excluded.silence_check_at IS NULL THEN NULL
          WHEN d.active AND d.silence_check_at IS NOT NULL THEN d.silence_check_at
          -- reopened (or newly watched): armed at the elder's own deadline, which the row kept
          ELSE ${s.watchSilence && s.cadence.kind === 'daily' ? nextDeadlineSql(sql`d.deadline_time`, s.now, s.today) : sql`excluded.silence_check_at`} END,
        template_version = excluded.template_version,
        org_path = excluded.org_path,
        assignee_id = excluded.assignee_id,
        active = true, closed_at = NULL, closed_reason = NULL, updated_at = excluded.updated_at
      WHERE NOT d.active OR d.template_version <> excluded.template_version OR d.org_path <> excluded.org_path
        OR d.assignee_id IS DISTINCT FROM excluded.assignee_id
      RETURNING d.id
    ), closed AS (
      UPDATE duties c SET active = false, closed_at = ${ts(s.now)}, silence_check_at = NULL,
        closed_reason = CASE WHEN e.status IN ('deceased', 'moved_away') THEN e.status ELSE 'policy' END,
        updated_at = ${ts(s.now)}
      FROM ${elderRows} e -- joins elders via elders.elderRows
      WHERE c.template_id = ${s.templateId} AND c.active AND e.id = c.elder_id ${onlyC}
        AND NOT EXISTS (SELECT 1 FROM m WHERE m.elder_id = c.elder_id)
      RETURNING c.id
    )
    SELECT (SELECT count(*) FROM up)::int AS upserted, (SELECT count(*) FROM closed)::int AS closed`,
  );
  return r;
}

/** Re-points the duties of some elders (or of everyone paired with some carers) after a pairing change. */
export async function refreshAssignees(
  ex: Executor,
  elderFilter: SQL,
  today: string,
  now: Date,
): Promise<number> {
  const r = await rows<{ id: number }>(
    ex,
    sql`WITH d2 AS (SELECT d2.id, d2.elder_id, d2.org_path, t.assignee_role FROM duties d2
          JOIN duty_templates t ON t.id = d2.template_id WHERE d2.active AND ${elderFilter}),
        pa AS (${pairedAssignees(sql`SELECT elder_id FROM d2 WHERE assignee_role <> 'doctor'`, today)}),
        co AS (${closestCoordinators(sql`SELECT DISTINCT org_path FROM d2 WHERE assignee_role <> 'doctor'`)}),
        dr AS (${contractedDoctorsOf(sql`SELECT elder_id FROM d2 WHERE assignee_role = 'doctor'`, today)}),
        a AS (SELECT d2.id, CASE WHEN d2.assignee_role = 'doctor' THEN dr.uid ELSE coalesce(pa.uid, co.uid) END
            AS assignee_id FROM d2
          LEFT JOIN pa ON pa.elder_id = d2.elder_id LEFT JOIN co ON co.org_path = d2.org_path
          LEFT JOIN dr ON dr.elder_id = d2.elder_id)
      UPDATE duties d SET assignee_id = a.assignee_id, updated_at = ${ts(now)}
      FROM a WHERE d.id = a.id AND d.assignee_id IS DISTINCT FROM a.assignee_id
      RETURNING d.id`,
  );
  return r.length;
}
