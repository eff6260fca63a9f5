import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { AppError } from '../../../platform/app-error.ts';
import {
  buildMapping,
  type ColumnMapping,
  detectHeaderRow,
  MappingError,
  type MappingOverride,
} from './fields.ts';

// Rosters are read with ExcelJS's streaming reader: one row at a time, so a 100k-row file needs
// memory for the records it yields, not for a whole workbook model.

export interface SheetRow {
  rowNumber: number;
  /** indexed by column number (1-based), like ExcelJS's row.values */
  values: unknown[];
}

/** How many rows at the top of the sheet may hold titles before the header row. */
const HEADER_SCAN_ROWS = 30;

async function* firstSheetRows(file: Buffer): AsyncGenerator<SheetRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(file), {
    sharedStrings: 'cache',
    styles: 'cache', // so date-formatted numbers arrive as Dates
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  for await (const sheet of reader) {
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      yield { rowNumber: row.number, values: row.values as unknown[] };
    }
    return; // the first worksheet is the roster
  }
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
): Promise<RosterLayout> {
  if (file.length < 4 || file.readUInt32LE(0) !== 0x04034b50) throw notXlsx(); // not a zip
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
  let inOurCode = false; // errors of the reader mean a broken file; errors of ours are bugs to surface
  try {
    for await (const row of firstSheetRows(file)) {
      inOurCode = true;
      if (layout) onRow(row);
      else {
        head.push(row);
        if (head.length >= HEADER_SCAN_ROWS) start();
      }
      inOurCode = false;
    }
  } catch (e) {
    if (inOurCode || e instanceof AppError) throw e;
    throw notXlsx();
  }
  if (!layout) start();
  return layout!;
}
