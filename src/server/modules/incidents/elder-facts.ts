import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../../platform/db.ts';
import { circleForEmergencyAsSystem } from '../elders/circle.service.ts';
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

export async function elderBasics(ex: Executor, elderId: number): Promise<ElderBasics | undefined> {
  const [r] = await rows<ElderBasics>(
    ex,
    sql`SELECT id, name, org_path AS "orgPath", status, phones,
          concat_ws(' ', address,
            CASE WHEN building ~ '(幢|栋|号楼)$' THEN building ELSE building || '幢' END,
            CASE WHEN unit ~ '单元$' THEN unit ELSE unit || '单元' END,
            CASE WHEN room ~ '室$' THEN room ELSE room || '室' END) AS address
        FROM elders WHERE id = ${elderId}`,
  );
  return r;
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

/** The circle in call order (priority, then as entered), from the registry. */
export async function circleInCallOrder(ex: Executor, elderId: number): Promise<CircleMember[]> {
  return (await circleForEmergencyAsSystem(ex, elderId)).map((c) => ({
    id: c.id,
    kind: c.kind,
    name: c.name,
    relation: c.relation,
    phones: c.phones,
    priority: c.priority,
    userId: c.userId,
  }));
}

export interface StaffMember {
  id: number;
  displayName: string;
  phone: string | null;
}

/** Active accounts of a role whose scope covers the org path (dispatchers on duty, supervisors). */
export async function staffCovering(ex: Executor, role: string, orgPath: string): Promise<StaffMember[]> {
  return rows<StaffMember>(
    ex,
    sql`SELECT DISTINCT u.id, u.display_name AS "displayName", u.phone
        FROM users u JOIN user_scopes us ON us.user_id = u.id JOIN orgs o ON o.id = us.org_id
        WHERE u.role = ${role} AND u.active AND ${orgPath} LIKE o.path || '%'
        ORDER BY u.id`,
  );
}

/** Family doctors with a contract running today (Asia/Shanghai). */
export async function familyDoctors(ex: Executor, elderId: number, today: string): Promise<StaffMember[]> {
  return rows<StaffMember>(
    ex,
    sql`SELECT DISTINCT u.id, u.display_name AS "displayName", u.phone
        FROM doctor_contracts dc JOIN users u ON u.id = dc.doctor_id
        WHERE dc.elder_id = ${elderId} AND dc.start_date <= ${today}::date
          AND (dc.end_date IS NULL OR dc.end_date >= ${today}::date) AND u.active`,
  );
}

/** The archive at a glance for the dispatcher console: everything needed to act in one read. */
export async function emergencyArchive(ex: Executor, elderId: number, today: string) {
  const [e] = await rows<Record<string, unknown>>(
    ex,
    sql`SELECT e.id, e.name, e.gender, e.birth_date AS "birthDate", e.phones, e.address, e.building,
          e.unit, e.room, e.living_situation AS "livingSituation", e.status,
          e.hearing_impaired AS "hearingImpaired", e.vision_impaired AS "visionImpaired",
          e.mobility_impaired AS "mobilityImpaired", e.cognition_impaired AS "cognitionImpaired",
          e.ability_level AS "abilityLevel", e.tags, e.note,
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
