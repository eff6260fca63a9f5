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

let t: TestApp;
let tree: TestTree;
let admin: Client;
let coordinator: Client;
let dispatcher: Client;
let dispatcherId: number;
let coordinatorId: number;
let coordinatorName: string;
const delivered: string[] = [];

const secs = () => Math.floor(t.clock.now().getTime() / 1000);
const sweep = () => sweepOnce(t.app.deps, t.clock.now());
const notes = (incidentId: number) =>
  rows<{
    step_index: number;
    attempt: number;
    channel: string;
    address: string;
    status: string;
    body: string;
  }>(
    t.database.db,
    sql`SELECT step_index, attempt, channel, address, status, body FROM notifications WHERE incident_id = ${incidentId} ORDER BY id`,
  );

async function device(elderId: number, heartbeatPeriodSeconds = 7 * 86_400) {
  const res = await coordinator.post('/api/devices', {
    elderId,
    kind: 'one_key_phone',
    label: '一键通',
    heartbeatPeriodSeconds,
  });
  expect(res.statusCode).toBe(201);
  return res.json() as { device: { id: string }; secret: string };
}

beforeAll(async () => {
  t = await createTestApp();
  setConsoleSink((line) => delivered.push(line));
  tree = await makeTree(t.database);
  const a = await makeUser(t.database, 'admin', [tree.city.id]);
  admin = await signIn(t.app, a.username);
  const c = await makeUser(t.database, 'coordinator', [tree.streetA.id]);
  coordinator = await signIn(t.app, c.username);
  coordinatorId = c.id;
  coordinatorName = c.displayName;
  const d = await makeUser(t.database, 'dispatcher', [tree.district.id]);
  dispatcherId = d.id;
  dispatcher = await signIn(t.app, d.username);
});
afterAll(() => t.close());

