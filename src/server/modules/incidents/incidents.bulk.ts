import { incidentKinds } from '../../../shared/incidents.ts';
import type { Executor } from '../../platform/db.ts';
import { type IncidentInsert, insertEvents } from './incidents.repo.ts';
import { incidents, ladders } from './incidents.schema.ts';
import { defaultLadders } from './ladder.ts';

/**
 * The emergency module's bulk path, for generators (the demo district, benchmarks): saved default
 * ladders, and past incidents with their timelines as plain rows, one statement per table per call. No
 * access check, no audit, no ladder run and no push: system use, never reachable from a request (a
 * request raises an incident through `raiseInTx`). The caller chunks.
 */

/** The default ladder of every kind as saved policy; a kind already saved keeps its ladder. */
export async function saveDefaultLadders(ex: Executor): Promise<void> {
  await ex
    .insert(ladders)
    .values(
      incidentKinds.map((kind) => ({
        kind,
        steps: defaultLadders[kind].steps,
        throttleSeconds: defaultLadders[kind].throttleSeconds,
      })),
    )
    .onConflictDoNothing();
}

/** Incidents in one statement; returns their ids in the order given. */
export async function insertIncidentsBulk(ex: Executor, list: IncidentInsert[]): Promise<number[]> {
  if (list.length === 0) return [];
  return (await ex.insert(incidents).values(list).returning({ id: incidents.id })).map((r) => r.id);
}

/** Timeline events in one statement. */
export const insertIncidentEventsBulk = insertEvents;
