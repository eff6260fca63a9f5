import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { sweepOnce } from '../../platform/sweeper.ts';

// An incident's ladder messages through the configured SMS gateway (the outbox's delivery job, its
// retries and backoff; the same for every subject: notifications/notifications.subject.db.test.ts).
// A fake SMS vendor: records what it was sent, fails while `failing` is set.
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
let failing = false;
const gateway = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    received.push({ headers: req.headers, body });
    res.statusCode = failing ? 503 : 200;
    res.end('{}');
  });
});

let t: TestApp;
let tree: TestTree;
let dispatcher: Client;

beforeAll(async () => {
  await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
  const { port } = gateway.address() as AddressInfo;
  t = await createTestApp({
    NOTIFY_SMS_URL: `http://127.0.0.1:${port}/send`,
    NOTIFY_SMS_HEADERS: JSON.stringify({ authorization: 'Bearer test-key' }),
    NOTIFY_SMS_BODY: '{"mobile":"{{to}}","content":"{{text}}","sign":"关爱圈"}',
    PUBLIC_URL: 'https://care.example.org',
  });
  tree = await makeTree(t.database);
  const d = await makeUser(t.database, 'dispatcher', [tree.district.id]);
  dispatcher = await signIn(t.app, d.username);
  await t.app.inject({ method: 'GET', url: '/api/health' });
});
afterAll(async () => {
  await t.close();
  gateway.close();
});

const outbox = (incidentId: number) =>
  rows<{
    channel: string;
    status: string;
    attempts: number;
    retry_at: Date | null;
    last_error: string | null;
  }>(
    t.database.db,
    sql`SELECT channel, status, attempts, retry_at, last_error FROM notifications WHERE incident_id = ${incidentId} AND channel = 'sms' ORDER BY id`,
  );

describe('SMS through the configured HTTP gateway', () => {
  it('fills the body template and headers, with the acknowledgement link', async () => {
    const e = await makeElder(t.database, tree.communityA1, {
      circle: [{ kind: 'relative', name: '钱进', relation: '儿子', phone: '13900000051' }],
    });
    await t.database.db.execute(
      sql`INSERT INTO ladders (kind, steps, throttle_seconds) VALUES ('carer_concern',
            '[{"whom":"circle","channels":["sms"],"waitSeconds":600,"repeats":0,"circleCount":1}]'::jsonb, 60)`,
    );
    const id = (await dispatcher.post('/api/incidents', { elderId: e.id, kind: 'carer_concern' })).json()
      .incident.id;
    expect((await outbox(id))[0]).toMatchObject({ status: 'pending', attempts: 0 });
    await sweepOnce(t.app.deps, t.clock.now());
    expect(received).toHaveLength(1);
    expect(received[0].headers.authorization).toBe('Bearer test-key');
    const body = JSON.parse(received[0].body);
    expect(body).toMatchObject({ mobile: '13900000051', sign: '关爱圈' });
    expect(body.content).toMatch(/^【关爱圈】.*https:\/\/care\.example\.org\/ack\/[A-Za-z0-9_-]{32}$/);
    expect((await outbox(id))[0]).toMatchObject({ status: 'sent', attempts: 1 });
    await dispatcher.post(`/api/incidents/${id}/transition`, { to: 'resolved', outcome: 'false_alarm' });
  });

  it('retries a failing gateway with backoff, records the error, and gives up after six attempts', async () => {
    failing = true;
    received.length = 0;
    const e = await makeElder(t.database, tree.communityA1, {
      circle: [{ kind: 'relative', name: '孙强', relation: '儿子', phone: '13900000052' }],
    });
    const id = (await dispatcher.post('/api/incidents', { elderId: e.id, kind: 'carer_concern' })).json()
      .incident.id;
    await sweepOnce(t.app.deps, t.clock.now());
    let [n] = await outbox(id);
    expect(n).toMatchObject({ status: 'pending', attempts: 1, last_error: 'gateway answered 503' });
    expect(new Date(n.retry_at!).getTime() - t.clock.now().getTime()).toBe(30_000);
    // not before its retry time
    t.clock.advance(29_000);
    await sweepOnce(t.app.deps, t.clock.now());
    expect(received).toHaveLength(1);
    for (let i = 0; i < 30; i++) {
      t.clock.advance(60_000);
      await sweepOnce(t.app.deps, t.clock.now());
    }
    [n] = await outbox(id);
    expect(received).toHaveLength(6);
    expect(n).toMatchObject({ status: 'failed', attempts: 6, retry_at: null });
    failing = false;
  });
});
