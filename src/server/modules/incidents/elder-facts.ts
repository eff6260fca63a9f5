import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../../platform/db.ts';
import { circleForEmergencyAsSystem, circlesForEmergencyAsSystem } from '../elders/circle.service.ts';
import { admitToHospitalAsSystem } from '../elders/health.service.ts';

/**
 * What the emergency module needs to know about an elder, read without a caller (the sweeper, a
 * device, a relative's link). This is the one seam between incidents and the registry. The circle and
 * hospital admission go through the elders service's system exports; the basics, staff lookups and
 * the archive at a glance are still read here and belong in the elders service as exports.
 */
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

export async function elderBasics(ex: Executor, elderId: number): Promise<ElderBasics | undefined> {
  const [r] = await rows<ElderBasics>(
    ex,
    sql`SELECT id, name, org_path AS "orgPath", status, phones, ${addressSql} AS address
        FROM elders WHERE id = ${elderId}`,
  );
  return r;
}

/** The basics of many elders in one read (the ladder sweeper's batch). */
export async function elderBasicsMany(ex: Executor, elderIds: number[]): Promise<Map<number, ElderBasics>> {
  if (elderIds.length === 0) return new Map();
  const r = await rows<ElderBasics>(
    ex,
    sql`SELECT id, name, org_path AS "orgPath", status, phones, ${addressSql} AS address
        FROM elders WHERE id = ANY(${sql.param(elderIds)}::bigint[])`,
  );
  return new Map(r.map((e) => [e.id, e]));
}

export interface CircleMember {
  id: number;
  kind: string;
  name: string;
  relation: string | null;
  phones: string[];
  priority: number;
  userId: number | null;
}

const toMember = (c: CircleMember): CircleMember => ({
  id: c.id,
  kind: c.kind,
  name: c.name,
  relation: c.relation,
  phones: c.phones,
  priority: c.priority,
  userId: c.userId,
});

/** The circle in call order (priority, then as entered), from the registry. */
export async function circleInCallOrder(ex: Executor, elderId: number): Promise<CircleMember[]> {
  return (await circleForEmergencyAsSystem(ex, elderId)).map(toMember);
}

/** The circles of many elders in one read: elder id → circle in call order (absent: empty). */
export async function circlesInCallOrder(
  ex: Executor,
  elderIds: number[],
): Promise<Map<number, CircleMember[]>> {
  const all = await circlesForEmergencyAsSystem(ex, elderIds);
  return new Map([...all].map(([id, list]) => [id, list.map(toMember)]));
}

export interface StaffMember {
  id: number;
  displayName: string;
  phone: string | null;
}

/**
 * Active accounts of a role whose scope covers each org path (dispatchers on duty, supervisors), in one
 * read: path → accounts (by id). A materialised path is the chain of org ids ('/1/5/9/'), so its
 * ancestors are read off it: an index lookup on user_scopes, no scan of the org tree.
 */
export async function staffCoveringPaths(
  ex: Executor,
  role: string,
  orgPaths: string[],
): Promise<Map<string, StaffMember[]>> {
  const out = new Map<string, StaffMember[]>();
  if (orgPaths.length === 0) return out;
  const r = await rows<StaffMember & { path: string }>(
    ex,
    sql`SELECT DISTINCT p.path, u.id, u.display_name AS "displayName", u.phone
        FROM unnest(${sql.param(orgPaths)}::text[]) AS p(path)
        JOIN user_scopes us ON us.org_id = ANY(string_to_array(btrim(p.path, '/'), '/')::bigint[])
        JOIN users u ON u.id = us.user_id AND u.role = ${role} AND u.active
        ORDER BY p.path, u.id`,
  );
  for (const { path, ...s } of r) {
    const list = out.get(path);
    if (list) list.push(s);
    else out.set(path, [s]);
  }
  return out;
}

/** Family doctors with a contract running today (Asia/Shanghai). */
export async function familyDoctors(ex: Executor, elderId: number, today: string): Promise<StaffMember[]> {
  return (await familyDoctorsMany(ex, [elderId], today)).get(elderId) ?? [];
}

