import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeElder, signedEvent } from '../../../../test/factories/incidents.ts';
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
import { REFUSAL_LIMIT } from './devices.service.ts';

// What a prober learns from the device endpoint: nothing about which device ids exist, and not much
// per minute; and a device's event time must be near now.

let t: TestApp;
let tree: TestTree;
let coordinator: Client;
const secs = () => Math.floor(t.clock.now().getTime() / 1000);
let seq = 0;
const event = (o: { kind?: string; at?: Date } = {}) => ({
  eventId: `probe-${++seq}`,
  kind: o.kind ?? 'sos',
  at: (o.at ?? t.clock.now()).toISOString(),
});
/** each test its own source address, so one test's refusals never throttle another's */
const from = (ip: string, req: ReturnType<typeof signedEvent>) => t.app.inject({ ...req, remoteAddress: ip });

beforeAll(async () => {
  t = await createTestApp();
  tree = await makeTree(t.database);
  coordinator = await signIn(t.app, (await makeUser(t.database, 'coordinator', [tree.streetA.id])).username);
});
afterAll(() => t.close());

async function device(elderId: number) {
  const res = await coordinator.post('/api/devices', { elderId, kind: 'one_key_phone', label: '一键通' });
  expect(res.statusCode).toBe(201);
  return res.json() as { device: { id: string }; secret: string };
}
const incidentCount = async (elderId: number) =>
  (
    await rows<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM incidents WHERE elder_id = ${elderId}`,
    )
  )[0].n;

describe('device refusals tell a prober nothing', () => {
  it('an unknown id, a deactivated device, a bad signature and a bad signature with a stale time answer exactly alike', async () => {
    const elder = await makeElder(t.database, tree.communityA1);
    const { device: dev, secret } = await device(elder.id);
    const { device: old, secret: oldSecret } = await device(elder.id);
    expect((await coordinator.del(`/api/devices/${old.id}`)).statusCode).toBe(200);
    const ip = '10.0.1.1';
    const unknown = await from(ip, signedEvent('dev_0000000000000000', secret, event(), secs()));
    const badSig = await from(ip, signedEvent(dev.id, secret, event(), secs(), { secret: 'wrong' }));
    const inactive = await from(ip, signedEvent(old.id, oldSecret, event(), secs()));
    const staleAndBad = await from(
      ip,
      signedEvent(dev.id, secret, event(), secs(), { secret: 'wrong', timestamp: secs() - 3600 }),
    );
    const unknownStale = await from(
      ip,
      signedEvent('dev_0000000000000000', secret, event(), secs(), { timestamp: secs() - 3600 }),
    );
    for (const r of [unknown, badSig, inactive, staleAndBad, unknownStale]) {
      expect(r.statusCode).toBe(401);
      expect(r.body).toBe(unknown.body);
    }
    expect(unknown.json().error.message).toBe('设备认证失败：设备未登记、已停用或签名不正确');
    // only the holder of the secret hears that the clock is off
    const stale = await from(ip, signedEvent(dev.id, secret, event(), secs(), { timestamp: secs() - 301 }));
    expect(stale.statusCode).toBe(401);
    expect(stale.json().error.message).toContain('±5');
    expect(await incidentCount(elder.id)).toBe(0);
  });

  it(`answers 429 after ${REFUSAL_LIMIT} refusals from one address; other addresses go on`, async () => {
    const elder = await makeElder(t.database, tree.communityA1);
    const { device: dev, secret } = await device(elder.id);
    const prober = '10.0.2.2';
    for (let i = 0; i < REFUSAL_LIMIT; i++) {
      const r = await from(prober, signedEvent(`dev_guess_${i}`, secret, event(), secs()));
      expect(r.statusCode).toBe(401);
    }
    const limited = await from(prober, signedEvent(dev.id, secret, event(), secs()));
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(await incidentCount(elder.id)).toBe(0);
    // a good device elsewhere is not held back by the prober
    const good = await from('10.0.2.3', signedEvent(dev.id, secret, event(), secs()));
    expect(good.statusCode).toBe(200);
    expect(await incidentCount(elder.id)).toBe(1);
  });

  it('refuses an event time more than 10 minutes ahead or 24 hours back, naming the field', async () => {
    const elder = await makeElder(t.database, tree.communityA1);
    const { device: dev, secret } = await device(elder.id);
    const ip = '10.0.3.3';
    const now = t.clock.now().getTime();
    for (const at of [new Date(now + 11 * 60_000), new Date(now - 25 * 3600_000)]) {
      const r = await from(ip, signedEvent(dev.id, secret, event({ at }), secs()));
      expect(r.statusCode).toBe(400);
      expect(r.json().error.details[0]).toMatchObject({ field: 'at' });
      expect(r.json().error.details[0].message).toContain('事件时间');
    }
    expect(await incidentCount(elder.id)).toBe(0);
    // a device that kept retrying for hours is still heard
    const late = await from(
      ip,
      signedEvent(dev.id, secret, event({ at: new Date(now - 23 * 3600_000) }), secs()),
    );
    expect(late.statusCode).toBe(200);
    const early = await from(
      ip,
      signedEvent(dev.id, secret, event({ kind: 'heartbeat', at: new Date(now + 9 * 60_000) }), secs()),
    );
    expect(early.statusCode).toBe(200);
    expect(await incidentCount(elder.id)).toBe(1);
  });
});
