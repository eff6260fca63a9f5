// Issue 11.6: a doctor's duty (家庭医生季度上门, the monthly doctor call) is the contracted family
// doctor's, never a paired volunteer's; it follows the contract; without one it is unassigned and the
// coverage screen says so. A doctor's visit writes vital signs into the health ledger with the contact.
// Issue 11.7: 有异常 must say what the concern is.
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
import { makeIdNumber } from '../../../shared/id-number.ts';

let t: TestApp;
let tree: TestTree;
let admin: Client;
let coord: Client;
let carer: Client;
let doctor1: Client;
let doctor2: Client;
const uid: Record<string, number> = {};
const ids: Record<string, number> = {};

const sh = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
let seq = 0;
const key = () => `doc-${++seq}-${Math.random().toString(36).slice(2, 10)}`;
type ErrBody = { json: () => { error: { details: { field: string; message: string }[] } } };
const fields = (res: ErrBody) => res.json().error.details.map((d) => [d.field, d.message]);

/** The elder's duties of one template: assignee and whether active. */
async function dutyOf(elderId: number, templateKey: string) {
  const r = await t.database.query<{ id: number; assignee_id: number | null; active: boolean }>(
    `SELECT d.id, d.assignee_id, d.active FROM duties d JOIN duty_templates t ON t.id = d.template_id
      WHERE d.elder_id = $1 AND t.key = $2`,
    [elderId, templateKey],
  );
  return (
    r[0] && {
      id: Number(r[0].id),
      assigneeId: r[0].assignee_id == null ? null : Number(r[0].assignee_id),
      active: r[0].active,
    }
  );
}
const record = (c: Client, body: unknown) =>
  c.request({
    method: 'POST',
    url: '/api/contacts',
    payload: body as never,
    headers: { 'idempotency-key': key() },
  });
