import { and, asc, count, desc, eq, getTableColumns, inArray, type SQL, sql } from 'drizzle-orm';
import { activeStates } from '../../../shared/incidents.ts';
import { type Executor, rows } from '../../platform/db.ts';
import { elderRows } from '../elders/elders.rows.ts';
import {
  elderCheckins,
  elderLinkKeys,
  elderLinks,
  elderPageRequests,
  incidentEvents,
  incidents,
  ladders,
} from './incidents.schema.ts';

export type IncidentRow = typeof incidents.$inferSelect;
export type IncidentInsert = typeof incidents.$inferInsert;
export type IncidentWithName = IncidentRow & { elderName: string | null };

const withName = { ...getTableColumns(incidents), elderName: sql<string | null>`e.name` };
/** the elder's name beside each incident */
const elderJoin = [sql`${elderRows} e`, sql`e.id = ${incidents.elderId}`] as const; // joins elders via elders.elderRows

/** Inserts unless the elder already has an active incident (partial unique index): then undefined. */
export async function insertIncident(ex: Executor, i: IncidentInsert): Promise<IncidentRow | undefined> {
  const [row] = await ex.insert(incidents).values(i).onConflictDoNothing().returning();
  return row;
}

export async function activeOfElderForUpdate(
  ex: Executor,
  elderId: number,
): Promise<IncidentRow | undefined> {
  const [row] = await ex
    .select()
    .from(incidents)
    .where(and(eq(incidents.elderId, elderId), inArray(incidents.state, [...activeStates])))
    .for('update');
  return row;
}

/** The active incidents of many elders, locked: elder id → incident. */
export async function activeOfEldersForUpdate(
  ex: Executor,
  elderIds: number[],
): Promise<Map<number, IncidentRow>> {
  if (elderIds.length === 0) return new Map();
  const r = await ex
    .select()
    .from(incidents)
    .where(
      and(
        sql`${incidents.elderId} = ANY(${sql.param(elderIds)}::bigint[])`,
        inArray(incidents.state, [...activeStates]),
      ),
    )
    .for('update');
  return new Map(r.map((i) => [i.elderId, i]));
}

/** Inserts many; an elder who meanwhile got an active incident is skipped (partial unique index). */
export async function insertIncidents(ex: Executor, list: IncidentInsert[]): Promise<IncidentRow[]> {
  if (list.length === 0) return [];
  return ex.insert(incidents).values(list).onConflictDoNothing().returning();
}

export async function activeOfElder(ex: Executor, elderId: number): Promise<IncidentRow | undefined> {
  const [row] = await ex
    .select()
    .from(incidents)
    .where(and(eq(incidents.elderId, elderId), inArray(incidents.state, [...activeStates])));
  return row;
}

export async function getIncident(ex: Executor, id: number): Promise<IncidentWithName | undefined> {
  const [row] = await ex
    .select(withName)
    .from(incidents)
    .leftJoin(...elderJoin)
    .where(eq(incidents.id, id));
  return row;
}

export async function getIncidentForUpdate(ex: Executor, id: number): Promise<IncidentRow | undefined> {
  const [row] = await ex.select().from(incidents).where(eq(incidents.id, id)).for('update');
  return row;
}

export async function updateIncident(
  ex: Executor,
  id: number,
  patch: Partial<IncidentInsert>,
): Promise<IncidentRow> {
  const [row] = await ex
    .update(incidents)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(incidents.id, id))
    .returning();
  return row;
}

/** Adds someone to 已知晓 (once), leaving the state and the ladder's timer as they are. */
export async function addKnown(ex: Executor, id: number, label: string): Promise<IncidentRow> {
  const [row] = await ex
    .update(incidents)
    .set({
      knownBy: sql`CASE WHEN ${label}::text = ANY(${incidents.knownBy}) THEN ${incidents.knownBy}
        ELSE array_append(${incidents.knownBy}, ${label}::text) END`,
      updatedAt: sql`now()`,
    })
    .where(eq(incidents.id, id))
    .returning();
  return row;
}

/** The sweeper's claim: due ladders, locked, skipping rows another process holds. */
export async function claimDueLadders(ex: Executor, now: Date, limit: number): Promise<IncidentRow[]> {
  return ex
    .select()
    .from(incidents)
    .where(
      and(eq(incidents.state, 'open'), sql`${incidents.nextStepAt} <= ${now.toISOString()}::timestamptz`),
    )
    .orderBy(asc(incidents.nextStepAt))
    .limit(limit)
    .for('update', { skipLocked: true });
}

