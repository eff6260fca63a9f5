import type { Channel, IncidentKind, IncidentState, Ladder, LadderStep } from '../../../shared/incidents.ts';
import { incidentKindLabels, ladderSchema } from '../../../shared/incidents.ts';
import { shanghaiDate } from '../../platform/clock.ts';
import { type Executor, withTx } from '../../platform/db.ts';
import { type HubMessage, hubOf } from '../../platform/sse.ts';
import type { SweepDeps } from '../../platform/sweeper.ts';
import { enqueue } from '../notifications/notifications.service.ts';
import {
  circleInCallOrder,
  type ElderBasics,
  elderBasics,
  familyDoctors,
  staffCovering,
} from './elder-facts.ts';
import * as repo from './incidents.repo.ts';
import { defaultLadders, nextStep, promptOf } from './ladder.ts';

/** The ladder in force for a kind: the administrator's, or the shipped default. */
export async function ladderOf(ex: Executor, kind: string): Promise<Ladder> {
  const row = await repo.getLadderRow(ex, kind);
  if (!row) return defaultLadders[kind as IncidentKind] ?? defaultLadders.sos_device;
  return ladderSchema.parse({ kind, steps: row.steps, throttleSeconds: row.throttleSeconds });
}

interface Recipient {
  label: string;
  userId: number | null;
  phone: string | null;
}

const circleKinds: Record<string, string> = {
  community_worker: 'community_worker',
  unit_contact: 'unit_contact',
};

async function recipientsOf(
  tx: Executor,
  step: LadderStep,
  incident: repo.IncidentRow,
  now: Date,
): Promise<Recipient[]> {
  const staff = (s: { id: number; displayName: string; phone: string | null }) => ({
    label: s.displayName,
    userId: s.id,
    phone: s.phone,
  });
  switch (step.whom) {
    case 'dispatcher_on_duty':
    case 'emergency_services':
      // 110/120 is a prompted action: the dispatchers on duty are told to call
      return (await staffCovering(tx, 'dispatcher', incident.orgPath)).map(staff);
    case 'supervisor':
      return (await staffCovering(tx, 'manager', incident.orgPath)).map(staff);
    case 'family_doctor': {
      const doctors = (await familyDoctors(tx, incident.elderId, shanghaiDate(now))).map(staff);
      if (doctors.length) return doctors;
      break;
    }
    default:
      break;
  }
  const circle = await circleInCallOrder(tx, incident.elderId);
  const kind = step.whom === 'family_doctor' ? 'family_doctor' : circleKinds[step.whom];
  const chosen =
    step.whom === 'circle'
      ? circle.filter((c) => c.kind !== 'community_worker').slice(0, step.circleCount ?? 1)
      : circle.filter((c) => c.kind === kind);
  return chosen.map((c) => ({
    label: `${c.name}${c.relation ? `（${c.relation}）` : ''}`,
    userId: c.userId,
    phone: c.phones[0] ?? null,
  }));
}

function addressOf(channel: Channel, r: Recipient, incidentId: number): string | null {
  switch (channel) {
    case 'in_app':
      return r.userId == null ? null : `user:${r.userId}`;
    case 'sms':
    case 'voice':
      return r.phone;
    case 'webhook':
      return `webhook:${r.userId ?? r.phone ?? r.label}`;
    case 'console':
      return `console:${r.userId ?? r.phone ?? r.label}:${incidentId}`;
  }
}

export function incidentPush(
  i: Pick<repo.IncidentRow, 'id' | 'orgPath' | 'state' | 'kind' | 'severity'>,
  change: string,
): HubMessage {
  return {
    orgPath: i.orgPath,
    event: { type: 'incident', incidentId: i.id, state: i.state, kind: i.kind, severity: i.severity, change },
  };
}

/**
 * Applies the ladder to a locked incident row: fires every step that is due at `now` (a step without
 * anyone to reach is passed over at once, so silence never waits on an empty rung). Idempotent: the
 * position is read from the locked row and the outbox key is deterministic.
 */