const count = async (table: string) =>
  Number((await t.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(sh('2026-12-04 10:00'));
  tree = await makeTree(t.database);
  const sign = async (role: string, scope: number[], name: string) => {
    const u = await makeUser(t.database, role, scope);
    uid[name] = u.id;
    return signIn(t.app, u.username, u.password);
  };
  admin = await sign('admin', [tree.city.id], 'admin');
  coord = await sign('coordinator', [tree.streetA.id], 'coord');
  carer = await sign('carer', [tree.streetA.id], 'carer');
  doctor1 = await sign('doctor', [tree.streetA.id], 'doctor1');
  doctor2 = await sign('doctor', [tree.streetA.id], 'doctor2');
  const mk = async (name: string, n: number, extra: Record<string, unknown> = {}) => {
    const res = await coord.post('/api/elders', {
      name,
      phones: ['13812345678'],
      idNumber: makeIdNumber('330102', '1940-05-10', n),
      orgId: tree.gridA1.id,
      livingSituation: '独居',
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(201);
    ids[name] = res.json().id;
  };
  await mk('签约老人', 11);
  await mk('未签约老人', 13, { tags: ['医生随访'] });
  expect((await admin.post('/api/care/replan')).statusCode).toBe(200);
  const p = await coord.post('/api/pairings', {
    carerId: uid.carer,
    elderIds: [ids.签约老人, ids.未签约老人],
  });
  expect(p.statusCode, p.body).toBe(200);
});
afterAll(() => t.close());

describe("a doctor's duty goes to the contracted family doctor (11.6)", () => {
  it('the quarterly home visit goes to the contracted doctor, not the paired volunteer', async () => {
    const c = await coord.post(`/api/elders/${ids.签约老人}/doctor-contracts`, {
      doctorId: uid.doctor1,
      startDate: '2026-01-01',
    });
    expect(c.statusCode, c.body).toBe(201);
    ids.contract1 = c.json().id;
    // at once, in the contract's transaction: not at tomorrow's re-plan
    expect(await dutyOf(ids.签约老人, 'doctor_quarterly')).toMatchObject({
      assigneeId: uid.doctor1,
      active: true,
    });
    // the elder's other duties stay with the volunteer
    expect(await dutyOf(ids.签约老人, 'quarterly_visit')).toMatchObject({ assigneeId: uid.carer });

    const wl = (await doctor1.get('/api/worklist')).json();
    const all = [...wl.overdue, ...wl.today, ...wl.upcoming];
    expect(all.map((d: { templateKey: string; elderId: number }) => [d.templateKey, d.elderId])).toEqual([
      ['doctor_quarterly', ids.签约老人],
    ]);
    const mine = (await carer.get('/api/worklist')).json();
    const carerKeys = [...mine.overdue, ...mine.today, ...mine.upcoming].map(
      (d: { templateKey: string }) => d.templateKey,
    );
    expect(carerKeys).not.toContain('doctor_quarterly');
  });

  it('a re-plan or a pairing change does not hand it back to the volunteer', async () => {
    expect((await admin.post('/api/care/replan')).statusCode).toBe(200);
    const p = await coord.post('/api/pairings', { carerId: uid.carer, elderIds: [ids.签约老人] });
    expect(p.statusCode, p.body).toBe(200);
    expect(await dutyOf(ids.签约老人, 'doctor_quarterly')).toMatchObject({ assigneeId: uid.doctor1 });
  });

  it('when the contract changes hands, the duty follows', async () => {
    const end = await coord.post(`/api/elders/${ids.签约老人}/doctor-contracts/${ids.contract1}/end`, {
      endDate: '2026-12-03',
    });
    expect(end.statusCode, end.body).toBe(200);
    // no running contract: the duty's rule (签约家庭医生) no longer holds
    expect(await dutyOf(ids.签约老人, 'doctor_quarterly')).toMatchObject({ active: false });
    const c2 = await coord.post(`/api/elders/${ids.签约老人}/doctor-contracts`, {
      doctorId: uid.doctor2,
      startDate: '2026-12-04',
    });
    expect(c2.statusCode, c2.body).toBe(201);
    expect(await dutyOf(ids.签约老人, 'doctor_quarterly')).toMatchObject({
      assigneeId: uid.doctor2,
      active: true,
    });
    const wl1 = (await doctor1.get('/api/worklist')).json();
    expect([...wl1.overdue, ...wl1.today, ...wl1.upcoming]).toEqual([]);
    const wl2 = (await doctor2.get('/api/worklist')).json();
    expect(
      [...wl2.overdue, ...wl2.today, ...wl2.upcoming].map((d: { elderId: number }) => d.elderId),
    ).toEqual([ids.签约老人]);
  });

  it('without a contract it is unassigned, not a volunteer’s, and coverage counts it', async () => {
    const policy = (await admin.get('/api/care/policy')).json();
    const tpl = policy.templates.find((x: { key: string }) => x.key === 'doctor_quarterly');
    expect(tpl.assigneeRole).toBe('doctor');
    const rule = await admin.post('/api/care/rules', {
      key: 'doctor_followup_tag',
      name: '医生随访标签：季度上门',
      templateId: tpl.id,
      condition: { field: 'tags', op: 'overlaps', values: ['医生随访'] },
    });
    expect(rule.statusCode, rule.body).toBe(200);
    expect(await dutyOf(ids.未签约老人, 'doctor_quarterly')).toMatchObject({
      assigneeId: null,
      active: true,
    });

    const cov = await coord.get(`/api/coverage?orgId=${tree.streetA.id}&source=live`);
    expect(cov.statusCode, cov.body).toBe(200);
    const row = cov.json().byDuty.find((d: { templateKey: string }) => d.templateKey === 'doctor_quarterly');
    expect(row).toMatchObject({ duties: 2, unassigned: 1 });
    expect(cov.json().byCarer.map((c: { carerId: number }) => c.carerId)).not.toContain(null);

    // the rollup (district and city screens) counts the same
    const rolled = await coord.get(`/api/coverage?orgId=${tree.streetA.id}&source=rollup`);
    expect(rolled.statusCode, rolled.body).toBe(200);
    expect(
      rolled.json().byDuty.find((d: { templateKey: string }) => d.templateKey === 'doctor_quarterly'),
    ).toMatchObject({ duties: 2, unassigned: 1 });
  });
});

describe("a doctor's visit writes vital signs into the health ledger (11.6)", () => {
  const visit = (vitals: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    elderId: ids.签约老人,
    channel: 'home_visit',
    outcome: 'reached_ok',
    vitals,
    ...extra,
  });

  it('out-of-range or half-given values are refused in Chinese, naming the field; nothing is written', async () => {
    const before = [await count('contacts'), await count('elder_vital_signs')];
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ systolic: 300, diastolic: 90 }, 'systolic', /收缩压.*60–260/],
      [{ systolic: 130, diastolic: 10 }, 'diastolic', /舒张压.*30–160/],
      [{ systolic: 130 }, 'diastolic', /同时填写/],
      [{ systolic: 80, diastolic: 90 }, 'systolic', /高于舒张压/],
      [{ glucose: 50 }, 'glucose', /血糖.*1\.0–35\.0/],
      [{ weight: 5 }, 'weight', /体重.*20–200/],
      [{}, 'vitals', /至少填写一项/],
    ];
    for (const [vitals, field, message] of cases) {
      const res = await record(doctor2, visit(vitals));
      expect(res.statusCode, res.body).toBe(400);
      const f = fields(res);
      expect(
        f.some(([name, msg]) => name.endsWith(field) && message.test(msg)),
        JSON.stringify(f),
      ).toBe(true);
    }
    expect([await count('contacts'), await count('elder_vital_signs')]).toEqual(before);
  });

  it('a volunteer may not record vital signs (health data)', async () => {
    const res = await record(carer, visit({ weight: 60 }));
    expect(res.statusCode).toBe(403);
    expect(fields(res)[0][0]).toBe('vitals');
  });

  it("a volunteer's home visit does not count as the doctor's quarterly visit", async () => {
    const res = await record(carer, { elderId: ids.签约老人, channel: 'home_visit', outcome: 'reached_ok' });
    expect(res.statusCode, res.body).toBe(200);
    const [d] = await t.database.query<{ last_done_at: Date | null }>(
      `SELECT d.last_done_at FROM duties d JOIN duty_templates t ON t.id = d.template_id
        WHERE d.elder_id = $1 AND t.key = 'doctor_quarterly'`,
      [ids.签约老人],
    );
    expect(d.last_done_at).toBeNull();
    // while the volunteer's own quarterly visit is done
    const [q] = await t.database.query<{ last_done_at: Date | null }>(
      `SELECT d.last_done_at FROM duties d JOIN duty_templates t ON t.id = d.template_id
        WHERE d.elder_id = $1 AND t.key = 'quarterly_visit'`,
      [ids.签约老人],
    );
    expect(q.last_done_at).not.toBeNull();
  });

  it('the doctor records the visit with blood pressure, glucose and weight; the duty is done', async () => {
    const duty = await dutyOf(ids.签约老人, 'doctor_quarterly');
    const res = await record(
      doctor2,
      visit({ systolic: 138, diastolic: 86, glucose: 6.4, weight: 58.5 }, { dutyId: duty.id }),
    );
    expect(res.statusCode, res.body).toBe(200);
    const h = await doctor2.get(`/api/elders/${ids.签约老人}/health`);
    expect(h.statusCode, h.body).toBe(200);
    expect(h.json().vitalSigns).toEqual([
      expect.objectContaining({ systolic: 138, diastolic: 86, glucose: 6.4, weight: 58.5 }),
    ]);
    expect(h.json().vitalSigns[0].recordedByName).toMatch(/测试doctor/);
    const [d] = await t.database.query<{ last_done_at: Date | null }>(
      'SELECT last_done_at FROM duties WHERE id = $1',
      [duty.id],
    );
    expect(d.last_done_at).not.toBeNull();
  });
});

