import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  createTestApp,
  makeTree,
  makeUser,
  signIn,
  type TestApp,
} from '../../../../../test/helpers.ts';
import { inlineCell, workbook } from '../../../../../test/xlsx-fixtures.ts';
import { makeIdNumber } from '../../../../shared/id-number.ts';

// Issue 16.12: what a person typed into a roster never runs as a formula in the ledgers we hand
// out, and a truncated or empty workbook is refused, not "imported, 0 rows".

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let t: TestApp;
let coordinator: Client;

beforeAll(async () => {
  t = await createTestApp();
  const tree = await makeTree(t.database);
  const c = await makeUser(t.database, 'coordinator', [tree.streetA.id]);
  coordinator = await signIn(t.app, c.username, c.password);
});
afterAll(() => t.close());

function upload(url: string, file: Buffer) {
  const boundary = '----carecircle-safety';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="r.xlsx"\r\nContent-Type: ${XLSX}\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return coordinator.request({
    method: 'POST',
    url,
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

async function cells(body: Buffer): Promise<unknown[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as never);
  const out: unknown[] = [];
  wb.worksheets[0]!.eachRow((r) => {
    r.eachCell((c) => {
      out.push(c.value);
    });
  });
  return out;
}

const hostile = {
  name: '=HYPERLINK("http://evil.example","点我")',
  address: '@SUM(1+1)*cmd|" /C calc"!A0',
  contactName: '-2+3',
  tag: '+1',
  relation: '\t=1',
};

function roster(header: string[], rows: string[][]): Buffer {
  const cols = 'ABCDEFGHIJ';
  const line = (values: string[], r: number) =>
    `<row r="${r}">${values.map((v, i) => (v ? inlineCell(`${cols[i]}${r}`, v) : '')).join('')}</row>`;
  return workbook([line(header, 1), ...rows.map((v, i) => line(v, i + 2))].join(''));
}

describe('formula-safe exports', () => {
  it('prefixes with an apostrophe every exported text cell that starts with = + - @ or a tab', async () => {
    const header = [
      '姓名',
      '身份证号',
      '社区',
      '家庭住址',
      '紧急联系人',
      '与本人关系',
      '紧急联系电话',
      '标签',
    ];
    const file = roster(header, [
      [
        hostile.name,
        makeIdNumber('610113', '1935-05-12', 31),
        '甲一社区',
        hostile.address,
        hostile.contactName,
        hostile.relation,
        '13800000000',
        hostile.tag,
      ],
      ['=1+1', '610113193701010080', '甲一社区', '', '', '', '', ''], // a bad ID: lands in the error report
    ]);
    const imported = await upload('/api/elders/import?dryRun=false', file);
    expect(imported.statusCode).toBe(200);
    expect(imported.json().created).toBe(1);

    for (const form of ['list', 'ledger']) {
      const res = await coordinator.get(
        `/api/elders/export?form=${form}&title=${encodeURIComponent('=台账')}`,
      );
      expect(res.statusCode).toBe(200);
      const values = await cells(res.rawPayload);
      const texts = values.filter((v): v is string => typeof v === 'string');
      expect(texts).toContain(`'${hostile.name}`);
      expect(texts).toContain(`'${hostile.address}`);
      expect(texts).toContain(`'${hostile.contactName}`);
      expect(texts.some((v) => /^[=+\-@\t\r]/.test(v))).toBe(false);
      if (form === 'ledger') expect(texts).toContain("'=台账");
    }
    const report = await upload('/api/elders/import/errors', file);
    expect(report.statusCode).toBe(200);
    const reported = (await cells(report.rawPayload)).filter((v): v is string => typeof v === 'string');
    expect(reported).toContain("'=1+1");
    expect(reported.some((v) => /^[=+\-@\t\r]/.test(v))).toBe(false);
  });
});

describe('truncated and empty workbooks', () => {
  const header = ['姓名', '身份证号', '社区'];
  const full = roster(header, [['张三', makeIdNumber('610113', '1936-02-03', 72), '甲一社区']]);

  it('refuses a file cut short, saying it is incomplete', async () => {
    for (const cut of [0.5, 0.9]) {
      const res = await upload(
        '/api/elders/import?dryRun=true',
        full.subarray(0, Math.floor(full.length * cut)),
      );
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details[0]).toMatchObject({
        field: 'file',
        message: '文件不完整（可能在下载或复制时被截断），请重新保存后上传',
      });
    }
  });

  it('refuses a sheet with a header and no data rows, and a workbook without a sheet', async () => {
    const empty = await upload('/api/elders/import?dryRun=true', roster(header, []));
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.details[0]).toMatchObject({
      field: 'file',
      message: '表头（第1行）下没有数据行：请检查是否选错了文件或工作表',
    });
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('空表');
    const blank = await upload('/api/elders/import?dryRun=true', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.details[0].field).toBe('file');
  });
});
