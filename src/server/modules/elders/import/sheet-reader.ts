import { AppError } from '../../../platform/app-error.ts';
import {
  buildMapping,
  type ColumnMapping,
  detectHeaderRow,
  MappingError,
  type MappingOverride,
} from './fields.ts';
import { readFirstSheet, XlsxError, type XlsxLimits, xlsxLimits, ZipError } from './xlsx-reader.ts';
import { XmlError } from './xml-tokens.ts';

// Rosters are read as a stream, one row at a time and within bounds (xlsx-reader.ts), so a 100k-row
// file needs memory for the records it yields, not for a whole workbook model.

export interface SheetRow {
  rowNumber: number;
  /** indexed by column number (1-based), like ExcelJS's row.values */
  values: unknown[];
}

/** How many rows at the top of the sheet may hold titles before the header row. */
const HEADER_SCAN_ROWS = 30;

function fileError(zh: string, en: string): AppError {
  return new AppError('VALIDATION_FAILED', { zh, en }, [{ field: 'file', message: zh, messageEn: en }]);
}

/** The reader's refusals as field errors naming the file (and the limit crossed). */
export function readerError(e: unknown): AppError | null {
  if (e instanceof XlsxError) return fileError(e.zh, e.en);
  if (e instanceof ZipError) {
    if (e.kind === 'notZip') return notXlsx();
    if (e.kind === 'damaged')
      return fileError('文件内容已损坏，请用 Excel 另存为 .xlsx 后重试', 'The file is damaged');
    if (e.kind === 'tooManyEntries') {
      return fileError('文件内部条目过多，不是正常的 Excel 花名册', 'Too many entries in the file');
    }
    if (e.kind === 'unsupported')
      return fileError(
        '文件使用了不支持的压缩方式，请用 Excel 另存为 .xlsx 后重试',
        'Unsupported zip format',
      );
    return fileError('文件不完整（可能在下载或复制时被截断），请重新保存后上传', 'The file is truncated');
  }
  if (e instanceof XmlError)
    return fileError('文件内容已损坏，请用 Excel 另存为 .xlsx 后重试', 'The file is damaged');
  return null;
}

function notXlsx(): AppError {
  return new AppError(
    'VALIDATION_FAILED',
    { zh: '无法读取文件：请上传 Excel .xlsx 文件', en: 'Cannot read the file: upload an Excel .xlsx file' },
    [
      {
        field: 'file',
        message: '文件不是有效的 .xlsx 格式（.xls 请先另存为 .xlsx）',
        messageEn: 'Not a valid .xlsx file',
      },
    ],
  );
}

export interface RosterLayout {
  headerRow: number;
  mapping: ColumnMapping[];
  headerValues: unknown[];
}

/**
 * Reads the roster: finds the header row among the first rows, maps its columns (aliases, then the
 * user's override), then hands every data row below it to `onRow`, in order.
 */
export async function readRoster(
  file: Buffer,
  override: MappingOverride | undefined,
  onLayout: (layout: RosterLayout) => void,
  onRow: (row: SheetRow) => void,
  limits: XlsxLimits = xlsxLimits,
): Promise<RosterLayout> {
  const head: SheetRow[] = [];
  let layout: RosterLayout | null = null;
  const start = () => {
    const headerRow = detectHeaderRow(head);
    if (headerRow == null) {
      throw new AppError('VALIDATION_FAILED', { zh: '未找到表头行', en: 'No header row found' }, [
        {
          field: 'file',
          message: `前${HEADER_SCAN_ROWS}行中没有找到包含“姓名”“身份证号”等列名的表头行`,
          messageEn: `No header row with columns such as 姓名 / 身份证号 in the first ${HEADER_SCAN_ROWS} rows`,
        },
      ]);
    }
    const headerValues = head.find((r) => r.rowNumber === headerRow)!.values;
    let mapping: ColumnMapping[];
    try {
      mapping = buildMapping(headerValues, override);
    } catch (e) {
      if (e instanceof MappingError) {
        throw new AppError('VALIDATION_FAILED', { zh: e.zh, en: e.en }, [
          { field: 'mapping', message: e.zh, messageEn: e.en },
        ]);
      }
      throw e;
    }
    layout = { headerRow, mapping, headerValues };
    onLayout(layout);
    for (const r of head) if (r.rowNumber > headerRow) onRow(r);
  };
  try {
    for await (const batch of readFirstSheet(file, limits)) {
      for (const row of batch) {
        if (layout) onRow(row);
        else {
          head.push(row);
          if (head.length >= HEADER_SCAN_ROWS) start();
        }
      }
    }
  } catch (e) {
    throw readerError(e) ?? e; // errors of ours are bugs to surface
  }
  if (!layout) start();
  return layout!;
}
