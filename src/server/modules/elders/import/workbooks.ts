import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { abilityLevels } from '../../../../shared/ability.ts';
import {
  type ElderExportRow,
  elderCategories,
  elderStatusLabels,
  livingSituations,
} from '../../../../shared/elders.ts';
import { fieldInfo, type ImportField } from '../../../../shared/elders-import.ts';
import { makeIdNumber } from '../../../../shared/id-number.ts';
import { formulaSafe } from '../../../platform/formula-safe.ts';
import type { Analysis } from './import.service.ts';
import { cellText, clip } from './values.ts';

// The .xlsx files we hand out: the import template, the error report of an import, the filtered
// list and the office's ledger form. Big exports go through ExcelJS's streaming writer.

const headerFill: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
const thin: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};
const font = { name: '宋体', size: 11 };

/** `2026年11月22日` */
export function chineseDate(isoDay: string): string {
  const [y, m, d] = isoDay.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

async function streamWorkbook(
  build: (wb: ExcelJS.stream.xlsx.WorkbookWriter) => Promise<void>,
): Promise<Buffer> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  wb.creator = 'CareCircle 关爱圈';
  await build(wb);
  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}

// ---------- template ----------

const templateFields: { field: ImportField; width: number; required?: boolean; hint: string }[] = [
  { field: 'serialNo', width: 6, hint: '可留空；“示例”行不会导入' },
  { field: 'name', width: 10, required: true, hint: '' },
  { field: 'gender', width: 6, hint: '男/女；可留空（由身份证号推出）' },
  { field: 'idNumber', width: 22, required: true, hint: '18位（15位旧号自动升级）；请设为文本格式' },
  { field: 'birthDate', width: 12, hint: '如 1935-05-12、1935/5/12、1935年5月12日；可留空' },
  { field: 'phones', width: 16, hint: '多个号码用“、”分隔；座机写区号，如 029-82668888' },
  { field: 'community', width: 14, required: true, hint: '须与系统中的社区名称一致' },
  { field: 'grid', width: 10, hint: '可留空' },
  { field: 'affiliation', width: 14, hint: '可留空；须与系统中的单位名称一致' },
  { field: 'address', width: 28, hint: '' },
  { field: 'building', width: 6, hint: '可留空（可从地址中识别“X号楼X单元X室”）' },
  { field: 'unit', width: 6, hint: '' },
  { field: 'room', width: 6, hint: '' },
  { field: 'livingSituation', width: 10, hint: livingSituations.join('、') },
  { field: 'categories', width: 12, hint: `${elderCategories.join('、')}；多个用“、”分隔` },
  { field: 'contactName', width: 10, hint: '作为关爱圈第一位亲属' },
  { field: 'contactRelation', width: 8, hint: '如 儿子、女儿、配偶' },
  { field: 'contactPhone', width: 14, hint: '' },
  { field: 'keyConcern', width: 8, hint: '是/否' },
  { field: 'tags', width: 16, hint: '多个用“、”分隔，每个不超过20字' },
];