describe('有异常 says what the concern is (11.7)', () => {
  it('is refused without a concern, naming the field, and stored with one', async () => {
    const body = { elderId: ids.未签约老人, channel: 'phone', outcome: 'reached_concern' };
    const before = await count('contacts');
    const bad = await record(carer, body);
    expect(bad.statusCode).toBe(400);
    expect(fields(bad)[0]).toEqual(['concern', expect.stringMatching(/请说明发现了什么异常/)]);
    const blank = await record(carer, { ...body, concern: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(await count('contacts')).toBe(before);
    const ok = await record(carer, { ...body, concern: '情绪低落' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().concern).toBe('情绪低落');
    const ledger = (await coord.get(`/api/contacts?elderId=${ids.未签约老人}`)).json().items;
    expect(ledger[0]).toMatchObject({ outcome: 'reached_concern', concern: '情绪低落' });
  });
});

describe('after 未接通 the carer calls the circle (11.7)', () => {
  it("lists the elder's circle in call order with phones to tap, only for the duty's own carer, audited", async () => {
    const elderId = ids.未签约老人;
    const add = async (body: Record<string, unknown>) => {
      const r = await coord.post(`/api/elders/${elderId}/circle`, body);
      expect(r.statusCode, r.body).toBe(201);
      return r.json().id as number;
    };
    const son = await add({ kind: 'relative', name: '王大明', relation: '儿子', phones: ['13900001111'] });
    const daughter = await add({
      kind: 'relative',
      name: '王小红',
      relation: '女儿',
      phones: ['13900002222'],
      livesNearby: true,
    });
    // the coordinator puts the daughter who lives nearby first
    const circle = (await coord.get(`/api/elders/${elderId}/circle`)).json().items as { id: number }[];
    const rest = circle.map((c) => c.id).filter((id) => id !== daughter && id !== son);
    const order = await coord.post(`/api/elders/${elderId}/circle/reorder`, {
      contactIds: [daughter, son, ...rest],
    });
    expect(order.statusCode, order.body).toBe(200);
    const duty = await dutyOf(elderId, 'quarterly_visit');
    const res = await carer.get(`/api/worklist/${duty.id}/circle`);
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { name: string; phones: string[]; livesNearby: boolean }[];
    expect(items.slice(0, 2)).toEqual([
      expect.objectContaining({ name: '王小红', phones: ['13900002222'], livesNearby: true }),
      expect.objectContaining({ name: '王大明', phones: ['13900001111'] }),
    ]);
    // the carer is in the circle but not someone to call
    expect(items.map((i) => i.name)).not.toContain(undefined);
    expect(items.some((i) => i.phones.length === 0)).toBe(false);
    // another doctor's or carer's duty: as if it did not exist
    expect((await doctor1.get(`/api/worklist/${duty.id}/circle`)).statusCode).toBe(404);
    const [a] = await t.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'elder.reveal' AND entity_id = $1`,
      [String(elderId)],
    );
    expect(a.n).toBeGreaterThan(0);
  });
});
