import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  createTestApp,
  makeTree,
  makeUser,
  signIn,
  type TestApp,
  type TestTree,
} from '../../../../test/helpers.ts';
import { worklistItem, worklistResponse } from '../../../shared/care.ts';
import { makeIdNumber } from '../../../shared/id-number.ts';
import { rows, sql } from '../../platform/db.ts';
import { sweepOnce } from '../../platform/sweeper.ts';
import { SILENCE_ALERT_TOPIC, type SilenceAlertEvent } from './care.service.ts';

let t: TestApp;
let tree: TestTree;
let admin: Client;
let coordA: Client;
let coordB: Client;
let manager: Client;
let carer1: Client;
let carer1Id: number;
let carer2Id: number;
const ids: Record<string, number> = {};
/** The alerts care has handed over (durable events, decision 0016), in order; each one handed over already. */
async function published(): Promise<SilenceAlertEvent[]> {
  const r = await rows<{ payload: SilenceAlertEvent; done: boolean }>(
    t.database.db,
    sql`SELECT payload, done_at IS NOT NULL AS done FROM module_events WHERE topic = ${SILENCE_ALERT_TOPIC} ORDER BY id`,
  );
  expect(r.filter((e) => !e.done)).toEqual([]);
  return r.map((e) => e.payload);
}

/** a Shanghai wall-clock instant */
const sh = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
const sweep = () => sweepOnce({ ...t.app.deps }, t.clock.now());
const accounts: Record<string, { username: string; password: string }> = {};
/** moves the test clock; sessions expire after hours, so everyone signs in again */
async function setClock(s: string) {
  t.clock.set(sh(s));
  const again = async (k: string) => signIn(t.app, accounts[k].username, accounts[k].password);
  admin = await again('admin');
  coordA = await again('coordA');
  coordB = await again('coordB');
  manager = await again('manager');
  carer1 = await again('carer1');
}
let keySeq = 0;
const key = () => `test-key-${++keySeq}-${Math.random().toString(36).slice(2, 10)}`;
const contact = (c: Client, body: Record<string, unknown>, k = key()) =>
  c.request({ method: 'POST', url: '/api/contacts', payload: body, headers: { 'idempotency-key': k } });

async function duty(c: Client, elderId: number, templateKey: string, closed = false) {
  const res = await c.get(
    `/api/duties?elderId=${elderId}&templateKey=${templateKey}${closed ? '&includeClosed=true' : ''}`,
  );
  expect(res.statusCode).toBe(200);
  return res.json().items[0];
}

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(sh('2026-11-22 10:00'));
  tree = await makeTree(t.database);
  const sign = async (role: string, scope: number[], name?: string) => {
    const u = await makeUser(t.database, role, scope);
    if (name) accounts[name] = u;
    return { client: await signIn(t.app, u.username, u.password), id: u.id };
  };
  admin = (await sign('admin', [tree.city.id], 'admin')).client;
  coordA = (await sign('coordinator', [tree.streetA.id], 'coordA')).client;
  coordB = (await sign('coordinator', [tree.streetB.id], 'coordB')).client;
  manager = (await sign('manager', [tree.district.id], 'manager')).client;
  const c1 = await sign('carer', [tree.streetA.id], 'carer1');
  carer1 = c1.client;
  carer1Id = c1.id;
  carer2Id = (await sign('carer', [tree.streetA.id])).id;

  const mk = async (c: Client, name: string, body: Record<string, unknown>) => {
    const res = await c.post('/api/elders', { name, phones: ['13812345678'], ...body });
    expect(res.statusCode, res.body).toBe(201);
    ids[name] = res.json().id;
  };
  // 86, living alone, in grid A1: daily check-in, weekly visit, holidays …
  await mk(coordA, '独居甲', {
    idNumber: makeIdNumber('330102', '1940-05-10', 11),
    orgId: tree.gridA1.id,
    livingSituation: '独居',
    difficultyGroups: ['独居'],
    hearingImpaired: true,
  });
  // 71, with family: quarterly visit, birthday, decade birthday only
  await mk(coordA, '同住乙', {
    idNumber: makeIdNumber('330102', '1955-12-01', 21),
    orgId: tree.communityA1.id,
    livingSituation: '与子女同住',
  });
  // another street: coordinator B's
  await mk(coordB, '独居丙', {
    idNumber: makeIdNumber('330102', '1941-02-03', 31),
    orgId: tree.communityB1.id,
    livingSituation: '独居',
    difficultyGroups: ['独居'],
  });
  const r = await admin.post('/api/care/replan');
  expect(r.statusCode, r.body).toBe(200);
  expect(r.json().upserted).toBeGreaterThan(5);
});
afterAll(() => t.close());