export async function buildTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'CareCircle 关爱圈';
  const ws = wb.addWorksheet('老人花名册', { views: [{ state: 'frozen', ySplit: 2 }] });
  ws.columns = templateFields.map((f) => ({ width: f.width, style: { font } }));
  ws.mergeCells(1, 1, 1, templateFields.length);
  const title = ws.getCell(1, 1);
  title.value = '老年人花名册（导入模板）';
  title.font = { ...font, size: 16, bold: true };
  title.alignment = { horizontal: 'center' };
  const header = ws.getRow(2);
  templateFields.forEach((f, i) => {
    const c = header.getCell(i + 1);
    c.value = fieldInfo[f.field].zh;
    c.font = { ...font, bold: true, color: f.required ? { argb: 'FFC00000' } : undefined };
    c.fill = headerFill;
    c.border = thin;
    if (f.hint) c.note = f.hint;
  });
  const example: Record<ImportField, string> = {
    serialNo: '示例',
    name: '张三',
    gender: '男',
    idNumber: makeIdNumber('110105', '1938-05-12', 51),
    birthDate: '1938-05-12',
    phones: '13800000000',
    community: '示例社区',
    grid: '',
    affiliation: '',
    address: '幸福路8号楼2单元302室',
    building: '8',
    unit: '2',
    room: '302',
    livingSituation: '独居',
    categories: '退休教职工',
    contactName: '张小明',
    contactRelation: '儿子',
    contactPhone: '13900000000',
    keyConcern: '是',
    tags: '西迁老教授',
  };
  const row = ws.getRow(3);
  templateFields.forEach((f, i) => {
    const c = row.getCell(i + 1);
    c.value = example[f.field];
    c.font = { ...font, color: { argb: 'FF808080' } };
  });
  // ID numbers and phones as text, so Excel keeps every digit
  for (const f of ['idNumber', 'phones', 'contactPhone'] as ImportField[]) {
    ws.getColumn(templateFields.findIndex((t) => t.field === f) + 1).numFmt = '@';
  }
  const list = (f: ImportField, values: readonly string[]) => {
    const col = ws.getColumn(templateFields.findIndex((t) => t.field === f) + 1).letter;
    // ExcelJS 4 supports range validations but its typings omit `dataValidations`
    const v = (
      ws as unknown as { dataValidations: { add(range: string, rule: ExcelJS.DataValidation): void } }
    ).dataValidations;
    v.add(`${col}3:${col}5000`, {
      type: 'list',
      allowBlank: true,
      formulae: [`"${values.join(',')}"`],
    });
  };
  list('gender', ['男', '女']);
  list('livingSituation', livingSituations);
  list('keyConcern', ['是', '否']);

  const help = wb.addWorksheet('填写说明');
  help.columns = [
    { header: '列名', width: 14 },
    { header: '必填', width: 6 },
    { header: '说明', width: 60 },
    { header: '也可写作', width: 50 },
  ];
  help.getRow(1).font = { bold: true };
  for (const f of templateFields) {
    const info = fieldInfo[f.field];
    help.addRow([
      info.zh,
      f.required ? '是' : '',
      f.hint,
      info.aliases.filter((a) => a !== info.zh).join('、'),
    ]);
  }
  help.addRow([]);
  help.addRow(['', '', '表头可以在标题行下方；列的顺序不限；导入前会先试导入（检查），列出每一行的问题。']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---------- error report ----------

/** The rows with problems, as they were, with a column saying what is wrong (for fixing and re-import). */
export async function buildErrorReport(a: Analysis): Promise<Buffer> {
  const { invalid, duplicates, unknownCommunities } = a.collector.result;
  const messages = new Map<number, string[]>();
  const add = (row: number, text: string) => messages.set(row, [...(messages.get(row) ?? []), text]);
  for (const p of invalid) add(p.row, `${p.field}：${p.message}`);
  for (const d of duplicates) add(d.row, d.message);
  for (const u of unknownCommunities) add(u.row, `社区：“${clip(u.name)}”不存在或不在您的管辖范围内`);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('导入问题');
  const lastCol = Math.max(a.headerValues.length - 1, 1);
  const header = ws.getRow(1);
  header.getCell(1).value = '原行号';
  header.getCell(2).value = '问题';
  for (let col = 1; col <= lastCol; col++)
    header.getCell(col + 2).value = formulaSafe(cellText(a.headerValues[col]) ?? '');
  header.font = { bold: true };
  header.eachCell((c) => {
    c.fill = headerFill;
    c.border = thin;
  });
  ws.getColumn(1).width = 8;
  ws.getColumn(2).width = 50;
  const rows = [...messages.keys()].sort((x, y) => x - y);
  for (const rowNumber of rows) {
    const values = a.problemRows.get(rowNumber) ?? [];
    const r = ws.addRow([rowNumber, messages.get(rowNumber)!.join('；')]);
    for (let col = 1; col <= lastCol; col++) {
      const v = values[col];
      r.getCell(col + 2).value = v instanceof Date ? v : formulaSafe(cellText(v));
    }
    r.getCell(2).font = { color: { argb: 'FFC00000' } };
    r.getCell(2).alignment = { wrapText: true, vertical: 'top' };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---------- exports ----------

const levelName = (l: number | null) => (l == null ? '' : (abilityLevels[l]?.zh ?? ''));

const listColumns: { header: string; width: number; value: (e: ElderExportRow) => string | number }[] = [
  { header: '姓名', width: 10, value: (e) => e.name },
  { header: '性别', width: 6, value: (e) => (e.gender === 'M' ? '男' : '女') },
  { header: '身份证号', width: 22, value: (e) => e.idNumber },
  { header: '出生日期', width: 12, value: (e) => e.birthDate },
  { header: '年龄', width: 6, value: (e) => e.age },
  { header: '联系电话', width: 18, value: (e) => e.phones.join('、') },
  { header: '社区', width: 14, value: (e) => e.orgName ?? '' },
  { header: '原单位', width: 14, value: (e) => e.affiliationName ?? '' },
  { header: '地址', width: 28, value: (e) => e.address ?? '' },
  { header: '楼号', width: 6, value: (e) => e.building ?? '' },
  { header: '单元', width: 6, value: (e) => e.unit ?? '' },
  { header: '室号', width: 6, value: (e) => e.room ?? '' },
  { header: '居住情况', width: 10, value: (e) => e.livingSituation ?? '' },
  { header: '人员类别', width: 14, value: (e) => e.categories.join('、') },
  { header: '特殊困难类别', width: 14, value: (e) => e.difficultyGroups.join('、') },
  { header: '标签', width: 16, value: (e) => e.tags.join('、') },
  {
    header: '状态',
    width: 8,
    value: (e) => elderStatusLabels[e.status as keyof typeof elderStatusLabels]?.zh ?? e.status,
  },
  { header: '能力等级', width: 10, value: (e) => levelName(e.abilityLevel) },
  { header: '紧急联系人', width: 10, value: (e) => e.emergencyContact?.name ?? '' },
  { header: '与本人关系', width: 8, value: (e) => e.emergencyContact?.relation ?? '' },
  { header: '紧急联系电话', width: 16, value: (e) => e.emergencyContact?.phones.join('、') ?? '' },
];

/** The filtered registry, one elder a row, headers the importer understands. */
export function buildListExport(rows: ElderExportRow[]): Promise<Buffer> {
  return streamWorkbook(async (wb) => {
    const ws = wb.addWorksheet('老人名单', { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = listColumns.map((c) => ({ header: c.header, width: c.width }));
    const header = ws.getRow(1);
    header.font = { bold: true };
    header.eachCell((c) => {
      c.fill = headerFill;
    });
    header.commit();
    for (const e of rows) ws.addRow(listColumns.map((c) => formulaSafe(c.value(e)))).commit();
    ws.commit();
  });
}

const ledgerColumns: { header: string; width: number; value: (e: ElderExportRow) => string | number }[] = [
  { header: '姓名', width: 9, value: (e) => e.name },
  { header: '性别', width: 5, value: (e) => (e.gender === 'M' ? '男' : '女') },
  { header: '年龄', width: 5, value: (e) => e.age },
  { header: '身份证号', width: 21, value: (e) => e.idNumber },
  { header: '联系电话', width: 15, value: (e) => e.phones.join('、') },
  { header: '社区', width: 12, value: (e) => e.orgName ?? '' },
  {
    header: '家庭住址',
    width: 26,
    value: (e) =>
      e.address ??
      [e.building && `${e.building}号楼`, e.unit && `${e.unit}单元`, e.room && `${e.room}室`]
        .filter(Boolean)
        .join(''),
  },
  { header: '居住情况', width: 9, value: (e) => e.livingSituation ?? '' },
  { header: '人员类别', width: 11, value: (e) => e.categories.join('、') },
  { header: '特殊困难类别', width: 12, value: (e) => e.difficultyGroups.join('、') },
  { header: '能力等级', width: 9, value: (e) => levelName(e.abilityLevel) },
  { header: '紧急联系人', width: 9, value: (e) => e.emergencyContact?.name ?? '' },
  { header: '关系', width: 6, value: (e) => e.emergencyContact?.relation ?? '' },
  { header: '紧急联系电话', width: 15, value: (e) => e.emergencyContact?.phones.join('、') ?? '' },
  { header: '备注', width: 14, value: (e) => e.tags.join('、') },
];

/**
 * The ledger form offices file and print: a title row, the unit and date, numbered rows with the
 * office's columns, and a footer for 填表人 / 审核人 / 日期. Landscape A4, header rows repeated per page.
 */
export function buildLedger(rows: ElderExportRow[], opts: { title: string; unit: string; today: string }) {
  const n = ledgerColumns.length + 1;
  return streamWorkbook(async (wb) => {
    const ws = wb.addWorksheet('台账', {
      pageSetup: {
        paperSize: 9,
        orientation: 'landscape',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        printTitlesRow: '1:3',
      },
      views: [{ state: 'frozen', ySplit: 3 }],
    });
    ws.columns = [{ width: 5 }, ...ledgerColumns.map((c) => ({ width: c.width }))];
    const title = ws.getRow(1);
    title.getCell(1).value = formulaSafe(opts.title);
    title.getCell(1).font = { ...font, size: 16, bold: true };
    title.getCell(1).alignment = { horizontal: 'center', vertical: 'middle' };
    title.height = 30;
    ws.mergeCells(1, 1, 1, n);
    title.commit();
    const sub = ws.getRow(2);
    sub.getCell(1).value = `填报单位（盖章）：${opts.unit}`;
    sub.getCell(n - 3).value = `统计日期：${chineseDate(opts.today)}`;
    ws.mergeCells(2, 1, 2, n - 4);
    ws.mergeCells(2, n - 3, 2, n);
    sub.commit();
    const header = ws.getRow(3);
    ['序号', ...ledgerColumns.map((c) => c.header)].forEach((h, i) => {
      const c = header.getCell(i + 1);
      c.value = h;
      c.font = { ...font, bold: true };
      c.fill = headerFill;
      c.border = thin;
      c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    });
    header.commit();
    rows.forEach((e, i) => {
      const r = ws.addRow([i + 1, ...ledgerColumns.map((c) => formulaSafe(c.value(e)))]);
      r.eachCell({ includeEmpty: true }, (c) => {
        c.border = thin;
        c.font = font;
      });
      r.commit();
    });
    const foot = ws.getRow(rows.length + 5);
    foot.getCell(1).value = '填表人：';
    foot.getCell(5).value = '审核人：';
    foot.getCell(9).value = '联系电话：';
    foot.getCell(n - 2).value = `填表日期：${chineseDate(opts.today)}`;
    foot.commit();
    ws.commit();
  });
}
