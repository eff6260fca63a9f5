import http from 'node:http';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../test/child-server.ts';
import { makeElder } from '../../../../test/factories/incidents.ts';
import {
  type Client,
  createTestApp,
  makeTree,
  makeUser,
  signIn,
  type TestApp,
  type TestTree,
} from '../../../../test/helpers.ts';
import { rows } from '../../platform/db.ts';
import { sendDeviceEvent } from './device-client.ts';

// The device side of the protocol against the real app over HTTP: an SOS pressed while the server is
// down arrives once it is up, as one event and one incident, even when an acknowledgement is lost.

let t: TestApp;
let tree: TestTree;
let coordinator: Client;
const servers: http.Server[] = [];

beforeAll(async () => {
  t = await createTestApp();
  tree = await makeTree(t.database);
  const c = await makeUser(t.database, 'coordinator', [tree.streetA.id]);
  coordinator = await signIn(t.app, c.username);
});
afterAll(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
  await t.close();
});

/** The app behind a plain HTTP server; `dropFirst` answers nothing to the first request it handled. */
function serveApp(port: number, opts: { dropFirst: boolean }) {
  let handled = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const r = await t.app.inject({
        method: req.method as 'POST',
        url: req.url ?? '/',
        headers: req.headers,
        payload: Buffer.concat(chunks),
      });
      handled++;
      if (opts.dropFirst && handled === 1) {
        res.socket?.destroy(); // stored, but the device never hears so
        return;
      }
      res.writeHead(r.statusCode, {
        'content-type': String(r.headers['content-type'] ?? 'text/plain'),
        date: t.clock.now().toUTCString(), // the server's clock, as a real server's Date header
      });
      res.end(r.body);
    });
  });
  servers.push(server);
  return new Promise<http.Server>((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

async function device(elderId: number) {
  const res = await coordinator.post('/api/devices', { elderId, kind: 'one_key_phone', label: '一键通' });
  expect(res.statusCode).toBe(201);
  return res.json() as { device: { id: string }; secret: string };
}

describe('a device keeps sending its SOS until the server acknowledges it', () => {
  it('server down, then up, then an answer lost: the same eventId is retried and makes one incident', async () => {
    const elder = await makeElder(t.database, tree.communityA1);
    const { device: dev, secret } = await device(elder.id);
    const port = await freePort();
    const attempts: { status: number | null; error?: string }[] = [];
    let up: Promise<http.Server> | undefined;
    const sent = sendDeviceEvent({
      baseUrl: `http://127.0.0.1:${port}`,
      deviceId: dev.id,
      secret,
      event: { eventId: 'sos-offline-1', kind: 'sos', at: t.clock.now().toISOString() },
      firstDelayMs: 40,
      maxDelayMs: 160,
      now: () => t.clock.now(),
      onAttempt: (a) => {
        attempts.push(a);
        // the server comes up after three refused connections
        if (attempts.length === 3) up = serveApp(port, { dropFirst: true });
      },
    });
    const result = await sent;
    await up;
    expect(attempts.slice(0, 3).map((a) => a.error)).toEqual([
      'ECONNREFUSED',
      'ECONNREFUSED',
      'ECONNREFUSED',
    ]);
    expect(attempts[3].status).toBeNull(); // the lost answer
    expect(result).toMatchObject({
      ok: true,
      status: 200,
      body: { eventId: 'sos-offline-1', duplicate: true },
    });
    expect(result.attempts).toBe(5);
    const events = await rows<{ incident_id: number }>(
      t.database.db,
      sql`SELECT incident_id FROM device_events WHERE device_id = ${dev.id}`,
    );
    expect(events).toHaveLength(1);
    const incidents = await rows<{ id: number; triggers: number }>(
      t.database.db,
      sql`SELECT id, triggers FROM incidents WHERE elder_id = ${elder.id}`,
    );
    expect(incidents).toEqual([{ id: events[0].incident_id, triggers: 1 }]);
    expect((result.body as { incidentId: number }).incidentId).toBe(incidents[0].id);
  });

  it('a refusal for good (a bad signature) is not retried; giving up is reported', async () => {
    const elder = await makeElder(t.database, tree.communityA1);
    const { device: dev } = await device(elder.id);
    const port = await freePort();
    await serveApp(port, { dropFirst: false });
    const refused = await sendDeviceEvent({
      baseUrl: `http://127.0.0.1:${port}`,
      deviceId: dev.id,
      secret: 'not-the-secret',
      event: { eventId: 'sos-bad-1', kind: 'sos', at: t.clock.now().toISOString() },
      firstDelayMs: 10,
      now: () => t.clock.now(),
    });
    expect(refused).toMatchObject({ ok: false, reason: 'refused', attempts: 1 });
    const nobody = await freePort();
    const gaveUp = await sendDeviceEvent({
      baseUrl: `http://127.0.0.1:${nobody}`,
      deviceId: dev.id,
      secret: 'x',
      event: { eventId: 'sos-nobody', kind: 'sos', at: t.clock.now().toISOString() },
      firstDelayMs: 10,
      maxDelayMs: 20,
      giveUpAfterMs: 150,
    });
    expect(gaveUp).toMatchObject({ ok: false, reason: 'gave_up', status: null });
    expect(gaveUp.attempts).toBeGreaterThan(2);
  });

  it('a device whose clock is 20 minutes off signs with the server time from the Date header', async () => {
    const elder = await makeElder(t.database, tree.communityA1);
    const { device: dev, secret } = await device(elder.id);
    const port = await freePort();
    await serveApp(port, { dropFirst: false });
    const r = await sendDeviceEvent({
      baseUrl: `http://127.0.0.1:${port}`,
      deviceId: dev.id,
      secret,
      event: { eventId: 'sos-skewed-1', kind: 'sos', at: t.clock.now().toISOString() },
      firstDelayMs: 10,
      now: () => new Date(t.clock.now().getTime() - 20 * 60_000),
    });
    expect(r).toMatchObject({ ok: true, status: 200, attempts: 2 });
    expect(await rows(t.database.db, sql`SELECT 1 FROM incidents WHERE elder_id = ${elder.id}`)).toHaveLength(
      1,
    );
  });
});