describe('device SOS → incident → ladder → acknowledgement', () => {
  it('opens an incident, fires each step on time, and a relative acknowledging by link stops the ladder', async () => {
    const elder = await makeElder(t.database, tree.communityA1, {
      circle: [
        { kind: 'relative', name: '张小明', relation: '儿子', phone: '13900000001' },
        { kind: 'relative', name: '张小红', relation: '女儿', phone: '13900000002' },
        { kind: 'community_worker', name: '李社工', phone: '13900000003' },
      ],
    });
    const { device: dev, secret } = await device(elder.id);
    const res = await t.app.inject(
      signedEvent(dev.id, secret, { eventId: 'e-1', kind: 'sos', at: t.clock.now().toISOString() }, secs()),
    );
    expect(res.statusCode).toBe(200);
    const incidentId = res.json().incidentId as number;
    expect(res.json()).toMatchObject({ accepted: true, duplicate: false });

    // step 0 fired with the trigger: the dispatcher on duty, in-app
    let sent = await notes(incidentId);
    expect(sent).toEqual([
      expect.objectContaining({
        step_index: 0,
        channel: 'in_app',
        address: `user:${dispatcherId}`,
        status: 'sent',
      }),
    ]);
    const list = (await dispatcher.get('/api/incidents')).json();
    expect(list.items[0]).toMatchObject({
      id: incidentId,
      state: 'open',
      kind: 'sos_device',
      severity: 'critical',
    });

    // 59 s later nothing more; at 60 s the circle (two relatives, voice + sms)
    t.clock.advance(59_000);
    await sweep();
    expect(await notes(incidentId)).toHaveLength(1);
    t.clock.advance(1_000);
    await sweep();
    sent = await notes(incidentId);
    const step1 = sent.filter((n) => n.step_index === 1);
    expect(step1.map((n) => `${n.channel}:${n.address}`).sort()).toEqual([
      'sms:13900000001',
      'sms:13900000002',
      'voice:13900000001',
      'voice:13900000002',
    ]);
    // the console channel delivered them (no gateway configured in development)
    await sweep();
    expect(delivered.some((l) => l.includes('13900000001') && l.includes('/ack/'))).toBe(true);
    expect(
      (await notes(incidentId)).filter((n) => n.step_index === 1).every((n) => n.status === 'sent'),
    ).toBe(true);

    // the relative opens the link and answers "我去看看"
    const code = /\/ack\/([A-Za-z0-9_-]+)/.exec(step1.find((n) => n.channel === 'sms')!.body)![1];
    const info = await t.app.inject({ method: 'GET', url: `/api/ack/${code}` });
    expect(info.json()).toMatchObject({
      elderName: elder.name,
      kind: 'sos_device',
      used: false,
      incidentOpen: true,
    });
    const ack = await t.app.inject({ method: 'POST', url: `/api/ack/${code}`, payload: { reply: 'going' } });
    expect(ack.statusCode).toBe(200);
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/ack/${code}`,
      payload: { reply: 'received' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('CONFLICT');

    // the ladder stopped: hours later nothing more is sent
    const before = (await notes(incidentId)).length;
    t.clock.advance(3 * 3600_000);
    await sweep();
    expect((await notes(incidentId)).length).toBe(before);

    const detail = (await dispatcher.get(`/api/incidents/${incidentId}`)).json();
    expect(detail.incident.state).toBe('responder_en_route');
    expect(detail.incident.nextStepAt).toBeNull();
    expect(detail.timeline.map((e: { type: string }) => e.type)).toEqual([
      'opened',
      'step_fired',
      'step_fired',
      'acknowledged',
      'dispatched',
    ]);
    expect(detail.timeline[3]).toMatchObject({
      actor: expect.stringContaining('张小明'),
      details: { replyText: '我去看看' },
    });
    expect(detail.archive).toMatchObject({
      name: elder.name,
      building: '3',
      room: '402',
      hearingImpaired: true,
    });
    expect(detail.archive.circle.map((c: { name: string }) => c.name)).toEqual([
      '张小明',
      '张小红',
      '李社工',
    ]);

    // the dispatcher follows through: on scene, resolved (to hospital), follow-up
    expect(
      (await dispatcher.post(`/api/incidents/${incidentId}/transition`, { to: 'on_scene' })).statusCode,
    ).toBe(200);
    const noOutcome = await dispatcher.post(`/api/incidents/${incidentId}/transition`, { to: 'resolved' });
    expect(noOutcome.statusCode).toBe(422);
    expect(noOutcome.json().error.details[0].field).toBe('body.outcome');
    const resolved = await dispatcher.post(`/api/incidents/${incidentId}/transition`, {
      to: 'resolved',
      outcome: 'to_hospital',
      note: '市第一人民医院',
    });
    expect(resolved.json().incident).toMatchObject({ state: 'resolved', outcome: 'to_hospital' });
    const [e] = await rows<{ status: string }>(
      t.database.db,
      sql`SELECT status FROM elders WHERE id = ${elder.id}`,
    );
    expect(e.status).toBe('hospitalised');
    const back = await dispatcher.post(`/api/incidents/${incidentId}/transition`, { to: 'on_scene' });
    expect(back.statusCode).toBe(422);
    expect(
      (await dispatcher.post(`/api/incidents/${incidentId}/transition`, { to: 'follow_up' })).statusCode,
    ).toBe(200);
  });

  it('a dispatcher acknowledging in the console stops the ladder before the circle is called', async () => {
    const elder = await makeElder(t.database, tree.communityA1, {
      circle: [{ kind: 'relative', name: '王大伟', relation: '儿子', phone: '13900000011' }],
    });
    const { device: dev, secret } = await device(elder.id);
    const id = (
      await t.app.inject(
        signedEvent(dev.id, secret, { eventId: 'x1', kind: 'fall', at: t.clock.now().toISOString() }, secs()),
      )
    ).json().incidentId;
    t.clock.advance(30_000);
    const ack = await dispatcher.post(`/api/incidents/${id}/acknowledge`);
    expect(ack.json().incident).toMatchObject({ state: 'acknowledged', nextStepAt: null });
    t.clock.advance(600_000);
    await sweep();
    expect((await notes(id)).map((n) => n.step_index)).toEqual([0]);
    await dispatcher.post(`/api/incidents/${id}/transition`, { to: 'resolved', outcome: 'false_alarm' });
  });

  it('runs the whole ladder when nobody answers: repeats, skips empty rungs, prompts 120, then stops', async () => {
    const elder = await makeElder(t.database, tree.communityA1, {
      circle: [{ kind: 'relative', name: '赵一', relation: '侄子', phone: '13900000021' }],
    });
    const { device: dev, secret } = await device(elder.id);
    const id = (
      await t.app.inject(
        signedEvent(dev.id, secret, { eventId: 'n1', kind: 'sos', at: t.clock.now().toISOString() }, secs()),
      )
    ).json().incidentId;
    for (let i = 0; i < 60; i++) {
      t.clock.advance(60_000);
      await sweep();
    }
    const detail = (await dispatcher.get(`/api/incidents/${id}`)).json();
    const types = detail.timeline.map(
      (e: { type: string; details: { whom?: string } }) => `${e.type}:${e.details?.whom ?? ''}`,
    );
    expect(types).toEqual([
      'opened:',
      'step_fired:dispatcher_on_duty',
      'step_fired:circle',
      'step_fired:circle',
      // the circle names no community worker: the street's coordinator takes the rung (never skipped
      // while someone covers the elder's community)
      'step_fired:community_worker',
      'step_skipped:unit_contact',
      'step_skipped:supervisor',
      'step_fired:emergency_services',
      'ladder_exhausted:',
    ]);
    // …reached in the app (the account has no phone) on the ladder's third rung, and only there
    const told = (await notes(id)).filter((n) => n.address === `user:${coordinatorId}`);
    expect(told.map((n) => [n.step_index, n.channel])).toEqual([[2, 'in_app']]);
    // the circle's repeat came 3 minutes after its first call (the step's wait)
    const circle = detail.timeline.filter(
      (e: { details: { whom?: string } }) => e.details?.whom === 'circle',
    );
    expect(new Date(circle[1].at).getTime() - new Date(circle[0].at).getTime()).toBe(180_000);
    expect(detail.timeline[7].details.prompt).toContain('120');
    await dispatcher.post(`/api/incidents/${id}/transition`, { to: 'resolved', outcome: 'deceased' });
    const [e] = await rows<{ status: string }>(
      t.database.db,
      sql`SELECT status FROM elders WHERE id = ${elder.id}`,
    );
    expect(e.status).toBe('deceased');
  });
});

describe('device events are authenticated', () => {
  let dev: { id: string };
  let secret: string;
  let elderId: number;
  beforeAll(async () => {
    elderId = (await makeElder(t.database, tree.communityA1)).id;
    ({ device: dev, secret } = await device(elderId));
  });
  const body = () => ({ eventId: `b-${Math.random()}`, kind: 'sos', at: t.clock.now().toISOString() });

  it('refuses a bad signature, a stale timestamp and an unknown device (401), with the error shape', async () => {
    const bad = await t.app.inject(signedEvent(dev.id, secret, body(), secs(), { secret: 'wrong' }));
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(bad.json().error.message).toContain('设备认证失败');
    const stale = await t.app.inject(
      signedEvent(dev.id, secret, body(), secs(), { timestamp: secs() - 301 }),
    );
    expect(stale.statusCode).toBe(401);
    expect(stale.json().error.message).toContain('±5');
    const unknown = await t.app.inject(signedEvent('dev_nope', secret, body(), secs()));
    expect(unknown.statusCode).toBe(401);
    const unsigned = await t.app.inject({
      method: 'POST',
      url: `/api/devices/${dev.id}/events`,
      payload: body(),
    });
    expect(unsigned.statusCode).toBe(401);
    const [{ n }] = await rows<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM incidents WHERE elder_id = ${elderId}`,
    );
    expect(n).toBe(0);
  });

  it('a replayed eventId is one event: 200 with the original result, no second trigger', async () => {
    const b = body();
    const first = await t.app.inject(signedEvent(dev.id, secret, b, secs()));
    t.clock.advance(5_000);
    const replay = await t.app.inject(signedEvent(dev.id, secret, b, secs()));
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual({ ...first.json(), duplicate: true });
    const [i] = await rows<{ triggers: number }>(
      t.database.db,
      sql`SELECT triggers FROM incidents WHERE id = ${first.json().incidentId}`,
    );
    expect(i.triggers).toBe(1);
  });

  it('a second trigger for the same elder joins the open incident', async () => {
    const first = (await dispatcher.get(`/api/incidents?elderId=${elderId}`)).json().items[0];
    const fall = await t.app.inject(signedEvent(dev.id, secret, { ...body(), kind: 'fall' }, secs()));
    expect(fall.json().incidentId).toBe(first.id);
    const hotline = await dispatcher.post('/api/incidents', {
      elderId,
      kind: 'sos_hotline',
      summary: '家属来电',
    });
    expect(hotline.statusCode).toBe(200);
    expect(hotline.json()).toMatchObject({ joined: true, incident: { id: first.id, triggers: 3 } });
    await dispatcher.post(`/api/incidents/${first.id}/transition`, {
      to: 'resolved',
      outcome: 'false_alarm',
    });
    const next = await dispatcher.post('/api/incidents', { elderId, kind: 'sos_hotline' });
    expect(next.statusCode).toBe(201);
    expect(next.json().incident.id).not.toBe(first.id);
    await dispatcher.post(`/api/incidents/${next.json().incident.id}/transition`, {
      to: 'resolved',
      outcome: 'false_alarm',
    });
  });

  it('a device without heartbeat for its period raises device_silent once', async () => {
    const e = await makeElder(t.database, tree.communityA1);
    const { device: d, secret: s } = await device(e.id, 3600);
    t.clock.advance(30 * 60_000);
    const hb = await t.app.inject(
      signedEvent(d.id, s, { eventId: 'hb1', kind: 'heartbeat', at: t.clock.now().toISOString() }, secs()),
    );
    expect(hb.statusCode).toBe(200);
    t.clock.advance(59 * 60_000);
    await sweep();
    expect((await dispatcher.get(`/api/incidents?elderId=${e.id}`)).json().total).toBe(0);
    t.clock.advance(2 * 60_000);
    await sweep();
    await sweep();
    const items = (await dispatcher.get(`/api/incidents?elderId=${e.id}`)).json().items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'device_silent', severity: 'low' });
  });
});

