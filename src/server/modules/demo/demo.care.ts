import { sql } from 'drizzle-orm';
import { type Db, type Executor, rows, withTx } from '../../platform/db.ts';
import { progress } from '../../platform/progress.ts';
import {
  insertContactsFrom,
  insertPairingsFrom,
  replan,
  settleDutiesFromContacts,
} from '../care/care.service.ts';
import { addCarerToCircles } from '../elders/elders.service.ts';
import { recordVitalSigns } from '../elders/health.service.ts';

/**
 * Demo step of the care network (issue 4, item 8): the default policy, pairings (分片包干: the elders
 * of each community shared round-robin among its carers, about 1 in 20 left unpaired so the load
 * view has something to show) and ~90 days of contact history with realistic misses — all set-based:
 * one INSERT … SELECT per community batch through care's bulk path (care.bulk.ts), never a row per
 * statement, and never naming care's tables here.
 */
export const HISTORY_DAYS = 90;

/** The community path of an elder's org path ('/city/district/street/community/…'). */
const communityPath = sql.raw(`(regexp_match(e.org_path, '^(/[0-9]+/[0-9]+/[0-9]+/[0-9]+/)'))[1]`);

function pairCommunities(ex: Executor): Promise<number> {
  return insertPairingsFrom(
    ex,
    sql`WITH c AS (
        SELECT us.user_id, o.path, (row_number() OVER (PARTITION BY o.id ORDER BY us.user_id) - 1)::int AS idx,
          count(*) OVER (PARTITION BY o.id)::int AS n
        FROM user_scopes us JOIN users u ON u.id = us.user_id JOIN orgs o ON o.id = us.org_id
        WHERE u.role = 'carer' AND u.active AND o.kind = 'community'),
      e AS (
        SELECT e.id, e.org_path, ${communityPath} AS cpath,
          (row_number() OVER (PARTITION BY ${communityPath}
            ORDER BY e.living_situation IN ('独居', '孤老') DESC, e.birth_date, e.id) - 1)::int AS idx
        FROM elders e WHERE e.status NOT IN ('deceased', 'moved_away') AND e.id % 20 <> 7)
      SELECT c.user_id AS carer_id, e.id AS elder_id, e.org_path FROM e JOIN c ON c.path = e.cpath AND c.idx = e.idx % c.n`,
  );
}

/**
 * Contact history: elders with a daily check-in are called every day, the others about weekly
 * (a home visit every other time); ~6 % of planned contacts never happen, and outcomes spread as
 * 88 % fine, 5 % concern, 7 % not reached (no answer, busy, away).
 */
function insertHistory(ex: Executor, now: Date, carerIds: number[]): Promise<number> {
  return insertContactsFrom(
    ex,
    sql`WITH p AS (
        SELECT p.carer_id, p.elder_id, p.org_path,
          EXISTS (SELECT 1 FROM duties d JOIN duty_templates t ON t.id = d.template_id
            WHERE d.elder_id = p.elder_id AND d.active AND t.cadence->>'kind' = 'daily') AS daily
        FROM carer_pairings p WHERE p.carer_id = ANY(string_to_array(${carerIds.join(',')}, ',')::bigint[])),
      g AS (
        SELECT p.*, day, ((p.elder_id * 7 + day * 13) % 100)::int AS h
        FROM p CROSS JOIN generate_series(1, ${HISTORY_DAYS}) AS day
        WHERE (p.daily OR (day + p.elder_id) % 7 = 0) AND (p.elder_id * 31 + day * 17) % 100 >= 6)
      SELECT 'demo-' || g.elder_id || '-' || g.day AS idempotency_key, g.elder_id, g.org_path, g.carer_id,
          date_trunc('day', ${now.toISOString()}::timestamptz + interval '8 hours') - interval '8 hours'
            - make_interval(days => g.day) + make_interval(mins => 8 * 60 + (g.elder_id * 37 % 600)::int)
            AS contacted_at,
          CASE WHEN g.daily THEN 'phone' WHEN g.day % 14 < 7 THEN 'home_visit' ELSE 'phone' END AS channel,
          CASE WHEN g.h < 88 THEN 'reached_ok' WHEN g.h < 93 THEN 'reached_concern'
            WHEN g.h < 97 THEN 'not_reached_no_answer' WHEN g.h < 99 THEN 'not_reached_busy'
            ELSE 'not_reached_away' END AS outcome,
          CASE WHEN g.h BETWEEN 88 AND 89 THEN ARRAY['助餐']::text[] WHEN g.h = 90 THEN ARRAY['适老化改造']::text[]
            ELSE '{}'::text[] END AS needs,
          -- 有异常 says what the concern was, as the contact form requires
          CASE WHEN g.h BETWEEN 88 AND 92 THEN (ARRAY['身体不适', '情绪低落', '家中有安全隐患', '生活困难', '身体不适'])[g.h - 87] END
            AS concern,
          CASE WHEN g.daily THEN 2 + g.h % 5 ELSE 10 + g.h % 40 END AS duration_min, NULL::text AS note,
          ${now.toISOString()}::timestamptz AS recorded_at
        FROM g`,
  );
}

