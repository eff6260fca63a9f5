import type { Channel, IncidentKind, IncidentState, Ladder, LadderStep } from '../../../shared/incidents.ts';
import { incidentKindLabels, ladderSchema } from '../../../shared/incidents.ts';
import { shanghaiDate } from '../../platform/clock.ts';
import { type Executor, withTx } from '../../platform/db.ts';
import { type HubMessage, hubOf } from '../../platform/sse.ts';
import type { SweepDeps } from '../../platform/sweeper.ts';
import { enqueueMany, type OutgoingMessage } from '../notifications/notifications.service.ts';
import { smsSafe } from '../notifications/sms-text.ts';
import {
  type CircleMember,
  circlesInCallOrder,
  communityWorkersMany,
  type ElderBasics,
  elderBasicsMany,
  familyDoctorsMany,
  type StaffMember,
  staffCoveringPaths,
} from './elder-facts.ts';
import * as repo from './incidents.repo.ts';
import { defaultLadders, nextStep, promptOf } from './ladder.ts';

/** The ladders in force for some kinds: the administrator's, or the shipped defaults. */
export async function laddersOf(ex: Executor, kinds: string[]): Promise<Map<string, Ladder>> {
  const unique = [...new Set(kinds)];
  const edited = new Map((await repo.getLadderRows(ex, unique)).map((r) => [r.kind, r]));
  return new Map(
    unique.map((kind) => {
      const row = edited.get(kind);
      const ladder = row
        ? ladderSchema.parse({ kind, steps: row.steps, throttleSeconds: row.throttleSeconds })
        : (defaultLadders[kind as IncidentKind] ?? defaultLadders.sos_device);
      return [kind, ladder];
    }),
  );
}

