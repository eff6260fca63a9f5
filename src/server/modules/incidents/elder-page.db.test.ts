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

// The 长辈版 page: retried SOS, links that die with the elder's registration, the real ladder, 我按错了,
// and the link shown again without regenerating it.

let t: TestApp;
let tree: TestTree;
let coordinator: Client;
let dispatcher: Client;
let admin: Client;

beforeAll(async () => {
  t = await createTestApp();
  tree = await makeTree(t.database);
  coordinator = await signIn(t.app, (await makeUser(t.database, 'coordinator', [tree.streetA.id])).username);
  dispatcher = await signIn(t.app, (await makeUser(t.database, 'dispatcher', [tree.district.id])).username);
  admin = await signIn(t.app, (await makeUser(t.database, 'admin', [tree.city.id])).username);
});
afterAll(() => t.close());

async function pageOf(circle: NonNullable<Parameters<typeof makeElder>[2]>['circle'] = []) {
  const e = await makeElder(t.database, tree.communityA1, { circle });
  const link = await coordinator.post(`/api/elders/${e.id}/page-link`);
  expect(link.statusCode).toBe(201);
  return { elder: e, token: link.json().token as string };
}
const sos = (token: string, payload: unknown) =>
  t.app.inject({ method: 'POST', url: `/api/elder-page/${token}/sos`, payload: payload as object });
const incidentsOf = (elderId: number) =>
  rows<{ id: number; triggers: number; state: string }>(
    t.database.db,
    sql`SELECT id, triggers, state FROM incidents WHERE elder_id = ${elderId} ORDER BY id`,
  );

describe('the elder page SOS is retried by the page and counted once', () => {
  it('the same requestId twice is one SOS with the first answer; a new press joins as a trigger', async () => {
    const { elder, token } = await pageOf();
    const first = await sos(token, { confirm: true, requestId: 'press-0001-abcdef' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ ok: true, duplicate: false });
    t.clock.advance(30_000);
    const retry = await sos(token, { confirm: true, requestId: 'press-0001-abcdef' });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual({ ...first.json(), duplicate: true });
    expect(await incidentsOf(elder.id)).toEqual([
      { id: first.json().incidentId, triggers: 1, state: 'open' },
    ]);
    const card = (await dispatcher.get(`/api/incidents/${first.json().incidentId}`)).json();
    expect(card.incident).toMatchObject({ kind: 'sos_device', triggers: 1 });
    // an old page without a requestId still works: another press is another trigger
    const old = await sos(token, { confirm: true });
    expect(old.json()).toMatchObject({ incidentId: first.json().incidentId, duplicate: false });
    expect((await incidentsOf(elder.id))[0].triggers).toBe(2);
    // the same requestId from another elder's page is that elder's own SOS
    const other = await pageOf();
    const theirs = await sos(other.token, { confirm: true, requestId: 'press-0001-abcdef' });
    expect(theirs.json()).toMatchObject({ duplicate: false });
    expect(theirs.json().incidentId).not.toBe(first.json().incidentId);
  });

  it('refuses a malformed requestId naming the field, and raises nothing', async () => {
    const { elder, token } = await pageOf();
    const bad = await sos(token, { confirm: true, requestId: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().error.details)).toContain('requestId');
    expect(await incidentsOf(elder.id)).toEqual([]);
  });
});

describe('an elder page dies with the registration', () => {
  it('a deceased or moved-away elder’s link answers 404 exactly like an unknown link, on every route', async () => {
    const unknown = await t.app.inject({ method: 'GET', url: '/api/elder-page/not-a-real-token-000000' });
    expect(unknown.statusCode).toBe(404);
    for (const status of ['deceased', 'moved_away']) {
      const { elder, token } = await pageOf();
      expect((await t.app.inject({ method: 'GET', url: `/api/elder-page/${token}` })).statusCode).toBe(200);
      await t.database.db.execute(sql`UPDATE elders SET status = ${status} WHERE id = ${elder.id}`);
      const page = await t.app.inject({ method: 'GET', url: `/api/elder-page/${token}` });
      const ok = await t.app.inject({ method: 'POST', url: `/api/elder-page/${token}/ok` });
      const help = await sos(token, { confirm: true, requestId: 'press-gone-000001' });
      for (const r of [page, ok, help]) {
        expect(r.statusCode).toBe(404);
        expect(r.body).toBe(unknown.body);
      }
      expect(await incidentsOf(elder.id)).toEqual([]);
    }
  });
});

