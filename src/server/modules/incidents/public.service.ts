import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { AckReply, IncidentKind, Whom } from '../../../shared/incidents.ts';
import { activeStates, incidentKindLabels } from '../../../shared/incidents.ts';
import { requireAccess } from '../../platform/access.ts';
import { AppError } from '../../platform/app-error.ts';
import type { Ctx } from '../../platform/auth.ts';
import { shanghaiDate } from '../../platform/clock.ts';
import { withTx } from '../../platform/db.ts';
import { assertPathInScope } from '../../platform/scope.ts';
import { type HubMessage, hubOf } from '../../platform/sse.ts';
import { recordAudit } from '../audit/audit.service.ts';
import {
  findByAckCode,
  findByAckCodeForUpdate,
  markAcked,
  type NotificationRow,
} from '../notifications/notifications.service.ts';
import { elderBasics } from './elder-facts.ts';
import { incidentPush } from './escalate.ts';
import { recordCareCheckIn } from './hooks.ts';
import * as repo from './incidents.repo.ts';
import { answerAsNotified, type Deps, sosLadderPreview } from './incidents.service.ts';
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

/** The incident a message with an acknowledgement link is about (links of other subjects are not ours). */
const incidentOf = (n: NotificationRow | undefined) => (n?.subjectKind === 'incident' ? n.subjectId : null);