describe('acknowledgement by anyone notified', () => {
  it('a carer messaged in-app may acknowledge; a carer who was not may not', async () => {
    const c1 = await makeUser(t.database, 'carer', [tree.communityA1.id]);
    const c2 = await makeUser(t.database, 'carer', [tree.communityA1.id]);
    const e = await makeElder(t.database, tree.communityA1, {
      circle: [{ kind: 'carer', name: '志愿者甲', userId: c1.id, phone: '13900000071' }],
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
    const other = await signIn(t.app, c2.username);
    expect((await other.post(`/api/incidents/${id}/acknowledge`)).statusCode).toBe(404);
    const carer = await signIn(t.app, c1.username);
    // "我去看看" takes it on; a plain "收到" would only be 已知晓 (ack.db.test.ts)
    const ack = await carer.post(`/api/incidents/${id}/acknowledge`, { reply: 'going' });
    expect(ack.statusCode).toBe(200);
    expect(ack.json().incident).toMatchObject({ state: 'responder_en_route', nextStepAt: null });
    await t.database.db.execute(sql`DELETE FROM ladders WHERE kind = 'carer_concern'`);
    await dispatcher.post(`/api/incidents/${id}/transition`, { to: 'resolved', outcome: 'false_alarm' });
  });
});

describe('the sweeper fires a batch of due ladders together', () => {
  it('each incident reaches its own circle once; a phone shared by two elders is throttled, not dropped', async () => {
    const shared = '13911110001';
    const made = [
      await makeElder(t.database, tree.communityA1, {
        name: '批量甲',
        circle: [{ kind: 'relative', name: '钱一', relation: '儿子', phone: shared }],
      }),
      await makeElder(t.database, tree.communityB1, {
        name: '批量乙',
        circle: [{ kind: 'relative', name: '钱二', relation: '女儿', phone: '13911110002' }],
      }),
      await makeElder(t.database, tree.communityA1, {
        name: '批量丙',
        circle: [{ kind: 'relative', name: '钱一', relation: '儿子', phone: shared }],
      }),
    ];
    const now = t.clock.now();
    const ids: number[] = [];
    for (const e of made) {
      const [r] = await rows<{ id: number }>(
        t.database.db,
        sql`INSERT INTO incidents (elder_id, org_path, kind, ladder_kind, severity, state, step_index, step_attempt,
              next_step_at, triggered_at)
            SELECT id, org_path, 'sos_device', 'sos_device', 'critical', 'open', 1, 0, ${now.toISOString()}::timestamptz,
              ${now.toISOString()}::timestamptz FROM elders WHERE id = ${e.id} RETURNING id`,
      );
      ids.push(r.id);
    }
    await sweep();
    for (const [k, id] of ids.entries()) {
      const list = await notes(id);
      expect(list.map((n) => n.channel).sort()).toEqual(['sms', 'voice']);
      expect(list.every((n) => n.step_index === 1 && n.attempt === 0 && n.body.includes(made[k].name))).toBe(
        true,
      );
      const [ev] = await rows<{ type: string; details: { recipients: string[] } }>(
        t.database.db,
        sql`SELECT type, details FROM incident_events WHERE incident_id = ${id}`,
      );
      expect(ev.type).toBe('step_fired');
      expect(ev.details.recipients).toEqual([k === 1 ? '钱二（女儿）' : '钱一（儿子）']);
      const [pos] = await rows<{ step_attempt: number; next_step_at: Date }>(
        t.database.db,
        sql`SELECT step_attempt, next_step_at FROM incidents WHERE id = ${id}`,
      );
      expect(pos.step_attempt).toBe(1); // the circle step repeats once
      expect(new Date(pos.next_step_at).getTime()).toBe(now.getTime() + 180_000);
    }
    // the son of 甲 and 丙 hears about 甲 now and about 丙 a throttle later (60 s), not twice at once
    const retry = await rows<{ status: string; retry_at: Date | null }>(
      t.database.db,
      sql`SELECT status, retry_at FROM notifications WHERE address = ${shared} AND channel = 'sms' ORDER BY incident_id`,
    );
    expect(retry.map((r) => r.status)).toEqual(['sent', 'pending']); // delivered in the same sweep; held back
    expect(new Date(retry[1].retry_at as Date).getTime() - now.getTime()).toBe(60_000);
    for (const id of ids) {
      await dispatcher.post(`/api/incidents/${id}/transition`, { to: 'resolved', outcome: 'false_alarm' });
    }
  });
});

describe('failures stay contained', () => {
  it('a broken ladder never loses the incident nor holds back other ladders', async () => {
    await t.database.db.execute(
      sql`INSERT INTO ladders (kind, steps, throttle_seconds) VALUES ('carer_concern', '[{"whom":"nobody"}]'::jsonb, 60)`,
    );
    const a = await makeElder(t.database, tree.communityA1);
    const b = await makeElder(t.database, tree.communityA1, {
      circle: [{ kind: 'relative', name: '郑好', relation: '女儿', phone: '13900000061' }],
    });
    const broken = await dispatcher.post('/api/incidents', { elderId: a.id, kind: 'carer_concern' });
    expect(broken.statusCode).toBe(201);
    expect(broken.json().incident).toMatchObject({ state: 'open', stepIndex: 0 });
    const ok = (await dispatcher.post('/api/incidents', { elderId: b.id, kind: 'sos_hotline' })).json()
      .incident;
    t.clock.advance(180_000);
    await sweep(); // does not throw
    expect((await notes(ok.id)).filter((n) => n.step_index === 0 && n.attempt === 1)).toHaveLength(2);
    await t.database.db.execute(sql`DELETE FROM ladders WHERE kind = 'carer_concern'`);
    await sweep();
    const after = (await dispatcher.get(`/api/incidents/${broken.json().incident.id}`)).json();
    // repaired, the ladder moves on from its first rung (fired, or skipped when nobody is there)
    const moved = after.timeline.map((e: { type: string }) => e.type).slice(1);
    expect(moved.some((type: string) => type === 'step_fired' || type === 'step_skipped')).toBe(true);
    for (const id of [ok.id, broken.json().incident.id]) {
      await dispatcher.post(`/api/incidents/${id}/transition`, { to: 'resolved', outcome: 'false_alarm' });
    }
  });
});

describe('API document', () => {
  it('lists the emergency routes in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const p of [
      '/api/incidents',
      '/api/incidents/{id}',
      '/api/incidents/{id}/acknowledge',
      '/api/incidents/{id}/transition',
      '/api/incidents/{id}/notes',
      '/api/incidents/{id}/dispatch',
      '/api/events',
      '/api/ladders',
      '/api/ladders/{kind}',
      '/api/ack/{token}',
      '/api/devices',
      '/api/devices/{deviceId}/events',
      '/api/elders/{id}/page-link',
      '/api/elder-page/{token}',
      '/api/elder-page/{token}/ok',
      '/api/elder-page/{token}/sos',
    ]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
  });
});

