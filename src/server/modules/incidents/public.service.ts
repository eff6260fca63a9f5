import { createHash, randomBytes } from 'node:crypto';
import type { AckReply, IncidentKind } from '../../../shared/incidents.ts';
import { activeStates, incidentKindLabels } from '../../../shared/incidents.ts';
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
import { answerAsNotified, type Deps } from './incidents.service.ts';
import { raiseInTx } from './raise-incident.ts';

// Endpoints without a session: the token in the URL is the credential (≥ 128 random bits, stored
// hashed). It answers until 24 h after the incident ends; unknown, malformed and expired tokens all
// answer the same 404, so a probe learns nothing (decision 0008, docs/SECURITY.md).

/** How long after the incident ends its links still open (a relative reading the SMS late). */
export const ACK_LINK_AFTER_END_MS = 24 * 3600_000;

const linkGone = () =>
  new AppError('NOT_FOUND', {
    zh: '链接无效或已过期，如需帮助请联系社区或拨打 120',
    en: 'The link is invalid or has expired; for help contact the community or call 120',
  });

const expired = (incident: { resolvedAt: Date | null }, now: Date) =>
  incident.resolvedAt != null && now.getTime() - incident.resolvedAt.getTime() > ACK_LINK_AFTER_END_MS;

export async function ackInfo(deps: Deps, token: string) {
  const n = await findByAckCode(deps.db, token);
  const incident = n?.incidentId ? await repo.getIncident(deps.db, n.incidentId) : undefined;
  if (!n || !incident || expired(incident, deps.clock.now())) throw linkGone();
  const reply: AckReply | null = n.ackReply === 'going' || n.ackReply === 'received' ? n.ackReply : null;
  return {
    elderName: incident.elderName ?? '',
    kind: incident.kind as IncidentKind,
    kindLabel: incidentKindLabels[incident.kind as IncidentKind].zh,
    recipient: n.recipientLabel,
    triggeredAt: incident.triggeredAt.toISOString(),
    used: reply === 'going',
    reply,
    incidentOpen: (activeStates as readonly string[]).includes(incident.state),
  };
}

/**
 * "收到" records that the relative knows (the ladder goes on); "我去看看" takes it on and stops the
 * ladder. Each answer once per link; "收到" may be followed by "我去看看", never the other way.
 */
export async function ackByToken(deps: Deps, token: string, reply: AckReply) {
  const push: HubMessage[] = [];
  const now = deps.clock.now();
  await withTx(deps.db, async (tx) => {
    // the incident is locked before its message, the order of the console and the sweeper (a
    // transition locks the incident, then cancels its pending messages), so they never deadlock
    const found = await findByAckCode(tx, token);
    const incident = found?.incidentId ? await repo.getIncidentForUpdate(tx, found.incidentId) : undefined;
    const n = incident ? await findByAckCodeForUpdate(tx, token) : undefined;
    if (!n || !incident || expired(incident, now)) throw linkGone();
    if (n.ackReply === 'going' || n.ackReply === reply) {
      throw new AppError('CONFLICT', {
        zh: '该链接已确认过，无需重复确认',
        en: 'This link has already been answered',
      });
    }
    await markAcked(tx, n.id, now, reply);
    const by = {
      id: null,
      label: `${n.recipientLabel}（${n.channel === 'voice' ? '语音' : '短信'}链接）`,
      name: n.recipientLabel,
    };
    const details = {
      via: 'link',
      reply,
      replyText: reply === 'going' ? '我去看看' : '收到',
      notificationId: n.id,
    };
    await answerAsNotified(tx, incident, now, by, reply, details, push);
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
