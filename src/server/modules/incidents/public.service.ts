import { createHash, randomBytes } from 'node:crypto';
import type { IncidentKind } from '../../../shared/incidents.ts';
import { incidentKindLabels } from '../../../shared/incidents.ts';
import { ctxRequire } from '../../platform/access.ts';
import { AppError } from '../../platform/app-error.ts';
import type { Ctx } from '../../platform/auth.ts';
import { shanghaiDate } from '../../platform/clock.ts';
import { withTx } from '../../platform/db.ts';
import { assertPathInScope } from '../../platform/scope.ts';
import { type HubMessage, hubOf } from '../../platform/sse.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findByAckCode, findByAckCodeForUpdate, markAcked } from '../notifications/notifications.service.ts';
import { circleInCallOrder, elderBasics } from './elder-facts.ts';
import { recordCareCheckIn } from './hooks.ts';
import * as repo from './incidents.repo.ts';
import { applyAcknowledgement, type Deps } from './incidents.service.ts';
import { raiseInTx } from './raise-incident.ts';

// Endpoints without a session: the token in the URL is the credential (single use for ack links).

const linkGone = () =>
  new AppError('NOT_FOUND', { zh: '链接无效或已过期', en: 'The link is invalid or has expired' });

export async function ackInfo(deps: Deps, token: string) {
  const n = await findByAckCode(deps.db, token);
  if (!n?.incidentId) throw linkGone();
  const incident = (await repo.getIncident(deps.db, n.incidentId))!;
  return {
    elderName: incident.elderName ?? '',
    kind: incident.kind as IncidentKind,
    kindLabel: incidentKindLabels[incident.kind as IncidentKind].zh,
    recipient: n.recipientLabel,
    triggeredAt: incident.triggeredAt.toISOString(),
    used: n.ackedAt != null,
    incidentOpen: ['open', 'acknowledged', 'responder_en_route', 'on_scene'].includes(incident.state),
  };
}

/** "收到" acknowledges; "我去看看" also puts the relative on the way. Single use. */
export async function ackByToken(deps: Deps, token: string, reply: 'received' | 'going') {
  const push: HubMessage[] = [];
  const now = deps.clock.now();
  await withTx(deps.db, async (tx) => {
    const n = await findByAckCodeForUpdate(tx, token);
    if (!n?.incidentId) throw linkGone();
    if (n.ackedAt) {
      throw new AppError('CONFLICT', {
        zh: '该链接已使用过，无需重复确认',
        en: 'This link has already been used',
      });
    }
    await markAcked(tx, n.id, now, reply);
    const incident = (await repo.getIncidentForUpdate(tx, n.incidentId))!;
    const by = { id: null, label: `${n.recipientLabel}（${n.channel === 'voice' ? '语音' : '短信'}链接）` };
    const details = {
      via: 'link',
      reply,
      replyText: reply === 'going' ? '我去看看' : '收到',
      notificationId: n.id,
    };
    const acked = await applyAcknowledgement(tx, incident, now, by, details, push);
    if (reply === 'going' && ['open', 'acknowledged'].includes(acked.state)) {
      await repo.updateIncident(tx, acked.id, { state: 'responder_en_route' });
      await repo.insertEvent(tx, {
        incidentId: acked.id,
        orgPath: acked.orgPath,
        at: now,
        type: 'dispatched',
        actorLabel: by.label,
        details: { responder: n.recipientLabel, via: 'link' },
      });
    }
  });
  await hubOf(deps.database).publish(push);
  return { ok: true as const, reply };
}

// 长辈版: the personal page of an elder.
const hashToken = (t: string) => createHash('sha256').update(t).digest('hex');

export async function createElderLink(deps: Deps, ctx: Ctx, elderId: number) {
  ctxRequire(ctx, ['admin', 'manager', 'coordinator']);
  const token = randomBytes(24).toString('base64url');
  await withTx(deps.db, async (tx) => {
    const elder = await elderBasics(tx, elderId);
    assertPathInScope(ctx.auth, elder?.orgPath);
    await repo.insertElderLink(tx, { tokenHash: hashToken(token), elderId, orgPath: elder!.orgPath });
    await recordAudit(tx, ctx, {
      action: 'elder_page.link',
      entity: 'elder',
      entityId: elderId,
      orgPath: elder!.orgPath,
    });
  });
  return { token, path: `/elder/${token}` };
}

async function elderOfLink(deps: Deps, token: string) {
  const link = await repo.findElderLink(deps.db, hashToken(token));
  if (!link) throw linkGone();
  const elder = await elderBasics(deps.db, link.elderId);
  if (!elder) throw linkGone();
  return elder;
}

export async function elderPage(deps: Deps, token: string) {
  const elder = await elderOfLink(deps, token);
  const circle = await circleInCallOrder(deps.db, elder.id);
  const today = shanghaiDate(deps.clock.now());
  return {
    name: elder.name,
    callList: circle.slice(0, 5).map((c) => ({ name: c.name, relation: c.relation ?? '' })),
    checkedInToday: await repo.hasCheckin(deps.db, elder.id, today),
    openIncident: (await repo.activeOfElder(deps.db, elder.id)) != null,
  };
}

/** "我很好": that day's check-in (idempotent per Shanghai day). */
export async function elderPageOk(deps: Deps, token: string) {
  const elder = await elderOfLink(deps, token);
  const now = deps.clock.now();
  const date = shanghaiDate(now);
  await withTx(deps.db, async (tx) => {
    if (await repo.insertCheckin(tx, { elderId: elder.id, onDate: date, orgPath: elder.orgPath, at: now })) {
      await recordCareCheckIn(tx, { elderId: elder.id, at: now });
    }
  });
  return { ok: true as const, date };
}

export async function elderPageSos(deps: Deps, token: string) {
  const elder = await elderOfLink(deps, token);
  const push: HubMessage[] = [];
  const now = deps.clock.now();
  const r = await withTx(deps.db, (tx) =>
    raiseInTx(
      tx,
      deps,
      {
        elderId: elder.id,
        kind: 'sos_device',
        source: { via: 'elder_page' },
        actor: { id: null, label: `${elder.name}（长辈版页面）` },
      },
      now,
      push,
    ),
  );
  await hubOf(deps.database).publish(push);
  return { ok: true as const, incidentId: r.incident.id };
}
