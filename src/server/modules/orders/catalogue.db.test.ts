import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, makeUser, signIn, type TestApp } from '../../../../test/helpers.ts';
import { part, repeatedPart, zip } from '../../../../test/xlsx-fixtures.ts';
import { insertOrgsBulk, type OrgRow } from '../orgs/orgs.service.ts';

// 服务目录 through the API on a real database: who reads and who changes it (a city admin, decision
// 0013), field errors, the default catalogue, and the import of the office's workbook — dry run,
// apply, re-import without duplicates, bad rows by number and column, hostile files — and export.

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
// a copy of ../shared/data/service-catalogue.xlsx (fictional), so CI has it
const sample = fs.readFileSync(new URL('../../../../test/fixtures/service-catalogue.xlsx', import.meta.url));

let t: TestApp;
let cityAdmin: Client;
let streetAdmin: Client;
let coordinator: Client;
let carer: Client;
let streets: Record<string, OrgRow>;

function upload(client: Client, url: string, file: Buffer) {
  const boundary = `----cc${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="目录.xlsx"\r\nContent-Type: ${XLSX}\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return client.request({
    method: 'POST',
    url,
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

const audit = (action: string) =>
  t.database.query<{ action: string; details: Record<string, unknown> }>(
    'SELECT action, details FROM audit_log WHERE action = $1 ORDER BY id',
    [action],
  );

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const [city] = await insertOrgsBulk(db, [
    { tree: 'geo', kind: 'city', parentId: null, parentPath: '/', name: '滨江市' },
  ]);
  const [district] = await insertOrgsBulk(db, [
    { tree: 'geo', kind: 'district', parentId: city!.id, parentPath: city!.path, name: '滨江区' },
  ]);
  const names = ['枫林街道', '桂园街道', '临湖街道', '梅岭街道', '望江街道'];
  const rows = await insertOrgsBulk(
    db,
    names.map((name) => ({
      tree: 'geo',
      kind: 'street',
      parentId: district!.id,
      parentPath: district!.path,
      name,
    })),
  );
  streets = Object.fromEntries(rows.map((r) => [r.name, r]));
  const sign = async (role: string, scope: number[]) => {
    const u = await makeUser(t.database, role, scope);
    return signIn(t.app, u.username, u.password);
  };
  cityAdmin = await sign('admin', [city!.id]);
  streetAdmin = await sign('admin', [streets.枫林街道!.id]);
  coordinator = await sign('coordinator', [streets.枫林街道!.id]);
  carer = await sign('carer', [streets.枫林街道!.id]);
});
afterAll(() => t.close());

describe('import of the sample workbook (both sheets)', () => {
  it('a street admin may not import the city-wide catalogue (403 before reading)', async () => {
    const res = await upload(streetAdmin, '/api/catalogue/import?dryRun=false', sample);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toContain('管辖全市的管理员');
  });

  it('the dry run finds 122 items in 9 categories and 24 providers, and writes nothing', async () => {
    const res = await upload(cityAdmin, '/api/catalogue/import', sample);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.dryRun).toBe(true);
    expect(r.items).toMatchObject({
      sheet: '服务项目目录',
      headerRow: 2,
      total: 122,
      valid: 122,
      created: 122,
      updated: 0,
    });
    expect(r.items.problems).toEqual([]);
    expect(r.categoriesCreated).toHaveLength(9);
    expect(r.categoriesCreated).toContain('适老化改造');
    expect(r.providers).toMatchObject({
      sheet: '加盟服务商名录',
      headerRow: 2,
      total: 24,
      valid: 24,
      created: 24,
    });
    expect(r.providers.problems).toEqual([]);
    const cat = (await cityAdmin.get('/api/catalogue')).json();
    expect(cat.categories).toEqual([]);
    expect((await cityAdmin.get('/api/providers')).json().items).toEqual([]);
  });

  it('the commit writes them all, with limits, prices and card flags as the sheet says', async () => {
    const res = await upload(cityAdmin, '/api/catalogue/import?dryRun=false', sample);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toMatchObject({ created: 122, updated: 0 });
    const cat = (await cityAdmin.get('/api/catalogue')).json();
    expect(cat.editable).toBe(true);
    expect(cat.categories).toHaveLength(9);
    const items = cat.categories.flatMap((c: { items: unknown[] }) => c.items);
    expect(items).toHaveLength(122);
    const meal = items.find((i: { name: string }) => i.name === '助餐·堂食');
    expect(meal).toMatchObject({
      unit: '餐',
      priceFen: 1200,
      cardPayable: true,
      slaHours: { accept: 4, arrive: 48, complete: 72 },
    });
    const sos = items.find((i: { name: string }) => i.name === '开锁');
    expect(sos).toMatchObject({
      priceFen: 8000,
      cardPayable: false,
      slaHours: { accept: 0.25, arrive: 0.5, complete: 2 },
    });
    expect(items.find((i: { name: string }) => i.name === '代办医保报销').priceFen).toBeNull();

    const providers = (await cityAdmin.get('/api/providers')).json().items;
    expect(providers).toHaveLength(24);
    const team = providers.find((p: { name: string }) => p.name === '滨江市乐龄志愿服务队');
    expect(team).toMatchObject({ kind: 'volunteer_team', uscc: null, stars: null });
    expect(team.areas.map((a: { name: string }) => a.name).sort()).toEqual(['枫林街道', '临湖街道'].sort());
    const citywide = providers.find((p: { name: string }) => p.name === '滨江市爱邻适老化改造工程有限公司');
    expect(citywide).toMatchObject({
      kind: 'enterprise',
      uscc: '91330141U3CKE790N0',
      stars: 5,
      contractEnd: '2028-12-31',
    });
    expect(citywide.areas).toEqual([expect.objectContaining({ name: '全市', kind: 'city' })]);
    expect(citywide.categories.map((c: { name: string }) => c.name)).toEqual(['适老化改造']);
    expect(await audit('catalogue.import')).toHaveLength(1);
  });

  it('a second import updates and never duplicates', async () => {
    const res = await upload(cityAdmin, '/api/catalogue/import?dryRun=false', sample);
    const r = res.json();
    expect(r.items).toMatchObject({ created: 0, updated: 122 });
    expect(r.providers).toMatchObject({ created: 0, updated: 24 });
    expect(r.categoriesCreated).toEqual([]);
    const [{ n }] = await t.database.query<{ n: number }>('SELECT count(*)::int AS n FROM service_items');
    expect(n).toBe(122);
    const [{ p }] = await t.database.query<{ p: number }>('SELECT count(*)::int AS p FROM providers');
    expect(p).toBe(24);
  });

  it('a coordinator of 枫林街道 sees the providers serving it (and the city-wide ones), nobody else', async () => {
    const res = await coordinator.get('/api/providers');
    expect(res.statusCode).toBe(200);
    const names: string[] = res.json().items.map((p: { name: string }) => p.name);
    expect(names).toContain('滨江市安心家政服务有限公司'); // 枫林、桂园
    expect(names).toContain('滨江市爱邻适老化改造工程有限公司'); // 全市
    expect(names).not.toContain('滨江市颐和社区卫生服务站'); // 桂园、梅岭
    expect(res.json().items.every((p: { editable: boolean }) => !p.editable)).toBe(true);
    const other = (await cityAdmin.get('/api/providers?q=颐和社区卫生')).json().items[0];
    expect((await coordinator.get(`/api/providers/${other.id}`)).statusCode).toBe(404);
  });

  it('exports both sheets in the layout it reads, and the export imports back as pure updates', async () => {
    const res = await cityAdmin.get('/api/catalogue/export');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['服务项目目录', '加盟服务商名录']);
    expect(wb.worksheets[0]!.rowCount).toBe(124);
    const back = (await upload(cityAdmin, '/api/catalogue/import?dryRun=false', res.rawPayload)).json();
    expect(back.items).toMatchObject({ total: 122, created: 0, updated: 122, problems: [] });
    expect(back.providers).toMatchObject({ total: 24, created: 0, updated: 24, problems: [] });
  });
});

describe('bad rows and other layouts', () => {
  async function workbook(items: unknown[][], providers: unknown[][]) {
    const wb = new ExcelJS.Workbook();
    const a = wb.addWorksheet('项目');
    for (const r of items) a.addRow(r);
    const b = wb.addWorksheet('机构');
    for (const r of providers) b.addRow(r);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  it('reads other headers and reports each bad row by number, column and reason in Chinese', async () => {
    const file = await workbook(
      [
        ['类别', '项目名称', '单位', '收费标准', '受理时限', '到达时限', '办结时限', '服务卡'],
        ['维修服务', '换水龙头', '个', '35元', 2, 24, 72, '是'],
        ['维修服务', '', '个', 20, 2, 24, 72, '否'],
        ['维修服务', '修椅子', '把', '面议', 2, -1, 72, '也许'],
        ['维修服务', '换水龙头', '个', 30, 2, 24, 72, '是'],
      ],
      [
        ['机构名称', '信用代码', '性质', '服务内容', '服务街道', '负责人', '电话'],
        ['滨江市新桥维修部', '91330155NG7BP5J77U', '企业', '维修服务', '枫林街道', '王五', '13800000000'],
        ['滨江市无码公司', '', '公司', '维修服务', '枫林街道', '', ''],
        ['滨江市远方公司', '91330155NG7BP5J77T', '企业', '天文观测', '火星街道', '', ''],
        ['滨江市新桥志愿队', '', '志愿服务队', '维修服务', '枫林街道；临湖街道', '赵六', '021-12345678'],
      ],
    );
    const res = await upload(cityAdmin, '/api/catalogue/import', file);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.items).toMatchObject({ headerRow: 1, total: 4, valid: 1, created: 1 });
    const p = (sheet: string, row: number, field: string) =>
      expect.objectContaining({ sheet, row, field, message: expect.any(String) });
    expect(r.items.problems).toEqual(
      expect.arrayContaining([
        p('项目', 3, '服务项目'),
        p('项目', 4, '参考价格'),
        p('项目', 4, '上门时限'),
        p('项目', 4, '可用服务卡支付'),
        { sheet: '项目', row: 5, field: '服务项目', message: '与第2行重复（“换水龙头”）' },
      ]),
    );
    expect(r.providers).toMatchObject({ total: 4, valid: 1, created: 1 });
    const probs = r.providers.problems;
    expect(probs).toContainEqual({
      sheet: '机构',
      row: 2,
      field: '统一社会信用代码',
      message: '“91330155NG7BP5J77U”校验码不正确，请核对',
    });
    expect(probs).toContainEqual(p('机构', 3, '统一社会信用代码'));
    expect(probs).toContainEqual({
      sheet: '机构',
      row: 4,
      field: '服务类别',
      message: '“天文观测”不在服务目录中，请先在服务目录中添加该类别',
    });
    expect(probs).toContainEqual({
      sheet: '机构',
      row: 4,
      field: '服务区域',
      message: '“火星街道”不存在或不在您的管辖范围内',
    });
  });

  it('refuses a file that is not a workbook, and one without a known header, naming the file', async () => {
    const junk = await upload(cityAdmin, '/api/catalogue/import', Buffer.from('not a zip at all'));
    expect(junk.statusCode).toBe(400);
    expect(junk.json().error.details[0].field).toBe('file');
    const noHeader = await workbook(
      [
        ['甲', '乙'],
        [1, 2],
      ],
      [['x']],
    );
    const res = await upload(cityAdmin, '/api/catalogue/import', noHeader);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0]).toMatchObject({
      field: 'file',
      message: expect.stringContaining('服务商名称'),
    });
  });

  it('refuses a sheet past the reader bounds (100,000 rows), naming the file', async () => {
    const sheet = await repeatedPart(
      'xl/worksheets/sheet1.xml',
      '<worksheet><sheetData>',
      Buffer.from('<row><c t="inlineStr"><is><t>x</t></is></c></row>'),
      100_001,
      '</sheetData></worksheet>',
    );
    const huge = zip([
      part(
        'xl/workbook.xml',
        '<workbook xmlns:r="r"><sheets><sheet name="a" sheetId="1" r:id="rId1"/></sheets></workbook>',
      ),
      part(
        'xl/_rels/workbook.xml.rels',
        '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
      ),
      sheet,
    ]);
    const res = await upload(cityAdmin, '/api/catalogue/import', huge);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0]).toMatchObject({
      field: 'file',
      message: expect.stringContaining('100,000 行'),
    });
  });
});

describe('editing the catalogue', () => {
  it('everyone who works orders reads it; a carer too; only a city admin changes it', async () => {
    const read = await coordinator.get('/api/catalogue');
    expect(read.statusCode).toBe(200);
    expect(read.json().editable).toBe(false);
    expect((await carer.get('/api/catalogue')).statusCode).toBe(200);
    const denied = await streetAdmin.post('/api/catalogue/categories', { name: '康复辅具' });
    expect(denied.statusCode).toBe(403);
    expect((await coordinator.post('/api/catalogue/categories', { name: '康复辅具' })).statusCode).toBe(403);
  });

  it('creates a category and an item, audited; names are unique; the category must exist', async () => {
    const c = await cityAdmin.post('/api/catalogue/categories', { name: '康复辅具' });
    expect(c.statusCode, c.body).toBe(200);
    const categoryId = c.json().category.id;
    expect((await cityAdmin.post('/api/catalogue/categories', { name: '康复辅具' })).statusCode).toBe(409);
    const body = {
      categoryId,
      name: '轮椅租赁',
      unit: '月',
      priceFen: 5000,
      slaHours: { accept: 4, arrive: 48, complete: 72 },
      followUpDays: 7,
      workingDays: true,
      providerKinds: ['enterprise'],
      cardPayable: true,
    };
    const it1 = await cityAdmin.post('/api/catalogue/items', body);
    expect(it1.statusCode, it1.body).toBe(200);
    expect(it1.json().item).toMatchObject({ name: '轮椅租赁', workingDays: true, followUpDays: 7 });
    const missing = await cityAdmin.post('/api/catalogue/items', {
      ...body,
      name: '轮椅维修',
      categoryId: 999999,
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.details[0].field).toBe('body.categoryId');
    const dup = await cityAdmin.post('/api/catalogue/items', body);
    expect(dup.statusCode).toBe(409);
    const bad = await cityAdmin.post('/api/catalogue/items', {
      ...body,
      name: '轮椅清洗',
      priceFen: 12.5,
      providerKinds: [],
    });
    expect(bad.statusCode).toBe(400);
    const fields = bad.json().error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(
      expect.arrayContaining([expect.stringContaining('priceFen'), expect.stringContaining('providerKinds')]),
    );
    const patch = await cityAdmin.patch(`/api/catalogue/items/${it1.json().item.id}`, {
      priceFen: null,
      active: false,
    });
    expect(patch.json().item).toMatchObject({ priceFen: null, active: false, unit: '月' });
    expect((await audit('catalogue.item.update'))[0]!.details).toMatchObject({
      before: { priceFen: 5000 },
      after: { priceFen: null },
    });
    expect(await audit('catalogue.category.create')).toHaveLength(1);
  });

  it('the default catalogue adds what is missing and is idempotent', async () => {
    const first = await cityAdmin.post('/api/catalogue/defaults');
    expect(first.statusCode, first.body).toBe(200);
    const names = first.json().categories.map((c: { name: string }) => c.name);
    for (const n of [
      '生活照料',
      '基础照护',
      '健康管理',
      '探访关爱',
      '精神慰藉',
      '委托代办',
      '适老化改造',
      '维修',
      '家政服务员介绍',
      '法律援助',
    ]) {
      expect(names).toContain(n);
    }
    const count = first.json().categories.flatMap((c: { items: unknown[] }) => c.items).length;
    const again = await cityAdmin.post('/api/catalogue/defaults');
    expect(again.json().categories.flatMap((c: { items: unknown[] }) => c.items).length).toBe(count);
    expect((await streetAdmin.post('/api/catalogue/defaults')).statusCode).toBe(403);
  });
});
