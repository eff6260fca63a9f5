import { and, eq, getTableColumns, type SQL, sql } from 'drizzle-orm';
import { type Executor, rows } from '../../platform/db.ts';
import { accountRows } from '../accounts/accounts.rows.ts';
import {
  abilityAssessments,
  circleContacts,
  doctorContracts,
  elderConditions,
  elders,
} from './elders.schema.ts';

export type ElderRow = typeof elders.$inferSelect;
export type ElderInsert = typeof elders.$inferInsert;

/** The active family-doctor contract test, `today` in Asia/Shanghai. */
export function activeContractOf(elderId: SQL | typeof elders.id, today: string, doctorId?: number): SQL {
  return sql`EXISTS (SELECT 1 FROM ${doctorContracts} dc WHERE dc.elder_id = ${elderId}
    AND dc.start_date <= ${today}::date AND (dc.end_date IS NULL OR dc.end_date >= ${today}::date)
    ${doctorId == null ? sql`` : sql`AND dc.doctor_id = ${doctorId}`})`;
}

/**
 * For set-based planning in the care network: the contracted family doctor of each elder in `elderIds`
 * (a subquery of elder ids) on `today` — the newest running contract with an active doctor account —
 * as rows (elder_id, uid). An elder without one has no row.
 */
export function contractedDoctorsOf(elderIds: SQL, today: string): SQL {
  return sql`SELECT DISTINCT ON (dc.elder_id) dc.elder_id, dc.doctor_id AS uid
    FROM ${doctorContracts} dc JOIN ${accountRows} u ON u.id = dc.doctor_id AND u.active AND u.role = 'doctor' -- joins users via accounts.accountRows
    WHERE dc.elder_id IN (${elderIds})
      AND dc.start_date <= ${today}::date AND (dc.end_date IS NULL OR dc.end_date >= ${today}::date)
    ORDER BY dc.elder_id, dc.start_date DESC, dc.id DESC`;
}

/** A carer sees the elders whose circle holds them as kind `carer` (written by the care-network pairing). */
export function pairedWith(userId: number): SQL {
  return sql`EXISTS (SELECT 1 FROM ${circleContacts} cc WHERE cc.elder_id = ${elders.id}
    AND cc.kind = 'carer' AND cc.user_id = ${userId})`;
}

export function hasCarer(): SQL {
  return sql`EXISTS (SELECT 1 FROM ${circleContacts} cc WHERE cc.elder_id = ${elders.id} AND cc.kind = 'carer')`;
}

export async function getElder(ex: Executor, id: number, visible: SQL): Promise<ElderRow | undefined> {
  const [row] = await ex
    .select()
    .from(elders)
    .where(and(eq(elders.id, id), visible));
  return row;
}

export async function getElderForUpdate(
  ex: Executor,
  id: number,
  visible: SQL,
): Promise<ElderRow | undefined> {
  const [row] = await ex
    .select()
    .from(elders)
    .where(and(eq(elders.id, id), visible))
    .for('update');
  return row;
}

export async function findIdByIdNumber(ex: Executor, idNumber: string): Promise<number | undefined> {
  const [row] = await ex.select({ id: elders.id }).from(elders).where(eq(elders.idNumber, idNumber));
  return row?.id;
}

export async function existingIdNumbers(ex: Executor, idNumbers: string[]): Promise<string[]> {
  if (idNumbers.length === 0) return [];
  const r = await ex
    .select({ idNumber: elders.idNumber })
    .from(elders)
    .where(sql`${elders.idNumber} = ANY(${sql.param(idNumbers)}::text[])`);
  return r.map((x) => x.idNumber);
}

export async function insertElder(ex: Executor, e: ElderInsert): Promise<ElderRow> {
  const [row] = await ex.insert(elders).values(e).returning();
  return row;
}

export async function updateElder(ex: Executor, id: number, patch: Partial<ElderInsert>): Promise<ElderRow> {
  const [row] = await ex
    .update(elders)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(elders.id, id))
    .returning();
  return row;
}

/** When an elder moves to another community, every row holding their data follows (the org key). */
export async function moveChildRows(ex: Executor, elderId: number, orgPath: string): Promise<void> {
  for (const t of [
    'circle_contacts',
    'elder_conditions',
    'hospital_stays',
    'doctor_contracts',
    'elder_health',
    'elder_medications',
    'ability_assessments',
  ]) {
    await ex.execute(sql`UPDATE ${sql.identifier(t)} SET org_path = ${orgPath} WHERE elder_id = ${elderId}`);
  }
}

export interface ListSpec {
  where: SQL[];
  order: SQL;
  /** the sort key as text, for the next page's cursor */
  cursorKey: SQL;
  limit: number;
}

export type ElderListRow = ElderRow & { cursorKey: string };

