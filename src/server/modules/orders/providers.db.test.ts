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

// 加盟服务商 through the API on a real database: who sees which provider (area ∩ scope; a provider
// account only its own), who changes it (an admin over all of its areas), and every reference a write
// names — areas, categories, items, staff accounts — checked against the caller's scope (404 naming it).

let t: TestApp;
let tree: TestTree;
let cityAdmin: Client;
let adminA: Client;
let coordA: Client;
let coordB: Client;
let carerA: Client;
let repairs: number;
let visits: number;
let visitItem: number;
let repairItem: number;

const USCC_A = '91330155NG7BP5J77T';
const USCC_B = '91330151K5GFGCGF5D';
const USCC_C = '9133011321CTJFEC5D';

const audit = (id: number) =>
  t.database.query<{ action: string }>(
    `SELECT action FROM audit_log WHERE entity = 'provider' AND entity_id = $1 ORDER BY id`,
    [String(id)],
  );

beforeAll(async () => {
  t = await createTestApp();
  tree = await makeTree(t.database);
  const sign = async (role: string, scope: number[]) => {
    const u = await makeUser(t.database, role, scope);
    return signIn(t.app, u.username, u.password);
  };
  cityAdmin = await sign('admin', [tree.city.id]);
  adminA = await sign('admin', [tree.streetA.id]);
  coordA = await sign('coordinator', [tree.streetA.id]);
  coordB = await sign('coordinator', [tree.streetB.id]);
  carerA = await sign('carer', [tree.streetA.id]);
  const cat = (await cityAdmin.post('/api/catalogue/defaults')).json().categories;
  const byName = (n: string) => cat.find((c: { name: string }) => c.name === n);
  repairs = byName('维修').id;
  visits = byName('探访关爱').id;
  visitItem = byName('探访关爱').items[0].id; // volunteer teams and social orgs only
  repairItem = byName('维修').items[0].id;
});
afterAll(() => t.close());

const body = (over: Record<string, unknown> = {}) => ({
  name: '甲街道便民维修部',
  kind: 'enterprise',
  uscc: USCC_A,
  contactName: '王师傅',
  contactPhone: '13800000001',
  contractStart: '2026-01-01',
  contractEnd: '2027-12-31',
  capacity: 5,
  stars: 4,
  areaOrgIds: [tree.streetA.id],
  categoryIds: [repairs],
  ...over,
});

