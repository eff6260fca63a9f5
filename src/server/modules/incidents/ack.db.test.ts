import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handOverAlerts, makeElder, signedEvent } from '../../../../test/factories/incidents.ts';
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
import { setConsoleSink } from '../notifications/channels.ts';

// "收到 — 我已知道，请继续联系" is not "I am handling it" (docs/decisions/0008-knowing-is-not-handling.md):
// only "我去看看" or a staff action takes responsibility and stops the ladder.

let t: TestApp;
let tree: TestTree;
let coordinator: Client;
let dispatcher: Client;

const secs = () => Math.floor(t.clock.now().getTime() / 1000);
const sweep = () => sweepOnce(t.app.deps, t.clock.now());
const notes = (incidentId: number) =>
  rows<{ step_index: number; attempt: number; channel: string; address: string; body: string; whom: string }>(
    t.database.db,
    sql`SELECT step_index, attempt, channel, address, body, whom FROM notifications
        WHERE incident_id = ${incidentId} ORDER BY id`,
  );
/** The link token sent by SMS to a phone about an incident. */
async function linkOf(incidentId: number, phone: string) {
  const sms = (await notes(incidentId)).filter((n) => n.channel === 'sms' && n.address === phone);
  const m = /\/ack\/([A-Za-z0-9_-]+)/.exec(sms[sms.length - 1].body);
  return m![1];
}
const ack = (token: string, reply?: 'received' | 'going', remoteAddress?: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/ack/${token}`,
    ...(reply ? { payload: { reply } } : {}),
    ...(remoteAddress ? { remoteAddress } : {}),
  });

async function deviceSos(elderId: number) {
  const res = await coordinator.post('/api/devices', {
    elderId,
    kind: 'one_key_phone',
    label: '一键通',
    heartbeatPeriodSeconds: 7 * 86_400,
  });
  const { device, secret } = res.json() as { device: { id: string }; secret: string };
  const ev = await t.app.inject(
    signedEvent(
      device.id,
      secret,
      { eventId: `s-${elderId}`, kind: 'sos', at: t.clock.now().toISOString() },
      secs(),
    ),
  );
  return ev.json().incidentId as number;
}

beforeAll(async () => {
  t = await createTestApp();
  setConsoleSink(() => {});
  tree = await makeTree(t.database);
  const c = await makeUser(t.database, 'coordinator', [tree.streetA.id]);
  coordinator = await signIn(t.app, c.username);
  const d = await makeUser(t.database, 'dispatcher', [tree.district.id]);
  dispatcher = await signIn(t.app, d.username);
});
afterAll(() => t.close());

describe('a relative\'s "收到" is knowing, "我去看看" is taking responsibility', () => {
  it('device SOS: 收到 keeps the incident open, the console alarming and the ladder climbing; 我去看看 stops it', async () => {
    const elder = await makeElder(t.database, tree.communityA1, {
      circle: [
        { kind: 'relative', name: '陈小明', relation: '儿子', phone: '13900001001' },
        { kind: 'relative', name: '陈小红', relation: '女儿', phone: '13900001002' },
        { kind: 'community_worker', name: '林社工', phone: '13900001003' },
      ],
    });
    const id = await deviceSos(elder.id);
    t.clock.advance(60_000);
    await sweep(); // step 1: the circle, by voice and SMS

    const son = await linkOf(id, '13900001001');
    const received = await ack(son, 'received');
    expect(received.statusCode).toBe(200);
    expect(received.json()).toEqual({ ok: true, reply: 'received' });

    // still open: the console's alarm (open incidents) goes on, the timer stays set
    const detail = (await dispatcher.get(`/api/incidents/${id}`)).json();
    expect(detail.incident).toMatchObject({
      state: 'open',
      acknowledgedAt: null,
      responsible: null,
      knownBy: ['陈小明（儿子）'],
    });
    expect(detail.incident.nextStepAt).not.toBeNull();
    expect(detail.timeline.at(-1)).toMatchObject({
      type: 'known',
      actor: expect.stringContaining('陈小明'),
      details: { via: 'link', reply: 'received' },
    });
    const queue = (await dispatcher.get('/api/incidents')).json().items;
    expect(queue.find((i: { id: number }) => i.id === id)).toMatchObject({ state: 'open' });

    // the ladder goes on: the circle's repeat, then the community worker
    t.clock.advance(180_000);
    await sweep();
    t.clock.advance(180_000);
    await sweep();
    expect((await notes(id)).map((n) => n.whom)).toContain('community_worker');

    // the same answer twice is refused; the son may still say he is going — and that stops the ladder
    expect((await ack(son, 'received')).statusCode).toBe(409);
    const going = await ack(son, 'going');
    expect(going.statusCode).toBe(200);
    const after = (await dispatcher.get(`/api/incidents/${id}`)).json().incident;
    expect(after).toMatchObject({
      state: 'responder_en_route',
      nextStepAt: null,
      responsible: expect.stringContaining('陈小明'),
      knownBy: ['陈小明（儿子）'],
    });
    const before = (await notes(id)).length;
    t.clock.advance(3 * 3600_000);
    await sweep();
    expect((await notes(id)).length).toBe(before);
    expect((await ack(son, 'going')).statusCode).toBe(409);
    await dispatcher.post(`/api/incidents/${id}/transition`, { to: 'resolved', outcome: 'false_alarm' });
  });

  it('the same rule for an elder-page SOS and a silence alert: 收到 never stops the ladder', async () => {
    const e1 = await makeElder(t.database, tree.communityA1, {
      circle: [{ kind: 'relative', name: '黄一', relation: '儿子', phone: '13900001011' }],
    });
    const link = (await coordinator.post(`/api/elders/${e1.id}/page-link`)).json().token;
    const sos = await t.app.inject({
      method: 'POST',
      url: `/api/elder-page/${link}/sos`,
      payload: { confirm: true },
    });
    const e2 = await makeElder(t.database, tree.communityA1, {
      circle: [{ kind: 'relative', name: '黄二', relation: '女儿', phone: '13900001012' }],
    });
    await handOverAlerts(t.app.deps, [
      {
        id: 9901,
        elderId: e2.id,
        dutyId: 1,
        orgPath: tree.communityA1.path,
        kind: 'daily_silence' as const,
        day: '2026-11-22',
        raisedAt: t.clock.now(),
        assigneeId: null,
        details: {},
      },
    ]);
    const silence = (await dispatcher.get(`/api/incidents?elderId=${e2.id}`)).json().items[0].id as number;
    t.clock.advance(60_000);
    await sweep(); // the elder-page SOS reaches the circle now; the silence alert did at once
    for (const [id, phone] of [
      [sos.json().incidentId as number, '13900001011'],
      [silence, '13900001012'],
    ] as const) {
      expect((await ack(await linkOf(id, phone), 'received')).statusCode).toBe(200);
      const i = (await dispatcher.get(`/api/incidents/${id}`)).json().incident;
      expect(i).toMatchObject({ state: 'open', responsible: null });
      expect(i.nextStepAt).not.toBeNull();
      expect(i.knownBy).toHaveLength(1);
    }
    t.clock.advance(900_000);
    await sweep();
    // the silence ladder's next rung (the community worker) came due and was tried
    const rungs = (await dispatcher.get(`/api/incidents/${silence}`)).json().timeline as {
      type: string;
      details: { whom?: string } | null;
    }[];
    expect(rungs.filter((e) => e.type.startsWith('step_')).map((e) => e.details?.whom)).toContain(
      'community_worker',
    );
    for (const id of [sos.json().incidentId, silence]) {
      await dispatcher.post(`/api/incidents/${id}/transition`, { to: 'resolved', outcome: 'false_alarm' });
    }
  });

  it('in the app: a carer messaged about it who only knows stays 已知晓; 我去看看 makes them responsible', async () => {
    const admin = await signIn(t.app, (await makeUser(t.database, 'admin', [tree.city.id])).username);
    const c1 = await makeUser(t.database, 'carer', [tree.communityA1.id]);
    const e = await makeElder(t.database, tree.communityA1, {
      circle: [{ kind: 'carer', name: '志愿者乙', userId: c1.id, phone: '13900001021' }],
    });
    await admin.request({
      method: 'PUT',
      url: '/api/ladders/carer_concern',
      payload: {
        throttleSeconds: 60,
        steps: [{ whom: 'circle', channels: ['in_app'], waitSeconds: 600, repeats: 0, circleCount: 1 }],
      },
    });
    const id = (await dispatcher.post('/api/incidents', { elderId: e.id, kind: 'carer_concern' })).json()
      .incident.id;
    const carer = await signIn(t.app, c1.username);
    const knows = await carer.post(`/api/incidents/${id}/acknowledge`);
    expect(knows.statusCode).toBe(200);
    expect(knows.json().incident).toMatchObject({ state: 'open', responsible: null, knownBy: ['志愿者乙'] });
    expect(knows.json().incident.nextStepAt).not.toBeNull();
    const goes = await carer.request({
      method: 'POST',
      url: `/api/incidents/${id}/acknowledge`,
      payload: { reply: 'going' },
    });
    expect(goes.json().incident).toMatchObject({
      state: 'responder_en_route',
      nextStepAt: null,
      responsible: expect.stringContaining(c1.username), // the account that took it on
    });
    await t.database.db.execute(sql`DELETE FROM ladders WHERE kind = 'carer_concern'`);
    await dispatcher.post(`/api/incidents/${id}/transition`, { to: 'resolved', outcome: 'false_alarm' });
  });

  it('a dispatcher responding in the console takes responsibility', async () => {
    const e = await makeElder(t.database, tree.communityA1);
    const id = await deviceSos(e.id);
    const res = await dispatcher.post(`/api/incidents/${id}/acknowledge`);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json().incident;
    expect(r).toMatchObject({ state: 'acknowledged', nextStepAt: null, responsible: expect.any(String) });
    await dispatcher.post(`/api/incidents/${id}/transition`, { to: 'resolved', outcome: 'false_alarm' });
  });
});

describe('acknowledgement links: entropy, expiry, rate limit', () => {
  it('put no link smuggled through a name or address into the SMS', async () => {
    const e = await makeElder(t.database, tree.communityA1, {
      name: '周八\u202e https://evil.example/pay',
      circle: [{ kind: 'relative', name: '周九', relation: '儿子', phone: '13900001041' }],
    });
    const id = await deviceSos(e.id);
    t.clock.advance(60_000);
    await sweep();
    const sms = (await notes(id)).find((n) => n.channel === 'sms')!.body;
    expect(sms).toMatch(/^【关爱圈】周八（/);
    expect(sms).not.toMatch(/evil|\u202e/);
    expect(sms.match(/https?:\/\//g)).toHaveLength(1); // only our own acknowledgement link
    await dispatcher.post(`/api/incidents/${id}/transition`, { to: 'resolved', outcome: 'false_alarm' });
  });

  it('carry ≥ 128 random bits, answer until 24 h after the incident ends, then exactly like an unknown link', async () => {
    const e = await makeElder(t.database, tree.communityA1, {
      circle: [{ kind: 'relative', name: '郭一', relation: '儿子', phone: '13900001031' }],
    });
    const id = await deviceSos(e.id);
    t.clock.advance(60_000);
    await sweep();
    const token = await linkOf(id, '13900001031');
    expect(Buffer.from(token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    const sms = (await notes(id)).find((n) => n.channel === 'sms')!.body;
    expect(sms).not.toContain('确认码'); // no short code: nothing receives SMS replies

    await dispatcher.post(`/api/incidents/${id}/transition`, { to: 'resolved', outcome: 'false_alarm' });
    t.clock.advance(23 * 3600_000);
    const late = await t.app.inject({ method: 'GET', url: `/api/ack/${token}` });
    expect(late.statusCode).toBe(200);
    expect(late.json()).toMatchObject({ incidentOpen: false, reply: null });

    t.clock.advance(2 * 3600_000);
    const unknown = await t.app.inject({ method: 'GET', url: `/api/ack/${'x'.repeat(32)}` });
    const short = await t.app.inject({ method: 'GET', url: '/api/ack/AB' });
    const gone = await t.app.inject({ method: 'GET', url: `/api/ack/${token}` });
    const goneAnswer = await ack(token, 'going');
    for (const r of [unknown, short, gone, goneAnswer]) {
      expect(r.statusCode).toBe(404);
      expect(r.json()).toEqual(unknown.json());
    }
    expect(unknown.json().error.message).toContain('链接无效或已过期');
    // nothing changed on the incident (read directly: the dispatcher's session has timed out by now)
    const events = await rows<{ type: string }>(
      t.database.db,
      sql`SELECT type FROM incident_events WHERE incident_id = ${id}`,
    );
    expect(events.map((x) => x.type)).not.toContain('known');
    expect(events.map((x) => x.type)).not.toContain('dispatched');
  });

  it('are rate-limited per client address, on reading and answering alike', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 31; i++) {
      const r = await t.app.inject({
        method: 'GET',
        url: `/api/ack/guess${i}`,
        remoteAddress: '10.9.9.9',
      });
      codes.push(r.statusCode);
    }
    expect(codes.slice(0, 30).every((c) => c === 404)).toBe(true);
    expect(codes[30]).toBe(429);
    const answers: number[] = [];
    for (let i = 0; i < 31; i++) answers.push((await ack(`guess${i}`, 'received', '10.9.9.10')).statusCode);
    expect(answers[30]).toBe(429);
    // another address is not held back
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/ack/guess', remoteAddress: '10.9.9.11' })).statusCode,
    ).toBe(404);
  });
});
