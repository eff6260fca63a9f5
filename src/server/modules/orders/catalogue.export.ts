import ExcelJS from 'exceljs';
import { type ProviderKind, providerKindLabels, providerStatusLabels } from '../../../shared/catalogue.ts';
import { requireAccess } from '../../platform/access.ts';
import type { Ctx } from '../../platform/auth.ts';
import { shanghaiDate } from '../../platform/clock.ts';
import { formulaSafe } from '../../platform/formula-safe.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { chineseDate } from '../elders/import/workbooks.ts';
import { catalogueRows, type Deps } from './catalogue.service.ts';
import { listProviders } from './providers.service.ts';

// The catalogue and the register back to Excel, in the layout the importer reads (a title row, then
// the office's headers), so an office can edit the file and import it again.

const headerFill: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
const font = { name: '宋体', size: 11 };
const yuan = (fen: number | null) => (fen == null ? '免费' : fen / 100);
const hours = (m: number) => Math.round((m / 60) * 1000) / 1000;

function sheet(wb: ExcelJS.Workbook, name: string, title: string, headers: { h: string; w: number }[]) {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 2 }] });
  ws.columns = headers.map((c) => ({ width: c.w, style: { font } }));
  ws.mergeCells(1, 1, 1, headers.length);
  const t = ws.getCell(1, 1);
  t.value = formulaSafe(title);
  t.font = { ...font, size: 16, bold: true };
  t.alignment = { horizontal: 'center' };
  const header = ws.getRow(2);
  headers.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.h;
    cell.font = { ...font, bold: true };
    cell.fill = headerFill;
  });
  return ws;
}

export async function exportCatalogue(deps: Deps, ctx: Ctx) {
  requireAccess(ctx, 'catalogue.export');
  const { categories, items } = await catalogueRows(deps.db);
  const { items: providers } = await listProviders(deps, ctx, {});
  const today = shanghaiDate(deps.clock.now());
  const wb = new ExcelJS.Workbook();
  wb.creator = 'CareCircle 关爱圈';
  const catName = new Map(categories.map((c) => [c.id, c.name]));
  const catOrder = new Map(categories.map((c, i) => [c.id, i]));
  const ws = sheet(wb, '服务项目目录', `居家养老上门服务项目目录（${chineseDate(today)}导出）`, [
    { h: '序号', w: 6 },
    { h: '服务类别', w: 12 },
    { h: '服务项目', w: 24 },
    { h: '计量单位', w: 8 },
    { h: '参考价格（元）', w: 10 },
    { h: '接单时限（小时）', w: 10 },
    { h: '上门时限（小时）', w: 10 },
    { h: '完成时限（小时）', w: 10 },
    { h: '可用服务卡支付', w: 10 },
    { h: '备注', w: 20 },
    { h: '回访（天）', w: 8 },
    { h: '按工作日计时', w: 10 },
    { h: '可服务的服务商类型', w: 30 },
    { h: '状态', w: 8 },
  ]);
  const sorted = [...items].sort(
    (a, b) =>
      (catOrder.get(a.categoryId) ?? 0) - (catOrder.get(b.categoryId) ?? 0) ||
      a.sortOrder - b.sortOrder ||
      a.id - b.id,
  );
  for (const [n, i] of sorted.entries()) {
    ws.addRow([
      n + 1,
      formulaSafe(catName.get(i.categoryId) ?? ''),
      formulaSafe(i.name),
      formulaSafe(i.unit),
      yuan(i.priceFen),
      hours(i.acceptMinutes),
      hours(i.arriveMinutes),
      hours(i.completeMinutes),
      i.cardPayable ? '是' : '否',
      formulaSafe(i.note ?? ''),
      i.followUpDays,
      i.workingDays ? '是' : '否',
      i.providerKinds.map((k) => providerKindLabels[k as ProviderKind] ?? k).join('、'),
      i.active ? '启用' : '停用',
    ]);
  }
  const ps = sheet(wb, '加盟服务商名录', '居家养老服务加盟服务商名录', [
    { h: '序号', w: 6 },
    { h: '服务商名称', w: 30 },
    { h: '统一社会信用代码', w: 22 },
    { h: '类型', w: 10 },
    { h: '服务类别', w: 30 },
    { h: '服务区域', w: 24 },
    { h: '联系人', w: 10 },
    { h: '联系电话', w: 14 },
    { h: '合同起始', w: 12 },
    { h: '合同截止', w: 12 },
    { h: '服务星级', w: 10 },
    { h: '状态', w: 10 },
    { h: '接单上限', w: 8 },
  ]);
  ps.getColumn(3).numFmt = '@';
  ps.getColumn(8).numFmt = '@';
  for (const [n, p] of providers.entries()) {
    ps.addRow([
      n + 1,
      formulaSafe(p.name),
      p.uscc ?? '',
      providerKindLabels[p.kind as ProviderKind] ?? p.kind,
      formulaSafe(
        [
          ...p.categories.map((c) => c.name),
          ...new Set(p.items.map((i) => catName.get(i.categoryId) ?? '')),
        ].join('、'),
      ),
      formulaSafe(p.areas.map((a) => (a.kind === 'city' ? '全市' : a.name.split(' / ').pop())).join('、')),
      formulaSafe(p.contactName ?? ''),
      formulaSafe(p.contactPhone ?? ''),
      p.contractStart ?? '',
      p.contractEnd ?? '',
      p.stars ? '★'.repeat(p.stars) : '',
      providerStatusLabels[p.status as keyof typeof providerStatusLabels] ?? p.status,
      p.capacity,
    ]);
  }
  await recordAudit(deps.db, ctx, {
    action: 'catalogue.export',
    entity: 'service_catalogue',
    details: { items: items.length, providers: providers.length },
  });
  return { fileName: `服务目录与服务商名录_${today}.xlsx`, file: Buffer.from(await wb.xlsx.writeBuffer()) };
}
