// npm run device -- <sos|fall|heartbeat|battery_low> <deviceId> [--url http://localhost:8080] [--secret …]
// Simulates a one-key phone or wearable: posts a signed event (X-Device-Timestamp, X-Device-Signature =
// hex HMAC-SHA256 of `timestamp.body` under the device secret) to the running server.
// The secret comes from --secret, else DEVICE_SECRET, else the PostgreSQL database named by
// DATABASE_URL, else <DATA_DIR>/demo-device.json written by the embedded demo server at start-up
// (the embedded database itself is locked by the running server and is never opened here).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { signDeviceEvent } from '../src/server/modules/devices/device-signature.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { url: { type: 'string' }, secret: { type: 'string' } },
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
const base = (values.url ?? `http://localhost:${process.env.PORT ?? 8080}`).replace(/\/$/, '');
const body = JSON.stringify({ eventId: randomUUID(), kind, at: new Date().toISOString() });
const ts = String(Math.floor(Date.now() / 1000));
const t0 = performance.now();
const res = await fetch(`${base}/api/devices/${encodeURIComponent(deviceId)}/events`, {
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    'x-device-timestamp': ts,
    'x-device-signature': signDeviceEvent(secret, ts, body),
  },
  body,
});
console.log(`${res.status} in ${(performance.now() - t0).toFixed(0)} ms: ${await res.text()}`);
process.exit(res.ok ? 0 : 1);
