import type { IncidentKind, Severity } from '../../../shared/incidents.ts';
import { AppError } from '../../platform/app-error.ts';
import type { Executor, Tx } from '../../platform/db.ts';
import type { HubMessage } from '../../platform/sse.ts';
import type { SweepDeps } from '../../platform/sweeper.ts';
import { type ElderBasics, elderBasics, elderBasicsMany } from './elder-facts.ts';
import { advanceLadder, fireDueSteps, incidentPush } from './escalate.ts';
import * as repo from './incidents.repo.ts';
import { defaultSeverity, planTrigger } from './ladder.ts';

export interface RaiseInput {
  elderId: number;
  kind: IncidentKind;
  severity?: Severity;
  /** where the trigger came from, e.g. { deviceId, eventId } or { careAlert: … } */
  source?: Record<string, unknown>;
  summary?: string | null;
  actor?: { id: number | null; label: string };
}

export interface RaiseResult {
  incident: repo.IncidentRow;
  joined: boolean;
}

/** A new incident's row: open, its ladder due at once. */
function newIncident(
  elder: Pick<ElderBasics, 'id' | 'orgPath'>,
  input: RaiseInput,
  kind: IncidentKind,
  severity: Severity,
  now: Date,
): repo.IncidentInsert {
  return {
    elderId: elder.id,
    orgPath: elder.orgPath,
    kind,
    ladderKind: kind,
    severity,
    state: 'open',
    stepIndex: 0,
    stepAttempt: 0,
    nextStepAt: now,
    triggeredAt: now,
    source: input.source ?? null,
    summary: input.summary ?? null,
    createdBy: input.actor?.id ?? null,
  };
}

/** Its first timeline event. */
function openedEvent(i: repo.IncidentRow, input: RaiseInput, now: Date) {
  return {
    incidentId: i.id,
    orgPath: i.orgPath,
    at: now,
    type: 'opened',
    actorId: input.actor?.id ?? null,
    actorLabel: input.actor?.label ?? '系统',
    details: {
      kind: i.kind,
      severity: i.severity,
      source: input.source ?? null,
      summary: input.summary ?? null,
    },
  };
}

/**
 * Opens an incident, or joins the elder's active one (at most one active incident per elder, held by
 * a partial unique index so two simultaneous triggers cannot both open). A new incident fires its
 * first ladder step in the same transaction: the dispatcher hears of an SOS without waiting a sweep.
 */
export async function raiseInTx(
  tx: Executor,
  deps: Pick<SweepDeps, 'config'>,
  input: RaiseInput,
  now: Date,
  push: HubMessage[],
): Promise<RaiseResult> {
  const elder = await elderBasics(tx, input.elderId);
  if (!elder) throw new AppError('NOT_FOUND', { zh: '找不到该服务对象', en: 'Elder not found' });
  const actor = input.actor ?? { id: null, label: '系统' };
  for (let tries = 0; tries < 3; tries++) {
    const open = await repo.activeOfElderForUpdate(tx, input.elderId);
    const plan = planTrigger(
      open
        ? {
            id: open.id,
            kind: open.kind as IncidentKind,
            severity: open.severity as Severity,
            state: open.state as never,
          }
        : null,
      input,
    );
    if (plan.action === 'join' && open) {
      let incident = await repo.updateIncident(tx, open.id, {
        triggers: open.triggers + 1,
        severity: plan.severity,
        ...(plan.restartLadderAs
          ? { ladderKind: plan.restartLadderAs, stepIndex: 0, stepAttempt: 0, nextStepAt: now }
          : {}),
      });
      await repo.insertEvent(tx, {
        incidentId: incident.id,
        orgPath: incident.orgPath,
        at: now,
        type: 'trigger_joined',
        actorId: actor.id,
        actorLabel: actor.label,
        details: { kind: input.kind, source: input.source ?? null, restartedLadder: plan.restartLadderAs },
      });
      push.push(incidentPush(incident, 'joined'));
      if (plan.restartLadderAs) incident = await advanceLadder(tx, deps, incident, now, push, { elder });
      return { incident, joined: true };
    }
    if (plan.action !== 'open') continue;
    const inserted = await repo.insertIncident(tx, newIncident(elder, input, plan.kind, plan.severity, now));
    if (!inserted) continue; // another trigger opened one a moment ago: join it
    await repo.insertEvent(tx, openedEvent(inserted, input, now));
    push.push(incidentPush(inserted, 'opened'));
    // the first step fires at once, in a savepoint: if it cannot (a broken ladder), the incident is still
    // recorded and left due, and the sweeper retries it — an SOS is never lost to a notification problem
    const mine: HubMessage[] = [];
    let incident = inserted;
    try {
      incident = await tx.transaction((sp) => advanceLadder(sp, deps, inserted, now, mine, { elder }));
      push.push(...mine);
    } catch (err) {
      console.error(
        `[carecircle] first ladder step of incident ${inserted.id} failed; the sweeper will retry`,
        err,
      );
    }
    return { incident, joined: false };
  }
  throw new AppError('CONFLICT');
}

/**
 * The hand-off for other modules (the care network's silence alerts: no contact by the deadline, at-risk
 * elder not reached): raise or join incidents for elders, as the system, in the caller's transaction
 * (the durable hand-off marks its events done in it, decision 0016; the pushes go out once it has
 * committed). Many at once (the 20:00 silence sweep hands over thousands, in batches of 500 events per
 * transaction, so a huge evening never holds one long transaction): elders without an active incident
 * get one each, opened and first step fired together in a few statements; an elder who has one (or gets
 * one meanwhile) joins it through `raiseInTx`, one by one, as a single trigger would. Returns the
 * incidents opened.
 */
export async function raiseIncidentsInTx(
  tx: Tx,
  deps: Pick<SweepDeps, 'config'>,
  part: RaiseInput[],
  now: Date,
  push: HubMessage[],
): Promise<number> {
  const elders = await elderBasicsMany(
    tx,
    part.map((i) => i.elderId),
  );
  const active = await repo.activeOfEldersForUpdate(tx, [...elders.keys()]);
  const fresh = new Map<number, RaiseInput>();
  const oneByOne: RaiseInput[] = [];
  for (const input of part) {
    if (!elders.has(input.elderId)) continue; // gone from the registry since the alert
    if (active.has(input.elderId) || fresh.has(input.elderId)) oneByOne.push(input);
    else fresh.set(input.elderId, input);
  }
  const inserted = await repo.insertIncidents(
    tx,
    [...fresh.values()].map((input) =>
      newIncident(
        elders.get(input.elderId) as ElderBasics,
        input,
        input.kind,
        input.severity ?? defaultSeverity[input.kind],
        now,
      ),
    ),
  );
  const got = new Set(inserted.map((i) => i.elderId));
  for (const input of fresh.values()) if (!got.has(input.elderId)) oneByOne.push(input);
  await repo.insertEvents(
    tx,
    inserted.map((i) => openedEvent(i, fresh.get(i.elderId) as RaiseInput, now)),
  );
  for (const i of inserted) push.push(incidentPush(i, 'opened'));
  // first steps together, in a savepoint: if they cannot fire, the incidents stay recorded and due
  const mine: HubMessage[] = [];
  try {
    await tx.transaction((sp) => fireDueSteps(sp, deps, inserted, now, mine, [...elders.values()]));
    push.push(...mine);
  } catch (err) {
    console.error('[carecircle] first ladder steps of a batch failed; the sweeper will retry', err);
  }
  for (const input of oneByOne) await raiseInTx(tx, deps, input, now, push);
  return inserted.length;
}