/** The console queue: active first (most severe, oldest), then the rest newest first. */
export async function listIncidents(
  ex: Executor,
  q: { visible: SQL; states?: string[]; elderId?: number; limit: number; offset: number },
): Promise<{ items: IncidentWithName[]; total: number }> {
  const where = and(
    q.visible,
    q.states ? inArray(incidents.state, q.states) : undefined,
    q.elderId ? eq(incidents.elderId, q.elderId) : undefined,
  );
  const items = await ex
    .select(withName)
    .from(incidents)
    .leftJoin(...elderJoin)
    .where(where)
    .orderBy(
      sql`CASE WHEN ${incidents.state} IN ('open','acknowledged','responder_en_route','on_scene') THEN 0 ELSE 1 END`,
      sql`CASE ${incidents.state} WHEN 'open' THEN 0 ELSE 1 END`,
      sql`CASE ${incidents.severity} WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END`,
      sql`CASE WHEN ${incidents.state} IN ('open','acknowledged','responder_en_route','on_scene') THEN ${incidents.triggeredAt} END ASC`,
      desc(incidents.triggeredAt),
      desc(incidents.id),
    )
    .limit(q.limit)
    .offset(q.offset);
  const [{ n }] = await ex.select({ n: count() }).from(incidents).where(where);
  return { items, total: n };
}

export async function recentOfElder(ex: Executor, elderId: number, exceptId: number, limit = 5) {
  return ex
    .select(withName)
    .from(incidents)
    .leftJoin(...elderJoin)
    .where(and(eq(incidents.elderId, elderId), sql`${incidents.id} <> ${exceptId}`))
    .orderBy(desc(incidents.triggeredAt))
    .limit(limit);
}

export async function hasEventOfType(ex: Executor, incidentId: number, type: string): Promise<boolean> {
  const r = await rows(
    ex,
    sql`SELECT 1 FROM ${incidentEvents} WHERE incident_id = ${incidentId} AND type = ${type} LIMIT 1`,
  );
  return r.length > 0;
}

export async function insertEvent(ex: Executor, e: typeof incidentEvents.$inferInsert): Promise<void> {
  await ex.insert(incidentEvents).values(e);
}

/** Many timeline events in one statement (the ladder sweeper's batch). */
export async function insertEvents(
  ex: Executor,
  list: (typeof incidentEvents.$inferInsert & { at: Date })[],
) {
  if (list.length === 0) return;
  const col = <T>(f: (e: (typeof list)[number]) => T) => sql.param(list.map(f));
  await ex.execute(
    sql`INSERT INTO incident_events (incident_id, org_path, at, type, actor_id, actor_label, details)
        SELECT i, o, a, t, ai, al, d::jsonb FROM unnest(${col((e) => e.incidentId)}::bigint[],
          ${col((e) => e.orgPath)}::text[], ${col((e) => e.at.toISOString())}::timestamptz[],
          ${col((e) => e.type)}::text[], ${col((e) => e.actorId ?? null)}::bigint[],
          ${col((e) => e.actorLabel)}::text[],
          ${col((e) => (e.details == null ? null : JSON.stringify(e.details)))}::text[]) AS x(i, o, a, t, ai, al, d)`,
  );
}

/** Ladder positions of many incidents in one statement; returns the updated rows. */
export async function updateLadderPositions(
  ex: Executor,
  list: {
    id: number;
    stepIndex: number;
    stepAttempt: number;
    nextStepAt: Date | null;
    lastStepAt: Date | null;
  }[],
): Promise<IncidentRow[]> {
  if (list.length === 0) return [];
  const col = <T>(f: (e: (typeof list)[number]) => T) => sql.param(list.map(f));
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return ex
    .update(incidents)
    .set({
      stepIndex: sql`x.step_index`,
      stepAttempt: sql`x.step_attempt`,
      nextStepAt: sql`x.next_step_at`,
      lastStepAt: sql`coalesce(x.last_step_at, ${incidents.lastStepAt})`,
      updatedAt: sql`now()`,
    })
    .from(
      sql`unnest(${col((e) => e.id)}::bigint[], ${col((e) => e.stepIndex)}::int[], ${col((e) => e.stepAttempt)}::int[],
        ${col((e) => iso(e.nextStepAt))}::timestamptz[], ${col((e) => iso(e.lastStepAt))}::timestamptz[])
        AS x(id, step_index, step_attempt, next_step_at, last_step_at)`,
    )
    .where(sql`${incidents.id} = x.id`)
    .returning();
}

