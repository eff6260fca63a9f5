import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedEvent } from '../../../../test/factories/incidents.ts';
import { createTestApp, signIn, type TestApp } from '../../../../test/helpers.ts';
import { DEMO_PASSWORD, seed } from './demo.generator.ts';
import { demoDeviceHint } from './demo.incidents.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seed(t.database.db, 'demo');
});
afterAll(() => t.close());

describe('demo emergency data', () => {
  it('saves the ladders, gives part of the elders a device, and keeps a few past incidents', async () => {
    const [c] = await t.database.query<{
      ladders: number;
      devices: number;
      elders: number;
      incidents: number;
    }>(
      `SELECT (SELECT count(*)::int FROM ladders) AS ladders, (SELECT count(*)::int FROM devices) AS devices,
              (SELECT count(*)::int FROM elders WHERE status = 'active') AS elders,
              (SELECT count(*)::int FROM incidents) AS incidents`,
    );
    expect(c.ladders).toBe(7);
    expect(c.devices).toBeGreaterThan(c.elders / 10);
    expect(c.devices).toBeLessThan(c.elders / 3);
    expect(c.incidents).toBe(8);
    const dispatcher = await signIn(t.app, 'dispatcher', DEMO_PASSWORD);
    const past = (await dispatcher.get('/api/incidents?state=all')).json();
    expect(past.total).toBe(8);
    const detail = (await dispatcher.get(`/api/incidents/${past.items[0].id}`)).json();
    expect(detail.timeline.map((e: { type: string }) => e.type)).toContain('resolved');
  });

  it('hands the first demo device to `npm run device`, whose signed SOS reaches the dispatcher', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-demo-'));
    const hint = await demoDeviceHint(t.database.db, dir);
    const id = /sos (dev_demo_\d+)/.exec(hint!)![1];
    const secret = JSON.parse(fs.readFileSync(path.join(dir, 'demo-device.json'), 'utf8'))[id];
    const now = Math.floor(t.clock.now().getTime() / 1000);
    const res = await t.app.inject(
      signedEvent(id, secret, { eventId: 'demo-1', kind: 'sos', at: t.clock.now().toISOString() }, now),
    );
    expect(res.statusCode).toBe(200);
    const dispatcher = await signIn(t.app, 'dispatcher', DEMO_PASSWORD);
    const open = (await dispatcher.get('/api/incidents')).json().items;
    expect(open[0]).toMatchObject({ id: res.json().incidentId, kind: 'sos_device', state: 'open' });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