describe('planning from the default policy', () => {
  it('one duty per elder and template, windows in Asia/Shanghai, the coordinator as fallback assignee', async () => {
    const daily = await duty(coordA, ids.独居甲, 'daily_checkin');
    expect(daily.dueAt).toBe(sh('2026-11-22 20:00').toISOString());
    expect(daily.windowStart).toBe(sh('2026-11-22 08:00').toISOString());
    expect(daily.assigneeName).toMatch(/coordinator/);
    const weekly = await duty(coordA, ids.独居甲, 'weekly_visit');
    expect(weekly.dueAt).toBe(sh('2026-11-23 00:00').toISOString());
    expect(await duty(coordA, ids.同住乙, 'daily_checkin')).toBeUndefined();
    expect((await duty(coordA, ids.同住乙, 'birthday_visit')).windowStart).toBe(
      sh('2026-11-28 00:00').toISOString(),
    );
    // re-planning again changes nothing and duplicates nothing
    const again = await admin.post('/api/care/replan');
    expect(again.json()).toEqual({ upserted: 0, closed: 0 });
  });

  it('scope: a coordinator sees only duties under their street', async () => {
    const a = (await coordA.get('/api/duties?limit=500')).json().items;
    expect(a.some((d: { elderId: number }) => d.elderId === ids.独居丙)).toBe(false);
    const b = (await coordB.get('/api/duties?limit=500')).json().items;
    expect(b.length).toBeGreaterThan(0);
    expect(b.every((d: { elderId: number }) => d.elderId === ids.独居丙)).toBe(true);
    expect((await coordB.get(`/api/duties?orgId=${tree.streetA.id}`)).statusCode).toBe(404);
  });
});

