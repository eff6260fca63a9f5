import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { incidentKinds } from '../../../shared/incidents.ts';
import { type Db, rows, withTx } from '../../platform/db.ts';
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
  await withTx(db, async (tx) => {
    for (const kind of incidentKinds) {
      const l = defaultLadders[kind];
      await tx.execute(
        sql`INSERT INTO ladders (kind, steps, throttle_seconds) VALUES (${kind}, ${JSON.stringify(l.steps)}::jsonb, ${l.throttleSeconds})
            ON CONFLICT (kind) DO NOTHING`,
      );
    }
  });
  // set-based: one statement whatever the scale; secrets from the database's random() are good enough
  // for fictional demo devices (registration through the API uses crypto-strength secrets)
  const inserted = await rows<{ n: number }>(
    db,
    sql`WITH ins AS (
          INSERT INTO devices (id, elder_id, org_path, kind, label, secret, heartbeat_period_seconds, last_seen_at, silent_due_at, created_at)
          SELECT 'dev_demo_' || e.id, e.id, e.org_path,
                 CASE WHEN e.id % 2 = 0 THEN 'one_key_phone' ELSE 'wearable' END,
                 CASE WHEN e.id % 2 = 0 THEN '一键通电话' ELSE '智能手环' END,
                 md5(random()::text || e.id::text) || md5(random()::text || clock_timestamp()::text),
                 86400, ${now.toISOString()}::timestamptz,
                 ${now.toISOString()}::timestamptz + interval '1 day', ${now.toISOString()}::timestamptz
          FROM elders e WHERE e.status = 'active' AND e.id % 6 = 0
          ON CONFLICT (id) DO NOTHING RETURNING 1)
        SELECT count(*)::int AS n FROM ins`,
  );
  let incidents = 0;
  if (scale === 'demo') incidents = await historicalIncidents(db, rng, now);
  return { devices: inserted[0]?.n ?? 0, incidents };
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
  await withTx(db, async (tx) => {
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
      const [row] = await rows<{ id: number }>(
        tx,
        sql`INSERT INTO incidents (elder_id, org_path, kind, ladder_kind, severity, state, outcome, step_index, triggered_at,
              last_step_at, acknowledged_at, acknowledged_by, resolved_at, summary, source)
            VALUES (${e.id}, ${e.orgPath}, ${h.kind}, ${h.kind}, ${severity}, ${i % 3 === 0 ? 'follow_up' : 'resolved'}, ${h.outcome}, 1,
              ${at.toISOString()}, ${at.toISOString()}, ${ack.toISOString()}, '陈志强（dispatcher）', ${done.toISOString()},
              ${h.note}, '{"demo": true}'::jsonb)
            RETURNING id`,
      );
      const ev = (type: string, when: Date, actor: string, details: object) =>
        tx.execute(
          sql`INSERT INTO incident_events (incident_id, org_path, at, type, actor_label, details)
              VALUES (${row.id}, ${e.orgPath}, ${when.toISOString()}, ${type}, ${actor}, ${JSON.stringify(details)}::jsonb)`,
        );
      await ev('opened', at, '系统', { kind: h.kind, severity });
      await ev('step_fired', at, '系统', {
        stepIndex: 0,
        attempt: 0,
        whom: defaultLadders[h.kind].steps[0].whom,
        notified: 1,
      });
      await ev('acknowledged', ack, '陈志强（dispatcher）', { via: 'console' });
      await ev('resolved', done, '陈志强（dispatcher）', {
        to: 'resolved',
        outcome: h.outcome,
        note: h.note,
      });
    }
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