describe('silence becomes incidents', () => {
  it("a care silence alert opens a no-contact incident with its own ladder; 'unreachable' joins it", async () => {
    const e = await makeElder(t.database, tree.communityA1, {
      circle: [{ kind: 'relative', name: '周平', relation: '儿子', phone: '13900000041' }],
    });
    const alert = {
      id: 9001,
      elderId: e.id,
      dutyId: 1,
      orgPath: tree.communityA1.path,
      kind: 'daily_silence' as const,
      day: '2026-11-22',
      raisedAt: t.clock.now(),
      assigneeId: null,
      details: {},
    };
    await handOverAlerts(t.app.deps, [alert]);
    const [i] = (await dispatcher.get(`/api/incidents?elderId=${e.id}`)).json().items;
    expect(i).toMatchObject({ kind: 'no_contact_deadline', severity: 'medium', state: 'open' });
    // its ladder starts with the circle by SMS, not the dispatcher
    const first = await notes(i.id);
    expect(first.map((n) => `${n.channel}:${n.address}`)).toContain('sms:13900000041');
    await handOverAlerts(t.app.deps, [{ ...alert, id: 9002, kind: 'unreachable' }]);
    const again = (await dispatcher.get(`/api/incidents?elderId=${e.id}`)).json().items;
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ id: i.id, triggers: 2, severity: 'high' });
    await dispatcher.post(`/api/incidents/${i.id}/transition`, {
      to: 'resolved',
      outcome: 'handled_at_home',
    });
  });

  it('an evening of alerts is raised together: one incident per elder, joins where one is open', async () => {
    const quiet = [
      await makeElder(t.database, tree.communityA1, {
        circle: [{ kind: 'relative', name: '吴一', relation: '儿子', phone: '13900000051' }],
      }),
      await makeElder(t.database, tree.communityB1, {
        circle: [{ kind: 'relative', name: '吴二', relation: '女儿', phone: '13900000052' }],
      }),
    ];
    const busy = await makeElder(t.database, tree.communityA1);
    const open = (await dispatcher.post('/api/incidents', { elderId: busy.id, kind: 'carer_concern' })).json()
      .incident;
    const alert = (id: number, elderId: number, kind: 'daily_silence' | 'unreachable' = 'daily_silence') => ({
      id,
      elderId,
      dutyId: 1,
      orgPath: tree.communityA1.path,
      kind,
      day: '2026-11-22',
      raisedAt: t.clock.now(),
      assigneeId: null,
      details: {},
    });
    await handOverAlerts(t.app.deps, [
      alert(9101, quiet[0].id),
      alert(9102, quiet[1].id),
      alert(9103, busy.id),
      alert(9104, quiet[0].id, 'unreachable'), // the same elder twice in one evening: joins
    ]);
    for (const [k, e] of quiet.entries()) {
      const items = (await dispatcher.get(`/api/incidents?elderId=${e.id}`)).json().items;
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        kind: 'no_contact_deadline',
        state: 'open',
        triggers: k === 0 ? 2 : 1,
      });
      expect((await notes(items[0].id)).map((n) => `${n.channel}:${n.address}`)).toContain(
        `sms:1390000005${k + 1}`,
      );
      const detail = (await dispatcher.get(`/api/incidents/${items[0].id}`)).json();
      expect(detail.timeline.map((ev: { type: string }) => ev.type).slice(0, 2)).toEqual([
        'opened',
        'step_fired',
      ]);
    }
    const joined = (await dispatcher.get(`/api/incidents?elderId=${busy.id}`)).json().items;
    expect(joined).toHaveLength(1);
    expect(joined[0]).toMatchObject({ id: open.id, triggers: 2 });
    for (const e of [...quiet, busy]) {
      const [i] = (await dispatcher.get(`/api/incidents?elderId=${e.id}`)).json().items;
      await dispatcher.post(`/api/incidents/${i.id}/transition`, { to: 'resolved', outcome: 'false_alarm' });
    }
  });
});

