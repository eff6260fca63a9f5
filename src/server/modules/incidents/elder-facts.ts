import type { Executor } from '../../platform/db.ts';
import { communityWorkersMany, type StaffMember } from '../accounts/accounts.service.ts';
import { circleForEmergencyAsSystem, circlesForEmergencyAsSystem } from '../elders/circle.service.ts';
import {
  type ElderBasics,
  elderBasicsAsSystem,
  elderBasicsManyAsSystem,
  emergencyRecordAsSystem,
  familyDoctorsManyAsSystem,
} from '../elders/elders.service.ts';
import { admitToHospitalAsSystem } from '../elders/health.service.ts';

export { communityWorkersMany, staffCoveringPaths } from '../accounts/accounts.service.ts';
/**
 * What the emergency module needs to know about an elder, read without a caller (the sweeper, a
 * device, a relative's link). This is the one seam between incidents and the registry and accounts:
 * every read goes through their system exports (each module owns its tables), set-based where the
 * ladder sweeper reads a batch.
 */
export type { ElderBasics, StaffMember };

export async function elderBasics(ex: Executor, elderId: number): Promise<ElderBasics | undefined> {
  return elderBasicsAsSystem(ex, elderId);
}

/** The basics of many elders in one read (the ladder sweeper's batch). */
export async function elderBasicsMany(ex: Executor, elderIds: number[]): Promise<Map<number, ElderBasics>> {
  return elderBasicsManyAsSystem(ex, elderIds);
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
  return familyDoctorsManyAsSystem(ex, elderIds, today);
}

/**
 * The community workers of an elder (issue 11.4): active coordinators whose scope covers the elder's
 * org, the nearest first (a community's own worker before the street's), at most three. The path is
 * the chain of org ids, so the nearest scope node is the one furthest along it.
 */
export async function communityWorkers(ex: Executor, orgPath: string): Promise<StaffMember[]> {
  return (await communityWorkersMany(ex, [orgPath])).get(orgPath) ?? [];
}

/** The archive at a glance for the dispatcher console: everything needed to act in one read. */
export async function emergencyArchive(ex: Executor, elderId: number, today: string) {
  const record = await emergencyRecordAsSystem(ex, elderId);
  if (!record) return null;
  const { elder: e, conditions, medications, hospitalStay } = record;
  const circle = await circleInCallOrder(ex, elderId);
  const doctors = await familyDoctors(ex, elderId, today);
  const workers = await communityWorkers(ex, String(e.orgPath));
  return {
    ...e,
    conditions,
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
    hospitalStay,
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
