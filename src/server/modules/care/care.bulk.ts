import { type SQL, sql } from 'drizzle-orm';
import { type Executor, rows } from '../../platform/db.ts';
import { carerPairings, contacts, duties } from './care.schema.ts';

/**
 * The care network's bulk path, for generators (the demo district, the district/city seeds, benchmarks)
 * whose rows are derived from other rows — pairings from the carers and elders of each community, a
 * contact history from the pairings and the days. The generator hands over a SELECT whose columns are
 * named as below; the care module keeps its table names, column lists, defaults and conflict rules, and
 * the millions of rows of a city never travel through Node. One INSERT … SELECT per call, no access
 * check, no audit: system use, never reachable from a request. Returns the number of rows written.
 */

/** `source` yields `carer_id, elder_id, org_path`; a pairing that exists already is skipped. */
export async function insertPairingsFrom(ex: Executor, source: SQL): Promise<number> {
  const [r] = await rows<{ n: number }>(
    ex,
    sql`WITH ins AS (
        INSERT INTO ${carerPairings} (carer_id, elder_id, org_path)
        SELECT s.carer_id, s.elder_id, s.org_path FROM (${source}) s
        ON CONFLICT (carer_id, elder_id) DO NOTHING RETURNING 1)
      SELECT count(*)::int AS n FROM ins`,
  );
  return r.n;
}

/**
 * `source` yields `idempotency_key, elder_id, org_path, carer_id, contacted_at, channel, outcome, needs,
 * concern, duration_min, note, recorded_at` (NULL where a contact has none; needs default to none). A
 * contact whose carer and key exist already is skipped, as a replayed request is.
 */
export async function insertContactsFrom(ex: Executor, source: SQL): Promise<number> {
  const [r] = await rows<{ n: number }>(
    ex,
    sql`WITH ins AS (
        INSERT INTO ${contacts} (idempotency_key, elder_id, org_path, carer_id, contacted_at, channel, outcome,
          needs, concern, duration_min, note, recorded_at)
        SELECT s.idempotency_key, s.elder_id, s.org_path, s.carer_id, s.contacted_at, s.channel, s.outcome,
          coalesce(s.needs, '{}'::text[]), s.concern, s.duration_min, s.note, coalesce(s.recorded_at, now())
        FROM (${source}) s
        ON CONFLICT (carer_id, idempotency_key) DO NOTHING RETURNING 1)
      SELECT count(*)::int AS n FROM ins`,
  );
  return r.n;
}

/**
 * After a contact history was written in bulk: each active duty learns its last contact in its current
 * window, as recording those contacts one by one would have taught it, and is marked for re-planning
 * (`template_version` 0; the caller then runs `replan`). The family doctors' duties learn from their own
 * visits only, the contacts whose key starts with `doctorKeyPrefix`.
 */
export async function settleDutiesFromContacts(ex: Executor, doctorKeyPrefix: string): Promise<void> {
  // a home-visit duty learns from home visits only, as recording a contact does (contacts.service)
  await ex.execute(sql`UPDATE ${duties} d SET last_done_at = x.at, last_outcome = x.outcome, template_version = 0
    FROM duty_templates t,
      (SELECT DISTINCT ON (c.elder_id, c.channel = 'home_visit') c.elder_id, c.channel = 'home_visit' AS visit,
          c.contacted_at AS at, c.outcome
        FROM contacts c WHERE c.outcome IN ('reached_ok', 'reached_concern')
        ORDER BY c.elder_id, c.channel = 'home_visit', c.contacted_at DESC) x
    WHERE t.id = d.template_id AND d.elder_id = x.elder_id AND d.active
      AND x.visit = (t.channel = 'home_visit')
      -- a volunteer's visit is not the family doctor's (contacts.service: authorFits)
      AND t.assignee_role <> 'doctor'
      -- only the window the contact fell in, as recording a contact does (decision 0011): a call last
      -- week is not this year's 春节 visit nor the 逢十祝寿 of 2029
      AND d.window_start IS NOT NULL AND x.at >= d.window_start`);
  // the doctors' duties learn from the doctors' own visits
  await ex.execute(sql`UPDATE ${duties} d SET last_done_at = c.contacted_at, last_outcome = c.outcome,
      last_contact_id = c.id, template_version = 0
    FROM duty_templates t, contacts c
    WHERE t.id = d.template_id AND t.assignee_role = 'doctor' AND d.active
      AND c.elder_id = d.elder_id AND c.carer_id = d.assignee_id AND c.idempotency_key LIKE ${`${doctorKeyPrefix}%`}
      AND (t.channel <> 'home_visit' OR c.channel = 'home_visit')
      AND d.window_start IS NOT NULL AND c.contacted_at >= d.window_start`);
}
