import type { z } from 'zod';
import type { followUpQuery, incidentHistoryQuery } from '../../../shared/incidents.ts';
import { requireAccess } from '../../platform/access.ts';
import { AppError } from '../../platform/app-error.ts';
import type { Ctx } from '../../platform/auth.ts';
import { withTx } from '../../platform/db.ts';
import { assertPathInScope, inScope } from '../../platform/scope.ts';
import { type HubMessage, hubOf } from '../../platform/sse.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { listNotificationsOf } from '../notifications/notifications.service.ts';
import { getOrgInScope } from '../orgs/orgs.service.ts';
import { incidentPush } from './escalate.ts';
import * as history from './history.repo.ts';
import * as repo from './incidents.repo.ts';
import { incidents } from './incidents.schema.ts';
import type { Deps } from './incidents.service.ts';
import { toIncident, toNotification } from './incidents.view.ts';

const DAY_MS = 86_400_000;
/** The start of a Shanghai calendar day (UTC+8 all year, no daylight saving). */
const shanghaiMidnight = (day: string) => new Date(`${day}T00:00:00+08:00`);

/**
 * Incident history (issue 11.3): resolved and followed-up incidents stay findable — by state, kind,
 * Shanghai days, org subtree and elder — so a morning review sees the night. Scope as the console.
 */
export async function listIncidentHistory(deps: Deps, ctx: Ctx, q: z.infer<typeof incidentHistoryQuery>) {
  requireAccess(ctx, 'incidents.read');
  let orgPath: string | undefined;
  if (q.orgId) {
    try {
      orgPath = (await getOrgInScope(deps.db, ctx, q.orgId)).path;
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'NOT_FOUND')) throw err;
      throw new AppError('NOT_FOUND', { zh: '找不到该组织', en: 'Organisation not found' }, [
        {
          field: 'querystring.orgId',
          message: '找不到该组织，或不在您的管辖范围内',
          messageEn: 'No such organisation in your scope',
        },
      ]);
    }
  }
  const { items, total } = await history.listHistory(deps.db, {
    visible: inScope(ctx.auth, incidents.orgPath),
    state: q.state,
    kind: q.kind,
    from: q.from ? shanghaiMidnight(q.from) : undefined,
    to: q.to ? new Date(shanghaiMidnight(q.to).getTime() + DAY_MS) : undefined,
    orgPath,
    elderId: q.elderId,
    limit: q.limit,
    offset: q.offset,
  });
  return { items: items.map(toIncident), total };
}

/** The follow-up queue (回访跟进) in scope, overdue first. */
export async function listFollowUps(deps: Deps, ctx: Ctx, q: z.infer<typeof followUpQuery>) {
  requireAccess(ctx, 'incidents.read');
  const r = await history.listFollowUps(deps.db, {
    visible: inScope(ctx.auth, incidents.orgPath),
    now: deps.clock.now(),
    limit: q.limit,
    offset: q.offset,
  });
  return { items: r.items.map(toIncident), total: r.total, overdue: r.overdue };
}

/**
 * One incident's story without the elder's archive (no health data, so not a reveal to audit): the
 * timeline, every message the ladder sent and its answer, who knew (已知晓) and who took it on (负责人).
 */
export async function getIncidentTimeline(deps: Deps, ctx: Ctx, id: number) {
  requireAccess(ctx, 'incidents.read');
  const row = await repo.getIncident(deps.db, id);
  assertPathInScope(ctx.auth, row?.orgPath);
  const [timeline, notes] = await Promise.all([
    repo.timelineOf(deps.db, id),
    listNotificationsOf(deps.db, { kind: 'incident', id }),
  ]);
  return {
    incident: toIncident(row!),
    timeline: timeline.map((e) => ({
      id: e.id,
      at: e.at.toISOString(),
      type: e.type,
      actor: e.actorLabel,
      details: (e.details as Record<string, unknown>) ?? null,
    })),
    notifications: notes.map(toNotification),
  };
}

/** The follow-up call or visit is done: recorded with what was found, and the incident leaves the queue. */
export async function markFollowedUp(deps: Deps, ctx: Ctx, id: number, note: string) {
  requireAccess(ctx, 'incidents.ack');
  const push: HubMessage[] = [];
  const now = deps.clock.now();
  await withTx(deps.db, async (tx) => {
    const row = await repo.getIncidentForUpdate(tx, id);
    assertPathInScope(ctx.auth, row?.orgPath);
    if (row!.state !== 'follow_up' || row!.followedUpAt) {
      const zh = row!.state !== 'follow_up' ? '该事件不在回访跟进中' : '该事件已完成回访';
      throw new AppError('UNPROCESSABLE', { zh, en: 'The incident has no follow-up pending' }, [
        { field: 'id', message: zh },
      ]);
    }
    const label = `${ctx.auth.displayName}（${ctx.auth.username}）`;
    const updated = await repo.updateIncident(tx, id, { followedUpAt: now });
    await repo.insertEvent(tx, {
      incidentId: id,
      orgPath: row!.orgPath,
      at: now,
      type: 'followed_up',
      actorId: ctx.auth.userId,
      actorLabel: label,
      details: { note },
    });
    await recordAudit(tx, ctx, {
      action: 'incident.follow_up_done',
      entity: 'incident',
      entityId: id,
      orgPath: row!.orgPath,
    });
    push.push(incidentPush(updated, 'transition'));
  });
  await hubOf(deps.database).publish(push);
  return { incident: toIncident((await repo.getIncident(deps.db, id))!) };
}
