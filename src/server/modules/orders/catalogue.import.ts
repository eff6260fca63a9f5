import type { CatalogueImportProblem, CatalogueImportReport } from '../../../shared/catalogue.ts';
import { requireAccess } from '../../platform/access.ts';
import { AppError } from '../../platform/app-error.ts';
import type { Ctx } from '../../platform/auth.ts';
import { shanghaiDate } from '../../platform/clock.ts';
import { type Db, type Executor, withTx } from '../../platform/db.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { readerError } from '../elders/import/sheet-reader.ts';
import { readSheetAt, sheetNames, type XlsxRow } from '../elders/import/xlsx-reader.ts';
import { listOrgsInScope } from '../orgs/orgs.service.ts';
import * as catalogueRepo from './catalogue.repo.ts';
import type { Deps } from './catalogue.service.ts';
import {
  detectLayout,
  type ItemField,
  type ItemRowIn,
  type Layout,
  type Problem,
  type ProviderField,
  type ProviderRowIn,
  parseItemRow,
  parseProviderRow,
} from './catalogue.sheets.ts';
import * as repo from './providers.repo.ts';

// Import of the office's two registers from one workbook (or either alone): 服务项目目录 and
// 加盟服务商名录, found by their headers whatever the sheets are called. A dry run reports what a
// commit would do and writes nothing; a commit writes the valid rows in one transaction and skips
// the rows with problems (as the roster import does). Items are matched by name and providers by
// 统一社会信用代码 (by name for teams, which have none), so a re-import updates and never duplicates.
// Catalogue and register are city-wide configuration: a city admin imports them (decision 0013).

const HEADER_SCAN_ROWS = 30;
const NEW_ITEM_KINDS = ['enterprise', 'social_org', 'medical', 'volunteer_team', 'public_service'];

interface SheetRead {
  name: string;
  layout: Layout<ItemField> | Layout<ProviderField>;
  rows: XlsxRow[];
}

async function readSheets(file: Buffer): Promise<SheetRead[]> {
  const out: SheetRead[] = [];
  try {
    const names = await sheetNames(file);
    for (let i = 0; i < names.length && i < 10; i++) {
      const rows: XlsxRow[] = [];
      for await (const batch of readSheetAt(file, i)) rows.push(...batch);
      const layout = detectLayout(rows.slice(0, HEADER_SCAN_ROWS));
      if (layout && !out.some((s) => s.layout.kind === layout.kind)) {
        out.push({ name: names[i] || `第${i + 1}个工作表`, layout, rows });
      }
    }
  } catch (e) {
    throw readerError(e) ?? e;
  }
  if (out.length === 0) {
    throw new AppError('VALIDATION_FAILED', { zh: '未找到表头行', en: 'No header row found' }, [
      {
        field: 'file',
        message: `各工作表前${HEADER_SCAN_ROWS}行中都没有找到“服务类别、服务项目、计量单位”或“服务商名称、统一社会信用代码、服务区域”等列名`,
        messageEn: 'No sheet has a header row of the service catalogue or the provider register',
      },
    ]);
  }
  return out;
}

interface Plan {
  report: CatalogueImportReport;
  items: ItemRowIn[];
  newCategories: string[];
  providers: (ProviderRowIn & {
    existingId: number | null;
    areaRefs: { orgId: number; orgPath: string }[];
  })[];
}

const emptySheet = () => ({
  sheet: null,
  headerRow: null,
  total: 0,
  valid: 0,
  created: 0,
  updated: 0,
  problems: [],
});

