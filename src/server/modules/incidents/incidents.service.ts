import type { z } from 'zod';
import type {
  AckReply,
  createIncidentBody,
  dispatchBody,
  IncidentKind,
  IncidentState,
  incidentListQuery,
  ladderBody,
  transitionBody,
} from '../../../shared/incidents.ts';
import { activeStates, incidentKinds } from '../../../shared/incidents.ts';
import { hasAccess, requireAccess } from '../../platform/access.ts';
import { AppError, fieldError } from '../../platform/app-error.ts';
import type { Ctx } from '../../platform/auth.ts';
import { shanghaiDate } from '../../platform/clock.ts';
import { type Executor, withTx } from '../../platform/db.ts';
import { assertPathInScope, inScope, pathInScope } from '../../platform/scope.ts';
import { type HubMessage, hubOf } from '../../platform/sse.ts';
import type { SweepDeps } from '../../platform/sweeper.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { recentContactsAsSystem } from '../care/contacts.service.ts';
import { loadVisibleElder, setElderStatusAsSystem } from '../elders/elders.service.ts';
import { cancelPendingOf, listNotificationsOf, notifiedAs } from '../notifications/notifications.service.ts';
import { elderBasics, emergencyArchive, markHospitalised } from './elder-facts.ts';
import { incidentPush, ladderOf, previewLadder } from './escalate.ts';
import { startHospitalVisitDuty } from './hooks.ts';
import { checkTransition } from './incident-state.ts';
import * as repo from './incidents.repo.ts';
import { incidents } from './incidents.schema.ts';
import { toIncident, toNotification } from './incidents.view.ts';
import { promptOf } from './ladder.ts';
import { raiseInTx } from './raise-incident.ts';

/** the emergency module's bulk path for generators (demo, benchmarks) */
export {
  insertIncidentEventsBulk,
  insertIncidentsBulk,
  saveDefaultLadders,
} from './incidents.bulk.ts';
export type { IncidentInsert } from './incidents.repo.ts';

export type Deps = SweepDeps;

const actorOf = (ctx: Ctx) => ({
  id: ctx.auth.userId,
  label: `${ctx.auth.displayName}（${ctx.auth.username}）`,
});

async function publish(deps: Deps, push: HubMessage[]) {
  await hubOf(deps.database).publish(push);
}

export async function listIncidents(deps: Deps, ctx: Ctx, q: z.infer<typeof incidentListQuery>) {
  requireAccess(ctx, 'incidents.read');
  const states = q.state === 'all' ? undefined : q.state === 'active' ? [...activeStates] : [q.state];
  const { items, total } = await repo.listIncidents(deps.db, {
    visible: inScope(ctx.auth, incidents.orgPath),
    states,
    elderId: q.elderId,
    limit: q.limit,
    offset: q.offset,
  });
  return { items: items.map(toIncident), total };
}

async function loadVisible(ex: Executor, ctx: Ctx, id: number, forUpdate = false) {
  const row = forUpdate ? await repo.getIncidentForUpdate(ex, id) : await repo.getIncident(ex, id);
  assertPathInScope(ctx.auth, row?.orgPath);
  return row!;
}

/** The incident card: timeline, who was messaged, and the elder's archive at a glance. */
export async function getIncidentDetail(deps: Deps, ctx: Ctx, id: number) {
  requireAccess(ctx, 'incidents.read');
  const row = (await loadVisible(deps.db, ctx, id)) as repo.IncidentWithName;
  const [timeline, notes, recent, archive, ladder, contacts] = await Promise.all([
    repo.timelineOf(deps.db, id),
    listNotificationsOf(deps.db, { kind: 'incident', id }),
    repo.recentOfElder(deps.db, row.elderId, id),
    emergencyArchive(deps.db, row.elderId, shanghaiDate(deps.clock.now())),
    ladderOf(deps.db, row.ladderKind),
    // the care ledger's last contacts: who spoke to the elder lately, and how it went
    recentContactsAsSystem(deps.db, row.elderId, 5),
  ]);
  await recordAudit(deps.db, ctx, {
    action: 'incident.view',
    entity: 'incident',
    entityId: id,
    orgPath: row.orgPath,
    details: { elderId: row.elderId },
  });
  const firedStep = ladder.steps[Math.max(0, row.stepAttempt > 0 ? row.stepIndex : row.stepIndex - 1)];
  return {
    incident: toIncident(row),
    timeline: timeline.map((e) => ({
      id: e.id,
      at: e.at.toISOString(),
      type: e.type,
      actor: e.actorLabel,
      details: (e.details as Record<string, unknown>) ?? null,
    })),
    notifications: notes.map(toNotification),
    archive: archive && { ...archive, recentContacts: contacts },
    recentIncidents: recent.map(toIncident),
    prompt: row.state === 'open' ? promptOf(firedStep) : null,
  };
}