/** The ladder in force for a kind: the administrator's, or the shipped default. */
export async function ladderOf(ex: Executor, kind: string): Promise<Ladder> {
  return (await laddersOf(ex, [kind])).get(kind) as Ladder;
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

/**
 * What a batch of steps needs to know about its elders, read once per batch (a handful of
 * statements whatever the number of incidents), and filled in as later rounds need more.
 */
class Facts {
  elders = new Map<number, ElderBasics>();
  circles = new Map<number, CircleMember[]>();
  doctors = new Map<number, StaffMember[]>();
  staff = {
    dispatcher: new Map<string, StaffMember[]>(),
    manager: new Map<string, StaffMember[]>(),
    /** coordinators covering the elder's org: the 社区工作者 rung when the circle names none */
    communityWorker: new Map<string, StaffMember[]>(),
  };

  constructor(
    private tx: Executor,
    private today: string,
  ) {}

  async load(wanted: { incident: repo.IncidentRow; step: LadderStep }[]) {
    const missing = <K>(have: Map<K, unknown>, keys: K[]) => [...new Set(keys)].filter((k) => !have.has(k));
    const whom = (w: string[]) => wanted.filter((x) => w.includes(x.step.whom)).map((x) => x.incident);
    const elders = missing(
      this.elders,
      wanted.map((x) => x.incident.elderId),
    );
    const doctors = missing(
      this.doctors,
      whom(['family_doctor']).map((i) => i.elderId),
    );
    const dispatchers = missing(
      this.staff.dispatcher,
      whom(['dispatcher_on_duty', 'emergency_services']).map((i) => i.orgPath),
    );
    const managers = missing(
      this.staff.manager,
      whom(['supervisor']).map((i) => i.orgPath),
    );
    const workers = missing(
      this.staff.communityWorker,
      whom(['community_worker']).map((i) => i.orgPath),
    );
    const [e, d, sd, sm, sw] = await Promise.all([
      elderBasicsMany(this.tx, elders),
      familyDoctorsMany(this.tx, doctors, this.today),
      staffCoveringPaths(this.tx, 'dispatcher', dispatchers),
      staffCoveringPaths(this.tx, 'manager', managers),
      communityWorkersMany(this.tx, workers),
    ]);
    for (const id of elders) if (e.has(id)) this.elders.set(id, e.get(id) as ElderBasics);
    for (const id of doctors) this.doctors.set(id, d.get(id) ?? []);
    for (const p of dispatchers) this.staff.dispatcher.set(p, sd.get(p) ?? []);
    for (const p of managers) this.staff.manager.set(p, sm.get(p) ?? []);
    for (const p of workers) this.staff.communityWorker.set(p, sw.get(p) ?? []);
    // the circle is the fallback of every personal rung (a family doctor without a contract too)
    const circles = missing(
      this.circles,
      wanted
        .filter(
          (x) =>
            x.step.whom === 'circle' ||
            x.step.whom in circleKinds ||
            (x.step.whom === 'family_doctor' && !this.doctors.get(x.incident.elderId)?.length),
        )
        .map((x) => x.incident.elderId),
    );
    const c = await circlesInCallOrder(this.tx, circles);
    for (const id of circles) this.circles.set(id, c.get(id) ?? []);
  }

  /** Whom a step reaches for an incident (after `load`). */
  recipients(step: LadderStep, incident: repo.IncidentRow): Recipient[] {
    const staff = (s: StaffMember) => ({ label: s.displayName, userId: s.id, phone: s.phone });
    switch (step.whom) {
      case 'dispatcher_on_duty':
      case 'emergency_services':
        // 110/120 is a prompted action: the dispatchers on duty are told to call
        return (this.staff.dispatcher.get(incident.orgPath) ?? []).map(staff);
      case 'supervisor':
        return (this.staff.manager.get(incident.orgPath) ?? []).map(staff);
      case 'family_doctor': {
        const doctors = (this.doctors.get(incident.elderId) ?? []).map(staff);
        if (doctors.length) return doctors;
        break;
      }
      default:
        break;
    }
    const circle = this.circles.get(incident.elderId) ?? [];
    const kind = step.whom === 'family_doctor' ? 'family_doctor' : circleKinds[step.whom];
    const chosen =
      step.whom === 'circle'
        ? circle.filter((c) => c.kind !== 'community_worker').slice(0, step.circleCount ?? 1)
        : circle.filter((c) => c.kind === kind);
    // a circle that names no community worker: the coordinators covering the elder's community take
    // the rung (the same people the dispatcher's archive card lists), so "community" is never skipped
    if (step.whom === 'community_worker' && chosen.length === 0)
      return (this.staff.communityWorker.get(incident.orgPath) ?? []).map(staff);
    return chosen.map((c) => ({
      label: `${c.name}${c.relation ? `（${c.relation}）` : ''}`,
      userId: c.userId,
      phone: c.phones[0] ?? null,
    }));
  }
}

/** What a ladder message asks of people without accounts, before its one-time link (decision 0008). */
const ACK_PROMPT = '请点链接回复“收到”或“我去看看”';

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
 * Applies the ladders of locked incident rows: fires every step that is due at `now` (a step without
 * anyone to reach is passed over at once, so silence never waits on an empty rung). Set-based: a batch
 * of any size costs a handful of statements per round (facts, throttles, one outbox insert) and one
 * update and one event insert at the end. Idempotent: positions are read from the locked rows and the
 * outbox key is deterministic. Returns the rows as they now stand (unchanged ones as given).
 */
export async function fireDueSteps(
  tx: Executor,
  deps: Pick<SweepDeps, 'config'>,
  incidents: repo.IncidentRow[],
  now: Date,
  push: HubMessage[],
  known: ElderBasics[] = [],
): Promise<Map<number, repo.IncidentRow>> {
  const current = new Map(incidents.map((i) => [i.id, i]));
  const isDue = (i: repo.IncidentRow) => i.state === 'open' && !!i.nextStepAt && i.nextStepAt <= now;
  let active = incidents.filter(isDue);
  if (active.length === 0) return current;
  const ladders = await laddersOf(
    tx,
    active.map((i) => i.ladderKind),
  );
  const facts = new Facts(tx, shanghaiDate(now));
  for (const e of known) facts.elders.set(e.id, e);
  const events: Parameters<typeof repo.insertEvents>[1] = [];
  const changed = new Set<number>();
  /** the incident's new position, its timeline event and the console push */
  const record = (row: repo.IncidentRow, type: string, details: Record<string, unknown>) => {
    current.set(row.id, row);
    changed.add(row.id);
    events.push({ incidentId: row.id, orgPath: row.orgPath, at: now, type, actorLabel: '系统', details });
    push.push(incidentPush(row, 'step'));
  };
  const rounds = Math.max(...[...ladders.values()].map((l) => l.steps.length)) * 11 + 1;
  for (let round = 0; round < rounds && active.length; round++) {
    const firing: {
      incident: repo.IncidentRow;
      move: Extract<ReturnType<typeof nextStep>, { action: 'fire' }>;
      ladder: Ladder;
    }[] = [];
    for (const incident of active) {
      const ladder = ladders.get(incident.ladderKind) as Ladder;
      const move = nextStep(ladder, { ...incident, state: incident.state as IncidentState }, now);
      if (move.action === 'fire') firing.push({ incident, move, ladder });
      else if (move.action === 'exhausted') {
        record({ ...incident, nextStepAt: null }, 'ladder_exhausted', { steps: ladder.steps.length });
      }
    }
    if (firing.length === 0) break;
    await facts.load(firing.map((f) => ({ incident: f.incident, step: f.move.step })));
    const messages: (OutgoingMessage & { throttleSeconds: number })[] = [];
    const owner: number[] = [];
    const plans = firing.map((f, k) => {
      const { step } = f.move;
      const recipients = facts.recipients(step, f.incident);
      const prompt = promptOf(step);
      const elder = facts.elders.get(f.incident.elderId);
      const what = incidentKindLabels[f.incident.ladderKind as IncidentKind]?.zh ?? f.incident.kind;
      // names and addresses are free text from forms and ledgers: reduced to a safe set (no links)
      const name = smsSafe(elder?.name, 20);
      const address = smsSafe(elder?.address, 40);
      const text = `【关爱圈】${name}${address ? `（${address}）` : ''}：${what}${prompt ? `，${prompt}` : '，请尽快联系确认'}。`;
      for (const r of recipients) {
        for (const channel of step.channels) {
          const address = addressOf(channel, r, f.incident.id);
          if (!address) continue;
          owner.push(k);
          messages.push({
            subject: { kind: 'incident', id: f.incident.id },
            orgPath: f.incident.orgPath,
            stepIndex: f.move.stepIndex,
            attempt: f.move.attempt,
            whom: step.whom,
            recipientLabel: r.label,
            recipientUserId: r.userId,
            channel,
            address,
            text,
            ackPrompt: ACK_PROMPT,
            throttleSeconds: f.ladder.throttleSeconds,
          });
        }
      }
      return { recipients, prompt };
    });
    const sent = firing.map(() => 0);
    const rows = await enqueueMany(tx, messages, {
      now,
      throttleSeconds: 0,
      publicUrl: deps.config.notify.publicUrl,
      push,
      pushEvent: (m, notificationId) => ({ type: 'ladder_step', incidentId: m.subject.id, notificationId }),
    });
    rows.forEach((row, m) => {
      if (row) sent[owner[m]]++;
    });
    const again: repo.IncidentRow[] = [];
    firing.forEach(({ incident, move }, k) => {
      const { step } = move;
      const { recipients, prompt } = plans[k];
      const nothingToWaitFor = sent[k] === 0 && !prompt;
      const next = {
        ...incident,
        stepIndex: move.next.stepIndex,
        stepAttempt: move.next.stepAttempt,
        nextStepAt: nothingToWaitFor ? now : move.next.nextStepAt,
        lastStepAt: now,
      };
      record(next, sent[k] === 0 ? 'step_skipped' : 'step_fired', {
        stepIndex: move.stepIndex,
        attempt: move.attempt,
        whom: step.whom,
        channels: step.channels,
        notified: sent[k],
        recipients: recipients.map((r) => r.label),
        ...(prompt ? { prompt } : {}),
      });
      if (isDue(next)) again.push(next);
    });
    active = again;
  }
  const updated = await repo.updateLadderPositions(
    tx,
    [...changed].map((id) => {
      const i = current.get(id) as repo.IncidentRow;
      return {
        id,
        stepIndex: i.stepIndex,
        stepAttempt: i.stepAttempt,
        nextStepAt: i.nextStepAt,
        lastStepAt: i.lastStepAt,
      };
    }),
  );
  for (const row of updated) current.set(row.id, row);
  await repo.insertEvents(tx, events);
  return current;
}

/** One incident's due steps (a new incident's first step, a restarted ladder). */
export async function advanceLadder(
  tx: Executor,
  deps: Pick<SweepDeps, 'config'>,
  incident: repo.IncidentRow,
  now: Date,
  push: HubMessage[],
  known: { elder?: ElderBasics } = {},
): Promise<repo.IncidentRow> {
  const out = await fireDueSteps(tx, deps, [incident], now, push, known.elder ? [known.elder] : []);
  return out.get(incident.id) as repo.IncidentRow;
}

/**
 * Sweep job: due ladders, claimed with SKIP LOCKED, fired together and committed together. If the
 * batch fails (say, a ladder edited into nonsense), each incident is retried alone in a savepoint, so
 * one broken row never holds back the others; it stays due and is retried on the next sweep. Steps are
 * stamped with the time they really fire (a long batch never backdates them).
 */
export async function sweepLadders(
  deps: SweepDeps,
  now: Date,
  batch: number,
  onError: ((incidentId: number, err: unknown) => void) | undefined = (id, err) =>
    console.error(`[carecircle] ladder step of incident ${id} failed`, err),
): Promise<number> {
  const at = new Date(Math.max(now.getTime(), deps.clock.now().getTime()));
  const push: HubMessage[] = [];
  const n = await withTx(deps.db, async (tx) => {
    const due = await repo.claimDueLadders(tx, at, batch);
    if (due.length === 0) return 0;
    try {
      const mine: HubMessage[] = [];
      await tx.transaction((sp) => fireDueSteps(sp, deps, due, at, mine));
      push.push(...mine);
      return due.length;
    } catch (err) {
      if (due.length === 1) {
        onError?.(due[0].id, err);
        return 1;
      }
    }
    for (const incident of due) {
      const mine: HubMessage[] = [];
      try {
        await tx.transaction((sp) => fireDueSteps(sp, deps, [incident], at, mine));
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

/** One rung of a ladder as it would run for an elder today: who it would reach (empty rungs are skipped). */
export interface LadderPreviewStep {
  whom: LadderStep['whom'];
  recipients: string[];
  waitSeconds: number;
  emergencyNumber: string | null;
}

/**
 * What the ladder of `kind` would really do for this elder now, rung by rung, with the same facts and
 * recipient rules as a firing step — so a page that promises "these people will be told" tells the truth.
 */
export async function previewLadder(
  ex: Executor,
  elder: { id: number; orgPath: string },
  kind: IncidentKind,
  now: Date,
): Promise<LadderPreviewStep[]> {
  const ladder = await ladderOf(ex, kind);
  const facts = new Facts(ex, shanghaiDate(now));
  const incident = { elderId: elder.id, orgPath: elder.orgPath } as repo.IncidentRow;
  await facts.load(ladder.steps.map((step) => ({ incident, step })));
  return ladder.steps.map((step) => ({
    whom: step.whom,
    recipients:
      step.whom === 'emergency_services' ? [] : facts.recipients(step, incident).map((r) => r.label),
    waitSeconds: step.waitSeconds,
    emergencyNumber: step.whom === 'emergency_services' ? (step.emergencyNumber ?? '120') : null,
  }));
}
