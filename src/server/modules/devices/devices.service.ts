import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { deviceEventBody, registerDeviceBody } from '../../../shared/incidents.ts';
import { requireAccess } from '../../platform/access.ts';
import { AppError, fieldError, notFound, notFoundField } from '../../platform/app-error.ts';
import type { Ctx } from '../../platform/auth.ts';
import { shanghaiDate } from '../../platform/clock.ts';
import { withTx } from '../../platform/db.ts';
import { type HubMessage, hubOf } from '../../platform/sse.ts';
import type { SweepDeps } from '../../platform/sweeper.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { loadVisibleElder, ofVisibleElder } from '../elders/elders.service.ts';
import { raiseInTx } from '../incidents/raise-incident.ts';
import { verifyDeviceSignature } from './device-signature.ts';
import * as repo from './devices.repo.ts';
import { devices } from './devices.schema.ts';

type Deps = SweepDeps;

export function toDevice(d: repo.DeviceRow) {
  return {
    id: d.id,
    elderId: d.elderId,
    kind: d.kind as 'one_key_phone' | 'wearable',
    label: d.label,
    heartbeatPeriodSeconds: d.heartbeatPeriodSeconds,
    lastSeenAt: d.lastSeenAt?.toISOString() ?? null,
    batteryLowAt: d.batteryLowAt?.toISOString() ?? null,
    active: d.active,
    createdAt: d.createdAt.toISOString(),
  };
}

/** Registers a device to an elder; the secret is returned here once and never again. */
export async function registerDevice(deps: Deps, ctx: Ctx, body: z.infer<typeof registerDeviceBody>) {
  requireAccess(ctx, 'devices.write');
  const now = deps.clock.now();
  const secret = randomBytes(32).toString('hex');
  const device = await withTx(deps.db, async (tx) => {
    const elder = await loadVisibleElder(tx, ctx, body.elderId, shanghaiDate(now)).catch((err) => {
      if (err instanceof AppError && err.code === 'NOT_FOUND') {
        throw notFoundField('body.elderId', { zh: '服务对象', en: 'elder' });
      }
      throw err;
    });
    const d = await repo.insertDevice(tx, {
      id: `dev_${randomBytes(8).toString('hex')}`,
      elderId: body.elderId,
      orgPath: elder.orgPath,
      kind: body.kind,
      label: body.label ?? null,
      secret,
      heartbeatPeriodSeconds: body.heartbeatPeriodSeconds,
      silentDueAt: new Date(now.getTime() + body.heartbeatPeriodSeconds * 1000),
      createdBy: ctx.auth.userId,
      createdAt: now,
    });
    await recordAudit(tx, ctx, {
      action: 'device.register',
      entity: 'device',
      entityId: d.id,
      orgPath: d.orgPath,
      details: { elderId: d.elderId, kind: d.kind },
    });
    return d;
  });
  return { device: toDevice(device), secret };
}

export async function listDevices(deps: Deps, ctx: Ctx, elderId?: number) {
  requireAccess(ctx, 'devices.read');
  const visible = ofVisibleElder(ctx, shanghaiDate(deps.clock.now()), devices.elderId);
  return { items: (await repo.listDevices(deps.db, visible, elderId)).map(toDevice) };
}

export async function deactivateDevice(deps: Deps, ctx: Ctx, id: string) {
  requireAccess(ctx, 'devices.write');
  const visible = ofVisibleElder(ctx, shanghaiDate(deps.clock.now()), devices.elderId);
  await withTx(deps.db, async (tx) => {
    const d = await repo.getDevice(tx, id, visible);
    if (!d) throw notFound({ zh: '找不到该设备', en: 'Device not found' });
    await repo.updateDevice(tx, id, { active: false, silentDueAt: null });
    await recordAudit(tx, ctx, {
      action: 'device.deactivate',
      entity: 'device',
      entityId: id,
      orgPath: d.orgPath,
    });
  });
}

/**
 * Refused device requests per source address: after `REFUSAL_LIMIT` in `REFUSAL_WINDOW_MS` the
 * address gets 429 until its window ends, so device ids and secrets cannot be probed at speed. Only
 * refusals count — a district of good devices behind one carrier address is never throttled. Kept per
 * process (each API process counts its own), bounded in size.
 */
export const REFUSAL_LIMIT = 20;
export const REFUSAL_WINDOW_MS = 10 * 60_000;
const refusals = new Map<string, { count: number; since: number }>();

function throttleCheck(source: string, now: number): void {
  const r = refusals.get(source);
  if (r && now - r.since < REFUSAL_WINDOW_MS && r.count >= REFUSAL_LIMIT) {
    throw new AppError(
      'RATE_LIMITED',
      { zh: '设备请求被拒绝次数过多，请稍后再试', en: 'Too many refused device requests; try again later' },
      { retryAfterSeconds: Math.ceil((r.since + REFUSAL_WINDOW_MS - now) / 1000) },
    );
  }
}
function countRefusal(source: string, now: number): void {
  if (refusals.size > 10_000) {
    for (const [k, v] of refusals) if (now - v.since >= REFUSAL_WINDOW_MS) refusals.delete(k);
    if (refusals.size > 10_000) refusals.clear();
  }
  const r = refusals.get(source);
  if (!r || now - r.since >= REFUSAL_WINDOW_MS) refusals.set(source, { count: 1, since: now });
  else r.count++;
}