/** One page of the registry: every filter and the keyset condition arrive as indexed predicates. */
export async function listElders(ex: Executor, spec: ListSpec): Promise<ElderListRow[]> {
  return ex
    .select({
      ...getTableColumns(elders),
      cursorKey: sql<string>`${spec.cursorKey}`,
    })
    .from(elders)
    .where(and(...spec.where))
    .orderBy(spec.order)
    .limit(spec.limit);
}

export async function currentDoctors(
  ex: Executor,
  elderIds: number[],
  today: string,
): Promise<Map<number, { id: number; name: string; endDate: string | null }>> {
  if (elderIds.length === 0) return new Map();
  const r = await rows<{ elder_id: number; id: number; name: string; end_date: string | null }>(
    ex,
    sql`SELECT DISTINCT ON (dc.elder_id) dc.elder_id, u.id, u.display_name AS name, dc.end_date
        FROM ${doctorContracts} dc JOIN ${accountRows} u ON u.id = dc.doctor_id -- joins users via accounts.accountRows
        WHERE dc.elder_id = ANY(${sql.param(elderIds)}::bigint[])
          AND dc.start_date <= ${today}::date AND (dc.end_date IS NULL OR dc.end_date >= ${today}::date)
        ORDER BY dc.elder_id, dc.start_date DESC, dc.id DESC`,
  );
  return new Map(r.map((x) => [x.elder_id, { id: x.id, name: x.name, endDate: x.end_date }]));
}

/**
 * Every family doctor under a contract running on `today` with an active doctor account — the same rule
 * the ladders' 家庭医生 rung follows (incidents' familyDoctorsMany) — with the phone, for the circle panel.
 */
export async function contractedDoctors(
  ex: Executor,
  elderIds: number[],
  today: string,
): Promise<Map<number, { id: number; name: string; phone: string | null; endDate: string | null }[]>> {
  const out = new Map<number, { id: number; name: string; phone: string | null; endDate: string | null }[]>();
  if (elderIds.length === 0) return out;
  const r = await rows<{
    elder_id: number;
    id: number;
    name: string;
    phone: string | null;
    end_date: string | null;
  }>(
    ex,
    sql`SELECT DISTINCT ON (dc.elder_id, u.id) dc.elder_id, u.id, u.display_name AS name, u.phone, dc.end_date
        FROM ${doctorContracts} dc JOIN ${accountRows} u ON u.id = dc.doctor_id AND u.active -- joins users via accounts.accountRows
        WHERE dc.elder_id = ANY(${sql.param(elderIds)}::bigint[])
          AND dc.start_date <= ${today}::date AND (dc.end_date IS NULL OR dc.end_date >= ${today}::date)
        ORDER BY dc.elder_id, u.id, dc.end_date DESC NULLS FIRST`,
  );
  for (const x of r) {
    const d = { id: x.id, name: x.name, phone: x.phone, endDate: x.end_date };
    const list = out.get(x.elder_id);
    if (list) list.push(d);
    else out.set(x.elder_id, [d]);
  }
  return out;
}

/** Per child org of `parentPath` (or per scope node): elders and the three completeness counts. */
export async function completeness(
  ex: Executor,
  groups: { id: number; path: string }[],
  visible: SQL,
  today: string,
): Promise<Map<number, { elders: number; health: number; doctor: number; agreement: number }>> {
  const out = new Map<number, { elders: number; health: number; doctor: number; agreement: number }>();
  if (groups.length === 0) return out;
  const values = sql.join(
    groups.map((g) => sql`(${g.id}::bigint, ${g.path}::text)`),
    sql`, `,
  );
  const r = await rows<{ gid: number; elders: number; health: number; doctor: number; agreement: number }>(
    ex,
    sql`SELECT g.gid,
          count(${elders.id})::int AS elders,
          count(${elders.id}) FILTER (WHERE ${elders.abilityLevel} IS NOT NULL
            OR EXISTS (SELECT 1 FROM ${elderConditions} c WHERE c.elder_id = ${elders.id}))::int AS health,
          count(${elders.id}) FILTER (WHERE ${activeContractOf(elders.id, today)})::int AS doctor,
          count(${elders.id}) FILTER (WHERE ${elders.agreementSignedAt} IS NOT NULL)::int AS agreement
        FROM (VALUES ${values}) AS g(gid, gpath)
        LEFT JOIN ${elders} ON ${elders.orgPath} LIKE g.gpath || '%'
          AND ${elders.status} IN ('active', 'hospitalised') AND ${visible}
        GROUP BY g.gid`,
  );
  for (const x of r)
    out.set(x.gid, { elders: x.elders, health: x.health, doctor: x.doctor, agreement: x.agreement });
  return out;
}

export async function latestAssessmentLevel(ex: Executor, elderId: number) {
  const [row] = await ex
    .select({ level: abilityAssessments.level, assessedOn: abilityAssessments.assessedOn })
    .from(abilityAssessments)
    .where(eq(abilityAssessments.elderId, elderId))
    .orderBy(sql`${abilityAssessments.assessedOn} DESC, ${abilityAssessments.id} DESC`)
    .limit(1);
  return row;
}
