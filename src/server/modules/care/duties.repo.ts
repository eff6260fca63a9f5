import { type SQL, sql } from 'drizzle-orm';
import { asDate, type Executor, preparedRows, rows } from '../../platform/db.ts';
import { accountRows } from '../accounts/accounts.rows.ts';
import { conditionCountOf, elderRows } from '../elders/elders.rows.ts';

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

function fixDuty(r: DutyRow): DutyRow {
  r.window_start = asDate(r.window_start);
  r.next_due_at = asDate(r.next_due_at);
  r.last_done_at = asDate(r.last_done_at);
  r.first_not_reached_at = asDate(r.first_not_reached_at);
  r.paused_until = asDate(r.paused_until);
  return r;
}
const dutyRows = async (ex: Executor, q: SQL) => (await rows<DutyRow>(ex, q)).map(fixDuty);

export interface DutyRow {
  id: number;
  elder_id: number;
  template_id: number;
  template_key: string;
  template_name: string;
  cadence: unknown;
  channel: string;
  watch_silence: boolean;
  org_path: string;
  assignee_id: number | null;
  assignee_name: string | null;
  window_start: Date | null;
  next_due_at: Date | null;
  last_done_at: Date | null;
  last_outcome: string | null;
  last_contact_id: number | null;
  not_reached_count: number;
  first_not_reached_at: Date | null;
  deadline_time: string;
  paused_until: Date | null;
  pause_reason: string | null;
  active: boolean;
  closed_reason: string | null;
  elder_name: string;
  elder_phones: string[];
  birth_date: string;
  living_situation: string | null;
  ability_level: number | null;
  hearing_impaired: boolean;
  address: string | null;
  conditions: number;
}

const dutySelect = sql`SELECT d.id, d.elder_id, d.template_id, t.key AS template_key, t.name AS template_name,
    t.cadence, t.channel, t.watch_silence, d.org_path, d.assignee_id, u.display_name AS assignee_name,
    d.window_start, d.next_due_at, d.last_done_at, d.last_outcome, d.last_contact_id, d.not_reached_count, d.first_not_reached_at,
    d.deadline_time, d.paused_until, d.pause_reason, d.active, d.closed_reason,
    e.name AS elder_name, e.phones AS elder_phones, e.birth_date, e.living_situation, e.ability_level,
    e.hearing_impaired, e.address,
    ${conditionCountOf('e')} AS conditions -- joins elder_conditions via elders.conditionCountOf
  FROM duties d JOIN duty_templates t ON t.id = d.template_id
  JOIN ${elderRows} e ON e.id = d.elder_id -- joins elders via elders.elderRows
  LEFT JOIN ${accountRows} u ON u.id = d.assignee_id -- joins users via accounts.accountRows
`;