describe('the elder page says what the ladder will really do', () => {
  const relatives = ['甲', '乙', '丙', '丁'].map((n, i) => ({
    kind: 'relative',
    name: `亲属${n}`,
    relation: ['女儿', '儿子', '侄子', '配偶'][i],
    phone: `1390000010${i}`,
  }));
  const circle = [...relatives, { kind: 'community_worker', name: '社工王', phone: '13900000109' }];
  const page = async (token: string) =>
    (await t.app.inject({ method: 'GET', url: `/api/elder-page/${token}` })).json();

  it('lists the rungs of the SOS ladder that reach someone, in order, and follows a changed ladder', async () => {
    const { token } = await pageOf(circle);
    const d = await page(token);
    // the default ladder: the dispatcher on duty, two of the circle, the community worker, then 120
    expect(d.callList).toEqual([
      { name: '', relation: '', role: 'dispatcher_on_duty' },
      { name: '亲属甲（女儿）', relation: '', role: 'circle' },
      { name: '亲属乙（儿子）', relation: '', role: 'circle' },
      { name: '社工王', relation: '', role: 'community_worker' },
    ]);
    expect(d.emergencyNumber).toBe('120');
    const { kind: _kind, ...shipped } = (await dispatcher.get('/api/ladders/sos_device')).json();
    const put = await admin.request({
      method: 'PUT',
      url: '/api/ladders/sos_device',
      payload: {
        throttleSeconds: 60,
        steps: [{ whom: 'circle', channels: ['sms'], waitSeconds: 120, repeats: 0, circleCount: 4 }],
      },
    });
    expect(put.statusCode).toBe(200);
    const after = await page(token);
    expect(after.callList.map((c: { name: string }) => c.name)).toEqual(
      relatives.map((r) => `${r.name}（${r.relation}）`),
    );
    expect(after.emergencyNumber).toBeNull();
    // the shipped ladder again, for the tests that follow
    const back = await admin.request({ method: 'PUT', url: '/api/ladders/sos_device', payload: shipped });
    expect(back.statusCode).toBe(200);
  });
});

describe('我按错了', () => {
  it('records a false alarm on the timeline once; the ladder goes on to the dispatcher, who closes it', async () => {
    const { elder, token } = await pageOf([
      { kind: 'relative', name: '孙丽', relation: '女儿', phone: '13900000031' },
    ]);
    const none = await t.app.inject({ method: 'POST', url: `/api/elder-page/${token}/false-alarm` });
    expect(none.statusCode).toBe(409);
    const help = await sos(token, { confirm: true, requestId: 'press-oops-000001' });
    const id = help.json().incidentId;
    t.clock.advance(20_000);
    for (let i = 0; i < 2; i++) {
      const oops = await t.app.inject({ method: 'POST', url: `/api/elder-page/${token}/false-alarm` });
      expect(oops.statusCode).toBe(200);
      expect(oops.json()).toEqual({ ok: true, incidentId: id });
    }
    const card = (await dispatcher.get(`/api/incidents/${id}`)).json();
    const said = card.timeline.filter((e: { type: string }) => e.type === 'elder_false_alarm');
    expect(said).toHaveLength(1);
    expect(said[0].actor).toContain(elder.name);
    // not a way to silence an emergency: the incident is still open and its ladder still due
    const [row] = await rows<{ state: string; next_step_at: Date | null }>(
      t.database.db,
      sql`SELECT state, next_step_at FROM incidents WHERE id = ${id}`,
    );
    expect(row.state).toBe('open');
    expect(row.next_step_at).not.toBeNull();
    expect((await t.app.inject({ method: 'GET', url: `/api/elder-page/${token}` })).json()).toMatchObject({
      openIncident: true,
      falseAlarmReported: true,
    });
    const closed = await dispatcher.post(`/api/incidents/${id}/transition`, {
      to: 'resolved',
      outcome: 'false_alarm',
    });
    expect(closed.statusCode).toBe(200);
  });
});

describe('the link shown again', () => {
  it('shows the same link without voiding it, audited; a new one voids the old; out of scope is 404', async () => {
    const { elder, token } = await pageOf();
    const again = await coordinator.get(`/api/elders/${elder.id}/page-link`);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ token, path: `/elder/${token}` });
    expect((await t.app.inject({ method: 'GET', url: `/api/elder-page/${token}` })).statusCode).toBe(200);
    const audited = await rows<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'elder_page.link_show' AND entity_id = ${String(elder.id)}`,
    );
    expect(audited[0].n).toBe(1);
    const other = await signIn(
      t.app,
      (await makeUser(t.database, 'coordinator', [tree.streetB.id])).username,
    );
    expect((await other.get(`/api/elders/${elder.id}/page-link`)).statusCode).toBe(404);
    const fresh = (await coordinator.post(`/api/elders/${elder.id}/page-link`)).json();
    expect(fresh.token).not.toBe(token);
    expect((await coordinator.get(`/api/elders/${elder.id}/page-link`)).json().token).toBe(fresh.token);
    expect((await t.app.inject({ method: 'GET', url: `/api/elder-page/${token}` })).statusCode).toBe(404);
    // a link made before links were derived cannot be shown again, and says what to do
    await t.database.db.execute(sql`UPDATE elder_links SET nonce = NULL WHERE elder_id = ${elder.id}`);
    const old = await coordinator.get(`/api/elders/${elder.id}/page-link`);
    expect(old.statusCode).toBe(409);
    expect(old.json().error.message).toContain('重新生成');
    const never = await makeElder(t.database, tree.communityA1);
    expect((await coordinator.get(`/api/elders/${never.id}/page-link`)).statusCode).toBe(404);
  });
});
