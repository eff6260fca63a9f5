import { type SQL, sql } from 'drizzle-orm';
import { type Executor, rows } from '../../platform/db.ts';
import { carerPairings, contacts } from './care.schema.ts';

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
