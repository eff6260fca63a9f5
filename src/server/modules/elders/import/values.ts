import { elderCategories, livingSituations } from '../../../../shared/elders.ts';
import { normalizePhone } from '../../../../shared/phone.ts';

// Cell values as offices type them: dates in half a dozen notations, phones with spaces, dashes,
// +86 or area codes, categories and living situations in their everyday words.

/** A cell as ExcelJS gives it: string, number, Date, rich text, formula result, hyperlink… */
export type CellValue = unknown;

/** The text of a cell, rich text and formula results flattened; null when empty. */
export function cellText(v: CellValue): string | null {
  if (v == null) return null;
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (v instanceof Date) return isoDate(v);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) {
      return cellText((o.richText as { text?: string }[]).map((r) => r.text ?? '').join(''));
    }
    if ('result' in o) return cellText(o.result);
    if ('text' in o) return cellText(o.text);
    if ('error' in o) return null;
  }
  return cellText(String(v));
}

/** Cell text as echoed in a message or header: at most `max` characters, then … (never a whole hostile cell). */
export function clip(s: string, max = 30): string {
  const chars = Array.from(s);
  return chars.length <= max ? s : `${chars.slice(0, max).join('')}…`;
}

/** The raw value with rich text / formulas unwrapped (keeps numbers and Dates as they are). */
export function cellRaw(v: CellValue): string | number | Date | null {
  if (v == null) return null;
  if (typeof v === 'number' || v instanceof Date) return v;
  if (typeof v === 'object' && v && 'result' in (v as object))
    return cellRaw((v as { result: unknown }).result);
  return cellText(v);
}

function isoDate(d: Date): string {
  // ExcelJS gives date cells as UTC midnight of the calendar date
  return d.toISOString().slice(0, 10);
}

function fullWidthToHalf(s: string): string {
  return s
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}

function ymd(y: number, m: number, d: number): string | null {
  if (y < 1850 || y > 2100 || m < 1 || m > 12 || d < 1) return null;
  if (d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export interface ParsedDate {
  /** YYYY-MM-DD, or YYYY-MM when the cell holds a month only (出生年月) */
  value: string;
  precision: 'day' | 'month';
}

/** Excel serial day numbers (1900 date system; serial 60 is the fictitious 1900-02-29). */
export function excelSerialToDate(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 61 || serial > 2958465) return null;
  const ms = Math.round((serial - 25569) * 86400000);
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * 1935-05-12, 1935/5/12, 1935.5.12, 1935年5月12日, 19350512, Date cells and Excel serial numbers;
 * 1935-05, 1935.5, 1935年5月 (month only). Null when the value is not a date.
 */
export function parseDateValue(v: CellValue): ParsedDate | null {
  const raw = cellRaw(v);
  if (raw == null) return null;
  if (raw instanceof Date) {
    return Number.isNaN(raw.getTime()) ? null : { value: isoDate(raw), precision: 'day' };
  }
  if (typeof raw === 'number') {
    if (Number.isInteger(raw) && raw >= 18500101 && raw <= 21001231) return parseDateValue(String(raw));
    const d = excelSerialToDate(Math.floor(raw));
    return d ? { value: d, precision: 'day' } : null;
  }
  const s = fullWidthToHalf(raw).replace(/\s+/g, '');
  let m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) {
    const d = ymd(Number(m[1]), Number(m[2]), Number(m[3]));
    return d ? { value: d, precision: 'day' } : null;
  }
  m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s);
  if (m) {
    const d = ymd(Number(m[1]), Number(m[2]), Number(m[3]));
    return d ? { value: d, precision: 'day' } : null;
  }
  m = /^(\d{4})[-/.年](\d{1,2})月?$/.exec(s) ?? /^(\d{4})(\d{2})$/.exec(s);
  if (m) {
    const d = ymd(Number(m[1]), Number(m[2]), 1);
    return d ? { value: d.slice(0, 7), precision: 'month' } : null;
  }
  if (/^\d{1,6}(\.\d+)?$/.test(s)) {
    // a serial number that arrived as text
    const d = excelSerialToDate(Math.floor(Number(s)));
    return d ? { value: d, precision: 'day' } : null;
  }
  return null;
}

/** One phone number in canonical form (the shared rule, src/shared/phone.ts); null when it is none. */
export { normalizePhone };