/**
 * Raising starts a ladder that messages the elder's circle and puts the elder on the console, so it is
 * a write about that elder (issue 16.4): a carer only for the elders paired with them, a doctor only for
 * the elders under a running contract with them (the registry's own visibility rule), the console roles
 * only for elders whose community lies in their scope — where the incident will be seen. Anything else
 * answers as an unknown elder would, naming the field, before anything is written.
 */
async function assertMayRaiseFor(tx: Executor, ctx: Ctx, elderId: number, now: Date): Promise<void> {
  const refused = () =>
    new AppError('NOT_FOUND', { zh: '找不到该服务对象', en: 'Elder not found' }, [
      {
        field: 'body.elderId',
        message: '找不到该服务对象，或不在您服务/管辖的范围内',
        messageEn: 'No such elder among those you serve or oversee',
      },
    ]);
  if (ctx.auth.role === 'carer' || ctx.auth.role === 'doctor') {
    try {
      await loadVisibleElder(tx, ctx, elderId, shanghaiDate(now));
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') throw refused();
      throw err;
    }
    return;
  }
  const elder = await elderBasics(tx, elderId);
  if (!elder || !pathInScope(ctx.auth, elder.orgPath)) throw refused();
}

/** Hotline SOS or a carer's concern, entered by staff: raises or joins. */
export async function createIncident(deps: Deps, ctx: Ctx, body: z.infer<typeof createIncidentBody>) {
  requireAccess(ctx, 'incidents.raiseConcern');
  if (!hasAccess(ctx, 'incidents.raise') && body.kind !== 'carer_concern') {
    throw fieldError(
      'body.kind',
      '走访人员只能报告异常（carer_concern）',
      'Carers can only raise carer_concern',
    );
  }
  const push: HubMessage[] = [];
  const now = deps.clock.now();
  const result = await withTx(deps.db, async (tx) => {
    await assertMayRaiseFor(tx, ctx, body.elderId, now);
    const r = await raiseInTx(
      tx,
      deps,
      {
        elderId: body.elderId,
        kind: body.kind,
        severity: body.severity,
        summary: body.summary,
        source: { by: 'staff' },
        actor: actorOf(ctx),
      },
      now,
      push,
    );
    await recordAudit(tx, ctx, {
      action: r.joined ? 'incident.join' : 'incident.create',
      entity: 'incident',
      entityId: r.incident.id,
      orgPath: r.incident.orgPath,
      details: { kind: body.kind },
    });
    return r;
  });
  await publish(deps, push);
  const full = await repo.getIncident(deps.db, result.incident.id);
  return { incident: toIncident(full!), joined: result.joined };
}

/** Shared by the console, the relative's link and dispatch: leaving `open` stops the ladder. */
export async function applyAcknowledgement(
  tx: Executor,
  incident: repo.IncidentRow,
  now: Date,
  by: { id: number | null; label: string },
  details: Record<string, unknown>,
  push: HubMessage[],
): Promise<repo.IncidentRow> {
  if (incident.state !== 'open') {
    await repo.insertEvent(tx, {
      incidentId: incident.id,
      orgPath: incident.orgPath,
      at: now,
      type: 'acknowledged_again',
      actorId: by.id,
      actorLabel: by.label,
      details,
    });
    push.push(incidentPush(incident, 'acknowledged'));
    return incident;
  }
  const row = await repo.updateIncident(tx, incident.id, {
    state: 'acknowledged',
    nextStepAt: null,
    acknowledgedAt: now,
    acknowledgedBy: by.label,
  });
  await cancelPendingOf(tx, { kind: 'incident', id: incident.id });
  await repo.insertEvent(tx, {
    incidentId: incident.id,
    orgPath: incident.orgPath,
    at: now,
    type: 'acknowledged',
    actorId: by.id,
    actorLabel: by.label,
    details,
  });
  push.push(incidentPush(row, 'acknowledged'));
  return row;
}

