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
import { sweepOnce } from '../../platform/sweeper.ts';
import { setConsoleSink } from '../notifications/channels.ts';

// Issue 11.3: resolved incidents must not disappear — a morning review must be able to see the night.
let t: TestApp;
let tree: TestTree;
let coordinator: Client; // street A only
let dispatcher: Client; // the district
let carer: Client;

const HOUR = 3_600_000;
const sweep = () => sweepOnce(t.app.deps, t.clock.now());
const raise = async (elderId: number, kind = 'sos_hotline') => {
  const res = await dispatcher.post('/api/incidents', { elderId, kind });
  expect(res.statusCode).toBe(201);
  return res.json().incident.id as number;
};
const resolve = (id: number, outcome = 'handled_at_home') =>
  dispatcher.post(`/api/incidents/${id}/transition`, { to: 'resolved', outcome });
const ids = (res: { json(): { items: { id: number }[] } }) => res.json().items.map((i) => i.id);

let usernames: { c: string; d: string; k: string };
/** Moves the clock (days at a time) and signs in again, as staff would on another shift. */
async function at(iso: string) {
  t.clock.set(iso);
  coordinator = await signIn(t.app, usernames.c);
  dispatcher = await signIn(t.app, usernames.d);
  carer = await signIn(t.app, usernames.k);
}

beforeAll(async () => {
  t = await createTestApp();
  setConsoleSink(() => {});
  tree = await makeTree(t.database);
  const c = await makeUser(t.database, 'coordinator', [tree.streetA.id]);
  const d = await makeUser(t.database, 'dispatcher', [tree.district.id]);
  const k = await makeUser(t.database, 'carer', [tree.communityA1.id]);
  usernames = { c: c.username, d: d.username, k: k.username };
});
afterAll(() => t.close());

