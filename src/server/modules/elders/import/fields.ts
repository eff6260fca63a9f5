import { fieldInfo, type ImportField, importFields } from '../../../../shared/elders-import.ts';
import { cellText, clip } from './values.ts';

export { fieldInfo, type ImportField, importFields };

// The roster columns we understand, with the names offices give them. Header detection scores the
// first rows of the sheet by how many cells are known aliases, so a title row (or two) above the
// header does not matter.

/** Header text compared loosely: no spaces, stars, colons or bracketed hints like （必填）. */
export function normalizeHeader(text: string): string {
  return text
    .replace(/[\s\u3000*＊:：]/g, '')
    .replace(/[（(][^）)]*[）)]/g, '')
    .toLowerCase();
}

const aliasIndex = new Map<string, ImportField>();
for (const field of importFields) {
  for (const alias of fieldInfo[field].aliases) aliasIndex.set(normalizeHeader(alias), field);
  aliasIndex.set(normalizeHeader(fieldInfo[field].zh), field);
  aliasIndex.set(field.toLowerCase(), field);
}

export function fieldForHeader(text: string | null): ImportField | null {
  if (!text) return null;
  return aliasIndex.get(normalizeHeader(text)) ?? null;
}

/** Column number (1-based) → letters: 1 → A, 27 → AA. */
export function columnLetter(n: number): string {
  let s = '';
  let x = n;
  while (x > 0) {
    const r = (x - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    x = Math.floor((x - 1) / 26);
  }
  return s;
}

export function columnNumber(letters: string): number | null {
  if (!/^[A-Z]{1,3}$/.test(letters)) return null;
  let n = 0;
  for (const c of letters) n = n * 26 + (c.charCodeAt(0) - 64);
  return n;
}

export interface ColumnMapping {
  /** 1-based column number */
  col: number;
  column: string;
  header: string;
  field: ImportField | null;
}

/**
 * The header row among the first rows: the one with the most cells that are known aliases
 * (at least two, one of them the name or the ID number). Rows are arrays indexed by column number.
 */
export function detectHeaderRow(rows: { rowNumber: number; values: unknown[] }[]): number | null {
  let best: { rowNumber: number; score: number } | null = null;
  for (const row of rows) {
    const fields = new Set<ImportField>();
    for (const v of row.values) {
      const f = fieldForHeader(typeof v === 'string' || v == null ? (v as string | null) : cellText(v));
      if (f) fields.add(f);
    }
    const score = fields.size;
    if (score >= 2 && (fields.has('name') || fields.has('idNumber')) && (!best || score > best.score)) {
      best = { rowNumber: row.rowNumber, score };
    }
  }
  return best?.rowNumber ?? null;
}

export type MappingOverride = Record<string, string | null>;

/**
 * Columns of the header row → fields, by alias; then the user's override, keyed by column letter
 * or header text, with a field key, a field's Chinese name, or null/'' to ignore the column.
 * A field is taken by its first column only.
 */
export function buildMapping(headerValues: unknown[], override: MappingOverride = {}): ColumnMapping[] {
  const columns: ColumnMapping[] = [];
  for (let col = 1; col < headerValues.length; col++) {
    const header = cellText(headerValues[col]) ?? '';
    columns.push({ col, column: columnLetter(col), header, field: fieldForHeader(header) });
  }
  for (const [key, value] of Object.entries(override)) {
    const target =
      columns.find((c) => c.column === key.trim().toUpperCase()) ??
      columns.find((c) => c.header !== '' && normalizeHeader(c.header) === normalizeHeader(key));
    if (!target)
      throw new MappingError(
        `映射中的列“${clip(key)}”在表头中不存在`,
        `Column "${clip(key)}" is not in the header`,
      );
    if (value == null || value === '' || value === 'ignore') {
      target.field = null;
      continue;
    }
    const field = (importFields as readonly string[]).includes(value)
      ? (value as ImportField)
      : fieldForHeader(value);
    if (!field)
      throw new MappingError(`映射中的字段“${clip(value)}”无法识别`, `Unknown field "${clip(value)}"`);
    // the field moves to this column
    for (const c of columns)
      if (c.field === field && c !== target && override[c.column] === undefined) c.field = null;
    target.field = field;
  }
  const seen = new Set<ImportField>();
  for (const c of columns) {
    if (!c.field) continue;
    if (seen.has(c.field)) c.field = null;
    else seen.add(c.field);
  }
  // headers travel back in the report: a hostile header cell is not echoed whole
  return columns
    .filter((c) => c.header !== '' || c.field !== null)
    .map((c) => ({ ...c, header: clip(c.header, 50) }));
}

export class MappingError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
  }
}