async function plan(
  ex: Executor,
  ctx: Ctx,
  sheets: SheetRead[],
  today: string,
  dryRun: boolean,
): Promise<Plan> {
  const report: CatalogueImportReport = {
    dryRun,
    categoriesCreated: [],
    items: emptySheet(),
    providers: emptySheet(),
  };
  const existingCats = new Set((await catalogueRepo.listCategories(ex)).map((c) => c.name));
  const existingItems = new Set((await catalogueRepo.listItems(ex)).map((i) => i.name));
  const items: ItemRowIn[] = [];
  const newCategories: string[] = [];
  const problemsOf = (sheet: string, ps: Problem[]): CatalogueImportProblem[] =>
    ps.map((p) => ({ sheet, ...p }));

  const itemSheet = sheets.find((s) => s.layout.kind === 'items');
  if (itemSheet) {
    const r = report.items;
    r.sheet = itemSheet.name;
    r.headerRow = itemSheet.layout.headerRow;
    const firstRow = new Map<string, number>();
    for (const row of itemSheet.rows) {
      if (row.rowNumber <= itemSheet.layout.headerRow) continue;
      const parsed = parseItemRow(
        row.rowNumber,
        row.values,
        itemSheet.layout.columns as Map<number, ItemField>,
      );
      if (!parsed) continue;
      r.total++;
      if ('problems' in parsed) {
        r.problems.push(...problemsOf(itemSheet.name, parsed.problems));
        continue;
      }
      const it = parsed.ok;
      const seen = firstRow.get(it.name);
      if (seen) {
        r.problems.push({
          sheet: itemSheet.name,
          row: it.row,
          field: '服务项目',
          message: `与第${seen}行重复（“${it.name}”）`,
        });
        continue;
      }
      firstRow.set(it.name, it.row);
      items.push(it);
      if (existingItems.has(it.name)) r.updated++;
      else r.created++;
      if (!existingCats.has(it.category) && !newCategories.includes(it.category))
        newCategories.push(it.category);
    }
    r.valid = items.length;
  }
  report.categoriesCreated = newCategories;
  const knownCategories = new Set([...existingCats, ...newCategories]);

  const providers: Plan['providers'] = [];
  const provSheet = sheets.find((s) => s.layout.kind === 'providers');
  if (provSheet) {
    const r = report.providers;
    r.sheet = provSheet.name;
    r.headerRow = provSheet.layout.headerRow;
    const geo = await listOrgsInScope(ex as Db, ctx, 'geo');
    const root = geo.find((o) => o.kind === 'city' && o.parentId == null);
    const byName = new Map<string, typeof geo>();
    for (const o of geo) byName.set(o.name, [...(byName.get(o.name) ?? []), o]);
    const seenKey = new Map<string, number>();
    for (const row of provSheet.rows) {
      if (row.rowNumber <= provSheet.layout.headerRow) continue;
      const parsed = parseProviderRow(
        row.rowNumber,
        row.values,
        provSheet.layout.columns as Map<number, ProviderField>,
        today,
      );
      if (!parsed) continue;
      r.total++;
      const problems: Problem[] = 'problems' in parsed ? [...parsed.problems] : [];
      const p = 'ok' in parsed ? parsed.ok : null;
      const areaRefs: { orgId: number; orgPath: string }[] = [];
      if (p) {
        for (const c of p.categories) {
          if (!knownCategories.has(c)) {
            problems.push({
              row: p.row,
              field: '服务类别',
              message: `“${c}”不在服务目录中，请先在服务目录中添加该类别`,
            });
          }
        }
        for (const a of p.areas) {
          if (a === '全市') {
            if (root) areaRefs.push({ orgId: root.id, orgPath: root.path });
            else problems.push({ row: p.row, field: '服务区域', message: '“全市”须由管辖全市的管理员导入' });
            continue;
          }
          const found = byName.get(a) ?? [];
          if (found.length === 1) areaRefs.push({ orgId: found[0]!.id, orgPath: found[0]!.path });
          else if (found.length > 1) {
            problems.push({
              row: p.row,
              field: '服务区域',
              message: `“${a}”有${found.length}个同名节点，请在系统中选择`,
            });
          } else
            problems.push({ row: p.row, field: '服务区域', message: `“${a}”不存在或不在您的管辖范围内` });
        }
        const key = p.uscc ?? `name:${p.name}`;
        const dup = seenKey.get(key) ?? seenKey.get(`name:${p.name}`);
        if (dup)
          problems.push({
            row: p.row,
            field: p.uscc ? '统一社会信用代码' : '服务商名称',
            message: `与第${dup}行重复`,
          });
      }
      if (problems.length || !p) {
        r.problems.push(...problemsOf(provSheet.name, problems));
        continue;
      }
      // the credit code identifies an organisation; a team (no code) is known by its name
      const byUscc = p.uscc ? await repo.findProviderByUscc(ex, p.uscc) : undefined;
      const named = await repo.findProviderByName(ex, p.name);
      if (byUscc && named && byUscc.id !== named.id) {
        r.problems.push({
          sheet: provSheet.name,
          row: p.row,
          field: '服务商名称',
          message: `名称“${p.name}”已登记给另一统一社会信用代码的服务商`,
        });
        continue;
      }
      if (!byUscc && named && named.uscc && p.uscc) {
        r.problems.push({
          sheet: provSheet.name,
          row: p.row,
          field: '统一社会信用代码',
          message: `“${p.name}”已登记的统一社会信用代码与本行不同，请核对`,
        });
        continue;
      }
      seenKey.set(p.uscc ?? `name:${p.name}`, p.row);
      seenKey.set(`name:${p.name}`, p.row);
      const existingId = byUscc?.id ?? named?.id ?? null;
      providers.push({ ...p, existingId, areaRefs });
      if (existingId) r.updated++;
      else r.created++;
    }
    r.valid = providers.length;
  }
  return { report, items, newCategories, providers };
}