/** The same for many elders in one read: elder id → doctors (by id). */
export async function familyDoctorsMany(
  ex: Executor,
  elderIds: number[],
  today: string,
): Promise<Map<number, StaffMember[]>> {
  const out = new Map<number, StaffMember[]>();
  if (elderIds.length === 0) return out;
  const r = await rows<StaffMember & { elderId: number }>(
    ex,
    sql`SELECT DISTINCT dc.elder_id AS "elderId", u.id, u.display_name AS "displayName", u.phone
        FROM doctor_contracts dc JOIN users u ON u.id = dc.doctor_id
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
 * The community workers of an elder (issue 11.4): active coordinators whose scope covers the elder's
 * org, the nearest first (a community's own worker before the street's), at most three. The path is
 * the chain of org ids, so the nearest scope node is the one furthest along it.
 */
export async function communityWorkers(ex: Executor, orgPath: string): Promise<StaffMember[]> {
  return (await communityWorkersMany(ex, [orgPath])).get(orgPath) ?? [];
}

/**
 * The same for many org paths in one read (the ladder sweeper's batch, the SOS rung "社区工作者"
 * when the elder's circle names none): path → at most three coordinators, nearest scope first.
 */
export async function communityWorkersMany(
  ex: Executor,
  orgPaths: string[],
): Promise<Map<string, StaffMember[]>> {
  const out = new Map<string, StaffMember[]>();
  if (orgPaths.length === 0) return out;
  const r = await rows<StaffMember & { path: string }>(
    ex,
    sql`SELECT p.path, w.id, w."displayName", w.phone
        FROM unnest(${sql.param([...new Set(orgPaths)])}::text[]) AS p(path)
        CROSS JOIN LATERAL (
          SELECT u.id, u.display_name AS "displayName", u.phone,
            max(array_position(string_to_array(btrim(p.path, '/'), '/')::bigint[], us.org_id)) AS depth
          FROM user_scopes us
          JOIN users u ON u.id = us.user_id AND u.role = 'coordinator' AND u.active
          WHERE us.org_id = ANY(string_to_array(btrim(p.path, '/'), '/')::bigint[])
          GROUP BY u.id, u.display_name, u.phone
          ORDER BY depth DESC, u.id
          LIMIT 3) w
        ORDER BY p.path, w.depth DESC, w.id`,
  );
  for (const { path, ...s } of r) {
    const list = out.get(path);
    const member = { id: s.id, displayName: s.displayName, phone: s.phone };
    if (list) list.push(member);
    else out.set(path, [member]);
  }
  return out;
}

/** The archive at a glance for the dispatcher console: everything needed to act in one read. */
export async function emergencyArchive(ex: Executor, elderId: number, today: string) {
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
  const circle = await circleInCallOrder(ex, elderId);
  const doctors = await familyDoctors(ex, elderId, today);
  const workers = await communityWorkers(ex, String(e.orgPath));
  const stay = await rows<{ hospital: string; admittedOn: string }>(
    ex,
    sql`SELECT hospital, admitted_on AS "admittedOn" FROM hospital_stays
        WHERE elder_id = ${elderId} AND discharged_on IS NULL`,
  );
  return {
    ...e,
    conditions: conditions.map((c) => c.name),
    medications,
    circle: circle.map((c) => ({
      kind: c.kind,
      name: c.name,
      relation: c.relation,
      phones: c.phones,
      priority: c.priority,
    })),
    familyDoctors: doctors.map((d) => ({ name: d.displayName, phone: d.phone })),
    communityWorkers: workers.map((w) => ({ name: w.displayName, phone: w.phone })),
    orgPath: undefined, // read for the lookup above; the card has no use for the raw path
    hospitalStay: stay[0] ?? null,
  };
}

/** Outcome "taken to hospital": the registry opens a stay (unless one is open) and sets the elder hospitalised. */
export async function markHospitalised(
  ex: Executor,
  elderId: number,
  stay: { hospital: string; admittedOn: string; reason: string },
): Promise<void> {
  await admitToHospitalAsSystem(ex, elderId, stay);
}