/** A timestamp as JavaScript's toISOString() writes it (UTC, milliseconds, Z), rendered by the database. */
const isoSql = (col: string) =>
  sql.raw(`to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/**
 * One worklist row: the fields of `dutyView` (timestamps as ISO text) plus the phones and address, and
 * what the priority rule needs — due time (epoch ms), birth date, living situation, ability level,
 * number of conditions, hearing.
 */
export interface WorklistRow {
  id: number;
  elder_id: number;
  elder_name: string;
  template_key: string;
  template_name: string;
  channel: string;
  assignee_id: number | null;
  assignee_name: string | null;
  window_start: string | null;
  due_at: string;
  due_ms: number;
  last_done_at: string | null;
  last_outcome: string | null;
  paused_until: string | null;
  pause_reason: string | null;
  deadline_time: string | null;
  active: boolean;
  closed_reason: string | null;
  phones: string[];
  address: string | null;
  org_id: number;
  birth_date: string;
  living_situation: string | null;
  ability_level: number | null;
  conditions: number;
  hearing_impaired: boolean;
}

/**
 * The caller's worklist: an index range scan on (assignee_id, next_due_at) up to the horizon, in due
 * order. A prepared statement (planning its joins cost more than running them) that returns plain
 * columns, timestamps already written as the API writes them: the server builds the JSON — rendering
 * it in the database cost PostgreSQL twice the query itself (docs/benchmarks.md).
 */
export async function worklist(
  ex: Executor,
  assigneeId: number,
  now: Date,
  horizon: Date,
  limit: number,
  /** also every duty whose window is open, however far its end (a doctor's round over the quarter) */
  openWindows = false,
): Promise<WorklistRow[]> {
  return preparedRows<WorklistRow>(
    ex,
    sql`SELECT w.id, w.elder_id, e.name AS elder_name, t.key AS template_key, t.name AS template_name,
        t.channel, w.assignee_id, u.display_name AS assignee_name,
        ${isoSql('w.window_start')} AS window_start, ${isoSql('w.next_due_at')} AS due_at,
        floor(extract(epoch FROM w.next_due_at) * 1000)::int8 AS due_ms,
        ${isoSql('w.last_done_at')} AS last_done_at, w.last_outcome,
        ${isoSql('w.paused_until')} AS paused_until, w.pause_reason,
        CASE WHEN t.watch_silence AND t.cadence->>'kind' = 'daily' THEN w.deadline_time END AS deadline_time,
        w.active, w.closed_reason, e.phones, e.address, e.org_id, e.birth_date, e.living_situation, e.ability_level,
        ${conditionCountOf('e')} AS conditions, -- joins elder_conditions via elders.conditionCountOf
        e.hearing_impaired
      FROM (SELECT d.* FROM duties d
        WHERE d.assignee_id = ${assigneeId} AND d.active
          AND (d.next_due_at < ${ts(horizon)}${openWindows ? sql` OR d.window_start <= ${ts(now)}` : sql``})
          AND (d.paused_until IS NULL OR d.paused_until <= ${ts(now)})
        ORDER BY d.next_due_at LIMIT ${limit}) w
      JOIN duty_templates t ON t.id = w.template_id
      JOIN ${elderRows} e ON e.id = w.elder_id -- joins elders via elders.elderRows
      LEFT JOIN ${accountRows} u ON u.id = w.assignee_id -- joins users via accounts.accountRows
      ORDER BY w.next_due_at, w.id`,
  );
}

export interface DutyFilter {
  scope: SQL;
  assigneeId?: number;
  elderId?: number;
  templateKey?: string;
  overdueAt?: Date;
  dueBefore?: Date;
  includeClosed?: boolean;
  limit: number;
  offset: number;
}

export async function listDuties(ex: Executor, f: DutyFilter) {
  const conds: SQL[] = [f.scope];
  if (!f.includeClosed) conds.push(sql`d.active`);
  if (f.assigneeId) conds.push(sql`d.assignee_id = ${f.assigneeId}`);
  if (f.elderId) conds.push(sql`d.elder_id = ${f.elderId}`);
  if (f.templateKey) conds.push(sql`t.key = ${f.templateKey}`);
  if (f.overdueAt) conds.push(sql`d.next_due_at < ${ts(f.overdueAt)}`);
  if (f.dueBefore) conds.push(sql`d.next_due_at < ${ts(f.dueBefore)}`);
  return dutyRows(
    ex,
    sql`${dutySelect} WHERE ${sql.join(conds, sql` AND `)}
      ORDER BY d.next_due_at NULLS LAST, d.id LIMIT ${f.limit} OFFSET ${f.offset}`,
  );
}

/** What recording a contact needs to know about each of an elder's open duties. */
export interface DutyProgressRow {
  id: number;
  elder_id: number;
  cadence: unknown;
  channel: string;
  /** 'doctor': the family doctor's duty, done only by a doctor's contact (or one naming it) */
  assignee_role: string;
  watch_silence: boolean;
  /** a daily check-in duty: the silence sweep checks it at the elder's daily deadline */
  has_deadline: boolean;
  org_path: string;
  assignee_id: number | null;
  window_start: Date | null;
  next_due_at: Date | null;
  last_done_at: Date | null;
  last_outcome: string | null;
  last_contact_id: number | null;
  not_reached_count: number;
  first_not_reached_at: Date | null;
  birth_date: string;
}

/**
 * The statement that reads the open duties of some elders (`elders`: a list of ids, or a subquery
 * giving them) and locks them (FOR UPDATE) until commit, in id order — the one order every writer of
 * duty progress locks in, so two never wait on each other in a cycle.
 */
export function lockEldersDutiesSql(elders: number[] | SQL): SQL {
  const which = Array.isArray(elders)
    ? sql`d.elder_id = ANY(${sql.param(elders)}::bigint[])`
    : sql`d.elder_id IN (${elders})`;
  return sql`SELECT d.id, d.elder_id, t.cadence, t.channel, t.assignee_role, t.watch_silence, d.silence_check_at IS NOT NULL AS has_deadline, d.org_path, d.assignee_id, d.window_start,
        d.next_due_at, d.last_done_at, d.last_outcome, d.last_contact_id, d.not_reached_count,
        d.first_not_reached_at, e.birth_date
      FROM duties d JOIN duty_templates t ON t.id = d.template_id
      JOIN ${elderRows} e ON e.id = d.elder_id -- joins elders via elders.elderRows
      WHERE ${which} AND d.active ORDER BY d.id FOR UPDATE OF d`;
}

/** Timestamps as Date on both drivers. */
export function fixProgressRow(d: DutyProgressRow): DutyProgressRow {
  d.window_start = asDate(d.window_start);
  d.next_due_at = asDate(d.next_due_at);
  d.last_done_at = asDate(d.last_done_at);
  d.first_not_reached_at = asDate(d.first_not_reached_at);
  return d;
}

export interface DutyPatch {
  window_start: Date | null;
  next_due_at: Date | null;
  last_done_at: Date | null;
  last_outcome: string | null;
  last_contact_id: number | null;
  not_reached_count: number;
  first_not_reached_at: Date | null;
}

const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/** True when applying `p` to duty `d` would change nothing (no write needed). */
export function patchIsNoop(d: DutyPatch, p: DutyPatch): boolean {
  return (
    sameTime(d.window_start, p.window_start) &&
    sameTime(d.next_due_at, p.next_due_at) &&
    sameTime(d.last_done_at, p.last_done_at) &&
    d.last_outcome === p.last_outcome &&
    d.last_contact_id === p.last_contact_id &&
    d.not_reached_count === p.not_reached_count &&
    sameTime(d.first_not_reached_at, p.first_not_reached_at)
  );
}

/**
 * Many duties' progress in one set-based UPDATE (a row per duty from parallel arrays), as a statement
 * for the caller to run — alone or together with the audit entry in one round trip. Null when empty.
 */
export function progressUpdate(patches: { id: number; patch: DutyPatch }[], now: Date): SQL | null {
  if (patches.length === 0) return null;
  const col = <T>(f: (p: DutyPatch) => T) => sql.param(patches.map((x) => f(x.patch)));
  const t = (d: Date | null) => d?.toISOString() ?? null;
  return sql`UPDATE duties d SET window_start = v.window_start, next_due_at = v.next_due_at,
      last_done_at = v.last_done_at, last_outcome = v.last_outcome, last_contact_id = v.last_contact_id,
      not_reached_count = v.not_reached_count, first_not_reached_at = v.first_not_reached_at, updated_at = ${ts(now)}
    FROM unnest(${sql.param(patches.map((x) => x.id))}::bigint[], ${col((p) => t(p.window_start))}::timestamptz[],
      ${col((p) => t(p.next_due_at))}::timestamptz[], ${col((p) => t(p.last_done_at))}::timestamptz[],
      ${col((p) => p.last_outcome)}::text[], ${col((p) => p.last_contact_id)}::bigint[],
      ${col((p) => p.not_reached_count)}::int[], ${col((p) => t(p.first_not_reached_at))}::timestamptz[])
      AS v(id, window_start, next_due_at, last_done_at, last_outcome, last_contact_id, not_reached_count, first_not_reached_at)
    WHERE d.id = v.id`;
}

/** The elder died or moved away: every open duty closes (the registry status follows from the elders module). */
export async function closeElderDuties(
  ex: Executor,
  elderId: number,
  reason: string,
  now: Date,
): Promise<number> {
  const r = await rows<{ id: number }>(
    ex,
    sql`UPDATE duties SET active = false, closed_at = ${ts(now)}, closed_reason = ${reason},
      silence_check_at = NULL, updated_at = ${ts(now)} WHERE elder_id = ${elderId} AND active RETURNING id`,
  );
  return r.length;
}

/** Pauses an elder's open duties (hospital stay, travelling); the hospital visit itself is never paused. */
export async function pauseElderDuties(
  ex: Executor,
  elderId: number,
  until: Date,
  reason: string,
  now: Date,
) {
  const r = await rows<{ id: number }>(
    ex,
    sql`UPDATE duties d SET paused_until = ${ts(until)}, pause_reason = ${reason}, updated_at = ${ts(now)}
      FROM duty_templates t WHERE t.id = d.template_id AND d.elder_id = ${elderId} AND d.active
        AND t.cadence->>'kind' <> 'hospital' RETURNING d.id`,
  );
  return r.length;
}

/**
 * Claims paused duties whose pause has ended (FOR UPDATE SKIP LOCKED), clears the pause and marks
 * them for re-planning (version 0): windows missed while away are not asked for afterwards.
 */
export async function claimResumed(ex: Executor, now: Date, limit: number): Promise<number[]> {
  const r = await rows<{ elder_id: number }>(
    ex,
    sql`UPDATE duties d SET paused_until = NULL, pause_reason = NULL, template_version = 0, updated_at = ${ts(now)}
      WHERE d.id IN (SELECT id FROM duties WHERE active AND paused_until IS NOT NULL AND paused_until <= ${ts(now)}
        ORDER BY paused_until LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING d.elder_id`,
  );
  return [...new Set(r.map((x) => x.elder_id))];
}

export async function resumeElderNow(ex: Executor, elderId: number, now: Date): Promise<number> {
  const r = await rows<{ id: number }>(
    ex,
    sql`UPDATE duties SET paused_until = NULL, pause_reason = NULL, template_version = 0, updated_at = ${ts(now)}
      WHERE elder_id = ${elderId} AND active AND paused_until IS NOT NULL RETURNING id`,
  );
  return r.length;
}

export interface SilenceAlertRow {
  id: number;
  elder_id: number;
  duty_id: number;
  org_path: string;
  day: string;
  assignee_id: number | null;
  deadline: Date;
  deadline_time: string;
}

/** A deadline group whose check is due: a Shanghai day and a deadline time, and that instant. */
export interface SilenceGroup {
  day: string;
  deadline_time: string;
  deadline: Date;
  day_start: Date;
}

/**
 * The deadline groups due at `now` and not checked yet: each distinct deadline time of the armed daily
 * duties (a loose index scan: a few index descents, whatever the number of duties), on today and
 * yesterday (Shanghai), whose instant has passed within the last day. A check older than a day is not
 * made up for after a long outage.
 */
export async function silenceGroupsDue(ex: Executor, now: Date): Promise<SilenceGroup[]> {
  const r = await rows<SilenceGroup>(
    ex,
    sql`WITH RECURSIVE t AS (
        (SELECT deadline_time FROM duties WHERE active AND silence_check_at IS NOT NULL
          ORDER BY deadline_time LIMIT 1)
        UNION ALL
        SELECT (SELECT d.deadline_time FROM duties d WHERE d.active AND d.silence_check_at IS NOT NULL
            AND d.deadline_time > t.deadline_time ORDER BY d.deadline_time LIMIT 1)
        FROM t WHERE t.deadline_time IS NOT NULL
      ), g AS (
        SELECT k.day, t.deadline_time, care_shanghai_midnight(k.day) AS day_start,
          care_shanghai_midnight(k.day) + t.deadline_time::interval AS deadline
        FROM t CROSS JOIN (SELECT ((${ts(now)} AT TIME ZONE 'Asia/Shanghai')::date - n) AS day
          FROM generate_series(0, 1) n) k
        WHERE t.deadline_time IS NOT NULL
      )
      SELECT g.day::text AS day, g.deadline_time, g.deadline, g.day_start FROM g
      WHERE g.deadline <= ${ts(now)} AND g.deadline > ${ts(now)} - interval '1 day'
        AND NOT EXISTS (SELECT 1 FROM silence_checks c WHERE c.day = g.day AND c.deadline_time = g.deadline_time)
      ORDER BY g.deadline`,
  );
  return r.map((g) => ({
    ...g,
    deadline: asDate(g.deadline) as Date,
    day_start: asDate(g.day_start) as Date,
  }));
}

/**
 * Checks one deadline group, in one statement: claims it (the marker row; a second process waits for
 * the first to commit, then finds it claimed and does nothing) and raises a \`daily_silence\` alert for
 * each armed daily duty of that deadline time whose elder was not reached since that Shanghai midnight
 * — no reached contact, no self check-in — unless paused. A read of the group's duties and one index
 * probe of the day's contacts per duty; no duty row is written. Null when another process had it.
 */
export async function checkSilenceGroup(
  ex: Executor,
  g: SilenceGroup,
  now: Date,
): Promise<SilenceAlertRow[] | null> {
  const r = await rows<SilenceAlertRow & { claimed: boolean }>(
    ex,
    sql`WITH claim AS (
        INSERT INTO silence_checks (day, deadline_time, checked_at)
        VALUES (${g.day}::date, ${g.deadline_time}, ${ts(now)})
        ON CONFLICT DO NOTHING RETURNING day
      ), raised AS (
        INSERT INTO care_alerts (elder_id, duty_id, org_path, kind, day, raised_at, details)
        SELECT d.elder_id, d.id, d.org_path, 'daily_silence', claim.day, ${ts(now)},
          jsonb_build_object('deadline', ${ts(g.deadline)}, 'deadlineTime', d.deadline_time)
        FROM claim, duties d
        WHERE d.active AND d.silence_check_at IS NOT NULL AND d.deadline_time = ${g.deadline_time}
          AND d.silence_check_at <= ${ts(g.deadline)}
          AND NOT (d.paused_until IS NOT NULL AND d.paused_until > ${ts(now)})
          AND NOT (d.last_done_at IS NOT NULL AND d.last_done_at >= ${ts(g.day_start)})
          AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.elder_id = d.elder_id
            AND c.contacted_at >= ${ts(g.day_start)} AND c.outcome IN ('reached_ok', 'reached_concern'))
        ON CONFLICT (duty_id, kind, day) DO NOTHING
        RETURNING id, elder_id, duty_id, org_path, day
      )
      SELECT r.id, r.elder_id, r.duty_id, r.org_path, r.day::text AS day, d.assignee_id,
        ${ts(g.deadline)} AS deadline, d.deadline_time, true AS claimed
      FROM raised r JOIN duties d ON d.id = r.duty_id
      UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, EXISTS (SELECT 1 FROM claim)`,
  );
  const claimed = r.length ? r[r.length - 1].claimed : false;
  if (!claimed) return null;
  return r
    .filter((x) => x.id != null)
    .map(({ claimed: _, ...x }) => ({ ...x, deadline: asDate(x.deadline) as Date }));
}

export async function setDeadline(ex: Executor, elderId: number, time: string, next: SQL): Promise<number> {
  const r = await rows<{ id: number }>(
    ex,
    sql`UPDATE duties SET deadline_time = ${time}, silence_check_at = ${next}
      WHERE elder_id = ${elderId} AND active AND silence_check_at IS NOT NULL RETURNING id`,
  );
  return r.length;
}

/** Upcoming birthday, decade-birthday, holiday and seasonal visits in a subtree (the calendar). */
export async function calendar(ex: Executor, scope: SQL, from: Date, to: Date, limit: number) {
  return dutyRows(
    ex,
    sql`${dutySelect} WHERE ${scope} AND d.active
      AND t.cadence->>'kind' IN ('birthday', 'decade_birthday', 'lunar_holiday', 'seasonal')
      AND d.window_start < ${ts(to)} AND d.next_due_at > ${ts(from)}
      ORDER BY d.window_start, d.id LIMIT ${limit}`,
  );
}