/**
 * "收到 — 我已知道": the answer is recorded on the timeline and shown as 已知晓, and nothing else
 * changes — the incident stays open, the ladder's timer runs on and the console keeps alarming. Knowing
 * is not handling (decision 0008).
 */
export async function recordKnown(
  tx: Executor,
  incident: repo.IncidentRow,
  now: Date,
  by: { id: number | null; label: string; name: string },
  details: Record<string, unknown>,
  push: HubMessage[],
): Promise<repo.IncidentRow> {
  const row = await repo.addKnown(tx, incident.id, by.name);
  await repo.insertEvent(tx, {
    incidentId: incident.id,
    orgPath: incident.orgPath,
    at: now,
    type: 'known',
    actorId: by.id,
    actorLabel: by.label,
    details,
  });
  push.push(incidentPush(row, 'known'));
  return row;
}

/**
 * How a person the ladder messaged answers (link or app): "received" is only knowing; "going" takes
 * responsibility — acknowledged, the ladder stops, and they are on the way.
 */
export async function answerAsNotified(
  tx: Executor,
  incident: repo.IncidentRow,
  now: Date,
  by: { id: number | null; label: string; name: string },
  reply: AckReply,
  details: Record<string, unknown>,
  push: HubMessage[],
): Promise<void> {
  if (reply === 'received') {
    await recordKnown(tx, incident, now, by, details, push);
    return;
  }
  const acked = await applyAcknowledgement(tx, incident, now, by, details, push);
  if (['open', 'acknowledged'].includes(acked.state)) {
    await repo.updateIncident(tx, acked.id, { state: 'responder_en_route' });
    await repo.insertEvent(tx, {
      incidentId: acked.id,
      orgPath: acked.orgPath,
      at: now,
      type: 'dispatched',
      actorId: by.id,
      actorLabel: by.label,
      details: { responder: by.name, via: details.via ?? null },
    });
  }
}

/**
 * The console roles in scope take responsibility (a staff action). Anyone else the ladder messaged
 * in-app about it (a carer, a doctor) answers like a relative: "received" (the default) is only
 * knowing, "going" takes it on.
 */
export async function acknowledgeIncident(deps: Deps, ctx: Ctx, id: number, reply?: AckReply) {
  const console = hasAccess(ctx, 'incidents.ack');
  const push: HubMessage[] = [];
  const now = deps.clock.now();
  await withTx(deps.db, async (tx) => {
    if (console) {
      const row = await loadVisible(tx, ctx, id, true);
      await applyAcknowledgement(tx, row, now, actorOf(ctx), { via: 'console' }, push);
      await recordAudit(tx, ctx, {
        action: 'incident.acknowledge',
        entity: 'incident',
        entityId: id,
        orgPath: row.orgPath,
      });
      return;
    }
    const name = await notifiedAs(tx, { kind: 'incident', id }, ctx.auth.userId);
    const row = name == null ? undefined : await repo.getIncidentForUpdate(tx, id);
    if (!row || name == null) throw new AppError('NOT_FOUND');
    const answer = reply ?? 'received';
    await answerAsNotified(
      tx,
      row,
      now,
      { ...actorOf(ctx), name },
      answer,
      { via: 'in_app', reply: answer },
      push,
    );
    await recordAudit(tx, ctx, {
      action: answer === 'going' ? 'incident.acknowledge' : 'incident.known',
      entity: 'incident',
      entityId: id,
      orgPath: row.orgPath,
    });
  });
  await publish(deps, push);
  return { incident: toIncident((await repo.getIncident(deps.db, id))!) };
}

/** A follow-up is due when the dispatcher says, by default a day later; never already past. */
function followUpDue(given: string | undefined, now: Date): Date {
  if (!given) return new Date(now.getTime() + 86_400_000);
  const at = new Date(given);
  if (at.getTime() < now.getTime() - 60_000) {
    throw fieldError('body.followUpDueAt', '回访时间不能早于现在', 'The follow-up cannot be due in the past');
  }
  return at;
}

