import fs from 'node:fs';
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
} from '../../../../../test/helpers.ts';
import { idNumberCheckChar, makeIdNumber } from '../../../../shared/id-number.ts';
import { insertOrgsBulk } from '../../orgs/orgs.service.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let t: TestApp;
let tree: TestTree;
let coordinator: Client;
let admin: Client;

beforeAll(async () => {
  t = await createTestApp();
  tree = await makeTree(t.database);
  const c = await makeUser(t.database, 'coordinator', [tree.streetA.id]);
  coordinator = await signIn(t.app, c.username, c.password);
  const a = await makeUser(t.database, 'admin', [tree.city.id, tree.unit.id]);
  admin = await signIn(t.app, a.username, a.password);
});
afterAll(() => t.close());

function multipart(file: Buffer, fields: Record<string, string> = {}, filename = 'roster.xlsx') {
  const boundary = `----carecircle${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${XLSX}\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

function upload(
  client: Client,
  url: string,
  file: Buffer,
  fields: Record<string, string> = {},
  filename?: string,
) {
  const m = multipart(file, fields, filename);
  return client.request({ method: 'POST', url, payload: m.payload, headers: m.headers });
}

async function readXlsx(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as never);
  return wb;
}

const ids = {
  zhang: makeIdNumber('610113', '1935-05-12', 31),
  li: makeIdNumber('610113', '1938-03-09', 42),
  wang: makeIdNumber('610113', '1940-07-01', 51),
  zhao: makeIdNumber('610113', '1942-08-08', 62),
  sun: makeIdNumber('610113', '1936-02-03', 72),
};
const badCheck = (() => {
  const first17 = '61011319370101008';
  const wrong = idNumberCheckChar(first17) === '1' ? '2' : '1';
  return first17 + wrong;
})();
const old15 = '610113360101003'; // a 15-digit number of a man born 1936-01-01

/** A roster as offices keep them: two title lines, aliased headers, mixed dates and bad rows. */
async function roster(opts: { idHeader?: string } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('花名册');
  ws.addRow(['甲街道老年人花名册（2026年）']);
  ws.addRow(['制表单位：甲一社区']);
  ws.addRow([
    '序号',
    '老人姓名',
    '性别',
    opts.idHeader ?? '公民身份号码',
    '出生年月',
    '手机号码',
    '所属社区',
    '楼组',
    '家庭住址',
    '居住状况',
    '人员类别',
    '紧急联系人',
    '与本人关系',
    '紧急联系电话',
    '备注',
  ]);
  const serial1942 = Date.UTC(1942, 7, 8) / 86400000 + 25569; // an Excel serial day number
  const rows: unknown[][] = [
    [
      1,
      '张建国',
      '男',
      ids.zhang,
      '1935-05-12',
      '138 1234 5678',
      '甲一社区',
      '',
      '幸福路8号楼2单元302室',
      '独居',
      '离休干部',
      '张小明',
      '儿子',
      '0571-8888 1234',
      '重点关注',
    ],
    [
      2,
      '李秀英',
      '女',
      ids.li,
      new Date(Date.UTC(1938, 2, 9)),
      '+86 139 0000 1111',
      '甲一社区',
      '第1网格',
      '幸福路9号楼1单元101室',
      '空巢老人',
      '退休教职工',
      '',
      '',
      '',
      '',
    ],
    [
      3,
      '王德胜',
      '男',
      ids.wang,
      '1940年7月1日',
      '029 8266 8888',
      '甲一社区',
      '',
      '',
      '纯老家庭',
      '退休干部、遗属',
      '王芳',
      '女儿',
      '13700001111',
      '',
    ],
    [
      4,
      '赵淑兰',
      '女',
      ids.zhao,
      serial1942,
      '13800002222',
      '甲一社区',
      '',
      '',
      '与子女同住',
      '社区老人',
      '',
      '',
      '',
      '',
    ],
    [5, '孙美华', '女', ids.sun, '1936.2.3', '13800003333', '甲一社区', '', '', '独居', '', '', '', '', ''],
    [6, '周国庆', '男', badCheck, '1937/1/1', '13800004444', '甲一社区', '', '', '独居', '', '', '', '', ''],
    [
      7,
      '',
      '女',
      makeIdNumber('610113', '1939-09-09', 82),
      '19390909',
      '13800005555',
      '甲一社区',
      '',
      '',
      '空巢',
      '',
      '',
      '',
      '',
      '',
    ],
    [
      8,
      '张建国',
      '男',
      ids.zhang,
      '1935-05-12',
      '13812345678',
      '甲一社区',
      '',
      '',
      '独居',
      '',
      '',
      '',
      '',
      '',
    ],
    [
      9,
      '吴桂芝',
      '女',
      makeIdNumber('610113', '1941-04-04', 92),
      '1941-04-04',
      '13800006666',
      '乙一社区',
      '',
      '',
      '独居',
      '',
      '',
      '',
      '',
      '',
    ],
    [10, '郑老汉', '男', old15, '1936-01-01', '', '甲一社区', '', '', '孤老', '', '', '', '', ''],
  ];
  for (const r of rows) ws.addRow(r);
  ws.getCell('E5').numFmt = 'yyyy-mm-dd';
  ws.addRow([]);
  ws.addRow(['填表人：王五', '', '', '日期：2026年11月1日']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('POST /api/elders/import', () => {
  it('dry run reports every problem by spreadsheet row and header, and writes nothing', async () => {
    const res = await upload(coordinator, '/api/elders/import?dryRun=true', await roster());
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({ dryRun: true, headerRow: 3, total: 10, valid: 6, created: 6, updated: 0 });
    expect(r.invalid.map((p: { row: number; field: string }) => [p.row, p.field])).toEqual([
      [9, '公民身份号码'],
      [10, '老人姓名'],
    ]);
    expect(r.invalid[0].message).toContain('校验位');
    expect(r.invalid[1].message).toBe('老人姓名不能为空');
    // a community out of scope is one grouped problem, and the counts add up
    expect(r.unknownCommunities).toEqual([{ name: '乙一社区', rows: 1, firstRows: [12] }]);
    expect(r.problemRows).toBe(4);
    expect(r.valid + r.problemRows).toBe(r.total);
    expect(r.invalid[0].serialNo).toBe('6');
    expect(r.duplicates).toEqual([
      { row: 11, ofRow: 4, message: '身份证号与第4行重复', serialNo: '8', ofSerialNo: '1' },
    ]);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({ row: 13, field: '公民身份号码' });
    expect(r.mapping).toContainEqual({
      column: 'D',
      header: '公民身份号码',
      field: 'idNumber',
      fieldLabel: '身份证号',
    });
    expect(r.mapping).toContainEqual({ column: 'O', header: '备注', field: 'tags', fieldLabel: '标签' });
    const list = await coordinator.get('/api/elders');
    expect(list.json().items).toHaveLength(0);
  });

  it('commit writes the valid rows (emergency contact as first relative); re-import creates nothing', async () => {
    const file = await roster();
    const res = await upload(coordinator, '/api/elders/import?dryRun=false', file);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ dryRun: false, total: 10, valid: 6, created: 6, updated: 0 });

    const list = (await coordinator.get('/api/elders?limit=50')).json().items;
    expect(list.map((e: { name: string }) => e.name).sort()).toEqual(
      ['孙美华', '张建国', '李秀英', '王德胜', '赵淑兰', '郑老汉'].sort(),
    );
    const zhang = list.find((e: { name: string }) => e.name === '张建国');
    expect(zhang).toMatchObject({
      gender: 'M',
      birthDate: '1935-05-12',
      livingSituation: '独居',
      categories: ['离休干部'],
      building: '8',
      unit: '2',
      room: '302',
    });
    expect(zhang.tags).toContain('重点关注');
    expect(zhang.phones).toEqual(['138****5678']);
    const li = list.find((e: { name: string }) => e.name === '李秀英');
    expect(li).toMatchObject({
      birthDate: '1938-03-09',
      livingSituation: '空巢',
      org: { id: tree.gridA1.id },
    });
    const zhao = list.find((e: { name: string }) => e.name === '赵淑兰');
    expect(zhao.birthDate).toBe('1942-08-08');
    const zheng = list.find((e: { name: string }) => e.name === '郑老汉');
    expect(zheng.idNumber).toMatch(/^610113\*{8}\d{3}[\dX]$/);
    const circle = (await coordinator.get(`/api/elders/${zhang.id}/circle`)).json().items;
    expect(circle[0]).toMatchObject({ kind: 'relative', name: '张小明', relation: '儿子', priority: 0 });

    const dry = (await upload(coordinator, '/api/elders/import?dryRun=true', file)).json();
    expect(dry).toMatchObject({ valid: 6, created: 0, updated: 6 });
    expect(dry.existing.map((e: { row: number }) => e.row)).toEqual([4, 5, 6, 7, 8, 13]);
    const again = (await upload(coordinator, '/api/elders/import?dryRun=false', file)).json();
    expect(again).toMatchObject({ created: 0, updated: 0 });
    expect((await coordinator.get('/api/elders?limit=50')).json().items).toHaveLength(6);
    expect((await coordinator.get(`/api/elders/${zhang.id}/circle`)).json().items).toHaveLength(1);

    const audit = (await admin.get('/api/audit?action=elder.import&entity=import')).json().items;
    expect(audit).toHaveLength(2);
    expect(audit[1].details).toMatchObject({
      fileName: 'roster.xlsx',
      total: 10,
      valid: 6,
      created: 6,
      invalid: 3,
    });
  });

  it('lets the user fix the mapping: an unknown ID column is reported, then mapped by letter', async () => {
    const file = await roster({ idHeader: '证件' });
    const bad = (await upload(coordinator, '/api/elders/import', file)).json();
    expect(bad.valid).toBe(0);
    expect(bad.invalid).toEqual([
      { row: 3, field: '身份证号', message: '未找到“身份证号”列，请在列映射中指定' },
    ]);
    const fixed = (
      await upload(coordinator, '/api/elders/import', file, { mapping: '{"D":"idNumber"}' })
    ).json();
    expect(fixed).toMatchObject({ total: 10, valid: 6 });
    const viaQuery = await upload(
      coordinator,
      `/api/elders/import?mapping=${encodeURIComponent('{"证件":"身份证号"}')}`,
      file,
    );
    expect(viaQuery.json().valid).toBe(6);
    const wrong = await upload(coordinator, '/api/elders/import', file, { mapping: '{"Z":"idNumber"}' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details[0]).toMatchObject({ field: 'mapping' });
  });

  it('answers a missing or broken file with a field error, and refuses carers', async () => {
    const notXlsx = await upload(coordinator, '/api/elders/import', Buffer.from('姓名,身份证号\n'));
    expect(notXlsx.statusCode).toBe(400);
    expect(notXlsx.json().error.details[0].field).toBe('file');
    const json = await coordinator.post('/api/elders/import', { file: 'x' });
    expect(json.statusCode).toBe(400);
    const c = await makeUser(t.database, 'carer', [tree.streetA.id]);
    const carer = await signIn(t.app, c.username, c.password);
    expect((await upload(carer, '/api/elders/import', await roster())).statusCode).toBe(403);
  });

  it('downloads an error report with the problem rows and their reasons', async () => {
    const res = await upload(
      coordinator,
      '/api/elders/import/errors',
      await roster(),
      {},
      '甲街道花名册.xlsx',
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain(XLSX);
    const disposition = String(res.headers['content-disposition']);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toBe('甲街道花名册_导入问题.xlsx');
    const ws = (await readXlsx(res.rawPayload)).worksheets[0]!;
    expect(ws.getRow(1).getCell(1).value).toBe('原行号');
    expect(ws.getRow(1).getCell(4).value).toBe('老人姓名');
    const rows = [2, 3, 4, 5].map((n) => [ws.getRow(n).getCell(1).value, ws.getRow(n).getCell(2).value]);
    expect(rows.map((r) => r[0])).toEqual([9, 10, 11, 12]);
    expect(String(rows[1]![1])).toContain('老人姓名：老人姓名不能为空');
    expect(String(rows[2]![1])).toContain('身份证号与第4行重复');
    expect(ws.getRow(3).getCell(5).value).toBe('女'); // the original cells follow
  });

  it('serves a template whose headers the importer understands (its example row is skipped)', async () => {
    const res = await coordinator.get('/api/elders/import/template');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/filename\*=UTF-8''%E8%80%81/);
    const wb = await readXlsx(res.rawPayload);
    const header = wb.worksheets[0]!.getRow(2).values as unknown[];
    expect(header).toEqual(
      expect.arrayContaining(['姓名', '身份证号', '社区', '紧急联系人', '紧急联系电话']),
    );
    expect(wb.getWorksheet('填写说明')).toBeDefined();
    // the template as it comes holds only the example row: nothing to import, said so (not "0 rows")
    const dry = await upload(coordinator, '/api/elders/import', res.rawPayload);
    expect(dry.statusCode).toBe(400);
    expect(dry.json().error.details[0].message).toBe(
      '表头（第2行）下没有数据行：请检查是否选错了文件或工作表',
    );
  });
});

describe('the sample roster (../shared/data/sample-roster.xlsx)', () => {
  const sample = new URL('../../../../../../shared/data/sample-roster.xlsx', import.meta.url);
  it.skipIf(!fs.existsSync(sample))(
    'dry run: 120 rows, 117 valid, rows 10 and 45 invalid, 81 repeats 13',
    async () => {
      // the roster's communities, created under the coordinator's street
      await insertOrgsBulk(t.database.db, [
        {
          tree: 'geo',
          kind: 'community',
          parentId: tree.streetA.id,
          parentPath: tree.streetA.path,
          name: '兴庆社区',
        },
        {
          tree: 'geo',
          kind: 'community',
          parentId: tree.streetA.id,
          parentPath: tree.streetA.path,
          name: '交大二村社区',
        },
      ]);
      const file = fs.readFileSync(sample);
      const r = (await upload(coordinator, '/api/elders/import?dryRun=true', file)).json();
      expect(r).toMatchObject({ headerRow: 2, total: 120, valid: 117, created: 117, updated: 0 });
      // the README counts by 序号; the spreadsheet shows them two rows lower (title + header)
      expect(
        r.invalid.map((p: { serialNo: string; row: number; field: string }) => [p.serialNo, p.row, p.field]),
      ).toEqual([
        ['10', 12, '身份证号'],
        ['45', 47, '姓名'],
      ]);
      expect(r.duplicates).toHaveLength(1);
      expect(r.duplicates[0]).toMatchObject({ serialNo: '81', row: 83, ofSerialNo: '13', ofRow: 15 });

      const commit = (await upload(coordinator, '/api/elders/import?dryRun=false', file)).json();
      expect(commit).toMatchObject({ valid: 117, created: 117 });
      const again = (await upload(coordinator, '/api/elders/import?dryRun=true', file)).json();
      expect(again).toMatchObject({ created: 0, updated: 117 });
    },
  );
});

describe('GET /api/elders/export', () => {
  it('exports the filtered list masked for a role without clear access', async () => {
    const d = await makeUser(t.database, 'dispatcher', [tree.streetA.id]);
    const dispatcher = await signIn(t.app, d.username, d.password);
    const res = await dispatcher.get(`/api/elders/export?orgId=${tree.communityA1.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain(XLSX);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="[^"]+\.xlsx"; filename\*=UTF-8''/,
    );
    const ws = (await readXlsx(res.rawPayload)).worksheets[0]!;
    expect(ws.getRow(1).getCell(3).value).toBe('身份证号');
    const idCells = [];
    for (let n = 2; n <= ws.rowCount; n++) idCells.push(String(ws.getRow(n).getCell(3).value));
    expect(idCells.length).toBeGreaterThanOrEqual(6);
    for (const v of idCells) expect(v).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    expect(String(ws.getRow(2).getCell(6).value)).toMatch(/\*{4}/);
    expect((await dispatcher.get('/api/elders/export?clear=true&reason=核对名单')).statusCode).toBe(403);
  });

  it('gives clear values to a coordinator who asks with a reason', async () => {
    expect((await coordinator.get('/api/elders/export?clear=true')).statusCode).toBe(400);
    const res = await coordinator.get(
      `/api/elders/export?orgId=${tree.communityA1.id}&clear=true&reason=${encodeURIComponent('核对名单')}`,
    );
    expect(res.statusCode).toBe(200);
    const ws = (await readXlsx(res.rawPayload)).worksheets[0]!;
    const values = [];
    for (let n = 2; n <= ws.rowCount; n++) values.push(String(ws.getRow(n).getCell(3).value));
    expect(values).toContain(ids.zhang);
  });

  it('exports the ledger form: title row, numbered rows, footer', async () => {
    const res = await coordinator.get(`/api/elders/export?form=ledger&orgId=${tree.communityA1.id}`);
    expect(res.statusCode).toBe(200);
    // titled for what it holds: the community's elders, not only its special-difficulty ones
    const fileName = (r: typeof res) =>
      decodeURIComponent(String(r.headers['content-disposition']).split("UTF-8''")[1]!);
    expect(fileName(res)).toBe('甲一社区老年人信息台账_2026-11-22.xlsx');
    const ws = (await readXlsx(res.rawPayload)).worksheets[0]!;
    expect(ws.getRow(1).getCell(1).value).toBe('甲一社区老年人信息台账');
    const special = await coordinator.post('/api/elders', {
      name: '独居台账',
      phones: ['13812340000'],
      idNumber: makeIdNumber('330102', '1938-03-03', 91),
      orgId: tree.communityA1.id,
      livingSituation: '独居',
      difficultyGroups: ['独居'],
    });
    expect(special.statusCode, special.body).toBe(201);
    const alone = await coordinator.get(
      `/api/elders/export?form=ledger&orgId=${tree.communityA1.id}&difficultyGroup=${encodeURIComponent('独居')}`,
    );
    expect(alone.statusCode).toBe(200);
    expect(fileName(alone)).toBe('甲一社区特殊困难老年人信息台账_2026-11-22.xlsx');
    expect(ws.getRow(3).getCell(1).value).toBe('序号');
    expect(ws.getRow(3).getCell(5).value).toBe('身份证号');
    const numbers: unknown[] = [];
    let n = 4;
    while (typeof ws.getRow(n).getCell(1).value === 'number') numbers.push(ws.getRow(n++).getCell(1).value);
    expect(numbers.length).toBeGreaterThanOrEqual(6);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    expect(String(ws.getRow(4).getCell(5).value)).toMatch(/\*{8}/);
    const footer = ws.getRow(n + 1).values as unknown[];
    expect(footer.join(' ')).toContain('填表人');
    expect(footer.join(' ')).toContain('填表日期：2026年11月22日');
  });

  it('lists the import and export routes in the OpenAPI document', async () => {
    const doc = (await coordinator.get('/api/openapi.json')).json();
    for (const p of [
      '/api/elders/import',
      '/api/elders/import/errors',
      '/api/elders/import/template',
      '/api/elders/export',
    ]) {
      expect(doc.paths[p], p).toBeDefined();
    }
  });
});