async function apply(tx: Executor, p: Plan, now: Date) {
  const cats = await catalogueRepo.upsertCategoriesByName(
    tx,
    [...new Set([...p.items.map((i) => i.category), ...p.providers.flatMap((x) => x.categories)])],
    100,
  );
  await catalogueRepo.upsertItemsByName(
    tx,
    p.items.map((i, n) => ({
      categoryId: cats.get(i.category)!,
      name: i.name,
      unit: i.unit,
      priceFen: i.priceFen,
      acceptMinutes: i.acceptMinutes,
      arriveMinutes: i.arriveMinutes,
      completeMinutes: i.completeMinutes,
      followUpDays: 3,
      workingDays: false,
      providerKinds: NEW_ITEM_KINDS,
      cardPayable: i.cardPayable,
      note: i.note,
      sortOrder: n,
    })),
    now,
  );
  for (const x of p.providers) {
    const columns = {
      name: x.name,
      kind: x.kind,
      uscc: x.uscc,
      contactName: x.contactName,
      contactPhone: x.contactPhone,
      contractStart: x.contractStart,
      contractEnd: x.contractEnd,
      status: x.status,
      stars: x.stars,
      ...(x.capacity != null ? { capacity: x.capacity } : {}),
    };
    const id = x.existingId
      ? (await repo.updateProvider(tx, x.existingId, columns, now)).id
      : (await repo.insertProvider(tx, columns)).id;
    await repo.setAreas(tx, id, x.areaRefs);
    await repo.setServed(
      tx,
      id,
      [...new Set(x.categories)].map((c) => ({ categoryId: cats.get(c)!, itemId: null })),
    );
  }
}

export async function importCatalogue(
  deps: Deps,
  ctx: Ctx,
  file: Buffer,
  opts: { dryRun: boolean; fileName?: string | null },
): Promise<CatalogueImportReport> {
  requireAccess(ctx, 'config.city');
  const sheets = await readSheets(file);
  const now = deps.clock.now();
  const today = shanghaiDate(now);
  if (opts.dryRun) return (await plan(deps.db, ctx, sheets, today, true)).report;
  return withTx(deps.db, async (tx) => {
    const p = await plan(tx, ctx, sheets, today, false);
    await apply(tx, p, now);
    await recordAudit(tx, ctx, {
      action: 'catalogue.import',
      entity: 'service_catalogue',
      details: {
        fileName: opts.fileName ?? null,
        categoriesCreated: p.report.categoriesCreated,
        items: {
          created: p.report.items.created,
          updated: p.report.items.updated,
          skipped: p.report.items.problems.length,
        },
        providers: {
          created: p.report.providers.created,
          updated: p.report.providers.updated,
          skipped: p.report.providers.problems.length,
        },
      },
    });
    return p.report;
  });
}
