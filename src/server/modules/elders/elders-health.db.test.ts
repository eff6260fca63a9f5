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
import { abilityItems } from '../../../shared/ability.ts';
import { makeIdNumber } from '../../../shared/id-number.ts';
import type { Ctx } from '../../platform/auth.ts';
import { withTx } from '../../platform/db.ts';
import {
  addCarerToCircles,
  listEldersForExport,
  setElderStatusAsSystem,
  upsertEldersByIdNumber,
} from './elders.service.ts';

let t: TestApp;
let tree: TestTree;
let coord: Client;
let dispatcher: Client;
let doctorClient: Client;
let carerClient: Client;
let doctorId: number;
let carerId: number;
let coordUser: { id: number; username: string };
let elderId: number;
let otherId: number;

const fullMarks = () => Object.fromEntries(abilityItems.map((i) => [i.key, i.max]));

beforeAll(async () => {
  t = await createTestApp();
  tree = await makeTree(t.database);
  const c = await makeUser(t.database, 'coordinator', [tree.streetA.id]);
  coordUser = c;
  coord = await signIn(t.app, c.username, c.password);
  const d = await makeUser(t.database, 'dispatcher', [tree.district.id]);
  dispatcher = await signIn(t.app, d.username, d.password);
  const doc = await makeUser(t.database, 'doctor', [tree.streetA.id]);
  doctorId = doc.id;
  doctorClient = await signIn(t.app, doc.username, doc.password);
  const carer = await makeUser(t.database, 'carer', [tree.communityA1.id]);
  carerId = carer.id;
  carerClient = await signIn(t.app, carer.username, carer.password);
  const mk = async (name: string, birth: string, seq: number, orgId: number) => {
    const res = await coord.post('/api/elders', {
      name,
      idNumber: makeIdNumber('330105', birth, seq),
      phones: ['13700001111'],
      orgId,
    });
    expect(res.statusCode).toBe(201);
    return res.json().id as number;
  };
  elderId = await mk('孙桂兰', '1931-09-09', 22, tree.gridA1.id);
  otherId = await mk('李国华', '1945-02-01', 33, tree.communityA1.id);
});
afterAll(() => t.close());

describe('the circle', () => {
  it('keeps contacts in call order, masks their phones, reorders, and refuses carer rows by hand', async () => {
    const son = await coord.post(`/api/elders/${elderId}/circle`, {
      kind: 'relative',
      name: '孙建国',
      relation: '儿子',
      phones: ['139 1234 5678'],
      livesNearby: true,
    });
    expect(son.statusCode).toBe(201);
    expect(son.json()).toMatchObject({ priority: 1, phones: ['139****5678'], livesNearby: true });
    const neighbour = await coord.post(`/api/elders/${elderId}/circle`, {
      kind: 'neighbour_volunteer',
      name: '王阿姨',
      phones: ['13600002222'],
    });
    expect(neighbour.json().priority).toBe(2);
    const carer = await coord.post(`/api/elders/${elderId}/circle`, { kind: 'carer', name: 'x' });
    expect(carer.statusCode).toBe(400);

    const reordered = await coord.post(`/api/elders/${elderId}/circle/reorder`, {
      contactIds: [neighbour.json().id, son.json().id],
    });
    expect(reordered.json().items.map((c: { name: string }) => c.name)).toEqual(['王阿姨', '孙建国']);
    const partial = await coord.post(`/api/elders/${elderId}/circle/reorder`, {
      contactIds: [son.json().id],
    });
    expect(partial.statusCode).toBe(400);

    const patched = await coord.patch(`/api/elders/${elderId}/circle/${son.json().id}`, { relation: '长子' });
    expect(patched.json().relation).toBe('长子');
    const reveal = await dispatcher.post(`/api/elders/${elderId}/reveal`, {
      field: 'circlePhones',
      reason: '紧急联系家属',
    });
    expect(reveal.json().circlePhones).toContainEqual({ contactId: son.json().id, phones: ['13912345678'] });
    expect((await coord.del(`/api/elders/${elderId}/circle/${neighbour.json().id}`)).statusCode).toBe(200);
    expect((await coord.get(`/api/elders/${elderId}/circle`)).json().items).toHaveLength(1);
  });

  it('lets a carer see only the elders paired with them', async () => {
    expect((await carerClient.get('/api/elders')).json().items).toEqual([]);
    expect((await carerClient.get(`/api/elders/${elderId}`)).statusCode).toBe(404);
    await addCarerToCircles(t.database.db, carerId, [elderId]);
    const list = (await carerClient.get('/api/elders')).json().items;
    expect(list.map((e: { id: number }) => e.id)).toEqual([elderId]);
    expect((await carerClient.get(`/api/elders/${otherId}`)).statusCode).toBe(404);
    expect((await carerClient.get(`/api/elders/${elderId}/health`)).statusCode).toBe(403);
    const noCarer = (await coord.get('/api/elders?noCarer=true')).json().items;
    expect(noCarer.map((e: { id: number }) => e.id)).toEqual([otherId]);
  });
});

