// npm run device -- <sos|fall|heartbeat|battery_low> <deviceId> [--url http://localhost:8080] [--secret …]
//                   [--give-up-minutes 15]
// Simulates a one-key phone or wearable: posts a signed event (X-Device-Timestamp, X-Device-Signature =
// hex HMAC-SHA256 of `timestamp.body` under the device secret) to the server, as a real device must:
// while the server is unreachable, busy (429) or failing (5xx) it retries the SAME event (same eventId)
// with exponential backoff (1 s doubling to 60 s) until acknowledged, for 15 minutes by default.
// The secret comes from --secret, else DEVICE_SECRET, else the PostgreSQL database named by
// DATABASE_URL, else <DATA_DIR>/demo-device.json written by the embedded demo server at start-up
// (the embedded database itself is locked by the running server and is never opened here).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { type DeviceEvent, sendDeviceEvent } from '../src/server/modules/devices/device-client.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string' },
    secret: { type: 'string' },
    'give-up-minutes': { type: 'string' },
  },
});
const [kind, deviceId] = positionals;
const kinds = ['sos', 'fall', 'heartbeat', 'battery_low'];
if (!kinds.includes(kind) || !deviceId) {
  console.error(
    '用法 usage: npm run device -- <sos|fall|heartbeat|battery_low> <deviceId> [--url …] [--secret …]',
  );
  process.exit(2);
}

async function secretOf(id: string): Promise<string | undefined> {
  if (values.secret) return values.secret;
  if (process.env.DEVICE_SECRET) return process.env.DEVICE_SECRET;
  if (process.env.DATABASE_URL) {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const r = await client.query('SELECT secret FROM devices WHERE id = $1', [id]);
      return r.rows[0]?.secret;
    } finally {
      await client.end();
    }
  }
  const file = path.resolve(process.env.DATA_DIR ?? 'data', 'demo-device.json');
  if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>)[id];
  return undefined;
}

const secret = await secretOf(deviceId);
if (!secret) {
  console.error(
    `找不到设备 ${deviceId} 的密钥：请用 --secret 或 DEVICE_SECRET 提供 (no secret found for ${deviceId}).`,
  );
  process.exit(2);
}
const base = values.url ?? `http://localhost:${process.env.PORT ?? 8080}`;
// the event is fixed when the button is pressed; retries send the same eventId (the server keeps one)
const event: DeviceEvent = {
  eventId: randomUUID(),
  kind: kind as DeviceEvent['kind'],
  at: new Date().toISOString(),
};
const t0 = performance.now();
const result = await sendDeviceEvent({
  baseUrl: base,
  deviceId,
  secret,
  event,
  giveUpAfterMs: Number(values['give-up-minutes'] ?? 15) * 60_000,
  onAttempt: ({ attempt, status, error, waitMs }) => {
    if (waitMs != null) {
      console.error(
        `第 ${attempt} 次未送达 (attempt ${attempt} failed: ${status ?? error})，${(waitMs / 1000).toFixed(1)} 秒后用同一事件号 ${event.eventId} 重试…`,
      );
    }
  },
});
const ms = (performance.now() - t0).toFixed(0);
console.log(
  `${result.status ?? '—'} after ${result.attempts} attempt(s) in ${ms} ms: ${JSON.stringify(result.body)}`,
);
if (!result.ok && result.reason === 'gave_up') {
  console.error('多次重试仍未送达，已放弃 (gave up: the server never acknowledged the event).');
}
process.exit(result.ok ? 0 : 1);
