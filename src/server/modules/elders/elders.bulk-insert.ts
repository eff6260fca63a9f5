import { type SQL, sql } from 'drizzle-orm';
import { pinyinKeys } from '../../../shared/pinyin.ts';
import { type Executor, rows } from '../../platform/db.ts';
import {
  abilityAssessments,
  circleContacts,
  doctorContracts,
  elderConditions,
  elderHealth,
  elderMedications,
  elders,
  hospitalStays,
} from './elders.schema.ts';
import { searchTails } from './elders.view.ts';

/**
 * The registry's bulk path, for generators (the demo district, the district/city seeds, benchmarks):
 * plain rows named as the columns, each table written with one jsonb_to_recordset INSERT per call. No
 * access check, no audit — system use, never reachable from a request; the caller chunks (thousands of
 * rows, not millions). The registry keeps its derived columns its own: the search tails and pinyin keys
 * are computed here, never taken from the caller.
 */
export interface ElderBulkRow {
  org_id: number;
  org_path: string;
  affiliation_id?: number | null;
  affiliation_path?: string | null;
  name: string;
  gender: 'M' | 'F';
  id_number: string;
  birth_date: string;
  phones?: string[];
  address?: string | null;
  building?: string | null;
  unit?: string | null;
  room?: string | null;
  categories?: string[];
  living_situation?: string | null;
  difficulty_groups?: string[];
  hearing_impaired?: boolean;
  vision_impaired?: boolean;
  mobility_impaired?: boolean;
  cognition_impaired?: boolean;
  tags?: string[];
  status?: string;
  status_since?: string | null;
  status_reason?: string | null;
  ability_level?: number | null;
  ability_assessed_on?: string | null;
  agreement_signed_at?: string | null;
}

/** Rows of an elder's other registry tables: each names its elder and the elder's org path. */
interface OfElder {
  elder_id: number;
  org_path: string;
}
export interface ElderRecordsBulk {
  circle?: (OfElder & {
    kind: string;
    name: string;
    relation?: string | null;
    phones?: string[];
    priority?: number;
    lives_nearby?: boolean;
    user_id?: number | null;
  })[];
  conditions?: (OfElder & { name: string; diagnosed_on?: string | null })[];
  assessments?: (OfElder & {
    assessed_on: string;
    reason: string;
    items: Record<string, number>;
    factors?: Record<string, unknown>;
    assessor1: string;
    assessor2: string;
    total: number;
    dimensions: unknown;
    base_level: number;
    level: number;
    adjusted: string[];
  })[];
  stays?: (OfElder & { hospital: string; reason?: string | null; admitted_on: string })[];
  contracts?: (OfElder & { doctor_id: number; start_date: string })[];
  medications?: (OfElder & { name: string; dosage?: string | null; schedule?: string | null })[];
  health?: (OfElder & { green_card_no?: string | null; green_card_hospital?: string | null })[];
}

// names repeat a lot in a city of a million elders; the cache is dropped when it grows large
const pinyinCache = new Map<string, { full: string; initials: string }>();
function pinyinOf(name: string) {
  let keys = pinyinCache.get(name);
  if (!keys) {
    if (pinyinCache.size > 100_000) pinyinCache.clear();
    keys = pinyinKeys(name);
    pinyinCache.set(name, keys);
  }
  return keys;
}

const json = (v: unknown) => sql`${JSON.stringify(v)}::jsonb`;