describe('incident history', () => {
  it('keeps the night: resolved incidents are listed newest first, filtered by state, kind, Shanghai day, org and elder, paged, in scope', async () => {
    const a = await makeElder(t.database, tree.communityA1);
    const b = await makeElder(t.database, tree.communityB1);
    // 4 Dec 23:30 Shanghai (15:30 UTC): a night SOS in street A, handled and resolved
    await at('2026-12-04T15:30:00Z');
    const night = await raise(a.id);
    t.clock.advance(HOUR);
    expect((await resolve(night)).statusCode).toBe(200);
    // 5 Dec 03:12 Shanghai: a fall in street B, a false alarm
    await at('2026-12-04T19:12:00Z');
    const fall = await raise(b.id, 'fall');
    expect((await resolve(fall, 'false_alarm')).statusCode).toBe(200);
    // 5 Dec 09:00 Shanghai: a concern in street A, still open
    await at('2026-12-05T01:00:00Z');
    const concern = await raise(a.id, 'carer_concern');

    // the live queue no longer shows the resolved ones; the history does
    const queue = await dispatcher.get('/api/incidents?state=active&limit=200');
    expect(ids(queue)).not.toContain(night);
    const all = await dispatcher.get(`/api/incidents/history?limit=200&from=2026-12-04&to=2026-12-05`);
    expect(all.statusCode).toBe(200);
    const mine = ids(all).filter((i) => [night, fall, concern].includes(i));
    expect(mine).toEqual([concern, fall, night]);
    const resolved = all.json().items.find((i: { id: number }) => i.id === night);
    expect(resolved).toMatchObject({ state: 'resolved', outcome: 'handled_at_home', elderName: a.name });
    expect(resolved.resolvedAt).toBe('2026-12-04T16:30:00.000Z');

    // a Shanghai day: 5 Dec is 4 Dec 16:00 UTC … 5 Dec 16:00 UTC, so the 03:12 fall is on the 5th
    const day5 = await dispatcher.get('/api/incidents/history?from=2026-12-05&to=2026-12-05');
    expect(ids(day5)).toEqual(expect.arrayContaining([fall, concern]));
    expect(ids(day5)).not.toContain(night);
    const day4 = await dispatcher.get('/api/incidents/history?from=2026-12-04&to=2026-12-04');
    expect(ids(day4)).toContain(night);
    expect(ids(day4)).not.toContain(fall);

    expect(ids(await dispatcher.get('/api/incidents/history?state=resolved&kind=fall'))).toEqual([fall]);
    expect(ids(await dispatcher.get(`/api/incidents/history?elderId=${a.id}`))).toEqual([concern, night]);
    expect(ids(await dispatcher.get(`/api/incidents/history?orgId=${tree.streetB.id}`))).toEqual([fall]);

    // paged: total counts every match, the page holds the limit
    const p1 = await dispatcher.get(`/api/incidents/history?elderId=${a.id}&limit=1`);
    const p2 = await dispatcher.get(`/api/incidents/history?elderId=${a.id}&limit=1&offset=1`);
    expect(p1.json().total).toBe(2);
    expect([...ids(p1), ...ids(p2)]).toEqual([concern, night]);

    // scope: the street-A coordinator never sees street B's fall, nor may filter by street B
    const coord = await coordinator.get('/api/incidents/history?limit=200');
    expect(ids(coord)).toEqual(expect.arrayContaining([night, concern]));
    expect(ids(coord)).not.toContain(fall);
    expect(ids(await coordinator.get(`/api/incidents/history?elderId=${b.id}`))).toEqual([]);
    const outside = await coordinator.get(`/api/incidents/history?orgId=${tree.streetB.id}`);
    expect(outside.statusCode).toBe(404);
    expect(outside.json().error.details[0].field).toBe('querystring.orgId');
    expect((await coordinator.get(`/api/incidents/${fall}/timeline`)).statusCode).toBe(404);

    // bad filters are named
    const backwards = await dispatcher.get('/api/incidents/history?from=2026-12-05&to=2026-12-04');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.details[0]).toMatchObject({ field: 'querystring.to' });
    const badKind = await dispatcher.get('/api/incidents/history?kind=nonsense');
    expect(badKind.statusCode).toBe(400);
    expect(badKind.json().error.details[0].field).toBe('querystring.kind');
    // a carer has no console
    expect((await carer.get('/api/incidents/history')).statusCode).toBe(403);
  });

  it("an incident's timeline: events, the ladder's messages and their answers, who knew and who took it on", async () => {
    await at('2026-12-06T18:00:00Z');
    const elder = await makeElder(t.database, tree.communityA1, {
      circle: [{ kind: 'relative', name: '周小明', relation: '儿子', phone: '13900002001' }],
    });
    const dev = await coordinator.post('/api/devices', {
      elderId: elder.id,
      kind: 'one_key_phone',
      heartbeatPeriodSeconds: 7 * 86_400,
    });
    const { device, secret } = dev.json() as { device: { id: string }; secret: string };
    const ev = await t.app.inject(
      signedEvent(
        device.id,
        secret,
        { eventId: 'h-1', kind: 'sos', at: t.clock.now().toISOString() },
        Math.floor(t.clock.now().getTime() / 1000),
      ),
    );
    const id = ev.json().incidentId as number;
    t.clock.advance(60_000);
    await sweep(); // the circle is messaged with a link
    const [sms] = await rows<{ body: string }>(
      t.database.db,
      sql`SELECT body FROM notifications WHERE incident_id = ${id} AND channel = 'sms' ORDER BY id LIMIT 1`,
    );
    const token = /\/ack\/([A-Za-z0-9_-]+)/.exec(sms.body)![1];
    await t.app.inject({ method: 'POST', url: `/api/ack/${token}`, payload: { reply: 'received' } });
    expect((await dispatcher.post(`/api/incidents/${id}/acknowledge`)).statusCode).toBe(200);
    expect((await resolve(id)).statusCode).toBe(200);

    const res = await coordinator.get(`/api/incidents/${id}/timeline`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.incident).toMatchObject({ state: 'resolved', knownBy: ['周小明（儿子）'] });
    expect(body.incident.responsible).toMatch(/测试dispatcher/);
    const types = body.timeline.map((e: { type: string }) => e.type);
    expect(types[0]).toBe('opened');
    expect(types).toEqual(expect.arrayContaining(['step_fired', 'known', 'acknowledged', 'resolved']));
    expect(body.notifications.some((n: { ackReply: string | null }) => n.ackReply === 'received')).toBe(true);
    // the timeline carries no archive (no health data): it is not a reveal
    expect(body.archive).toBeUndefined();
  });
});