describe('the health ledger', () => {
  it('an open hospital stay sets the elder hospitalised; discharge sets them active', async () => {
    const stay = await coord.post(`/api/elders/${elderId}/hospital-stays`, {
      hospital: '滨江市第一人民医院',
      reason: '肺炎',
      admittedOn: '2026-11-20',
    });
    expect(stay.statusCode).toBe(201);
    expect((await coord.get(`/api/elders/${elderId}`)).json()).toMatchObject({
      status: 'hospitalised',
      statusSince: '2026-11-20',
    });
    const again = await coord.post(`/api/elders/${elderId}/hospital-stays`, {
      hospital: '另一医院',
      admittedOn: '2026-11-21',
    });
    expect(again.statusCode).toBe(409);
    const early = await coord.post(`/api/elders/${elderId}/hospital-stays/${stay.json().id}/discharge`, {
      dischargedOn: '2026-11-19',
    });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.details[0].field).toBe('body.dischargedOn');
    const out = await coord.post(`/api/elders/${elderId}/hospital-stays/${stay.json().id}/discharge`, {
      dischargedOn: '2026-11-22',
    });
    expect(out.json().dischargedOn).toBe('2026-11-22');
    expect((await coord.get(`/api/elders/${elderId}`)).json()).toMatchObject({ status: 'active' });
  });

  it('scores an assessment, derives the level with the adjustments, and keeps the history', async () => {
    const a1 = await coord.post(`/api/elders/${elderId}/assessments`, {
      assessedOn: '2026-01-10',
      reason: '首次',
      items: fullMarks(),
      assessor1: '评估员甲',
      assessor2: '评估员乙',
    });
    expect(a1.statusCode).toBe(201);
    expect(a1.json()).toMatchObject({ total: 90, baseLevel: 0, level: 0, levelName: '能力完好' });
    const items = { ...fullMarks(), bathing: 0, stairs: 0, walking: 1, memory: 1 };
    const a2 = await coord.post(`/api/elders/${elderId}/assessments`, {
      assessedOn: '2026-11-21',
      reason: '即时',
      items,
      dementia: true,
      assessor1: '评估员甲',
      assessor2: '评估员丙',
    });
    expect(a2.json()).toMatchObject({
      total: 77,
      baseLevel: 1,
      level: 2,
      levelName: '中度失能',
      adjusted: ['dementia'],
    });
    const coma = await coord.post(`/api/elders/${elderId}/assessments`, {
      assessedOn: '2026-11-22',
      reason: '复评',
      items: fullMarks(),
      coma: true,
      assessor1: '评估员甲',
      assessor2: '评估员丙',
    });
    expect(coma.json()).toMatchObject({ level: 4, adjusted: ['coma'] });
    const bad = await coord.post(`/api/elders/${elderId}/assessments`, {
      assessedOn: '2026-11-22',
      reason: '常规',
      items: { ...fullMarks(), eating: 9 },
      assessor1: '甲',
      assessor2: '乙',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0]).toMatchObject({ field: 'body.items.eating' });
    expect(bad.json().error.details[0].message).toMatch(/进食/);

    const history = (await coord.get(`/api/elders/${elderId}/assessments`)).json().items;
    expect(history.map((a: { level: number }) => a.level)).toEqual([4, 2, 0]);
    expect((await coord.get(`/api/elders/${elderId}`)).json()).toMatchObject({
      abilityLevel: 4,
      abilityAssessedOn: '2026-11-22',
    });
    const filtered = (await coord.get('/api/elders?abilityLevel=4')).json().items;
    expect(filtered.map((e: { id: number }) => e.id)).toEqual([elderId]);
    expect((await dispatcher.get('/api/elders?abilityLevel=4')).statusCode).toBe(400);
    expect((await dispatcher.get(`/api/elders/${elderId}`)).json()).toMatchObject({
      abilityLevel: null,
      healthVisible: false,
    });
  });

  it('hides health from dispatchers; conditions, medications and the card round-trip', async () => {
    expect((await dispatcher.get(`/api/elders/${elderId}/health`)).statusCode).toBe(403);
    expect((await coord.post(`/api/elders/${elderId}/conditions`, { name: '高血压' })).statusCode).toBe(201);
    expect(
      (
        await coord.post(`/api/elders/${elderId}/medications`, {
          name: '硝苯地平',
          dosage: '10mg',
          schedule: '每日两次',
        })
      ).statusCode,
    ).toBe(201);
    const card = await coord.request({
      method: 'PUT',
      url: `/api/elders/${elderId}/health-card`,
      payload: { greenCardNo: 'LS-0001', greenCardHospital: '滨江市第一人民医院', sickBedFrom: '2026-10-01' },
    });
    expect(card.statusCode).toBe(200);
    const h = (await coord.get(`/api/elders/${elderId}/health`)).json();
    expect(h.conditions.map((c: { name: string }) => c.name)).toEqual(['高血压']);
    expect(h.medications[0]).toMatchObject({ name: '硝苯地平', dosage: '10mg' });
    expect(h.card).toMatchObject({ greenCardNo: 'LS-0001', sickBedFrom: '2026-10-01' });
    expect(h.hospitalStays).toHaveLength(1);
  });

  it('a family-doctor contract lets the doctor see that elder and no other', async () => {
    expect((await doctorClient.get('/api/elders')).json().items).toEqual([]);
    const bad = await coord.post(`/api/elders/${elderId}/doctor-contracts`, {
      doctorId: coordUser.id,
      startDate: '2026-01-01',
    });
    expect(bad.statusCode).toBe(404); // not a doctor: answered as an unknown one (registry-scope.db.test.ts)
    expect(bad.json().error.details[0].field).toBe('body.doctorId');
    const c = await coord.post(`/api/elders/${elderId}/doctor-contracts`, {
      doctorId,
      startDate: '2026-01-01',
    });
    expect(c.statusCode).toBe(201);
    const mine = (await doctorClient.get('/api/elders')).json().items;
    expect(mine.map((e: { id: number }) => e.id)).toEqual([elderId]);
    expect((await doctorClient.get(`/api/elders/${otherId}`)).statusCode).toBe(404);
    const h = await doctorClient.get(`/api/elders/${elderId}/health`);
    expect(h.statusCode).toBe(200);
    expect((await coord.get(`/api/elders/${elderId}`)).json().familyDoctor).toMatchObject({ id: doctorId });
    const noDoctor = (await coord.get('/api/elders?noFamilyDoctor=true')).json().items;
    expect(noDoctor.map((e: { id: number }) => e.id)).toEqual([otherId]);
  });

  it('reports archive completeness per child org', async () => {
    await coord.patch(`/api/elders/${elderId}`, { agreementSignedAt: '2026-03-01' });
    const res = await coord.get(`/api/elders/stats/completeness?orgId=${tree.communityA1.id}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toMatchObject({
      elders: 2,
      withHealthRecord: 1,
      withFamilyDoctor: 1,
      withAgreement: 1,
      healthRecordShare: 0.5,
    });
    expect(body.rows).toEqual([
      expect.objectContaining({
        org: expect.objectContaining({ id: tree.gridA1.id, name: '甲一社区 / 第1网格' }),
        elders: 1,
        withHealthRecord: 1,
        familyDoctorShare: 1,
        agreementShare: 1,
      }),
    ]);
    const top = (await coord.get('/api/elders/stats/completeness')).json();
    expect(top.rows[0]).toMatchObject({ org: { id: tree.streetA.id }, elders: 2 });
  });
});

describe('upsert by ID number (the importer commits through it)', () => {
  it('creates, then on a second run creates and changes nothing; the emergency contact is added once', async () => {
    const ctx: Ctx = {
      auth: {
        userId: coordUser.id,
        username: coordUser.username,
        displayName: '测试',
        role: 'coordinator',
        carerKind: null,
        scopes: [{ id: tree.streetA.id, name: '甲街道', kind: 'street', path: tree.streetA.path }],
        csrfToken: '',
        sessionHash: '',
      },
      ip: '127.0.0.1',
      lang: 'zh',
    };
    const records = Array.from({ length: 5 }, (_, i) => ({
      idNumber: makeIdNumber('330108', `194${i}-05-0${i + 1}`, 40 + i * 2),
      name: `导入老人${'甲乙丙丁戊'[i]}`,
      gender: 'F' as const,
      birthDate: `194${i}-05-0${i + 1}`,
      phones: [`1350000000${i}`],
      orgId: tree.gridA1.id,
      categories: ['社区老人'],
      livingSituation: '空巢',
      emergencyContact: { name: `家属${i}`, relation: '女儿', phones: ['13911112222'] },
    }));
    const first = await withTx(t.database.db, (tx) => upsertEldersByIdNumber(tx, ctx, records));
    expect(first).toEqual({ created: 5, updated: 0 });
    const again = await withTx(t.database.db, (tx) => upsertEldersByIdNumber(tx, ctx, records));
    expect(again).toEqual({ created: 0, updated: 0 });
    const changed = records.map((r, i) => (i === 0 ? { ...r, room: '101', tags: ['重点关注'] } : r));
    expect(await withTx(t.database.db, (tx) => upsertEldersByIdNumber(tx, ctx, changed))).toEqual({
      created: 0,
      updated: 1,
    });
    const found = (await coord.get(`/api/elders?q=${encodeURIComponent('导入老人甲')}`)).json().items[0];
    expect(found).toMatchObject({ room: '101', tags: ['重点关注'] });
    const circle = (await coord.get(`/api/elders/${found.id}/circle`)).json().items;
    expect(circle).toHaveLength(1);
    expect(circle[0]).toMatchObject({ kind: 'relative', name: '家属0', relation: '女儿', priority: 0 });

    const outside = records.map((r) => ({ ...r, orgId: tree.communityB1.id }));
    await expect(
      withTx(t.database.db, (tx) => upsertEldersByIdNumber(tx, ctx, outside)),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});

describe('for other modules', () => {
  it('lists elders for the export, masked unless a registry keeper asks for clear values (audited)', async () => {
    const ctx = (role: 'coordinator' | 'dispatcher'): Ctx => ({
      auth: {
        userId: coordUser.id,
        username: coordUser.username,
        displayName: '测试',
        role,
        carerKind: null,
        scopes: [{ id: tree.streetA.id, name: '甲街道', kind: 'street', path: tree.streetA.path }],
        csrfToken: '',
        sessionHash: '',
      },
      ip: '127.0.0.1',
      lang: 'zh',
    });
    const masked = await listEldersForExport(t.database.db, ctx('coordinator'), { orgId: tree.gridA1.id });
    const sun = masked.find((e) => e.name === '孙桂兰')!;
    expect(sun.idNumber).toMatch(/^330105\*{8}/);
    expect(sun.phones).toEqual(['137****1111']);
    expect(sun.emergencyContact).toMatchObject({ name: '孙建国', phones: ['139****5678'] });
    const clear = await listEldersForExport(
      t.database.db,
      ctx('coordinator'),
      { q: '孙' },
      { clear: true, reason: '年度核对' },
    );
    expect(clear[0].idNumber).toBe(makeIdNumber('330105', '1931-09-09', 22));
    const stillMasked = await listEldersForExport(
      t.database.db,
      ctx('dispatcher'),
      { q: '孙' },
      { clear: true },
    );
    expect(stillMasked[0].idNumber).toContain('*');
    const audit = await t.database.query<{ reason: string }>(
      `SELECT reason FROM audit_log WHERE action = 'elder.export.clear'`,
    );
    expect(audit).toEqual([{ reason: '年度核对' }]);
  });

  it('sets a status as a system action (an incident outcome), audited', async () => {
    await withTx(t.database.db, (tx) =>
      setElderStatusAsSystem(tx, otherId, 'deceased', '2026-11-22', '病故'),
    );
    expect((await coord.get(`/api/elders/${otherId}`)).json()).toMatchObject({
      status: 'deceased',
      statusReason: '病故',
    });
  });

  it('documents every registry route in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const path of [
      '/api/elders',
      '/api/elders/{id}',
      '/api/elders/{id}/reveal',
      '/api/elders/{id}/circle',
      '/api/elders/{id}/circle/{contactId}',
      '/api/elders/{id}/circle/reorder',
      '/api/elders/{id}/health',
      '/api/elders/{id}/hospital-stays/{subId}/discharge',
      '/api/elders/{id}/assessments',
      '/api/elders/stats/completeness',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.paths['/api/elders'].get.responses['200']).toBeDefined();
  });
});
