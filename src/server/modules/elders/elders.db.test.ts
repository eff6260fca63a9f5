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
let coordA: Client;
let coordB: Client;
let manager: Client;
let dispatcher: Client;
let provider: Client;

// the test clock stands at 2026-11-22 (Asia/Shanghai)
const elder = (over: Record<string, unknown> = {}) => ({
  name: '朱永福',
  idNumber: makeIdNumber('330102', '1936-03-08', 11),
  phones: ['13812345678'],
  orgId: tree.gridA1.id,
  building: '3幢',
  unit: '2单元',
  room: '401',
  categories: ['退休教职工'],
  livingSituation: '独居',
  difficultyGroups: ['独居'],
  hearingImpaired: true,
  tags: ['重点关注'],
  ...over,
});

beforeAll(async () => {
  t = await createTestApp();
  tree = await makeTree(t.database);
  const sign = async (role: string, scope: number[]) => {
    const u = await makeUser(t.database, role, scope);
    return signIn(t.app, u.username, u.password);
  };
  coordA = await sign('coordinator', [tree.streetA.id]);
  coordB = await sign('coordinator', [tree.streetB.id]);
  manager = await sign('manager', [tree.district.id]);
  dispatcher = await sign('dispatcher', [tree.district.id]);
  provider = await sign('provider', [tree.district.id]);
});
afterAll(() => t.close());

