import { setImmediate as nextTurn } from 'node:timers/promises';
import { type XmlHandler, XmlTokenizer } from './xml-tokens.ts';
import { entryChunks, type ZipEntry, ZipError, zipEntries } from './zip-entries.ts';

// The first worksheet of an .xlsx, row by row, within bounds: entries, inflated bytes per part,
// rows, columns, characters per cell and wall time. We read the parts ourselves instead of with
// ExcelJS's streaming reader because that reader can be bounded in none of these (it concatenates a
// shared string of any length, inflates any entry fully, spools worksheets to temp files) and it
// decodes each chunk of UTF-8 on its own, which split Chinese characters at chunk boundaries
// (issue 16.3). Decision 0014.

export interface XlsxLimits {
  maxEntries: number;
  /** inflated bytes of workbook.xml, its rels and styles.xml */
  maxPartBytes: number;
  maxSharedStringsBytes: number;
  maxSheetBytes: number;
  /** `<row>` elements in the sheet, empty ones included */
  maxRows: number;
  maxColumns: number;
  maxCellChars: number;
  maxMillis: number;
}

export const xlsxLimits: XlsxLimits = {
  maxEntries: 2000,
  maxPartBytes: 16 * 1024 * 1024,
  maxSharedStringsBytes: 100 * 1024 * 1024,
  maxSheetBytes: 300 * 1024 * 1024,
  maxRows: 100_000,
  maxColumns: 200,
  maxCellChars: 4000,
  maxMillis: 60_000,
};

/** A bound the file crossed, or a file we cannot read; the message names the limit in Chinese. */
export class XlsxError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
  }
}

export interface XlsxRow {
  rowNumber: number;
  /** indexed by column number (1-based), like ExcelJS's row.values */
  values: unknown[];
}

const n = (x: number) => x.toLocaleString('en-US');

function tooLarge(what: string, bytes: number): () => XlsxError {
  const mb = Math.round(bytes / 1024 / 1024);
  return () =>
    new XlsxError(
      `文件中的${what}解压后超过 ${mb} MB，请拆分后分批导入`,
      `${what} exceeds ${mb} MB uncompressed`,
    );
}

const cellTooLong = (limits: XlsxLimits) =>
  new XlsxError(
    `文件中有单元格超过 ${n(limits.maxCellChars)} 字，请检查后重新上传`,
    `A cell holds more than ${n(limits.maxCellChars)} characters`,
  );

/** Runs one part through the tokenizer, yielding to the event loop after every chunk. */
async function* parsePart(
  file: Buffer,
  entry: ZipEntry,
  maxBytes: number,
  what: string,
  handler: XmlHandler,
  deadline: number,
  limits: XlsxLimits,
): AsyncGenerator<void> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const tokens = new XmlTokenizer(handler);
  for await (const chunk of entryChunks(file, entry, maxBytes, tooLarge(what, maxBytes))) {
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true }); // stream: a character may span two chunks
    } catch {
      throw new XlsxError('文件内容不是有效的 UTF-8 编码，请用 Excel 另存为 .xlsx 后重试', 'Not valid UTF-8');
    }
    tokens.write(text);
    yield;
    await nextTurn(); // let /api/health, SOS and other requests run between chunks
    if (Date.now() >= deadline) {
      throw new XlsxError(
        `文件处理超过 ${limits.maxMillis / 1000} 秒，请拆分后分批导入`,
        `Reading took longer than ${limits.maxMillis / 1000} s`,
      );
    }
  }
  tokens.write(decoder.decode());
  tokens.end();
}

async function drain(parts: AsyncGenerator<void>): Promise<void> {
  for await (const _ of parts);
}

/** Builtin number formats that show dates (ECMA-376 18.8.30 and the CJK locales' 27–36, 50–58). */
const builtinDates = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47,
]);
for (let i = 50; i <= 58; i++) builtinDates.add(i);

function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\\./g, '');
  return /[ymdhs]/i.test(bare) && !/^general$/i.test(bare.trim());
}

interface Workbook {
  sheetPath: string | null;
  date1904: boolean;
  /** the worksheets in workbook order, with their relationship ids */
  sheets: { name: string; rid: string }[];
}