/** Elders in one statement; returns each new row's id with its ID number, in the order given. */
export async function insertEldersBulk(
  ex: Executor,
  list: ElderBulkRow[],
): Promise<{ id: number; id_number: string; org_path: string }[]> {
  if (list.length === 0) return [];
  const payload = list.map((e) => {
    const keys = pinyinOf(e.name);
    return {
      ...e,
      name_pinyin: keys.full,
      name_initials: keys.initials,
      search_tails: searchTails(e.id_number, e.phones ?? []),
    };
  });
  return rows(
    ex,
    sql`INSERT INTO ${elders} (org_id, org_path, affiliation_id, affiliation_path, name, name_pinyin, name_initials,
          gender, id_number, birth_date, phones, search_tails, address, building, unit, room, categories,
          living_situation, difficulty_groups, hearing_impaired, vision_impaired, mobility_impaired,
          cognition_impaired, tags, status, status_since, status_reason, ability_level, ability_assessed_on,
          agreement_signed_at)
        SELECT x.org_id, x.org_path, x.affiliation_id, x.affiliation_path, x.name, x.name_pinyin, x.name_initials,
          x.gender, x.id_number, x.birth_date, coalesce(x.phones, '{}'), x.search_tails, x.address, x.building,
          x.unit, x.room, coalesce(x.categories, '{}'), x.living_situation, coalesce(x.difficulty_groups, '{}'),
          coalesce(x.hearing_impaired, false), coalesce(x.vision_impaired, false),
          coalesce(x.mobility_impaired, false), coalesce(x.cognition_impaired, false), coalesce(x.tags, '{}'),
          coalesce(x.status, 'active'), x.status_since, x.status_reason, x.ability_level, x.ability_assessed_on,
          x.agreement_signed_at
        FROM jsonb_to_recordset(${json(payload)}) AS x(org_id bigint, org_path text,
          affiliation_id bigint, affiliation_path text, name text, name_pinyin text, name_initials text,
          gender text, id_number text, birth_date date, phones text[], search_tails text[], address text,
          building text, unit text, room text, categories text[], living_situation text,
          difficulty_groups text[], hearing_impaired boolean, vision_impaired boolean,
          mobility_impaired boolean, cognition_impaired boolean, tags text[], status text, status_since date,
          status_reason text, ability_level int, ability_assessed_on date, agreement_signed_at date)
        RETURNING id, id_number, org_path`,
  );
}

/** The circles, conditions, assessments, stays, doctor contracts, medications and health cards of new elders: one statement per table. */
export async function insertElderRecordsBulk(ex: Executor, r: ElderRecordsBulk): Promise<void> {
  const insert = async (list: unknown[] | undefined, statement: (payload: SQL) => SQL) => {
    if (list?.length) await ex.execute(statement(json(list)));
  };
  await insert(
    r.circle,
    (p) => sql`INSERT INTO ${circleContacts} (elder_id, org_path, kind, name, relation, phones, priority,
        lives_nearby, user_id)
      SELECT x.elder_id, x.org_path, x.kind, x.name, x.relation, coalesce(x.phones, '{}'), coalesce(x.priority, 0),
        coalesce(x.lives_nearby, false), x.user_id
      FROM jsonb_to_recordset(${p}) AS x(elder_id bigint, org_path text, kind text, name text, relation text,
        phones text[], priority int, lives_nearby boolean, user_id bigint)`,
  );
  await insert(
    r.conditions,
    (p) => sql`INSERT INTO ${elderConditions} (elder_id, org_path, name, diagnosed_on)
      SELECT * FROM jsonb_to_recordset(${p}) AS x(elder_id bigint, org_path text, name text, diagnosed_on date)`,
  );
  await insert(
    r.assessments,
    (p) => sql`INSERT INTO ${abilityAssessments} (elder_id, org_path, assessed_on, reason, items, factors,
        assessor1, assessor2, total, dimensions, base_level, level, adjusted)
      SELECT * FROM jsonb_to_recordset(${p}) AS x(elder_id bigint, org_path text, assessed_on date,
        reason text, items jsonb, factors jsonb, assessor1 text, assessor2 text, total int, dimensions jsonb,
        base_level int, level int, adjusted text[])`,
  );
  await insert(
    r.stays,
    (p) => sql`INSERT INTO ${hospitalStays} (elder_id, org_path, hospital, reason, admitted_on)
      SELECT * FROM jsonb_to_recordset(${p}) AS x(elder_id bigint, org_path text, hospital text,
        reason text, admitted_on date)`,
  );
  await insert(
    r.contracts,
    (p) => sql`INSERT INTO ${doctorContracts} (elder_id, org_path, doctor_id, start_date)
      SELECT * FROM jsonb_to_recordset(${p}) AS x(elder_id bigint, org_path text, doctor_id bigint,
        start_date date)`,
  );
  await insert(
    r.medications,
    (p) => sql`INSERT INTO ${elderMedications} (elder_id, org_path, name, dosage, schedule)
      SELECT * FROM jsonb_to_recordset(${p}) AS x(elder_id bigint, org_path text, name text, dosage text,
        schedule text)`,
  );
  await insert(
    r.health,
    (p) => sql`INSERT INTO ${elderHealth} (elder_id, org_path, green_card_no, green_card_hospital)
      SELECT * FROM jsonb_to_recordset(${p}) AS x(elder_id bigint, org_path text, green_card_no text,
        green_card_hospital text)`,
  );
}