export async function transitionIncident(
  deps: Deps,
  ctx: Ctx,
  id: number,
  body: z.infer<typeof transitionBody>,
) {
  requireAccess(ctx, 'incidents.ack');
  const push: HubMessage[] = [];
  const now = deps.clock.now();
  await withTx(deps.db, async (tx) => {
    const row = await loadVisible(tx, ctx, id, true);
    if (body.followUpDueAt && body.to !== 'follow_up') {
      throw fieldError(
        'body.followUpDueAt',
        '只有转回访跟进时才能填写回访时间',
        'A follow-up time is given only when moving to follow-up',
      );
    }
    const check = checkTransition(row.state as IncidentState, body.to, body.outcome);
    if (!check.ok) {
      throw new AppError('UNPROCESSABLE', { zh: check.zh, en: check.en }, [
        { field: `body.${check.field}`, message: check.zh },
      ]);
    }
    const patch: Partial<repo.IncidentInsert> = { state: body.to, nextStepAt: null };
    if (row.state === 'open') {
      patch.acknowledgedAt = now;
      patch.acknowledgedBy = actorOf(ctx).label;
      await cancelPendingOf(tx, { kind: 'incident', id });
    }
    if (body.to === 'follow_up') patch.followUpDueAt = followUpDue(body.followUpDueAt, now);
    if (body.to === 'resolved') {
      patch.outcome = body.outcome;
      patch.resolvedAt = now;
    }
    const updated = await repo.updateIncident(tx, id, patch);
    await repo.insertEvent(tx, {
      incidentId: id,
      orgPath: row.orgPath,
      at: now,
      type: body.to === 'resolved' ? 'resolved' : 'transition',
      actorId: ctx.auth.userId,
      actorLabel: actorOf(ctx).label,
      details: {
        from: row.state,
        to: body.to,
        outcome: body.outcome ?? null,
        note: body.note ?? null,
        ...(patch.followUpDueAt ? { followUpDueAt: patch.followUpDueAt.toISOString() } : {}),
      },
    });
    if (body.to === 'resolved' && body.outcome === 'to_hospital') {
      const day = shanghaiDate(now);
      await markHospitalised(tx, row.elderId, {
        hospital: body.note || '送医（医院待补充）',
        admittedOn: day,
        reason: `事件 #${id} 送医`,
      });
      await startHospitalVisitDuty(tx, { elderId: row.elderId, now });
      await repo.insertEvent(tx, {
        incidentId: id,
        orgPath: row.orgPath,
        at: now,
        type: 'hospitalised',
        actorLabel: '系统',
        details: { admittedOn: day },
      });
    }
    if (body.to === 'resolved' && body.outcome === 'deceased') {
      await setElderStatusAsSystem(
        tx,
        row.elderId,
        'deceased',
        shanghaiDate(now),
        `事件 #${id} 处置结果：死亡`,
      );
    }
    await recordAudit(tx, ctx, {
      action: 'incident.transition',
      entity: 'incident',
      entityId: id,
      orgPath: row.orgPath,
      details: { from: row.state, to: body.to, outcome: body.outcome ?? null },
    });
    push.push(incidentPush(updated, 'transition'));
  });
  await publish(deps, push);
  return { incident: toIncident((await repo.getIncident(deps.db, id))!) };
}

/**
 * For staff: what the ladder of `kind` would do for an elder of their scope now, rung by rung — the
 * circle panel shows it as 呼叫顺序 (issue 11.4), so "who gets called, in order" is the ladder's truth.
 */
export async function ladderPreviewForStaff(
  deps: Deps,
  ctx: Ctx,
  q: { elderId: number; kind: IncidentKind },
) {
  requireAccess(ctx, 'incidents.read');
  const elder = await elderBasics(deps.db, q.elderId);
  if (!elder || !pathInScope(ctx.auth, elder.orgPath))
    throw new AppError('NOT_FOUND', { zh: '找不到该服务对象', en: 'Elder not found' }, [
      {
        field: 'query.elderId',
        message: '找不到该服务对象，或不在您管辖的范围内',
        messageEn: 'No such elder in your scope',
      },
    ]);
  return { kind: q.kind, steps: await previewLadder(deps.db, elder, q.kind, deps.clock.now()) };
}

/** What an SOS would set off for this elder now, rung by rung (the 长辈版 page says exactly this). */
export function sosLadderPreview(ex: Executor, elder: { id: number; orgPath: string }, now: Date) {
  return previewLadder(ex, elder, 'sos_device', now);
}