export async function ackInfo(deps: Deps, token: string) {
  const n = await findByAckCode(deps.db, token);
  const incidentId = incidentOf(n);
  const incident = incidentId != null ? await repo.getIncident(deps.db, incidentId) : undefined;
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
    const incidentId = incidentOf(found);
    const incident = incidentId != null ? await repo.getIncidentForUpdate(tx, incidentId) : undefined;
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

/**
 * A link's token is derived, not stored (decision 0010): HMAC-SHA256 under the link key of the elder
 * id and the link's random nonce. The database keeps the nonce and the token's sha256, so the link can
 * be shown and printed again without voiding the QR code on the elder's wall.
 */
async function linkKey(deps: Deps): Promise<string> {
  return deps.config.elderLinkKey ?? repo.storedElderLinkKey(deps.db, randomBytes(32).toString('hex'));
}
const deriveToken = (key: string, elderId: number, nonce: string) =>
  createHmac('sha256', key).update(`elder-page:${elderId}:${nonce}`).digest('base64url');

export async function createElderLink(deps: Deps, ctx: Ctx, elderId: number) {
  requireAccess(ctx, 'incidents.elderLink');
  const nonce = randomBytes(16).toString('hex');
  const token = deriveToken(await linkKey(deps), elderId, nonce);
  const createdAt = deps.clock.now();
  await withTx(deps.db, async (tx) => {
    const elder = await elderBasics(tx, elderId);
    assertPathInScope(ctx.auth, elder?.orgPath);
    await repo.insertElderLink(tx, { tokenHash: hashToken(token), elderId, orgPath: elder!.orgPath, nonce });
    await recordAudit(tx, ctx, {
      action: 'elder_page.link',
      entity: 'elder',
      entityId: elderId,
      orgPath: elder!.orgPath,
    });
  });
  return { token, path: `/elder/${token}`, createdAt: createdAt.toISOString() };
}

/** The elder's current link again (to show or print), without regenerating it; audited. */
export async function showElderLink(deps: Deps, ctx: Ctx, elderId: number) {
  requireAccess(ctx, 'incidents.elderLink');
  const elder = await elderBasics(deps.db, elderId);
  assertPathInScope(ctx.auth, elder?.orgPath);
  const link = await repo.activeElderLink(deps.db, elderId);
  if (!link) {
    throw new AppError('NOT_FOUND', {
      zh: '该老人还没有长辈版链接',
      en: 'This elder has no elder-page link yet',
    });
  }
  const token = link.nonce ? deriveToken(await linkKey(deps), elderId, link.nonce) : null;
  if (!token || hashToken(token) !== link.tokenHash) {
    throw new AppError('CONFLICT', {
      zh: '这个链接生成于旧版本或密钥已更换，无法再次显示；如需打印，请重新生成（墙上的旧二维码将失效）',
      en: 'This link was made by an older version or under another key and cannot be shown again; generate a new one (the old QR code stops working)',
    });
  }
  await withTx(deps.db, (tx) =>
    recordAudit(tx, ctx, {
      action: 'elder_page.link_show',
      entity: 'elder',
      entityId: elderId,
      orgPath: elder!.orgPath,
    }),
  );
  return { token, path: `/elder/${token}`, createdAt: link.createdAt.toISOString() };
}

async function elderOfLink(deps: Deps, token: string) {
  const link = await repo.findElderLink(deps.db, hashToken(token));
  if (!link) throw linkGone();
  const elder = await elderBasics(deps.db, link.elderId);
  // a deceased or moved-away elder's page is gone, answered exactly as an unknown link
  if (!elder || elder.status === 'deceased' || elder.status === 'moved_away') throw linkGone();
  return elder;
}

export async function elderPage(deps: Deps, token: string) {
  const elder = await elderOfLink(deps, token);
  const now = deps.clock.now();
  const today = shanghaiDate(now);
  const steps = await sosLadderPreview(deps.db, elder, now);
  const open = await repo.activeOfElder(deps.db, elder.id);
  const callList: { name: string; relation: string; role: Whom }[] = [];
  const seen = new Set<string>();
  for (const step of steps) {
    if (step.whom === 'emergency_services' || step.recipients.length === 0) continue;
    // staff are told by role (whoever is on duty); people of the circle by name
    const staff = step.whom === 'dispatcher_on_duty' || step.whom === 'supervisor';
    for (const name of staff ? [''] : step.recipients) {
      const key = `${step.whom}:${name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      callList.push({ name, relation: '', role: step.whom });
    }
  }
  const emergency = steps.find((s) => s.whom === 'emergency_services');
  return {
    name: elder.name,
    callList,
    emergencyNumber: emergency?.emergencyNumber ?? null,
    checkedInToday: await repo.hasCheckin(deps.db, elder.id, today),
    openIncident: open != null,
    falseAlarmReported: open ? await repo.hasEventOfType(deps.db, open.id, FALSE_ALARM_EVENT) : false,
  };
}

/** The timeline event of the elder's own "我按错了". */
export const FALSE_ALARM_EVENT = 'elder_false_alarm';

/**
 * "我按错了": the elder says the SOS was a mistake. Recorded on the incident's timeline for the
 * dispatcher, who calls back and closes it — it never stops the ladder by itself (the person who
 * pressed may not be the elder, or may be under duress). Once per incident.
 */
export async function elderPageFalseAlarm(deps: Deps, token: string) {
  const elder = await elderOfLink(deps, token);
  const push: HubMessage[] = [];
  const now = deps.clock.now();
  const incidentId = await withTx(deps.db, async (tx) => {
    const open = await repo.activeOfElderForUpdate(tx, elder.id);
    if (!open) {
      throw new AppError('CONFLICT', {
        zh: '目前没有进行中的求助',
        en: 'There is no call for help in progress',
      });
    }
    if (!(await repo.hasEventOfType(tx, open.id, FALSE_ALARM_EVENT))) {
      await repo.insertEvent(tx, {
        incidentId: open.id,
        orgPath: open.orgPath,
        at: now,
        type: FALSE_ALARM_EVENT,
        actorId: null,
        actorLabel: `${elder.name}（长辈版页面）`,
        details: { text: '老人表示按错了，请回电核实后结案' },
      });
      push.push(incidentPush(open, 'note'));
    }
    return open.id;
  });
  await hubOf(deps.database).publish(push);
  return { ok: true as const, incidentId };
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

/**
 * 紧急求助 from the elder page. With a requestId (the page retries one press until answered) the same
 * id twice is one SOS: the retry gets the first answer and raises nothing.
 */
export async function elderPageSos(deps: Deps, token: string, requestId?: string) {
  const elder = await elderOfLink(deps, token);
  const push: HubMessage[] = [];
  const now = deps.clock.now();
  const r = await withTx(deps.db, async (tx) => {
    if (requestId) {
      const fresh = await repo.claimElderPageRequest(tx, {
        elderId: elder.id,
        requestId,
        kind: 'sos',
        createdAt: now,
      });
      if (!fresh) {
        const before = await repo.findElderPageRequest(tx, elder.id, requestId);
        const open = before?.incidentId == null ? await repo.activeOfElder(tx, elder.id) : undefined;
        const incidentId = before?.incidentId ?? open?.id;
        if (incidentId != null) return { incidentId, duplicate: true };
      }
    }
    const raised = await raiseInTx(
      tx,
      deps,
      {
        elderId: elder.id,
        kind: 'sos_device',
        source: { via: 'elder_page', ...(requestId ? { requestId } : {}) },
        actor: { id: null, label: `${elder.name}（长辈版页面）` },
      },
      now,
      push,
    );
    if (requestId) await repo.setElderPageRequestIncident(tx, elder.id, requestId, raised.incident.id);
    return { incidentId: raised.incident.id, duplicate: false };
  });
  await hubOf(deps.database).publish(push);
  return { ok: true as const, ...r };
}