export async function timelineOf(ex: Executor, incidentId: number) {
  return ex
    .select()
    .from(incidentEvents)
    .where(eq(incidentEvents.incidentId, incidentId))
    .orderBy(asc(incidentEvents.at), asc(incidentEvents.id));
}

export async function getLadderRow(ex: Executor, kind: string) {
  const [row] = await ex.select().from(ladders).where(eq(ladders.kind, kind));
  return row;
}

/** Ladder rows of the given kinds (the administrator's edits). */
export async function getLadderRows(ex: Executor, kinds: string[]) {
  if (kinds.length === 0) return [];
  return ex.select().from(ladders).where(inArray(ladders.kind, kinds));
}

export async function listLadderRows(ex: Executor) {
  return ex.select().from(ladders);
}

export async function upsertLadder(
  ex: Executor,
  l: { kind: string; steps: unknown; throttleSeconds: number; updatedBy: number | null },
) {
  const [row] = await ex
    .insert(ladders)
    .values({ ...l, updatedAt: sql`now()` })
    .onConflictDoUpdate({
      target: ladders.kind,
      set: {
        steps: l.steps,
        throttleSeconds: l.throttleSeconds,
        updatedBy: l.updatedBy,
        updatedAt: sql`now()`,
      },
    })
    .returning();
  return row;
}

export async function insertElderLink(
  ex: Executor,
  l: { tokenHash: string; elderId: number; orgPath: string; nonce: string },
) {
  await ex
    .update(elderLinks)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(elderLinks.elderId, l.elderId), sql`${elderLinks.revokedAt} IS NULL`));
  await ex.insert(elderLinks).values(l);
}

export async function findElderLink(ex: Executor, tokenHash: string) {
  const [row] = await ex
    .select()
    .from(elderLinks)
    .where(and(eq(elderLinks.tokenHash, tokenHash), sql`${elderLinks.revokedAt} IS NULL`));
  return row;
}

export async function activeElderLink(ex: Executor, elderId: number) {
  const [row] = await ex
    .select()
    .from(elderLinks)
    .where(and(eq(elderLinks.elderId, elderId), sql`${elderLinks.revokedAt} IS NULL`));
  return row;
}

/** The stored link key, made once (two processes racing keep the first). */
export async function storedElderLinkKey(ex: Executor, fresh: string): Promise<string> {
  await ex.insert(elderLinkKeys).values({ id: 1, key: fresh }).onConflictDoNothing();
  const [row] = await ex.select().from(elderLinkKeys).where(eq(elderLinkKeys.id, 1));
  return row.key;
}

/** Claims an elder-page requestId; false when it was claimed before (a retry). */
export async function claimElderPageRequest(
  ex: Executor,
  r: { elderId: number; requestId: string; kind: string; createdAt: Date },
): Promise<boolean> {
  const got = await ex
    .insert(elderPageRequests)
    .values(r)
    .onConflictDoNothing()
    .returning({ id: elderPageRequests.elderId });
  return got.length > 0;
}

export async function findElderPageRequest(ex: Executor, elderId: number, requestId: string) {
  const [row] = await ex
    .select()
    .from(elderPageRequests)
    .where(and(eq(elderPageRequests.elderId, elderId), eq(elderPageRequests.requestId, requestId)));
  return row;
}

export async function setElderPageRequestIncident(
  ex: Executor,
  elderId: number,
  requestId: string,
  incidentId: number,
): Promise<void> {
  await ex
    .update(elderPageRequests)
    .set({ incidentId })
    .where(and(eq(elderPageRequests.elderId, elderId), eq(elderPageRequests.requestId, requestId)));
}

/** One check-in per elder and Shanghai day; true when this one is new. */
export async function insertCheckin(
  ex: Executor,
  c: { elderId: number; onDate: string; orgPath: string; at: Date },
): Promise<boolean> {
  const r = await ex
    .insert(elderCheckins)
    .values(c)
    .onConflictDoNothing()
    .returning({ id: elderCheckins.elderId });
  return r.length > 0;
}

export async function hasCheckin(ex: Executor, elderId: number, onDate: string): Promise<boolean> {
  const r = await rows(
    ex,
    sql`SELECT 1 FROM ${elderCheckins} WHERE elder_id = ${elderId} AND on_date = ${onDate} LIMIT 1`,
  );
  return r.length > 0;
}