/** Several numbers in one cell, separated by 、 , ; / or line breaks. */
export function parsePhones(v: CellValue): { phones: string[]; bad: string[] } {
  const text = cellText(v);
  if (!text) return { phones: [], bad: [] };
  const phones: string[] = [];
  const bad: string[] = [];
  for (const part of fullWidthToHalf(text).split(/[,，、;；/\n]+|\s{2,}/)) {
    if (part.trim() === '') continue;
    let found = [normalizePhone(part)];
    // two numbers separated by a single space: `13812345678 13987654321`
    if (!found[0]) found = part.trim().split(/\s+/).map(normalizePhone);
    if (found.every((p) => p !== null)) {
      for (const p of found) if (!phones.includes(p!)) phones.push(p!);
    } else bad.push(part.trim());
  }
  return { phones, bad };
}

export function parseGender(v: CellValue): 'M' | 'F' | null | 'bad' {
  const t = cellText(v);
  if (!t) return null;
  const s = t.replace(/\s/g, '').toUpperCase();
  if (['男', '男性', 'M', 'MALE', '1'].includes(s)) return 'M';
  if (['女', '女性', 'F', 'FEMALE', '2'].includes(s)) return 'F';
  return 'bad';
}

const categorySynonyms: Record<string, string> = {
  离休: '离休干部',
  离休人员: '离休干部',
  退休: '退休干部',
  退休人员: '退休干部',
  军休: '军休干部',
  军队离退休干部: '军休干部',
  军队无军籍职工: '无军籍职工',
  无军籍退休职工: '无军籍职工',
  遗孀: '遗属',
  离休干部遗属: '遗属',
  退休教师: '退休教职工',
  退休职工: '退休教职工',
  退休教工: '退休教职工',
  社区居民: '社区老人',
  居民: '社区老人',
};

/** 类别: one or several of the registry's categories, in their words (离休 → 离休干部). */
export function parseCategories(v: CellValue): { values: string[]; bad: string[] } {
  const text = cellText(v);
  if (!text) return { values: [], bad: [] };
  const values: string[] = [];
  const bad: string[] = [];
  for (const part of fullWidthToHalf(text).split(/[,，、;；/\s]+/)) {
    if (part === '') continue;
    const c = (elderCategories as readonly string[]).includes(part) ? part : categorySynonyms[part];
    if (c) {
      if (!values.includes(c)) values.push(c);
    } else bad.push(part);
  }
  return { values, bad };
}

const livingSynonyms: Record<string, string> = {
  独居老人: '独居',
  一人居住: '独居',
  空巢老人: '空巢',
  纯老: '纯老家庭',
  纯老年家庭: '纯老家庭',
  老两口: '纯老家庭',
  孤寡: '孤老',
  孤寡老人: '孤老',
  留守老人: '留守',
  与子女同居: '与子女同住',
  和子女同住: '与子女同住',
  子女同住: '与子女同住',
  与子女居住: '与子女同住',
  养老机构: '机构',
  入住机构: '机构',
  养老院: '机构',
};

/** 居住情况 in the registry's words; `bad` when it is none of them. */
export function parseLivingSituation(v: CellValue): string | null | 'bad' {
  const t = cellText(v);
  if (!t) return null;
  const s = fullWidthToHalf(t).replace(/\s/g, '');
  if ((livingSituations as readonly string[]).includes(s)) return s;
  return livingSynonyms[s] ?? 'bad';
}

/** Splits `…2号楼3单元502室` into building, unit and room when the roster has no columns for them. */
export function addressParts(address: string): { building?: string; unit?: string; room?: string } {
  const s = fullWidthToHalf(address).replace(/\s/g, '');
  const m = /(\d+[A-Za-z]?)(?:号楼|栋|幢|号)(?:(\d+)单元)?(?:(\d+)(?:室|号)?)?$/.exec(s);
  if (!m) return {};
  return {
    building: m[1],
    ...(m[2] ? { unit: m[2] } : {}),
    ...(m[3] ? { room: m[3] } : {}),
  };
}

/** Free tags from 标签 (separated by 、 , ; / or spaces); 是/否 columns are handled by the caller. */
export function parseTags(v: CellValue): string[] {
  const text = cellText(v);
  if (!text) return [];
  const tags: string[] = [];
  for (const part of fullWidthToHalf(text).split(/[,，、;；/\s]+/)) {
    if (part !== '' && !tags.includes(part)) tags.push(part);
  }
  return tags;
}

/** Names padded for alignment (`王  芳`) lose their inner spaces; Latin names keep single spaces. */
export function cleanName(v: CellValue): string | null {
  const t = cellText(v);
  if (!t) return null;
  const s = t.replace(/[\s\u3000]+/g, ' ').trim();
  return /[\u4e00-\u9fff]/.test(s) ? s.replace(/ /g, '') : s;
}