describe('follow-up queue (回访跟进)', () => {
  it('lists pending follow-ups by due time, overdue first; done ones leave it; bad due times are named', async () => {
    await at('2026-12-07T01:00:00Z');
    const [e1, e2, e3] = await Promise.all([1, 2, 3].map(() => makeElder(t.database, tree.communityA1)));
    const i1 = await raise(e1.id);
    const i2 = await raise(e2.id);
    const i3 = await raise(e3.id);
    for (const i of [i1, i2, i3]) expect((await resolve(i)).statusCode).toBe(200);

    const past = await dispatcher.post(`/api/incidents/${i1}/transition`, {
      to: 'follow_up',
      followUpDueAt: '2026-12-06T01:00:00Z',
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.details[0].field).toBe('body.followUpDueAt');

    // i1 due in 2 h, i2 by default (a day later), i3 in 4 days
    const f1 = await dispatcher.post(`/api/incidents/${i1}/transition`, {
      to: 'follow_up',
      followUpDueAt: '2026-12-07T03:00:00Z',
    });
    expect(f1.statusCode).toBe(200);
    expect(f1.json().incident.followUpDueAt).toBe('2026-12-07T03:00:00.000Z');
    const f2 = await dispatcher.post(`/api/incidents/${i2}/transition`, { to: 'follow_up' });
    expect(f2.json().incident.followUpDueAt).toBe('2026-12-08T01:00:00.000Z');
    await dispatcher.post(`/api/incidents/${i3}/transition`, {
      to: 'follow_up',
      followUpDueAt: '2026-12-11T01:00:00+08:00',
    });

    // the next morning: i1 and i2 are overdue and lead, i3 waits
    await at('2026-12-08T02:00:00Z');
    const q = await dispatcher.get('/api/incidents/follow-ups');
    expect(q.statusCode).toBe(200);
    expect(ids(q).filter((i) => [i1, i2, i3].includes(i))).toEqual([i1, i2, i3]);
    expect(q.json().overdue).toBeGreaterThanOrEqual(2);

    const empty = await dispatcher.post(`/api/incidents/${i1}/follow-up-done`, { note: ' ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.details[0].field).toBe('body.note');
    const done = await dispatcher.post(`/api/incidents/${i1}/follow-up-done`, {
      note: '电话回访，老人已康复',
    });
    expect(done.statusCode).toBe(200);
    expect(done.json().incident.followedUpAt).toBe('2026-12-08T02:00:00.000Z');
    expect(ids(await dispatcher.get('/api/incidents/follow-ups'))).not.toContain(i1);
    const again = await dispatcher.post(`/api/incidents/${i1}/follow-up-done`, { note: '再次' });
    expect(again.statusCode).toBe(422);
    // …and stays in the history with its follow-up on the timeline
    const tl = (await dispatcher.get(`/api/incidents/${i1}/timeline`)).json();
    expect(tl.timeline.at(-1)).toMatchObject({
      type: 'followed_up',
      details: { note: '电话回访，老人已康复' },
    });
    expect(ids(await dispatcher.get(`/api/incidents/history?state=follow_up&elderId=${e1.id}`))).toEqual([
      i1,
    ]);
    // a resolved incident without follow-up cannot be marked followed up
    const i4 = await raise(e1.id);
    await resolve(i4);
    expect((await dispatcher.post(`/api/incidents/${i4}/follow-up-done`, { note: '回访' })).statusCode).toBe(
      422,
    );
  });
});
