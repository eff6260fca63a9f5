import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { deviceEventBody, registerDeviceBody } from '../../../shared/incidents.ts';
import { ctxRequire } from '../../platform/access.ts';
import { AppError } from '../../platform/app-error.ts';
import type { Ctx } from '../../platform/auth.ts';
import { withTx } from '../../platform/db.ts';
import { assertPathInScope, inScope } from '../../platform/scope.ts';
import { type HubMessage, hubOf } from '../../platform/sse.ts';
import type { SweepDeps } from '../../platform/sweeper.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { elderBasics } from '../incidents/elder-facts.ts';
import { raiseInTx } from '../incidents/raise-incident.ts';
import { verifyDeviceSignature } from './device-signature.ts';
import * as repo from './devices.repo.ts';
import { devices } from './devices.schema.ts';

type Deps = SweepDeps;
const editors = ['admin', 'manager', 'coordinator'] as const;

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
  ctxRequire(ctx, editors);
  const now = deps.clock.now();
  const secret = randomBytes(32).toString('hex');
  const device = await withTx(deps.db, async (tx) => {
    const elder = await elderBasics(tx, body.elderId);
    assertPathInScope(ctx.auth, elder?.orgPath);
    const d = await repo.insertDevice(tx, {
      id: `dev_${randomBytes(8).toString('hex')}`,
      elderId: body.elderId,
      orgPath: elder!.orgPath,
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
  ctxRequire(ctx, [...editors, 'dispatcher']);
  return {
    items: (await repo.listDevices(deps.db, inScope(ctx.auth, devices.orgPath), elderId)).map(toDevice),
  };
}

export async function deactivateDevice(deps: Deps, ctx: Ctx, id: string) {
  ctxRequire(ctx, editors);
  await withTx(deps.db, async (tx) => {
    const d = await repo.getDevice(tx, id);
    assertPathInScope(ctx.auth, d?.orgPath);
    await repo.updateDevice(tx, id, { active: false, silentDueAt: null });
    await recordAudit(tx, ctx, {
      action: 'device.deactivate',
      entity: 'device',
      entityId: id,
      orgPath: d!.orgPath,
    });
  });
}

const refused = (code: 'UNAUTHENTICATED' | 'FORBIDDEN', zh: string, en: string) =>
  new AppError(code, { zh, en });

/**
 * A signed device event. Unknown or inactive devices: 401; missing, stale or wrong signatures: 401/403
 * with the reason; the same eventId twice answers the original result without a second incident.
 */
export async function receiveDeviceEvent(
  deps: Deps,
  input: {
    deviceId: string;
    timestamp?: string;
    signature?: string;
    rawBody: string;
    body: z.infer<typeof deviceEventBody>;
  },
) {
  const now = deps.clock.now();
  const device = await repo.getDevice(deps.db, input.deviceId);
  if (!device?.active) throw refused('UNAUTHENTICATED', '未登记或已停用的设备', 'Unknown or inactive device');
  const check = verifyDeviceSignature({
    secret: device.secret,
    timestamp: input.timestamp,
    signature: input.signature,
    rawBody: input.rawBody,
    now,
  });
  if (!check.ok) {
    if (check.reason === 'stale') {
      throw refused(
        'UNAUTHENTICATED',
        '设备时间戳超出允许范围（±5 分钟）',
        'Stale device timestamp (±5 min)',
      );
    }
    if (check.reason === 'missing' || check.reason === 'bad_timestamp') {
      throw refused('UNAUTHENTICATED', '缺少或错误的设备签名头', 'Missing or malformed signature headers');
    }
    throw refused('FORBIDDEN', '设备签名不正确', 'Bad device signature');
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