describe('pairing', () => {
  it('assigns a whole grid to a carer in one action; the carer joins the circle and gets the duties', async () => {
    const res = await coordA.post('/api/pairings', { carerId: carer1Id, orgId: tree.gridA1.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().elderIds).toEqual([ids.独居甲]);
    expect((await carer1.get(`/api/elders/${ids.独居甲}`)).statusCode).toBe(200);
    expect((await carer1.get(`/api/elders/${ids.同住乙}`)).statusCode).toBe(404);
    const wl = (await carer1.get('/api/worklist')).json();
    const today = wl.today.find((i: { templateKey: string }) => i.templateKey === 'daily_checkin');
    expect(today.elderName).toBe('独居甲');
    expect(today.reasons).toEqual(expect.arrayContaining([{ code: 'age', n: 86 }, { code: 'livesAlone' }]));
    expect(today.phones).toEqual(['13812345678']);
    // the card names the elder's grid with its community (issue 11.9)
    expect(today.orgName).toBe('甲一社区 / 第1网格');
    expect(wl.overdue).toEqual([]);
    // the database renders the worklist's JSON: it must keep to the documented schema, field for field,
    // and say of each duty exactly what the duty list (serialised from the same rows in TypeScript) says
    expect(worklistResponse.parse(wl)).toEqual(wl);
    expect(Object.keys(today).sort()).toEqual(Object.keys(worklistItem.shape).sort());
    const duty = (await carer1.get(`/api/duties?elderId=${ids.独居甲}`))
      .json()
      .items.find((d: { id: number }) => d.id === today.id);
    expect(Object.fromEntries(Object.keys(duty).map((k) => [k, today[k]]))).toEqual(duty);
    expect(today.deadlineTime).toBe('20:00');
    expect(today.dueAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('the load view shows carers and the elders nobody looks after', async () => {
    const res = await coordA.get(`/api/pairings/load?orgId=${tree.streetA.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const load = res.json();
    expect(load.carers.find((c: { carerId: number }) => c.carerId === carer1Id).elders).toBe(1);
    expect(load.unpaired.items.map((e: { name: string }) => e.name)).toEqual(['同住乙']);
  });

  it('a substitute during leave, and a bulk reassign when a carer leaves', async () => {
    const leave = await coordA.post('/api/pairings/leave', {
      carerId: carer1Id,
      substituteId: carer2Id,
      fromDate: '2026-11-22',
      toDate: '2026-11-23',
    });
    expect(leave.statusCode, leave.body).toBe(200);
    expect((await duty(coordA, ids.独居甲, 'daily_checkin')).assigneeId).toBe(carer2Id);
    // the leave ended: the sweep gives the duties back
    await setClock('2026-11-24 09:00');
    await sweep();
    expect((await duty(coordA, ids.独居甲, 'daily_checkin')).assigneeId).toBe(carer1Id);
    await setClock('2026-11-22 10:00');

    const moved = await coordA.post('/api/pairings/reassign', { fromCarerId: carer1Id, toCarerId: carer2Id });
    expect(moved.json().elderIds).toEqual([ids.独居甲]);
    expect((await duty(coordA, ids.独居甲, 'weekly_visit')).assigneeId).toBe(carer2Id);
    expect((await carer1.get(`/api/elders/${ids.独居甲}`)).statusCode).toBe(404);
    const back = await coordA.post('/api/pairings/reassign', { fromCarerId: carer2Id, toCarerId: carer1Id });
    expect(back.json().elderIds).toEqual([ids.独居甲]);
  });
});

describe('contacts', () => {
  it('the same Idempotency-Key twice stores one record and answers with the first', async () => {
    const k = key();
    const body = {
      elderId: ids.独居甲,
      channel: 'phone',
      outcome: 'reached_ok',
      durationMin: 5,
      needs: ['助餐'],
    };
    const first = await contact(carer1, body, k);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().replayed).toBe(false);
    const second = await contact(carer1, { ...body, note: 'retry' }, k);
    expect(second.json()).toMatchObject({ id: first.json().id, replayed: true, note: null });
    const ledger = (await coordA.get(`/api/contacts?elderId=${ids.独居甲}`)).json().items;
    expect(ledger).toHaveLength(1);
    // the daily check-in moved to tomorrow; the weekly visit (home visit) did not
    expect((await duty(coordA, ids.独居甲, 'daily_checkin')).dueAt).toBe(
      sh('2026-11-23 20:00').toISOString(),
    );
    expect((await duty(coordA, ids.独居甲, 'weekly_visit')).dueAt).toBe(sh('2026-11-23 00:00').toISOString());
    const refs = (await coordA.get('/api/care/referrals')).json().items;
    expect(refs.map((r: { need: string }) => r.need)).toEqual(['助餐']);
  });

  it('refuses a missing key, an unpaired elder and a bad outcome, in Chinese', async () => {
    const body = { elderId: ids.独居甲, channel: 'phone', outcome: 'reached_ok' };
    const noKey = await carer1.post('/api/contacts', body);
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json().error.details[0].field).toBe('Idempotency-Key');
    expect((await contact(carer1, { ...body, elderId: ids.同住乙 })).statusCode).toBe(404);
    expect((await contact(carer1, { ...body, outcome: 'fine' })).statusCode).toBe(400);
  });

  it('an at-risk elder not reached twice within the retry window raises an alert', async () => {
    const body = { elderId: ids.独居甲, channel: 'home_visit', outcome: 'not_reached_no_answer' };
    const a = await contact(carer1, body);
    expect(a.json().alerts).toEqual([]);
    await setClock('2026-11-22 11:00');
    const b = await contact(carer1, body);
    expect(b.json().alerts).toHaveLength(1);
    expect((await published()).at(-1)).toMatchObject({ kind: 'unreachable', elderId: ids.独居甲 });
    const alerts = (await coordA.get('/api/care/alerts')).json().items;
    expect(alerts.map((x: { kind: string }) => x.kind)).toContain('unreachable');
    // coordinator B sees none of street A's alerts (only street B's own silence ones)
    const ofB = (await coordB.get('/api/care/alerts')).json().items as { elderId: number }[];
    expect(ofB.filter((x) => x.elderId !== ids.独居丙)).toEqual([]);
  });

  it('exports the ledger as .xlsx in ledger form', async () => {
    const res = await coordA.get('/api/contacts/export?month=2026-11');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(String(ws.getCell(1, 1).value)).toContain('走访联系台账（2026年11月）');
    expect(ws.getCell(2, 1).value).toBe('序号');
    expect(ws.getCell(3, 1).value).toBe(1);
    expect(ws.getCell(3, 4).value).toBe('独居甲');
  });
});

describe('re-planning after a policy change', () => {
  it('a stricter rule closes the duties it no longer covers, in one set-based statement; reverting reopens them', async () => {
    // 独居甲's own deadline is 18:00: the reopened check-in must be armed at 18:00, not the default 20:00
    expect(
      (await coordA.post('/api/duties/deadline', { elderId: ids.独居甲, time: '18:00' })).statusCode,
    ).toBe(200);
    const policy = (await admin.get('/api/care/policy')).json();
    const rule = policy.rules.find((r: { key: string }) => r.key === 'alone_80_daily');
    const stricter = await admin.patch(`/api/care/rules/${rule.id}`, {
      condition: {
        all: [
          { field: 'age', op: 'gte', value: 90 },
          { field: 'livingSituation', op: 'in', values: ['独居'] },
        ],
      },
    });
    expect(stricter.statusCode, stricter.body).toBe(200);
    expect(stricter.json().closed).toBe(2);
    const closed = await duty(coordA, ids.独居甲, 'daily_checkin', true);
    expect(closed).toMatchObject({ active: false, closedReason: 'policy' });
    const back = await admin.patch(`/api/care/rules/${rule.id}`, { condition: rule.condition });
    expect(back.json().upserted).toBe(2);
    const reopened = await duty(coordA, ids.独居甲, 'daily_checkin');
    expect(reopened).toMatchObject({ active: true, deadlineTime: '18:00' });
    const [armed] = await t.database.query<{ hhmm: string }>(
      `SELECT to_char(silence_check_at AT TIME ZONE 'Asia/Shanghai', 'HH24:MI') AS hhmm FROM duties WHERE id = $1`,
      [reopened.id],
    );
    expect(armed.hhmm).toBe('18:00');
    expect(
      (await coordA.post('/api/duties/deadline', { elderId: ids.独居甲, time: '20:00' })).statusCode,
    ).toBe(200);
    expect((await coordA.patch(`/api/care/rules/${rule.id}`, { active: false })).statusCode).toBe(403);
  });

  it('a new cadence moves the windows of every duty of the template', async () => {
    const policy = (await admin.get('/api/care/policy')).json();
    const tpl = policy.templates.find((x: { key: string }) => x.key === 'daily_checkin');
    const res = await admin.patch(`/api/care/templates/${tpl.id}`, {
      cadence: { kind: 'daily', windows: [{ start: '08:00', end: '18:00' }] },
    });
    expect(res.json().upserted).toBe(2);
    // 独居甲 was reached today at 10:00: the next window is tomorrow's
    expect((await duty(coordA, ids.独居甲, 'daily_checkin')).dueAt).toBe(
      sh('2026-11-23 18:00').toISOString(),
    );
    expect((await duty(coordB, ids.独居丙, 'daily_checkin')).dueAt).toBe(
      sh('2026-11-22 18:00').toISOString(),
    );
    await admin.patch(`/api/care/templates/${tpl.id}`, {
      cadence: { kind: 'daily', windows: [{ start: '08:00', end: '20:00' }] },
    });
  });

  it('holiday overrides move the holiday visits', async () => {
    const res = await admin.request({
      method: 'PUT',
      url: '/api/care/holidays',
      payload: { holiday: 'spring_festival', year: 2027, date: '2027-02-07' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await duty(coordA, ids.独居甲, 'holiday_spring_festival')).dueAt).toBe(
      sh('2027-02-08 00:00').toISOString(),
    );
  });
});

describe('pause and resume', () => {
  it('paused duties leave the worklist and come back by themselves after the date', async () => {
    const before = (await published()).length;
    const res = await carer1.post('/api/duties/pause', {
      elderId: ids.独居甲,
      until: '2026-11-25',
      reason: 'travelling',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().count).toBeGreaterThan(3);
    const past = await coordA.post('/api/duties/pause', {
      elderId: ids.独居甲,
      until: '2026-11-01',
      reason: 'hospital',
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.details).toEqual([
      expect.objectContaining({ field: 'body.until', message: '恢复日期应晚于今天' }),
    ]);
    expect((await carer1.get('/api/worklist')).json().today).toEqual([]);
    await setClock('2026-11-24 21:00');
    await sweep();
    expect((await duty(coordA, ids.独居甲, 'daily_checkin')).pausedUntil).not.toBeNull();
    expect(
      (await published()).slice(before).filter((a) => a.kind === 'daily_silence' && a.elderId === ids.独居甲),
    ).toEqual([]);
    await setClock('2026-11-25 09:00');
    await sweep();
    const d = await duty(coordA, ids.独居甲, 'daily_checkin');
    expect(d.pausedUntil).toBeNull();
    expect(d.dueAt).toBe(sh('2026-11-25 20:00').toISOString());
    // the weekly visit missed while away is not asked for: the current week's
    expect((await duty(coordA, ids.独居甲, 'weekly_visit')).dueAt).toBe(sh('2026-11-30 00:00').toISOString());
  });
});

describe('silence at the daily deadline', () => {
  it('no contact by 20:00 raises one alert for the coordinator, once, and the hand-off hears it', async () => {
    await setClock('2026-11-25 19:59');
    await sweep();
    const before = (await published()).length;
    await setClock('2026-11-25 20:01');
    await sweep();
    const mine = (await published()).slice(before).filter((a) => a.kind === 'daily_silence');
    expect(mine.map((a) => a.elderId).sort()).toEqual([ids.独居甲, ids.独居丙].sort());
    expect(mine[0].day).toBe('2026-11-25');
    await sweep();
    expect((await published()).length).toBe(before + 2);
    const a = (await coordA.get('/api/care/alerts'))
      .json()
      .items.filter(
        (x: { kind: string; day: string }) => x.kind === 'daily_silence' && x.day === '2026-11-25',
      );
    expect(a).toHaveLength(1);
    expect((await coordA.post(`/api/care/alerts/${a[0].id}/ack`)).statusCode).toBe(200);
  });

  it('a contact that day keeps quiet; the per-elder deadline is honoured', async () => {
    expect((await duty(coordA, ids.独居甲, 'daily_checkin')).deadlineTime).toBe('20:00');
    const dl = await coordA.post('/api/duties/deadline', { elderId: ids.独居甲, time: '12:00' });
    expect(dl.json().count).toBe(1);
    // the elder page shows it on the daily duty; other duties have no daily deadline
    expect((await duty(coordA, ids.独居甲, 'daily_checkin')).deadlineTime).toBe('12:00');
    expect((await duty(coordA, ids.独居甲, 'weekly_visit')).deadlineTime).toBeNull();
    const bad = await coordA.post('/api/duties/deadline', { elderId: ids.独居甲, time: '25:00' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toEqual([
      expect.objectContaining({ field: 'body.time', message: '时间格式应为 HH:MM（如 08:00）' }),
    ]);
    await setClock('2026-11-26 10:00');
    await contact(carer1, { elderId: ids.独居甲, channel: 'phone', outcome: 'reached_ok' });
    const before = (await published()).length;
    await setClock('2026-11-26 12:01');
    await sweep();
    expect((await published()).slice(before)).toEqual([]);
    await setClock('2026-11-26 20:01');
    await sweep();
    expect((await published()).slice(before).map((a) => a.elderId)).toEqual([ids.独居丙]);
  });

  it("the elder's own 我很好 on the 长辈版 page counts as that day's check-in", async () => {
    await setClock('2026-11-27 09:00');
    const link = await coordB.post(`/api/elders/${ids.独居丙}/page-link`, {});
    expect(link.statusCode, link.body).toBe(201);
    const before = (await published()).length;
    const ok = await t.app.inject({ method: 'POST', url: `/api/elder-page/${link.json().token}/ok` });
    expect(ok.statusCode, ok.body).toBe(200);
    const d = await duty(coordB, ids.独居丙, 'daily_checkin');
    expect(d.lastOutcome).toBe('self_checkin');
    expect(new Date(d.windowStart).getTime()).toBeGreaterThan(sh('2026-11-27 23:59').getTime()); // next: tomorrow
    // another visit is still due: only the daily check-in is covered
    expect((await duty(coordB, ids.独居丙, 'weekly_visit')).lastOutcome).not.toBe('self_checkin');
    await setClock('2026-11-27 20:01');
    await sweep();
    // 甲 (deadline 12:00, nobody called) is raised; 丙, who said 我很好, is not
    expect((await published()).slice(before).map((a) => a.elderId)).toEqual([ids.独居甲]);
  });

  it("a sweep that runs late (the jobs process was down) still checks the last day's deadlines, once", async () => {
    const before = (await published()).length;
    await setClock('2026-11-29 08:00'); // nothing ran since 11-27 20:01
    await sweep();
    const late = (await published()).slice(before).map((a) => `${a.elderId}@${a.day}`);
    // 11-28's 12:00 (甲) and 20:00 (丙) groups are within the last day; 11-27's were checked already
    expect(late.sort()).toEqual([`${ids.独居甲}@2026-11-28`, `${ids.独居丙}@2026-11-28`].sort());
    await sweep();
    expect((await published()).length).toBe(before + 2);
  });
});

describe('coverage', () => {
  it('share of special-difficulty elders reached in 30 days, drillable by street', async () => {
    const res = await manager.get(`/api/coverage?orgId=${tree.district.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json();
    expect(c.totals).toMatchObject({ specialTotal: 2, specialVisited: 1, share: 0.5 });
    const a = c.children.find((x: { orgId: number }) => x.orgId === tree.streetA.id);
    const b = c.children.find((x: { orgId: number }) => x.orgId === tree.streetB.id);
    expect(a).toMatchObject({ specialTotal: 1, specialVisited: 1, share: 1 });
    expect(b).toMatchObject({ specialTotal: 1, specialVisited: 0, share: 0 });
    expect(c.byDuty.length).toBeGreaterThan(3);
    expect((await coordB.get(`/api/coverage?orgId=${tree.streetA.id}`)).statusCode).toBe(404);
    expect((await carer1.get(`/api/coverage?orgId=${tree.streetA.id}`)).statusCode).toBe(403);
  });

  it('the calendar lists birthday and holiday visits ahead', async () => {
    const res = await coordA.get(`/api/care/calendar?orgId=${tree.streetA.id}&days=120`);
    const keys = res.json().items.map((d: { templateKey: string }) => d.templateKey);
    expect(keys).toEqual(
      expect.arrayContaining(['birthday_visit', 'winter_warm', 'holiday_spring_festival']),
    );
  });
});

describe('OpenAPI', () => {
  it('lists every care route', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const p of [
      '/api/worklist',
      '/api/duties',
      '/api/contacts',
      '/api/contacts/export',
      '/api/coverage',
      '/api/pairings',
      '/api/care/policy',
    ]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
  });
});

describe('closing', () => {
  it('a contact reporting the elder deceased closes every duty', async () => {
    const res = await contact(coordB, { elderId: ids.独居丙, channel: 'home_visit', outcome: 'deceased' });
    expect(res.statusCode, res.body).toBe(200);
    expect((await coordB.get(`/api/duties?elderId=${ids.独居丙}`)).json().items).toEqual([]);
    const closed = (await coordB.get(`/api/duties?elderId=${ids.独居丙}&includeClosed=true`)).json().items;
    expect(closed.every((d: { closedReason: string }) => d.closedReason === 'deceased')).toBe(true);
  });
});

describe('the daily re-plan', () => {
  it('picks up an elder turning 80 today (独居 → daily check-in) without re-planning the registry', async () => {
    const res = await coordA.post('/api/elders', {
      name: '八十丁',
      phones: [],
      idNumber: makeIdNumber('330102', '1946-11-27', 41),
      orgId: tree.communityA1.id,
      livingSituation: '独居',
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id;
    await setClock('2026-11-26 21:00');
    await sweep();
    expect(await duty(coordA, id, 'daily_checkin')).toBeUndefined();
    await setClock('2026-11-27 09:00');
    await sweep();
    const d = await duty(coordA, id, 'daily_checkin');
    expect(d.dueAt).toBe(sh('2026-11-27 20:00').toISOString());
  });
});