describe('import scope', () => {
  it('does not let another street import, and so move, an elder registered elsewhere', async () => {
    // an elder of street A, registered by street A's coordinator
    const idNumber = makeIdNumber('610113', '1931-01-15', 81);
    const created = await coordinator.post('/api/elders', {
      name: '甲街道老人',
      idNumber,
      gender: 'M',
      orgId: tree.communityA1.id,
    });
    expect(created.statusCode).toBe(201);
    const b = await makeUser(t.database, 'coordinator', [tree.streetB.id]);
    const coordB = await signIn(t.app, b.username, b.password);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('花名册');
    ws.addRow(['姓名', '身份证号', '社区']);
    ws.addRow(['甲街道老人', idNumber, '乙一社区']);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    for (const dryRun of ['true', 'false']) {
      const res = await upload(coordB, `/api/elders/import?dryRun=${dryRun}`, file);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ valid: 0, created: 0, updated: 0 });
      expect(res.json().invalid[0]).toMatchObject({ row: 2, field: '身份证号' });
      expect(res.json().invalid[0].message).toMatch(/管辖范围之外/);
    }
    const [row] = await t.database.query<{ org_path: string }>(
      `SELECT org_path FROM elders WHERE id_number = $1`,
      [idNumber],
    );
    expect(row.org_path).toBe(tree.communityA1.path);
  });
});