export async function advanceLadder(
  tx: Executor,
  deps: Pick<SweepDeps, 'config'>,
  incident: repo.IncidentRow,
  now: Date,
  push: HubMessage[],
  known: { elder?: ElderBasics } = {},
): Promise<repo.IncidentRow> {
  if (incident.state !== 'open' || !incident.nextStepAt || incident.nextStepAt > now) return incident;
  const ladder = await ladderOf(tx, incident.ladderKind);
  let current = incident;
  const elder = known.elder ?? (await elderBasics(tx, incident.elderId));
  for (let guard = 0; guard <= ladder.steps.length * 11; guard++) {
    const move = nextStep(ladder, { ...current, state: current.state as IncidentState }, now);
    if (move.action === 'none') break;
    if (move.action === 'exhausted') {
      current = await repo.updateIncident(tx, current.id, { nextStepAt: null });
      await repo.insertEvent(tx, {
        incidentId: current.id,
        orgPath: current.orgPath,
        at: now,
        type: 'ladder_exhausted',
        actorLabel: '系统',
        details: { steps: ladder.steps.length },
      });
      push.push(incidentPush(current, 'step'));
      break;
    }
    const { step } = move;
    const recipients = await recipientsOf(tx, step, current, now);
    const prompt = promptOf(step);
    const what = incidentKindLabels[current.ladderKind as IncidentKind]?.zh ?? current.kind;
    const text = `【关爱圈】${elder?.name ?? ''}${elder?.address ? `（${elder.address}）` : ''}：${what}${prompt ? `，${prompt}` : '，请尽快联系确认'}。`;
    let sent = 0;
    for (const r of recipients) {
      for (const channel of step.channels) {
        const address = addressOf(channel, r, current.id);
        if (!address) continue;
        const row = await enqueue(
          tx,
          {
            incidentId: current.id,
            orgPath: current.orgPath,
            stepIndex: move.stepIndex,
            attempt: move.attempt,
            whom: step.whom,
            recipientLabel: r.label,
            recipientUserId: r.userId,
            channel,
            address,
            text,
          },
          { now, throttleSeconds: ladder.throttleSeconds, publicUrl: deps.config.notify.publicUrl, push },
        );
        if (row) sent++;
      }
    }
    const nothingToWaitFor = sent === 0 && !prompt;
    current = await repo.updateIncident(tx, current.id, {
      stepIndex: move.next.stepIndex,
      stepAttempt: move.next.stepAttempt,
      nextStepAt: nothingToWaitFor ? now : move.next.nextStepAt,
      lastStepAt: now,
    });
    await repo.insertEvent(tx, {
      incidentId: current.id,
      orgPath: current.orgPath,
      at: now,
      type: sent === 0 ? 'step_skipped' : 'step_fired',
      actorLabel: '系统',
      details: {
        stepIndex: move.stepIndex,
        attempt: move.attempt,
        whom: step.whom,
        channels: step.channels,
        notified: sent,
        recipients: recipients.map((r) => r.label),
        ...(prompt ? { prompt } : {}),
      },
    });
    push.push(incidentPush(current, 'step'));
  }
  return current;
}

/** Sweep job: due ladders, claimed with SKIP LOCKED, fired and committed together. */
export async function sweepLadders(
  deps: SweepDeps,
  now: Date,
  batch: number,
  onError: ((incidentId: number, err: unknown) => void) | undefined = (id, err) =>
    console.error(`[carecircle] ladder step of incident ${id} failed`, err),
): Promise<number> {
  const push: HubMessage[] = [];
  const n = await withTx(deps.db, async (tx) => {
    const due = await repo.claimDueLadders(tx, now, batch);
    for (const incident of due) {
      // a savepoint per incident: one broken row (say, a ladder edited into nonsense) never holds
      // back the others; it stays due and is retried on the next sweep
      const mine: HubMessage[] = [];
      try {
        await tx.transaction((sp) => advanceLadder(sp, deps, incident, now, mine));
        push.push(...mine);
      } catch (err) {
        onError?.(incident.id, err);
      }
    }
    return due.length;
  });
  await hubOf(deps.database).publish(push);
  return n;
}