describe('scope, ladders and the elder page', () => {
  it('lists only incidents in scope; out-of-scope ones are 404', async () => {
    const far = await makeElder(t.database, tree.communityB1);
    const id = (await dispatcher.post('/api/incidents', { elderId: far.id, kind: 'sos_hotline' })).json()
      .incident.id;
    expect((await coordinator.get(`/api/incidents/${id}`)).statusCode).toBe(404);
    const mine = (await coordinator.get('/api/incidents?state=all')).json().items;
    expect(mine.every((i: { orgPath: string }) => i.orgPath.startsWith(tree.streetA.path))).toBe(true);
    expect(
      (await coordinator.post('/api/incidents', { elderId: far.id, kind: 'sos_hotline' })).statusCode,
    ).toBe(404);
  });

  it('reads the default ladder, lets an administrator change it, refuses a dispatcher', async () => {
    const l = (await dispatcher.get('/api/ladders/fall')).json();
    expect(l.steps[0].whom).toBe('dispatcher_on_duty');
    const body = {
      throttleSeconds: 30,
      steps: [{ whom: 'circle', channels: ['sms'], waitSeconds: 120, repeats: 2, circleCount: 3 }],
    };
    expect(
      (await dispatcher.request({ method: 'PUT', url: '/api/ladders/fall', payload: body })).statusCode,
    ).toBe(403);
    const put = await admin.request({ method: 'PUT', url: '/api/ladders/fall', payload: body });
    expect(put.statusCode).toBe(200);
    expect((await dispatcher.get('/api/ladders/fall')).json()).toMatchObject(body);
    const bad = await admin.request({ method: 'PUT', url: '/api/ladders/fall', payload: { steps: [] } });
    expect(bad.statusCode).toBe(400);
    expect((await dispatcher.get('/api/ladders')).json().items).toHaveLength(7);
  });

  it('refuses a bad ladder with a Chinese message on the field, in English on request', async () => {
    const body = {
      throttleSeconds: 60,
      steps: [
        { whom: 'dispatcher_on_duty', channels: ['in_app'], waitSeconds: 60 },
        { whom: 'circle', channels: [], waitSeconds: 90_000, circleCount: 0 },
        { whom: 'emergency_services', channels: ['console'], waitSeconds: 0 },
      ],
    };
    const bad = await admin.request({ method: 'PUT', url: '/api/ladders/fall', payload: body });
    expect(bad.statusCode).toBe(400);
    const details = bad.json().error.details as { field: string; message: string }[];
    expect(details).toEqual(
      expect.arrayContaining([
        { field: 'body.steps.1.waitSeconds', message: '等待时间最长 86400 秒（24 小时）' },
        { field: 'body.steps.1.channels', message: '至少选择一个通知渠道' },
        { field: 'body.steps.1.circleCount', message: '通知人数至少 1 人' },
      ]),
    );
    const fixed = {
      ...body,
      steps: [
        body.steps[0],
        { ...body.steps[1], channels: ['sms'], waitSeconds: 300, circleCount: 2 },
        body.steps[2],
      ],
    };
    const noNumber = await admin.request({ method: 'PUT', url: '/api/ladders/fall', payload: fixed });
    expect(noNumber.statusCode).toBe(400);
    expect(noNumber.json().error.details).toEqual([
      expect.objectContaining({
        field: 'body.steps.2.emergencyNumber',
        message: '请选择要拨打的急救/报警电话',
      }),
    ]);
    const en = await admin.request({
      method: 'PUT',
      url: '/api/ladders/fall',
      payload: body,
      headers: { 'accept-language': 'en' },
    });
    const enWait = (en.json().error.details as { field: string; message: string }[]).find(
      (d) => d.field === 'body.steps.1.waitSeconds',
    );
    expect(enWait?.message).toMatch(/86400/);
    expect(enWait?.message).not.toMatch(/[\u4e00-\u9fff]/);
    // nothing was saved
    expect((await dispatcher.get('/api/ladders/fall')).json().steps).not.toHaveLength(3);
  });

  it('the elder page shows who will be called, checks in once a day, and raises an SOS', async () => {
    const e = await makeElder(t.database, tree.communityA1, {
      circle: [{ kind: 'relative', name: '孙丽', relation: '女儿', phone: '13900000031' }],
    });
    const link = await coordinator.post(`/api/elders/${e.id}/page-link`);
    expect(link.statusCode).toBe(201);
    const { token } = link.json();
    const page = await t.app.inject({ method: 'GET', url: `/api/elder-page/${token}` });
    expect(page.json()).toEqual({
      name: e.name,
      callList: [
        { name: '', relation: '', role: 'dispatcher_on_duty' },
        { name: '孙丽（女儿）', relation: '', role: 'circle' },
        // no community worker in the circle: the street's coordinator is told, and the page says so
        { name: coordinatorName, relation: '', role: 'community_worker' },
      ],
      emergencyNumber: '120',
      checkedInToday: false,
      openIncident: false,
      falseAlarmReported: false,
    });
    expect((await t.app.inject({ method: 'POST', url: `/api/elder-page/${token}/ok` })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: `/api/elder-page/${token}/ok` })).statusCode).toBe(200);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/elder-page/${token}` })).json().checkedInToday,
    ).toBe(true);
    const stray = await t.app.inject({ method: 'POST', url: `/api/elder-page/${token}/sos`, payload: {} });
    expect(stray.statusCode).toBe(400);
    const sos = await t.app.inject({
      method: 'POST',
      url: `/api/elder-page/${token}/sos`,
      payload: { confirm: true },
    });
    expect(sos.statusCode).toBe(200);
    expect((await dispatcher.get(`/api/incidents/${sos.json().incidentId}`)).json().incident.kind).toBe(
      'sos_device',
    );
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/elder-page/not-a-real-token-000000' })).statusCode,
    ).toBe(404);
  });
});
