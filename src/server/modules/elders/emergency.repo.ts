import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../../platform/db.ts';
import { accountRows } from '../accounts/accounts.rows.ts';

// What the emergency module reads of an elder without a caller (the ladder sweeper, a device, a
// relative's link): the basics, the family doctors, the archive at a glance. Set-based where the
// sweeper reads a batch: one statement for many elders.

export interface ElderBasics {
  id: number;
  name: string;
  orgPath: string;
  status: string;
  phones: string[];
  address: string | null;
}

// building, unit and room with their suffix, each left out when the address already spells it
// ("湖滨路 12 号 15幢1单元1202室" and building '15' must not read "… 1202室 15幢 1单元 1202室")
const part = (col: string, suffix: string, pattern: string) =>
  sql.raw(`CASE WHEN ${col} IS NULL OR ${col} = '' THEN NULL
    WHEN strpos(replace(coalesce(address, ''), ' ', ''), CASE WHEN ${col} ~ '${pattern}' THEN ${col} ELSE ${col} || '${suffix}' END) > 0 THEN NULL
    WHEN ${col} ~ '${pattern}' THEN ${col} ELSE ${col} || '${suffix}' END`);
const addressSql = sql`concat_ws(' ', address, ${part('building', '幢', '(幢|栋|号楼)$')},
  ${part('unit', '单元', '单元$')}, ${part('room', '室', '室$')})`;

export async function elderBasicsAsSystem(ex: Executor, elderId: number): Promise<ElderBasics | undefined> {
  const [r] = await rows<ElderBasics>(
    ex,
    sql`SELECT id, name, org_path AS "orgPath", status, phones, ${addressSql} AS address
        FROM elders WHERE id = ${elderId}`,
  );
  return r;
}

/** The basics of many elders in one read (the ladder sweeper's batch). */
export async function elderBasicsManyAsSystem(
  ex: Executor,
  elderIds: number[],
): Promise<Map<number, ElderBasics>> {
  if (elderIds.length === 0) return new Map();
  const r = await rows<ElderBasics>(
    ex,
    sql`SELECT id, name, org_path AS "orgPath", status, phones, ${addressSql} AS address
        FROM elders WHERE id = ANY(${sql.param(elderIds)}::bigint[])`,
  );
  return new Map(r.map((e) => [e.id, e]));
}

export interface FamilyDoctor {
  id: number;
  displayName: string;
  phone: string | null;
}

/**
 * The family doctors of many elders with a contract running on `today` (Asia/Shanghai) and an active
 * account, in one read: elder id → doctors (by id).
 */
export async function familyDoctorsManyAsSystem(
  ex: Executor,
  elderIds: number[],
  today: string,
): Promise<Map<number, FamilyDoctor[]>> {
  const out = new Map<number, FamilyDoctor[]>();
  if (elderIds.length === 0) return out;
  const r = await rows<FamilyDoctor & { elderId: number }>(
    ex,
    sql`SELECT DISTINCT dc.elder_id AS "elderId", u.id, u.display_name AS "displayName", u.phone
        FROM doctor_contracts dc JOIN ${accountRows} u ON u.id = dc.doctor_id -- joins users via accounts.accountRows
        WHERE dc.elder_id = ANY(${sql.param(elderIds)}::bigint[]) AND dc.start_date <= ${today}::date
          AND (dc.end_date IS NULL OR dc.end_date >= ${today}::date) AND u.active
        ORDER BY "elderId", u.id`,
  );
  for (const { elderId, ...s } of r) {
    const list = out.get(elderId);
    if (list) list.push(s);
    else out.set(elderId, [s]);
  }
  return out;
}

/**
 * The archive at a glance for the dispatcher console (profile, green card, conditions, medications,
 * open hospital stay), or null when there is no such elder.
 */
export async function emergencyRecordAsSystem(ex: Executor, elderId: number) {
  const [e] = await rows<Record<string, unknown>>(
    ex,
    sql`SELECT e.id, e.name, e.gender, e.birth_date AS "birthDate", e.phones, e.address, e.building,
          e.unit, e.room, e.living_situation AS "livingSituation", e.status,
          e.hearing_impaired AS "hearingImpaired", e.vision_impaired AS "visionImpaired",
          e.mobility_impaired AS "mobilityImpaired", e.cognition_impaired AS "cognitionImpaired",
          e.ability_level AS "abilityLevel", e.tags, e.note, e.org_path AS "orgPath",
          h.green_card_no AS "greenCardNo", h.green_card_hospital AS "greenCardHospital",
          h.medication_notes AS "medicationNotes"
        FROM elders e LEFT JOIN elder_health h ON h.elder_id = e.id WHERE e.id = ${elderId}`,
  );
  if (!e) return null;
  const conditions = await rows<{ name: string }>(
    ex,
    sql`SELECT name FROM elder_conditions WHERE elder_id = ${elderId} ORDER BY id`,
  );
  const medications = await rows<{ name: string; dosage: string | null; schedule: string | null }>(
    ex,
    sql`SELECT name, dosage, schedule FROM elder_medications WHERE elder_id = ${elderId} ORDER BY id`,
  );
  const stay = await rows<{ hospital: string; admittedOn: string }>(
    ex,
    sql`SELECT hospital, admitted_on AS "admittedOn" FROM hospital_stays
        WHERE elder_id = ${elderId} AND discharged_on IS NULL`,
  );
  return { elder: e, conditions: conditions.map((c) => c.name), medications, hospitalStay: stay[0] ?? null };
}