async function readWorkbook(
  file: Buffer,
  entries: Map<string, ZipEntry>,
  deadline: number,
  limits: XlsxLimits,
  sheetIndex = 0,
) {
  const wb: Workbook = { sheetPath: null, date1904: false, sheets: [] };
  let firstSheetId: string | null = null;
  const book = entries.get('xl/workbook.xml');
  if (book) {
    await drain(
      parsePart(
        file,
        book,
        limits.maxPartBytes,
        '工作簿',
        {
          open(name, a) {
            if (name === 'workbookPr' && (a.date1904 === '1' || a.date1904 === 'true')) wb.date1904 = true;
            if (name === 'sheet') wb.sheets.push({ name: a.name ?? '', rid: a.id ?? '' });
          },
          close() {},
          text() {},
        },
        deadline,
        limits,
      ),
    );
  }
  firstSheetId = wb.sheets[sheetIndex]?.rid || null;
  const rels = entries.get('xl/_rels/workbook.xml.rels');
  if (rels && firstSheetId) {
    await drain(
      parsePart(
        file,
        rels,
        limits.maxPartBytes,
        '工作簿关系',
        {
          open(name, a) {
            if (name === 'Relationship' && a.Id === firstSheetId && a.Target) {
              const t = a.Target.replace(/\\/g, '/');
              wb.sheetPath = t.startsWith('/') ? t.slice(1) : `xl/${t}`.replace(/[^/]+\/\.\.\//g, '');
            }
          },
          close() {},
          text() {},
        },
        deadline,
        limits,
      ),
    );
  }
  if ((!wb.sheetPath || !entries.has(wb.sheetPath)) && sheetIndex === 0) {
    wb.sheetPath = entries.has('xl/worksheets/sheet1.xml')
      ? 'xl/worksheets/sheet1.xml'
      : ([...entries.keys()].filter((k) => /^xl\/worksheets\/[^/]+\.xml$/.test(k)).sort()[0] ?? null);
  }
  return wb;
}

/** Which cell styles (by index) show numbers as dates. */
async function readDateStyles(
  file: Buffer,
  entry: ZipEntry | undefined,
  deadline: number,
  limits: XlsxLimits,
) {
  const formats = new Map<number, string>();
  const xfs: number[] = [];
  if (entry) {
    let inCellXfs = false;
    await drain(
      parsePart(
        file,
        entry,
        limits.maxPartBytes,
        '样式表',
        {
          open(name, a, selfClosing) {
            if (name === 'numFmt') formats.set(Number(a.numFmtId), a.formatCode ?? '');
            else if (name === 'cellXfs' && !selfClosing) inCellXfs = true;
            else if (name === 'xf' && inCellXfs) xfs.push(Number(a.numFmtId ?? 0));
          },
          close(name) {
            if (name === 'cellXfs') inCellXfs = false;
          },
          text() {},
        },
        deadline,
        limits,
      ),
    );
  }
  return xfs.map((id) => {
    const custom = formats.get(id);
    return custom !== undefined ? isDateFormat(custom) : builtinDates.has(id);
  });
}

async function readSharedStrings(
  file: Buffer,
  entry: ZipEntry | undefined,
  deadline: number,
  limits: XlsxLimits,
) {
  const strings: string[] = [];
  if (!entry) return strings;
  let current: string | null = null;
  let inText = false;
  let phonetic = 0; // <rPh> runs hold pinyin/kana readings, not the cell's text
  await drain(
    parsePart(
      file,
      entry,
      limits.maxSharedStringsBytes,
      '共享字符串',
      {
        open(name, _a, selfClosing) {
          if (name === 'si') current = selfClosing ? null : '';
          if (name === 'si' && selfClosing) strings.push('');
          else if (name === 'rPh' && !selfClosing) phonetic++;
          else if (name === 't' && !selfClosing && phonetic === 0) inText = true;
        },
        close(name) {
          if (name === 't') inText = false;
          else if (name === 'rPh') phonetic--;
          else if (name === 'si' && current !== null) {
            strings.push(current);
            current = null;
          }
        },
        text(t) {
          if (!inText || current === null) return;
          current += t;
          if (current.length > limits.maxCellChars) throw cellTooLong(limits);
        },
      },
      deadline,
      limits,
    ),
  );
  return strings;
}

function columnOf(ref: string | undefined): number | null {
  if (!ref) return null;
  let col = 0;
  for (const c of ref) {
    const code = c.charCodeAt(0);
    if (code < 65 || code > 90) break;
    col = col * 26 + (code - 64);
  }
  return col || null;
}

/** The names of the worksheets, in workbook order (a catalogue workbook holds items and providers). */
export async function sheetNames(file: Buffer, limits: XlsxLimits = xlsxLimits): Promise<string[]> {
  const entries = zipEntries(file, limits.maxEntries);
  const wb = await readWorkbook(file, entries, Date.now() + limits.maxMillis, limits);
  return wb.sheets.map((s) => s.name);
}

/** The rows of the first worksheet, in batches (one per inflated chunk). */
export function readFirstSheet(file: Buffer, limits: XlsxLimits = xlsxLimits): AsyncGenerator<XlsxRow[]> {
  return readSheetAt(file, 0, limits);
}

/** The rows of the worksheet at `sheetIndex` (0-based, workbook order), within the same bounds. */
export async function* readSheetAt(
  file: Buffer,
  sheetIndex: number,
  limits: XlsxLimits = xlsxLimits,
): AsyncGenerator<XlsxRow[]> {
  const deadline = Date.now() + limits.maxMillis;
  const entries = zipEntries(file, limits.maxEntries);
  const wb = await readWorkbook(file, entries, deadline, limits, sheetIndex);
  if (!wb.sheetPath) throw new XlsxError('工作簿中没有工作表', 'The workbook has no worksheet');
  const dateStyles = await readDateStyles(file, entries.get('xl/styles.xml'), deadline, limits);
  const shared = await readSharedStrings(file, entries.get('xl/sharedStrings.xml'), deadline, limits);
  const epoch = wb.date1904 ? 24107 : 25569; // serial day of 1970-01-01

  let batch: XlsxRow[] = [];
  let rows = 0;
  let row: XlsxRow | null = null;
  let lastRow = 0;
  let col = 0;
  let type = '';
  let style = 0;
  let text: string | null = null;
  let collecting = false;
  let phonetic = 0;
  const finishCell = () => {
    if (text === null || !row) return;
    if (col > limits.maxColumns) {
      throw new XlsxError(
        `表格超过 ${limits.maxColumns} 列，请删除多余的列后重试`,
        `More than ${limits.maxColumns} columns`,
      );
    }
    let v: unknown;
    if (type === 's') v = shared[Number(text)] ?? null;
    else if (type === 'inlineStr' || type === 'str') v = text;
    else if (type === 'b') v = text === '1' || text === 'true';
    else if (type === 'e') v = { error: text };
    else if (type === 'd') v = new Date(text);
    else {
      const num = Number(text);
      if (text.trim() === '' || !Number.isFinite(num)) v = text;
      else if (dateStyles[style]) v = new Date(Math.round((num - epoch) * 86400000));
      else v = num;
    }
    if (v !== '') row.values[col] = v;
  };
  const handler: XmlHandler = {
    open(name, a, selfClosing) {
      if (name === 'row') {
        if (++rows > limits.maxRows) {
          throw new XlsxError(
            `表格超过 ${n(limits.maxRows)} 行，请拆分后分批导入`,
            `More than ${n(limits.maxRows)} rows`,
          );
        }
        const r = Number(a.r);
        lastRow = Number.isInteger(r) && r > 0 ? r : lastRow + 1;
        row = { rowNumber: lastRow, values: [] };
        col = 0;
        if (selfClosing) row = null;
      } else if (name === 'c' && row) {
        col = columnOf(a.r) ?? col + 1;
        type = a.t ?? 'n';
        style = Number(a.s ?? 0);
        text = null;
        if (selfClosing) return;
      } else if ((name === 'v' || name === 't') && row && !selfClosing && phonetic === 0) {
        collecting = true;
        text ??= '';
      } else if (name === 'rPh') phonetic++;
    },
    close(name) {
      if (name === 'v' || name === 't') collecting = false;
      else if (name === 'rPh') phonetic--;
      else if (name === 'c') finishCell();
      else if (name === 'row' && row) {
        if (row.values.length > 0) batch.push(row);
        row = null;
      }
    },
    text(t) {
      if (!collecting) return;
      text = (text ?? '') + t;
      if (text.length > limits.maxCellChars) throw cellTooLong(limits);
    },
  };
  const sheet = entries.get(wb.sheetPath)!;
  for await (const _ of parsePart(file, sheet, limits.maxSheetBytes, '工作表', handler, deadline, limits)) {
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

export { ZipError };