/**
 * The family doctors' visits (issue 11.6): about half of each doctor's contracted elders were visited
 * in the last 80 days, with blood pressure, glucose and weight in the health ledger — so a doctor's
 * worklist holds this quarter's visits still to make, and the elders' health pages a history.
 */
async function insertDoctorVisits(ex: Executor, now: Date): Promise<number> {
  await insertContactsFrom(
    ex,
    sql`SELECT DISTINCT ON (dc.elder_id) 'demo-doctor-' || dc.elder_id AS idempotency_key, dc.elder_id, e.org_path,
          dc.doctor_id AS carer_id,
          date_trunc('day', ${now.toISOString()}::timestamptz + interval '8 hours') - interval '8 hours'
            - make_interval(days => 3 + (dc.elder_id * 13 % 78)::int) + make_interval(mins => 9 * 60 + (dc.elder_id * 7 % 420)::int)
            AS contacted_at,
          'home_visit' AS channel, 'reached_ok' AS outcome, NULL::text[] AS needs, NULL::text AS concern,
          20 + (dc.elder_id % 20)::int AS duration_min, '家庭医生上门：测血压、血糖、体重，核对用药' AS note,
          ${now.toISOString()}::timestamptz AS recorded_at
        FROM doctor_contracts dc JOIN elders e ON e.id = dc.elder_id
        WHERE dc.end_date IS NULL AND e.status NOT IN ('deceased', 'moved_away') AND dc.elder_id % 2 = 0
        ORDER BY dc.elder_id, dc.start_date DESC`,
  );
  // what the doctors measured on those visits, in the health ledger
  const visits = await rows<{
    id: number;
    elder_id: number;
    org_path: string;
    carer_id: number;
    contacted_at: Date;
  }>(
    ex,
    sql`SELECT id, elder_id, org_path, carer_id, contacted_at FROM contacts
        WHERE idempotency_key LIKE 'demo-doctor-%' ORDER BY id`,
  );
  for (let i = 0; i < visits.length; i += 5000) {
    await recordVitalSigns(
      ex,
      visits.slice(i, i + 5000).map((v) => ({
        elderId: v.elder_id,
        orgPath: v.org_path,
        measuredAt: new Date(v.contacted_at),
        systolic: 118 + ((v.elder_id * 7) % 45),
        diastolic: 70 + ((v.elder_id * 3) % 22),
        glucose: (48 + (v.elder_id % 45)) / 10,
        weight: (450 + ((v.elder_id * 11) % 300)) / 10,
        contactId: v.id,
        recordedBy: v.carer_id,
      })),
    );
  }
  return visits.length;
}

/** Duties learn their last contact in their current window; re-planning (version 0) then skips those windows. */
async function settleDuties(ex: Executor, now: Date): Promise<void> {
  await settleDutiesFromContacts(ex, 'demo-doctor-');
  await replan(ex, now);
}

export async function seedCare(db: Db, now = new Date()): Promise<{ pairings: number; contacts: number }> {
  const bar = progress('seed care: pairings, duties, contact history', 4);
  const pairings = await withTx(db, async (tx) => {
    const n = await pairCommunities(tx);
    const carers = await rows<{ carer_id: number; elder_ids: string }>(
      tx,
      sql`SELECT carer_id, string_agg(elder_id::text, ',') AS elder_ids FROM carer_pairings GROUP BY carer_id`,
    );
    for (const c of carers) await addCarerToCircles(tx, c.carer_id, c.elder_ids.split(',').map(Number));
    return n;
  });
  bar.tick(1);
  await withTx(db, (tx) => replan(tx, now));
  bar.tick(2);
  const carerIds = (
    await rows<{ id: number }>(db, sql`SELECT DISTINCT carer_id AS id FROM carer_pairings ORDER BY 1`)
  ).map((r) => r.id);
  let contacts = 0;
  for (let i = 0; i < carerIds.length; i += 500) {
    contacts += await withTx(db, (tx) => insertHistory(tx, now, carerIds.slice(i, i + 500)));
  }
  await withTx(db, (tx) => insertDoctorVisits(tx, now));
  bar.tick(3);
  await withTx(db, (tx) => settleDuties(tx, now));
  bar.tick(4);
  bar.done();
  return { pairings, contacts };
}
