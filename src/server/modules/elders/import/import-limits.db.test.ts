import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  createTestApp,
  makeTree,
  makeUser,
  signIn,
  type TestApp,
} from '../../../../../test/helpers.ts';
import {
  headerRow,
  inlineCell,
  part,
  repeatedPart,
  workbook,
  zip,
} from '../../../../../test/xlsx-fixtures.ts';

// Issue 16.2: hostile spreadsheets are refused within bounds, with a Chinese message naming the
// bound, without echoing the cell, while the server keeps answering; uploads are read only after
// authentication.

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

function body(file: Buffer) {
  const boundary = '----carecircle-limits';
  return {
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="r.xlsx"\r\nContent-Type: ${XLSX}\r\n\r\n`,
      ),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const dryRun = (file: Buffer) =>
  coordinator.request({ method: 'POST', url: '/api/elders/import?dryRun=true', ...body(file) });

function refusal(res: { statusCode: number; body: string; json(): unknown }) {
  expect(res.statusCode).toBe(400);
  expect(res.body.length).toBeLessThan(4000); // never the hostile cell echoed back
  const e = (res.json() as { error: { message: string; details: { field: string; message: string }[] } })
    .error;
  expect(e.details[0]!.field).toBe('file');
  return e.details[0]!.message;
}

describe('hostile spreadsheets', () => {
  it('refuses a shared-strings part holding one 400 MB cell, by its size, at once', async () => {
    const bomb = await repeatedPart(
      'xl/sharedStrings.xml',
      '<sst><si><t>',
      Buffer.alloc(1024 * 1024, 'A'),
      400,
      '</t></si></sst>',
    );
    const file = workbook(`${headerRow}<row r="2"><c r="A2" t="s"><v>0</v></c></row>`, [bomb]);
    expect(file.length).toBeLessThan(1024 * 1024);
    const started = Date.now();
    expect(refusal(await dryRun(file))).toContain('共享字符串解压后超过 100 MB');
    expect(Date.now() - started).toBeLessThan(5000);
    // the same part with a directory that lies about its size is stopped as it inflates
    const liar = zip([...[bomb].map((p) => ({ ...p, size: 2000 }))]);
    expect(liar.length).toBeGreaterThan(0);
    const lying = workbook(`${headerRow}<row r="2"><c r="A2" t="s"><v>0</v></c></row>`, [
      { ...bomb, size: 2000 },
    ]);
    expect(refusal(await dryRun(lying))).toContain('文件内容已损坏');
  }, 60_000);

  it('refuses a cell over 4,000 characters without echoing it, in a header or a row', async () => {
    const long = '长'.repeat(10_000);
    const inHeader = workbook(
      `<row r="1">${inlineCell('A1', '姓名')}${inlineCell('B1', '身份证号')}${inlineCell('C1', long)}</row>`,
    );
    expect(refusal(await dryRun(inHeader))).toBe('文件中有单元格超过 4,000 字，请检查后重新上传');
    const shared = part('xl/sharedStrings.xml', `<sst><si><t>${long}</t></si></sst>`);
    const inRow = workbook(`${headerRow}<row r="2"><c r="A2" t="s"><v>0</v></c></row>`, [shared]);
    expect(refusal(await dryRun(inRow))).toContain('4,000 字');
  });

  it('echoes a long (allowed) cell only clipped: headers and messages', async () => {
    const name = '湖'.repeat(3000);
    const file = workbook(
      `<row r="1">${inlineCell('A1', '姓名')}${inlineCell('B1', '身份证号')}${inlineCell('C1', '社区')}${inlineCell('D1', name)}</row>` +
        `<row r="2">${inlineCell('A2', '张三')}${inlineCell('B2', '11010519491231002X')}${inlineCell('C2', name)}</row>`,
    );
    const res = await dryRun(file);
    expect(res.statusCode).toBe(200);
    expect(res.body.length).toBeLessThan(3000);
    const r = res.json();
    expect(r.mapping.find((m: { column: string }) => m.column === 'D').header).toBe(`${'湖'.repeat(50)}…`);
    expect(r.invalid[0].message).toContain(`“${'湖'.repeat(30)}…”`);
  });

  it('refuses more than 100,000 rows while /api/health keeps answering', async () => {
    const rows: string[] = [headerRow];
    for (let i = 2; i <= 150_002; i++) rows.push(`<row r="${i}">${inlineCell(`A${i}`, '张三')}</row>`);
    const file = workbook(rows.join(''));
    let finished = false;
    const importing = dryRun(file).finally(() => {
      finished = true;
    });
    const latencies: number[] = [];
    let answeredDuringImport = 0;
    while (!finished) {
      const started = Date.now();
      const health = await t.app.inject({ method: 'GET', url: '/api/health' });
      expect(health.statusCode).toBe(200);
      latencies.push(Date.now() - started);
      if (!finished) answeredDuringImport++;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(refusal(await importing)).toBe('表格超过 100,000 行，请拆分后分批导入');
    expect(answeredDuringImport).toBeGreaterThan(0);
    expect(Math.max(...latencies)).toBeLessThan(2000);
  }, 120_000);

  it('reads at most two imports at once: a third is told to retry', async () => {
    const rows: string[] = [headerRow];
    for (let i = 2; i <= 60_000; i++) rows.push(`<row r="${i}">${inlineCell(`A${i}`, '张三')}</row>`);
    const file = workbook(rows.join(''));
    const first = dryRun(file);
    const second = dryRun(file);
    await new Promise((r) => setTimeout(r, 50));
    const third = await dryRun(file);
    expect(third.statusCode).toBe(429);
    expect(third.json().error.message).toBe('同时进行的导入已达 2 个，请稍后重试');
    expect((await first).statusCode).toBe(200);
    expect((await second).statusCode).toBe(200);
    expect((await dryRun(file)).statusCode).toBe(200);
  }, 120_000);

  it('refuses more than 200 columns', async () => {
    const file = workbook(
      `${headerRow}<row r="2">${inlineCell('A2', '张三')}${inlineCell('GS2', 'x')}</row>`,
    );
    expect(refusal(await dryRun(file))).toBe('表格超过 200 列，请删除多余的列后重试');
  });

  it('reads an anonymous upload not at all: 401 before the body is consumed', async () => {
    let sent = 0;
    const chunk = Buffer.alloc(64 * 1024, 'A');
    const head = Buffer.from(
      `------b\r\nContent-Disposition: form-data; name="file"; filename="r.xlsx"\r\nContent-Type: ${XLSX}\r\n\r\n`,
    );
    const stream = new Readable({
      read() {
        if (sent === 0) this.push(head);
        sent += chunk.length;
        this.push(sent > 45 * 1024 * 1024 ? null : chunk);
      },
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/elders/import?dryRun=true',
      headers: { 'content-type': 'multipart/form-data; boundary=----b' },
      payload: stream,
    });
    expect(res.statusCode).toBe(401);
    expect(sent).toBeLessThan(8 * 1024 * 1024);
  }, 60_000);
});