/** One answer for an unknown or inactive device and a wrong signature: a probe learns nothing. */
const notAuthenticated = () =>
  new AppError('UNAUTHENTICATED', {
    zh: '设备认证失败：设备未登记、已停用或签名不正确',
    en: 'Device authentication failed: unknown or inactive device, or bad signature',
  });
/** never matches: an unknown device is checked against it, so its answer takes as long as a known one's */
const UNKNOWN_DEVICE_SECRET = randomBytes(32).toString('hex');

/** How far from the server's clock a device event's own time may be. */
export const EVENT_MAX_FUTURE_MS = 10 * 60_000;
export const EVENT_MAX_PAST_MS = 24 * 3600_000;

/**
 * A signed device event. Missing or malformed signature headers, an unknown or inactive device and a
 * wrong signature all answer the same 401; a stale timestamp (±5 min, said only to a correct signature)
 * 401 with the reason; an event time more than 10 minutes ahead or 24 hours back 400 on `at`. Too many
 * refusals from one address: 429. The same eventId twice answers the original result without a second
 * incident.
 */
export async function receiveDeviceEvent(
  deps: Deps,
  input: {
    deviceId: string;
    timestamp?: string;
    signature?: string;
    rawBody: string;
    body: z.infer<typeof deviceEventBody>;
    /** the client address (after TRUST_PROXY), for the refusal throttle */
    source?: string;
  },
) {
  const now = deps.clock.now();
  const source = input.source ?? 'unknown';
  throttleCheck(source, Date.now());
  const refuse = (err: AppError) => {
    countRefusal(source, Date.now());
    return err;
  };
  const found = await repo.getDevice(deps.db, input.deviceId);
  const device = found?.active ? found : undefined;
  const check = verifyDeviceSignature({
    secret: device?.secret ?? UNKNOWN_DEVICE_SECRET,
    timestamp: input.timestamp,
    signature: input.signature,
    rawBody: input.rawBody,
    now,
  });
  if (!device || (!check.ok && check.reason !== 'stale')) throw refuse(notAuthenticated());
  if (!check.ok) {
    throw refuse(
      new AppError('UNAUTHENTICATED', {
        zh: '设备时间戳超出允许范围（±5 分钟），请校准设备时钟',
        en: 'Stale device timestamp (±5 min); correct the device clock',
      }),
    );
  }
  const at = new Date(input.body.at).getTime();
  if (at > now.getTime() + EVENT_MAX_FUTURE_MS || at < now.getTime() - EVENT_MAX_PAST_MS) {
    throw fieldError(
      'at',
      '事件时间与服务器时间相差过大（不得晚于当前 10 分钟以上，或早于 24 小时以上）',
      'The event time is too far from now (more than 10 minutes ahead or 24 hours back)',
    );
  }
  const { body } = input;
  if (body.kind === 'heartbeat') {
    await repo.markSeen(deps.db, device.id, now);
    return { eventId: body.eventId, accepted: true as const, duplicate: false, incidentId: null };
  }
  const push: HubMessage[] = [];
  const result = await withTx(deps.db, async (tx) => {
    const ev = await repo.insertEvent(tx, {
      deviceId: device.id,
      eventId: body.eventId,
      kind: body.kind,
      at: new Date(body.at),
      receivedAt: now,
    });
    if (!ev) {
      const original = await repo.findEvent(tx, device.id, body.eventId);
      return {
        eventId: body.eventId,
        accepted: true as const,
        duplicate: true,
        incidentId: original?.incidentId ?? null,
      };
    }
    await repo.markSeen(tx, device.id, now);
    if (body.kind === 'battery_low') {
      await repo.updateDevice(tx, device.id, { batteryLowAt: now });
      return { eventId: body.eventId, accepted: true as const, duplicate: false, incidentId: null };
    }
    const r = await raiseInTx(
      tx,
      deps,
      {
        elderId: device.elderId,
        kind: body.kind === 'fall' ? 'fall' : 'sos_device',
        source: { deviceId: device.id, eventId: body.eventId, at: body.at },
        actor: { id: null, label: `设备 ${device.label ?? device.id}` },
      },
      now,
      push,
    );
    await repo.setEventIncident(tx, ev.id, r.incident.id);
    return { eventId: body.eventId, accepted: true as const, duplicate: false, incidentId: r.incident.id };
  });
  await hubOf(deps.database).publish(push);
  return result;
}

/** Sweep job: a device silent for longer than its heartbeat period raises device_silent (once per silence). */
export async function sweepSilentDevices(deps: Deps, now: Date, batch: number): Promise<number> {
  const push: HubMessage[] = [];
  const n = await withTx(deps.db, async (tx) => {
    const silent = await repo.claimSilent(tx, now, batch);
    for (const d of silent) {
      await repo.updateDevice(tx, d.id, { silentDueAt: null });
      await raiseInTx(
        tx,
        deps,
        {
          elderId: d.elderId,
          kind: 'device_silent',
          source: { deviceId: d.id, lastSeenAt: d.lastSeenAt?.toISOString() ?? null },
          summary: `设备 ${d.label ?? d.id} 超过 ${Math.round(d.heartbeatPeriodSeconds / 60)} 分钟无心跳`,
        },
        now,
        push,
      );
    }
    return silent.length;
  });
  await hubOf(deps.database).publish(push);
  return n;
}
