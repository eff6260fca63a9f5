import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readRoster, type SheetRow } from './sheet-reader.ts';
import { cellText } from './values.ts';
import { xlsxLimits } from './xlsx-reader.ts';

// Rosters of long Chinese text: every multi-byte character must survive whatever chunking the
// unzip and XML layers choose (issue 16.3: U+FFFD in names and addresses of a 20,000-row roster).

const cjk = '甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥湖滨社区幸福路𠀀𠀁龘';

/** deterministic long CJK text; includes 4-byte characters (surrogate pairs) */
function text(seed: number, length: number): string {
  const chars = [...cjk];
  let s = '';
  let x = seed * 7919 + 13;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    s += chars[x % chars.length];
  }
  return s;
}

function rosterRow(i: number): string[] {
  return [String(i + 1), text(i, 30), `1101051949123100${i % 10}`, text(i + 1e6, 12), text(i + 2e6, 180)];
}

async function writeRoster(rows: number, sharedStrings: boolean): Promise<Buffer> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve) => stream.on('end', resolve));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: sharedStrings });
  const ws = wb.addWorksheet('花名册');
  ws.addRow(['序号', '姓名', '身份证号', '社区', '家庭住址']).commit();
  for (let i = 0; i < rows; i++) ws.addRow(rosterRow(i)).commit();
  ws.commit();
  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}

async function readAll(file: Buffer): Promise<SheetRow[]> {
  const rows: SheetRow[] = [];
  await readRoster(
    file,
    undefined,
    () => {},
    (r) => rows.push(r),
  );
  return rows;
}

describe('readRoster on long CJK text', () => {
  for (const shared of [true, false]) {
    it(`round-trips every cell of a 6,000-row roster (${shared ? 'shared strings' : 'inline strings'})`, async () => {
      const n = 6000;
      const rows = await readAll(await writeRoster(n, shared));
      expect(rows).toHaveLength(n);
      let bad = 0;
      rows.forEach((r, i) => {
        const want = rosterRow(i);
        const got = [1, 2, 3, 4, 5].map((c) => cellText(r.values[c]));
        if (JSON.stringify(got) !== JSON.stringify(want)) bad++;
      });
      expect(bad).toBe(0);
      expect(rows.some((r) => r.values.some((v) => String(v).includes('\ufffd')))).toBe(false);
    }, 120_000);
  }
});

describe('readRoster bounds', () => {
  it('gives up when reading takes longer than its time limit, saying so', async () => {
    const file = await writeRoster(50, true);
    const read = readRoster(
      file,
      undefined,
      () => {},
      () => {},
      { ...xlsxLimits, maxMillis: 0 },
    );
    await expect(read).rejects.toMatchObject({ text: { zh: '文件处理超过 0 秒，请拆分后分批导入' } });
  });
});