describe('registering an elder', () => {
  let id: number;

  it('creates an elder, deriving birth date and gender from the ID number, masked in the answer', async () => {
    const res = await coordA.post('/api/elders', elder());
    expect(res.statusCode).toBe(201);
    const e = res.json();
    id = e.id;
    expect(e).toMatchObject({
      name: '朱永福',
      namePinyin: 'zhuyongfu',
      nameInitials: 'zyf',
      gender: 'M',
      birthDate: '1936-03-08',
      age: 90,
      idNumber: `330102********011${e.idNumber.slice(-1)}`,
      phones: ['138****5678'],
      status: 'active',
      org: { id: tree.gridA1.id, name: '甲一社区 / 第1网格' },
      healthVisible: true,
    });
    expect(e.warnings).toBeUndefined();
  });

  it('refuses a bad ID number, a contradicting birth date or gender, naming the field in Chinese', async () => {
    const good = makeIdNumber('330102', '1940-01-02', 22);
    const badCheck = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    const r1 = await coordA.post('/api/elders', elder({ idNumber: badCheck }));
    expect(r1.statusCode).toBe(400);
    expect(r1.json().error.details[0].field).toBe('body.idNumber');
    expect(r1.json().error.details[0].message).toMatch(/身份证号不正确/);

    const r2 = await coordA.post('/api/elders', elder({ idNumber: good, birthDate: '1940-01-03' }));
    expect(r2.statusCode).toBe(400);
    expect(r2.json().error.details[0]).toMatchObject({ field: 'body.birthDate' });
    expect(r2.json().error.details[0].message).toMatch(/出生日期与身份证号不符/);

    const r3 = await coordA.post('/api/elders', elder({ idNumber: good, gender: 'M' }));
    expect(r3.statusCode).toBe(400);
    expect(r3.json().error.details[0]).toMatchObject({ field: 'body.gender' });

    const r4 = await coordA.post('/api/elders', elder({ idNumber: good, name: '' }));
    expect(r4.statusCode).toBe(400);
    expect(r4.json().error.details).toContainEqual({ field: 'body.name', message: '姓名不能为空' });

    const en = await coordA.request({
      method: 'POST',
      url: '/api/elders',
      headers: { 'accept-language': 'en' },
      payload: elder({ idNumber: good, birthDate: '1940-01-03' }),
    });
    expect(en.json().error.details[0].message).toMatch(/contradicts the ID number/);
  });

  it('refuses a community of another street, or an org that is not a community or grid', async () => {
    const idNumber = makeIdNumber('330102', '1941-01-02', 31);
    const other = await coordA.post('/api/elders', elder({ idNumber, orgId: tree.communityB1.id }));
    expect(other.statusCode).toBe(404); // as an unknown community (registry-scope.db.test.ts)
    expect(other.json().error.details[0].field).toBe('body.orgId');
    const street = await coordA.post('/api/elders', elder({ idNumber, orgId: tree.streetA.id }));
    expect(street.statusCode).toBe(400);
    expect(street.json().error.details[0].field).toBe('body.orgId');
  });

  it('allows one elder per ID number (409 naming idNumber)', async () => {
    const res = await coordA.post('/api/elders', elder({ name: '朱永富' }));
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details[0].field).toBe('body.idNumber');
    expect(res.json().error.message).toMatch(/已登记/);
  });

  it('upgrades a 15-digit ID number and says so', async () => {
    const res = await coordA.post(
      '/api/elders',
      elder({ name: '钱秀英', idNumber: '330102380412022', phones: [] }),
    );
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ birthDate: '1938-04-12', gender: 'F' });
    expect(res.json().warnings[0]).toMatch(/15 位身份证号.*已自动升级为 18 位/);
    const reveal = await coordA.post(`/api/elders/${res.json().id}/reveal`, {
      field: 'idNumber',
      reason: '核对户籍',
    });
    expect(reveal.json().idNumber).toHaveLength(18);
    expect(reveal.json().idNumber.slice(0, 8)).toBe('33010219');
  });

  it('edits a profile: a new name gets new pinyin keys; a contradicting birth date is refused', async () => {
    const res = await coordA.patch(`/api/elders/${id}`, { name: '朱永富', room: '402' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: '朱永富', namePinyin: 'zhuyongfu', room: '402' });
    const bad = await coordA.patch(`/api/elders/${id}`, { birthDate: '1936-03-09' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe('body.birthDate');
    const status = await coordA.patch(`/api/elders/${id}`, {
      status: 'moved_away',
      statusReason: '随子女迁居',
    });
    expect(status.json()).toMatchObject({ status: 'moved_away', statusSince: '2026-11-22' });
    await coordA.patch(`/api/elders/${id}`, { status: 'active', statusReason: null });
  });

  it('keeps the registry out of reach of other streets (list empty, GET 404) and of providers', async () => {
    const list = await coordB.get('/api/elders');
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([]);
    expect((await coordB.get(`/api/elders/${id}`)).statusCode).toBe(404);
    expect((await coordB.patch(`/api/elders/${id}`, { room: '1' })).statusCode).toBe(404);
    expect(
      (await coordB.post(`/api/elders/${id}/reveal`, { field: 'phones', reason: '看看' })).statusCode,
    ).toBe(404);
    expect((await provider.get('/api/elders')).statusCode).toBe(403);
    expect((await manager.get(`/api/elders/${id}`)).statusCode).toBe(200);
  });

  it('masks ID numbers and phones in lists; a reveal needs a reason and is audited', async () => {
    const list = await dispatcher.get('/api/elders');
    const item = list.json().items.find((e: { id: number }) => e.id === id);
    expect(item.idNumber).toMatch(/^330102\*{8}\d{3}[\dX]$/);
    expect(item.phones).toEqual(['138****5678']);
    expect(item.abilityLevel).toBeNull();

    expect(
      (await dispatcher.post(`/api/elders/${id}/reveal`, { field: 'idNumber', reason: '核实身份' }))
        .statusCode,
    ).toBe(403);
    const noReason = await dispatcher.post(`/api/elders/${id}/reveal`, { field: 'phones', reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.details[0].field).toBe('body.reason');
    const phones = await dispatcher.post(`/api/elders/${id}/reveal`, {
      field: 'phones',
      reason: '紧急呼叫核实',
    });
    expect(phones.statusCode).toBe(200);
    expect(phones.json().phones).toEqual(['13812345678']);

    const audit = await manager.get(`/api/audit?action=elder.reveal&entity=elder&entityId=${id}`);
    expect(audit.json().items[0]).toMatchObject({
      action: 'elder.reveal',
      reason: '紧急呼叫核实',
      entityId: String(id),
    });
    expect(audit.json().items[0].details).toEqual({ field: 'phones' });
  });
});

describe('finding elders', () => {
  const names = ['张三丰', '张无忌', '赵敏', '周芷若', '杨逍', '殷素素', '谢逊', '黄衫女'];
  beforeAll(async () => {
    for (const [i, name] of names.entries()) {
      const res = await coordA.post('/api/elders', {
        name,
        idNumber: makeIdNumber('330106', `19${30 + i}-0${(i % 9) + 1}-15`, 100 + i * 2 + (i % 2)),
        phones: [`1390000${String(1000 + i).padStart(4, '0')}`],
        orgId: i % 2 === 0 ? tree.gridA1.id : tree.communityA1.id,
        categories: i % 3 === 0 ? ['离休干部'] : ['社区老人'],
        livingSituation: i % 4 === 0 ? '独居' : '与子女同住',
        tags: i === 5 ? ['西迁老教授'] : [],
      });
      expect(res.statusCode).toBe(201);
    }
  });

  const find = async (qs: string) => (await coordA.get(`/api/elders?${qs}`)).json();

  it('finds by name prefix, pinyin, initials, and the last digits of a phone or ID number', async () => {
    expect(
      (await find(`q=${encodeURIComponent('张')}`)).items.map((e: { name: string }) => e.name).sort(),
    ).toEqual(['张三丰', '张无忌']);
    expect((await find('q=zwj')).items.map((e: { name: string }) => e.name)).toEqual(['张无忌']);
    expect((await find('q=zhaomin')).items.map((e: { name: string }) => e.name)).toEqual(['赵敏']);
    expect((await find('q=ZY')).items.map((e: { name: string }) => e.name)).toEqual(['朱永富']);
    expect((await find('q=1003')).items.map((e: { name: string }) => e.name)).toEqual(['周芷若']);
    expect((await find('q=13900001003')).items.map((e: { name: string }) => e.name)).toEqual(['周芷若']);
    expect((await find('q=13900009999')).items).toEqual([]);
    const id = makeIdNumber('330106', '1932-03-15', 104);
    expect((await find(`q=${id.slice(-4)}`)).items.map((e: { name: string }) => e.name)).toContain('赵敏');
  });

  it('filters by org subtree, category, living situation, age band, tag and family doctor', async () => {
    const grid = await find(`orgId=${tree.gridA1.id}&limit=200`);
    expect(grid.items.every((e: { org: { id: number } }) => e.org.id === tree.gridA1.id)).toBe(true);
    const cadres = await find(`category=${encodeURIComponent('离休干部')}`);
    expect(cadres.items.map((e: { name: string }) => e.name).sort()).toEqual(
      ['张三丰', '周芷若', '谢逊'].sort(),
    );
    const alone = await find(`livingSituation=${encodeURIComponent('独居')}`);
    expect(alone.items.map((e: { name: string }) => e.name)).toEqual(
      expect.arrayContaining(['张三丰', '杨逍']),
    );
    const ninety = await find('ageBand=90%2B');
    expect(ninety.items.every((e: { age: number }) => e.age >= 90)).toBe(true);
    expect(ninety.items.map((e: { name: string }) => e.name)).toEqual(
      expect.arrayContaining(['张三丰', '朱永富']),
    );
    expect(ninety.items.map((e: { name: string }) => e.name)).not.toContain('黄衫女');
    const tag = await find(`tag=${encodeURIComponent('西迁老教授')}`);
    expect(tag.items.map((e: { name: string }) => e.name)).toEqual(['殷素素']);
    const noDoctor = await find('noFamilyDoctor=true&limit=200');
    expect(noDoctor.items.length).toBe(10);
    const noCarer = await find('noCarer=true&limit=200');
    expect(noCarer.items.length).toBe(10);
  });

  it('pages with a keyset cursor in every sort order, without gaps or repeats', async () => {
    for (const sort of ['name', '-name', 'age', '-age', 'updated', '-updated']) {
      const all = (await find(`sort=${sort}&limit=200`)).items as {
        id: number;
        name: string;
        birthDate: string;
      }[];
      expect(all.length).toBe(10);
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: { id: number }[]; nextCursor: string | null } = await find(
          `sort=${encodeURIComponent(sort)}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items.map((e) => e.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.map((e) => e.id));
    }
    const oldestFirst = (await find('sort=-age&limit=200')).items.map(
      (e: { birthDate: string }) => e.birthDate,
    );
    expect(oldestFirst).toEqual([...oldestFirst].sort());
    const bad = await coordA.get('/api/elders?cursor=nonsense');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe('query.cursor');
  });
});

describe('affiliation scope', () => {
  it('shows an elder to the staff of their affiliation (原单位) wherever they live', async () => {
    // the unit must be in the registering coordinator's scope too (registry-scope.db.test.ts)
    const both = await makeUser(t.database, 'coordinator', [tree.streetA.id, tree.unit.id]);
    const coordAU = await signIn(t.app, both.username, both.password);
    const res = await coordAU.post(
      '/api/elders',
      elder({
        name: '冯德明',
        idNumber: makeIdNumber('330102', '1933-06-01', 51),
        affiliationId: tree.unit.id,
      }),
    );
    expect(res.statusCode).toBe(201);
    expect(res.json().affiliation).toEqual({ id: tree.unit.id, name: '测试大学' });
    const u = await makeUser(t.database, 'coordinator', [tree.unit.id]);
    const unitStaff = await signIn(t.app, u.username, u.password);
    const list = (await unitStaff.get('/api/elders')).json().items;
    expect(list.map((e: { name: string }) => e.name)).toEqual(['冯德明']);
    const byUnit = (await manager.get(`/api/elders?orgId=${tree.unit.id}`)).json().items;
    expect(byUnit.map((e: { name: string }) => e.name)).toEqual(['冯德明']); // lives in the district
    const mine = (await coordA.get(`/api/elders?orgId=${tree.unit.id}`)).json().items;
    expect(mine.map((e: { name: string }) => e.name)).toEqual(['冯德明']);
  });
});
