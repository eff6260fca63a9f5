import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { type Db, rows, withTx } from '../../platform/db.ts';
import { insertDevicesBulk } from '../devices/devices.bulk.ts';
import {
  type IncidentInsert,
  insertIncidentEventsBulk,
  insertIncidentsBulk,
  saveDefaultLadders,
} from '../incidents/incidents.service.ts';
import { defaultLadders } from '../incidents/ladder.ts';
import type { Scale } from './demo.generator.ts';
import { Rng } from './random.ts';

/**
 * Demo step of the emergency module: the default ladders as saved policy, one-key phones and
 * wearables for part of the elders (one in six), and a few historical incidents with their timelines.
 * Device secrets are random; the first demo device's secret is handed to `npm run device` through
 * `demoDeviceHint` (a file in the data directory), never printed in logs beyond the start banner.
 */
export async function seedIncidents(
  db: Db,
  scale: Scale,
  now = new Date(),
): Promise<{ devices: number; incidents: number }> {
  const rng = new Rng(20261205);
  await withTx(db, (tx) => saveDefaultLadders(tx));
  // a device for one active elder in six, through the devices' bulk path; the secrets are random, so a
  // demo device cannot be driven from a guess (the first one's is handed to `npm run device` below)
  const owners = await rows<{ id: number; org_path: string }>(
    db,
    sql`SELECT id, org_path FROM elders WHERE status = 'active' AND id % 6 = 0 ORDER BY id`,
  );
  const devices = await withTx(db, async (tx) => {
    let n = 0;
    for (let i = 0; i < owners.length; i += 5000) {
      n += await insertDevicesBulk(
        tx,
        owners.slice(i, i + 5000).map((e) => ({
          id: `dev_demo_${e.id}`,
          elderId: e.id,
          orgPath: e.org_path,
          kind: e.id % 2 === 0 ? 'one_key_phone' : 'wearable',
          label: e.id % 2 === 0 ? '一键通电话' : '智能手环',
          secret: randomBytes(32).toString('hex'),
          heartbeatPeriodSeconds: 86400,
          lastSeenAt: now,
          silentDueAt: new Date(now.getTime() + 86400_000),
          createdAt: now,
        })),
      );
    }
    return n;
  });
  let incidents = 0;
  if (scale === 'demo') incidents = await historicalIncidents(db, rng, now);
  return { devices, incidents };
}

const history = [
  { kind: 'sos_device', outcome: 'handled_at_home', note: '老人起夜头晕，家属到场后缓解' },
  { kind: 'fall', outcome: 'to_hospital', note: '卫生间跌倒，120 送市第一人民医院' },
  { kind: 'sos_device', outcome: 'false_alarm', note: '误按一键通' },
  {
    kind: 'no_contact_deadline',
    outcome: 'handled_at_home',
    note: '老人外出买菜未带手机，楼组长上门确认平安',
  },
  { kind: 'not_reached', outcome: 'handled_at_home', note: '助听器没电未听到电话，社工上门' },
  { kind: 'device_silent', outcome: 'other', note: '手环没电，已提醒家属充电' },
  { kind: 'carer_concern', outcome: 'handled_at_home', note: '志愿者发现老人情绪低落，已联系子女' },
  { kind: 'sos_hotline', outcome: 'handled_at_home', note: '家属来电求助，社区医生上门测血压' },
] as const;

async function historicalIncidents(db: Db, rng: Rng, now: Date): Promise<number> {
  const elders = await rows<{ id: number; orgPath: string }>(
    db,
    sql`SELECT id, org_path AS "orgPath" FROM elders WHERE status = 'active' ORDER BY id LIMIT 200`,
  );
  if (elders.length === 0) return 0;
  const list: IncidentInsert[] = [];
  const timelines: { type: string; at: Date; actor: string; details: object }[][] = [];
  for (const [i, h] of history.entries()) {
    const e = elders[rng.int(0, elders.length - 1)];
    const at = new Date(now.getTime() - (i + 1) * rng.int(20, 60) * 3600_000);
    const ack = new Date(at.getTime() + rng.int(40, 300) * 1000);
    const done = new Date(ack.getTime() + rng.int(20, 90) * 60_000);
    const severity = {
      sos_device: 'critical',
      fall: 'critical',
      sos_hotline: 'critical',
      not_reached: 'high',
      no_contact_deadline: 'medium',
      carer_concern: 'medium',
      device_silent: 'low',
    }[h.kind];
    list.push({
      elderId: e.id,
      orgPath: e.orgPath,
      kind: h.kind,
      ladderKind: h.kind,
      severity,
      state: i % 3 === 0 ? 'follow_up' : 'resolved',
      outcome: h.outcome,
      stepIndex: 1,
      triggeredAt: at,
      lastStepAt: at,
      acknowledgedAt: ack,
      acknowledgedBy: '陈志强（dispatcher）',
      resolvedAt: done,
      summary: h.note,
      source: { demo: true },
    });
    timelines.push([
      { type: 'opened', at, actor: '系统', details: { kind: h.kind, severity } },
      {
        type: 'step_fired',
        at,
        actor: '系统',
        details: { stepIndex: 0, attempt: 0, whom: defaultLadders[h.kind].steps[0].whom, notified: 1 },
      },
      { type: 'acknowledged', at: ack, actor: '陈志强（dispatcher）', details: { via: 'console' } },
      {
        type: 'resolved',
        at: done,
        actor: '陈志强（dispatcher）',
        details: { to: 'resolved', outcome: h.outcome, note: h.note },
      },
    ]);
  }
  await withTx(db, async (tx) => {
    const ids = await insertIncidentsBulk(tx, list);
    await insertIncidentEventsBulk(
      tx,
      ids.flatMap((id, k) =>
        timelines[k].map((ev) => ({
          incidentId: id,
          orgPath: list[k].orgPath,
          at: ev.at,
          type: ev.type,
          actorLabel: ev.actor,
          details: ev.details,
        })),
      ),
    );
  });
  return history.length;
}

/**
 * For the start banner of the demo: the first demo device. Embedded, its secret is written to
 * `<dataDir>/demo-device.json` (readable by the owner only) so `npm run device -- sos <id>` can sign.
 * On a PostgreSQL server (`dataDir` null) nothing is written — the data directory may belong to an
 * embedded instance — and the device script reads the secret from the database named by DATABASE_URL.
 */
export async function demoDeviceHint(db: Db, dataDir: string | null): Promise<string | null> {
  const [d] = await rows<{ id: string; secret: string; name: string }>(
    db,
    sql`SELECT d.id, d.secret, e.name FROM devices d JOIN elders e ON e.id = d.elder_id
        WHERE d.id LIKE 'dev_demo_%' AND d.active ORDER BY d.elder_id LIMIT 1`,
  );
  if (!d) return null;
  if (dataDir === null) {
    return `  Demo device (演示设备) of ${d.name}: DATABASE_URL=… npm run device -- sos ${d.id}`;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'demo-device.json');
  fs.writeFileSync(file, JSON.stringify({ [d.id]: d.secret }, null, 2), { mode: 0o600 });
  return `  Demo device (演示设备) of ${d.name}: npm run device -- sos ${d.id}   (secret in ${file})`;
}
