import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import { type Executor, rows } from '../../platform/db.ts';
import { accountRows, scopeRows } from '../accounts/accounts.rows.ts';
import {
  abilityAssessments,
  doctorContracts,
  elderConditions,
  elderHealth,
  elderMedications,
  elderVitalSigns,
  hospitalStays,
} from './elders.schema.ts';

export type StayRow = typeof hospitalStays.$inferSelect;
export type AssessmentRow = typeof abilityAssessments.$inferSelect;

export function listConditions(ex: Executor, elderId: number) {
  return ex
    .select()
    .from(elderConditions)
    .where(eq(elderConditions.elderId, elderId))
    .orderBy(asc(elderConditions.id));
}

export async function insertCondition(ex: Executor, c: typeof elderConditions.$inferInsert) {
  const [row] = await ex.insert(elderConditions).values(c).returning();
  return row;
}

export async function deleteCondition(ex: Executor, elderId: number, id: number): Promise<boolean> {
  const r = await ex
    .delete(elderConditions)
    .where(and(eq(elderConditions.elderId, elderId), eq(elderConditions.id, id)))
    .returning({ id: elderConditions.id });
  return r.length > 0;
}

export function listStays(ex: Executor, elderId: number) {
  return ex
    .select()
    .from(hospitalStays)
    .where(eq(hospitalStays.elderId, elderId))
    .orderBy(desc(hospitalStays.admittedOn), desc(hospitalStays.id));
}

export async function openStay(ex: Executor, elderId: number): Promise<StayRow | undefined> {
  const [row] = await ex
    .select()
    .from(hospitalStays)
    .where(and(eq(hospitalStays.elderId, elderId), isNull(hospitalStays.dischargedOn)));
  return row;
}

export async function getStay(ex: Executor, elderId: number, id: number): Promise<StayRow | undefined> {
  const [row] = await ex
    .select()
    .from(hospitalStays)
    .where(and(eq(hospitalStays.elderId, elderId), eq(hospitalStays.id, id)))
    .for('update');
  return row;
}

export async function insertStay(ex: Executor, s: typeof hospitalStays.$inferInsert) {
  const [row] = await ex.insert(hospitalStays).values(s).returning();
  return row;
}

export async function dischargeStay(ex: Executor, id: number, dischargedOn: string, note?: string | null) {
  const [row] = await ex
    .update(hospitalStays)
    .set({ dischargedOn, ...(note ? { note } : {}), updatedAt: sql`now()` })
    .where(eq(hospitalStays.id, id))
    .returning();
  return row;
}

export function listContracts(ex: Executor, elderId: number) {
  return ex
    .select({
      id: doctorContracts.id,
      doctorId: doctorContracts.doctorId,
      doctorName: sql<string>`u.display_name`,
      startDate: doctorContracts.startDate,
      endDate: doctorContracts.endDate,
      note: doctorContracts.note,
    })
    .from(doctorContracts)
    .innerJoin(sql`${accountRows} u`, sql`u.id = ${doctorContracts.doctorId}`) // joins users via accounts.accountRows
    .where(eq(doctorContracts.elderId, elderId))
    .orderBy(desc(doctorContracts.startDate), desc(doctorContracts.id));
}

/**
 * A doctor account (role doctor, active) for a contract with an elder, and whether one of its scope
 * nodes covers the elder's community/grid or affiliation (`covers`): a contract grants the doctor the
 * elder's health record, so only a doctor serving where the elder lives (or their unit) may hold one.
 */
export async function getDoctor(ex: Executor, id: number, elderPaths: (string | null)[]) {
  const under = elderPaths
    .filter((p): p is string => p != null)
    .map((p) => sql`left(${p}::text, length(o.path)) = o.path`);
  const [row] = await rows<{ id: number; name: string; covers: boolean }>(
    ex,
    sql`SELECT u.id, u.display_name AS name,
        EXISTS (SELECT 1 FROM ${scopeRows} o -- joins user_scopes via accounts.scopeRows
          WHERE o.user_id = u.id AND (${sql.join(under, sql` OR `)})) AS covers
      FROM ${accountRows} u -- joins users via accounts.accountRows
      WHERE u.id = ${id} AND u.role = 'doctor' AND u.active`,
  );
  return row;
}

export async function insertContract(ex: Executor, c: typeof doctorContracts.$inferInsert) {
  const [row] = await ex.insert(doctorContracts).values(c).returning();
  return row;
}

export async function endContract(ex: Executor, elderId: number, id: number, endDate: string) {
  const [row] = await ex
    .update(doctorContracts)
    .set({ endDate })
    .where(and(eq(doctorContracts.elderId, elderId), eq(doctorContracts.id, id)))
    .returning();
  return row;
}

export function listMedications(ex: Executor, elderId: number) {
  return ex
    .select()
    .from(elderMedications)
    .where(eq(elderMedications.elderId, elderId))
    .orderBy(asc(elderMedications.id));
}

export async function insertMedication(ex: Executor, m: typeof elderMedications.$inferInsert) {
  const [row] = await ex.insert(elderMedications).values(m).returning();
  return row;
}

export async function deleteMedication(ex: Executor, elderId: number, id: number): Promise<boolean> {
  const r = await ex
    .delete(elderMedications)
    .where(and(eq(elderMedications.elderId, elderId), eq(elderMedications.id, id)))
    .returning({ id: elderMedications.id });
  return r.length > 0;
}

export async function getCard(ex: Executor, elderId: number) {
  const [row] = await ex.select().from(elderHealth).where(eq(elderHealth.elderId, elderId));
  return row;
}

export async function putCard(ex: Executor, card: typeof elderHealth.$inferInsert) {
  const { elderId, ...rest } = card;
  const [row] = await ex
    .insert(elderHealth)
    .values(card)
    .onConflictDoUpdate({ target: elderHealth.elderId, set: { ...rest, updatedAt: sql`now()` } })
    .returning();
  return row;
}

export function listAssessments(ex: Executor, elderId: number) {
  return ex
    .select()
    .from(abilityAssessments)
    .where(eq(abilityAssessments.elderId, elderId))
    .orderBy(desc(abilityAssessments.assessedOn), desc(abilityAssessments.id));
}

export async function insertAssessment(ex: Executor, a: typeof abilityAssessments.$inferInsert) {
  const [row] = await ex.insert(abilityAssessments).values(a).returning();
  return row;
}

export type VitalSignsInsert = typeof elderVitalSigns.$inferInsert;

/** Several measurements in one statement (a batch of contacts). */
export async function insertVitalSigns(ex: Executor, v: VitalSignsInsert[]) {
  if (v.length) await ex.insert(elderVitalSigns).values(v);
}

/** The newest measurements of an elder, with who took them. */
export function listVitalSigns(ex: Executor, elderId: number, limit = 50) {
  return ex
    .select({
      id: elderVitalSigns.id,
      measuredAt: elderVitalSigns.measuredAt,
      systolic: elderVitalSigns.systolic,
      diastolic: elderVitalSigns.diastolic,
      glucose: elderVitalSigns.glucose,
      weight: elderVitalSigns.weight,
      recordedByName: sql<string>`u.display_name`,
    })
    .from(elderVitalSigns)
    .innerJoin(sql`${accountRows} u`, sql`u.id = ${elderVitalSigns.recordedBy}`) // joins users via accounts.accountRows
    .where(eq(elderVitalSigns.elderId, elderId))
    .orderBy(desc(elderVitalSigns.measuredAt), desc(elderVitalSigns.id))
    .limit(limit);
}