describe('registering providers', () => {
  let idA: number;
  let idCity: number;

  it('an admin registers a provider in its street, audited', async () => {
    const res = await adminA.post('/api/providers', body());
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json().provider;
    idA = p.id;
    expect(p).toMatchObject({
      name: '甲街道便民维修部',
      kind: 'enterprise',
      uscc: USCC_A,
      status: 'active',
      editable: true,
      areas: [{ orgId: tree.streetA.id, name: '甲街道' }],
      categories: [{ categoryId: repairs, name: '维修' }],
    });
    expect(await audit(idA)).toEqual([{ action: 'provider.create' }]);
  });

  it('refuses an area outside the caller’s scope (404 naming it) and a wrong credit code (400)', async () => {
    const out = await adminA.post(
      '/api/providers',
      body({ name: '乙', uscc: USCC_B, areaOrgIds: [tree.streetB.id] }),
    );
    expect(out.statusCode).toBe(404);
    expect(out.json().error.details[0].field).toBe('body.areaOrgIds');
    const bad = await adminA.post('/api/providers', body({ name: '丙', uscc: '91330155NG7BP5J77U' }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0]).toMatchObject({
      field: 'body.uscc',
      message: '统一社会信用代码校验码不正确，请核对',
    });
    const none = await adminA.post('/api/providers', body({ name: '丁', uscc: null }));
    expect(none.statusCode).toBe(400);
    expect(none.json().error.details[0].field).toBe('body.uscc');
    const dup = await adminA.post('/api/providers', body({ name: '戊' }));
    expect(dup.statusCode).toBe(409);
    const cat = await adminA.post(
      '/api/providers',
      body({ name: '己', uscc: USCC_B, categoryIds: [999999] }),
    );
    expect(cat.statusCode).toBe(404);
    expect(cat.json().error.details[0].field).toBe('body.categoryIds');
    const kindNo = await adminA.post(
      '/api/providers',
      body({ name: '庚', uscc: USCC_B, itemIds: [visitItem] }),
    );
    expect(kindNo.statusCode).toBe(400);
    expect(kindNo.json().error.details[0].field).toBe('body.itemIds');
    const dates = await adminA.post(
      '/api/providers',
      body({ name: '辛', uscc: USCC_B, contractEnd: '2025-01-01' }),
    );
    expect(dates.statusCode).toBe(400);
    expect(dates.json().error.details[0].field).toBe('body.contractEnd');
    expect((await coordA.post('/api/providers', body({ name: '壬', uscc: USCC_B }))).statusCode).toBe(403);
  });

  it('a volunteer team needs no credit code; a city admin registers a city-wide provider', async () => {
    const team = await adminA.post(
      '/api/providers',
      body({
        name: '甲街道银龄志愿队',
        kind: 'volunteer_team',
        uscc: null,
        categoryIds: [],
        itemIds: [visitItem],
      }),
    );
    expect(team.statusCode, team.body).toBe(200);
    expect(team.json().provider.items).toEqual([expect.objectContaining({ itemId: visitItem })]);
    const city = await cityAdmin.post(
      '/api/providers',
      body({
        name: '全市维修联盟',
        uscc: USCC_C,
        areaOrgIds: [tree.city.id],
        categoryIds: [repairs, visits],
      }),
    );
    expect(city.statusCode, city.body).toBe(200);
    idCity = city.json().provider.id;
    expect(city.json().provider.areas).toEqual([expect.objectContaining({ name: '全市' })]);
  });

  it('staff see the providers whose area meets their scope; a carer sees none', async () => {
    const namesOf = async (c: Client, q = '') =>
      (await c.get(`/api/providers${q}`)).json().items.map((p: { name: string }) => p.name);
    expect(await namesOf(coordA)).toEqual(
      expect.arrayContaining(['甲街道便民维修部', '甲街道银龄志愿队', '全市维修联盟']),
    );
    expect(await namesOf(coordB)).toEqual(['全市维修联盟']);
    expect((await coordB.get(`/api/providers/${idA}`)).statusCode).toBe(404);
    expect(await namesOf(coordA, '?kind=volunteer_team')).toEqual(['甲街道银龄志愿队']);
    expect(await namesOf(coordA, `?orgId=${tree.communityA1.id}`)).toHaveLength(3);
    const outside = await coordA.get(`/api/providers?orgId=${tree.streetB.id}`);
    expect(outside.statusCode).toBe(404);
    expect(outside.json().error.details[0].field).toBe('orgId');
    expect((await carerA.get('/api/providers')).statusCode).toBe(403);
  });

  it('a street admin may not change a city-wide provider (403); the city admin may', async () => {
    const list = (await adminA.get('/api/providers')).json().items;
    expect(list.find((p: { id: number }) => p.id === idCity).editable).toBe(false);
    const denied = await adminA.patch(`/api/providers/${idCity}`, { capacity: 1 });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.message).toContain('超出您的管辖范围');
    const ok = await cityAdmin.patch(`/api/providers/${idCity}`, {
      status: 'suspended',
      itemIds: [repairItem],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    // items given alone: the categories served whole stay
    expect(ok.json().provider).toMatchObject({ status: 'suspended', capacity: 5 });
    expect(
      ok
        .json()
        .provider.categories.map((c: { categoryId: number }) => c.categoryId)
        .sort(),
    ).toEqual([repairs, visits].sort());
    // an item of a category served whole is not listed twice
    expect(ok.json().provider.items).toEqual([]);
    const again = await adminA.patch(`/api/providers/${idA}`, { contactPhone: '13900000000' });
    expect(again.json().provider.contactPhone).toBe('13900000000');
    expect(again.json().provider.categories).toHaveLength(1);
  });

  it('links provider accounts; the provider account sees only its own provider', async () => {
    const worker = await makeUser(t.database, 'provider', [tree.streetA.id]);
    const otherWorker = await makeUser(t.database, 'provider', [tree.streetB.id]);
    const carer = await makeUser(t.database, 'carer', [tree.streetA.id]);
    const wrongRole = await adminA.request({
      method: 'PUT',
      url: `/api/providers/${idA}/staff`,
      payload: { userIds: [carer.id] },
    });
    expect(wrongRole.statusCode).toBe(404);
    expect(wrongRole.json().error.details[0].field).toBe('body.userIds');
    const outOfScope = await adminA.request({
      method: 'PUT',
      url: `/api/providers/${idA}/staff`,
      payload: { userIds: [otherWorker.id] },
    });
    expect(outOfScope.statusCode).toBe(404);
    const ok = await adminA.request({
      method: 'PUT',
      url: `/api/providers/${idA}/staff`,
      payload: { userIds: [worker.id] },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().provider.staff).toEqual([
      { userId: worker.id, username: worker.username, displayName: worker.displayName },
    ]);
    const twice = await cityAdmin.request({
      method: 'PUT',
      url: `/api/providers/${idCity}/staff`,
      payload: { userIds: [worker.id] },
    });
    expect(twice.statusCode).toBe(409);
    const me = await signIn(t.app, worker.username, worker.password);
    const mine = (await me.get('/api/providers')).json().items;
    expect(mine.map((p: { id: number }) => p.id)).toEqual([idA]);
    expect(mine[0].editable).toBe(false);
    expect((await me.get(`/api/providers/${idCity}`)).statusCode).toBe(404);
    expect((await me.patch(`/api/providers/${idA}`, { capacity: 99 })).statusCode).toBe(403);
    expect((await audit(idA)).map((a) => a.action)).toEqual([
      'provider.create',
      'provider.update',
      'provider.staff',
    ]);
  });
});