export async function addNote(deps: Deps, ctx: Ctx, id: number, text: string) {
  requireAccess(ctx, 'incidents.ack');
  const push: HubMessage[] = [];
  await withTx(deps.db, async (tx) => {
    const row = await loadVisible(tx, ctx, id);
    await repo.insertEvent(tx, {
      incidentId: id,
      orgPath: row.orgPath,
      at: deps.clock.now(),
      type: 'note',
      actorId: ctx.auth.userId,
      actorLabel: actorOf(ctx).label,
      details: { text },
    });
    push.push(incidentPush(row, 'note'));
  });
  await publish(deps, push);
  return { incident: toIncident((await repo.getIncident(deps.db, id))!) };
}

/** A responder is on the way: acknowledges implicitly and stops the ladder. */
export async function dispatchResponder(
  deps: Deps,
  ctx: Ctx,
  id: number,
  body: z.infer<typeof dispatchBody>,
) {
  requireAccess(ctx, 'incidents.ack');
  const push: HubMessage[] = [];
  const now = deps.clock.now();
  await withTx(deps.db, async (tx) => {
    const row = await loadVisible(tx, ctx, id, true);
    if (!['open', 'acknowledged', 'responder_en_route'].includes(row.state)) {
      throw new AppError(
        'UNPROCESSABLE',
        { zh: '该事件已不能再派人', en: 'The incident can no longer be dispatched' },
        [{ field: 'id', message: '该事件已不能再派人' }],
      );
    }
    const patch: Partial<repo.IncidentInsert> = { state: 'responder_en_route', nextStepAt: null };
    if (row.state === 'open') {
      patch.acknowledgedAt = now;
      patch.acknowledgedBy = actorOf(ctx).label;
      await cancelPendingOf(tx, { kind: 'incident', id });
    }
    const updated = await repo.updateIncident(tx, id, patch);
    await repo.insertEvent(tx, {
      incidentId: id,
      orgPath: row.orgPath,
      at: now,
      type: 'dispatched',
      actorId: ctx.auth.userId,
      actorLabel: actorOf(ctx).label,
      details: { responder: body.responder, phone: body.phone ?? null, note: body.note ?? null },
    });
    await recordAudit(tx, ctx, {
      action: 'incident.dispatch',
      entity: 'incident',
      entityId: id,
      orgPath: row.orgPath,
    });
    push.push(incidentPush(updated, 'transition'));
  });
  await publish(deps, push);
  return { incident: toIncident((await repo.getIncident(deps.db, id))!) };
}

// Ladders: policy per kind, read by the console roles, edited by administrators.
export async function listLadders(deps: Deps, ctx: Ctx) {
  requireAccess(ctx, 'incidents.read');
  const rowsByKind = new Map((await repo.listLadderRows(deps.db)).map((r) => [r.kind, r]));
  const items = [];
  for (const kind of incidentKinds) {
    const l = await ladderOf(deps.db, kind);
    items.push({ ...l, updatedAt: rowsByKind.get(kind)?.updatedAt.toISOString() ?? null });
  }
  return { items };
}

export async function getLadder(deps: Deps, ctx: Ctx, kind: IncidentKind) {
  requireAccess(ctx, 'incidents.read');
  const row = await repo.getLadderRow(deps.db, kind);
  return { ...(await ladderOf(deps.db, kind)), updatedAt: row?.updatedAt.toISOString() ?? null };
}

export async function putLadder(deps: Deps, ctx: Ctx, kind: IncidentKind, body: z.infer<typeof ladderBody>) {
  requireAccess(ctx, 'config.city');
  body.steps.forEach((s, i) => {
    if (s.whom === 'emergency_services' && !s.emergencyNumber) {
      throw fieldError(
        `body.steps.${i}.emergencyNumber`,
        '请选择要拨打的急救/报警电话',
        'Choose the emergency number',
      );
    }
  });
  const row = await withTx(deps.db, async (tx) => {
    const before = await repo.getLadderRow(tx, kind);
    const saved = await repo.upsertLadder(tx, {
      kind,
      steps: body.steps,
      throttleSeconds: body.throttleSeconds,
      updatedBy: ctx.auth.userId,
    });
    await recordAudit(tx, ctx, {
      action: 'ladder.update',
      entity: 'ladder',
      entityId: kind,
      details: {
        before: before ? { steps: before.steps, throttleSeconds: before.throttleSeconds } : 'default',
        after: body,
      },
    });
    return saved;
  });
  return {
    kind,
    steps: body.steps,
    throttleSeconds: body.throttleSeconds,
    updatedAt: row.updatedAt.toISOString(),
  };
}
