import type { ImportReport } from '../../../../shared/elders-import.ts';
import { AppError } from '../../../platform/app-error.ts';
import type { Ctx } from '../../../platform/auth.ts';
import { type Clock, shanghaiDate } from '../../../platform/clock.ts';
import { type Db, withTx } from '../../../platform/db.ts';
import { recordAudit } from '../../audit/audit.service.ts';
import { getOrgInScope, listOrgsInScope } from '../../orgs/orgs.service.ts';
import { editorRoles, requireRole } from '../elders.access.ts';
import {
  findExistingIdNumbers,
  findIdNumbersOutsideScope,
  upsertEldersByIdNumber,
} from '../elders.service.ts';
import { type ColumnMapping, fieldInfo, type ImportField, type MappingOverride } from './fields.ts';
import { makeOrgDirectory, type OrgRef, RowCollector, type RowContext, type RowProblem } from './rows.ts';
import { readRoster } from './sheet-reader.ts';
import { buildErrorReport } from './workbooks.ts';

// Roster import: a dry run reports every problem and writes nothing; a commit writes the valid rows
// in one transaction (upsert by ID number, so a second import of the same file creates nothing) and
// skips the invalid and duplicate rows, which the report lists. We chose "valid rows only" over
// "all or nothing" because offices fix a handful of bad rows later, and the dry run the UI shows
// first is exactly what the commit will do.

export interface ImportDeps {
  db: Db;
  clock: Clock;
}

export interface ImportOptions {
  dryRun: boolean;
  mapping?: MappingOverride;
  orgId?: number;
  fileName?: string | null;
}

export interface Analysis {
  headerRow: number;
  mapping: ColumnMapping[];
  collector: RowCollector;
  /** the raw cells of rows with problems, for the error report */
  problemRows: Map<number, unknown[]>;
  headerValues: unknown[];
}

const columnRequired: ImportField[] = ['name', 'idNumber'];

/** Reads and checks the roster without writing; `keepProblemRows` keeps bad rows' cells for the report. */
export async function analyseRoster(
  deps: ImportDeps,
  ctx: Ctx,
  file: Buffer,
  opts: Omit<ImportOptions, 'dryRun'>,
  keepProblemRows = false,
): Promise<Analysis> {
  requireRole(ctx, editorRoles);
  const orgs = (await listOrgsInScope(deps.db, ctx)) as OrgRef[];
  let defaultOrg: OrgRef | null = null;
  if (opts.orgId) {
    const o = (await getOrgInScope(deps.db, ctx, opts.orgId)) as OrgRef;
    if (o.tree !== 'geo' || !['community', 'grid'].includes(o.kind)) {
      throw new AppError('VALIDATION_FAILED', undefined, [
        {
          field: 'orgId',
          message: '默认社区应为社区或网格',
          messageEn: 'The default org must be a community or grid',
        },
      ]);
    }
    defaultOrg = o;
  }
  const collector = new RowCollector();
  const problemRows = new Map<number, unknown[]>();
  let rowCtx: RowContext | null = null;
  let columnsMissing = false;
  const layout = await readRoster(
    file,
    opts.mapping,
    (l) => {
      rowCtx = {
        mapping: l.mapping,
        orgs: makeOrgDirectory(orgs),
        defaultOrg,
        today: shanghaiDate(deps.clock.now()),
      };
      const has = (f: ImportField) => l.mapping.some((c) => c.field === f);
      const missing = columnRequired.filter((f) => !has(f));
      if (!has('community') && !defaultOrg) missing.push('community');
      for (const f of missing) {
        collector.result.invalid.push({
          row: l.headerRow,
          field: fieldInfo[f].zh,
          message:
            f === 'community'
              ? '未找到“社区”列：请在列映射中指定，或选择默认社区'
              : `未找到“${fieldInfo[f].zh}”列，请在列映射中指定`,
        });
      }
      columnsMissing = missing.length > 0;
    },
    (row) => {
      if (columnsMissing) {
        collector.count(row.values, rowCtx!);
        return;
      }
      const before = collector.result.invalid.length + collector.result.duplicates.length;
      collector.add(row.rowNumber, row.values, rowCtx!);
      if (keepProblemRows && collector.result.invalid.length + collector.result.duplicates.length > before) {
        problemRows.set(row.rowNumber, row.values);
      }
    },
  );
  return {
    headerRow: layout.headerRow,
    mapping: layout.mapping,
    collector,
    problemRows,
    headerValues: layout.headerValues,
  };
}

/** POST /api/elders/import: dry run or commit. */
export async function importRoster(
  deps: ImportDeps,
  ctx: Ctx,
  file: Buffer,
  opts: ImportOptions,
): Promise<ImportReport> {
  const a = await analyseRoster(deps, ctx, file, opts);
  const { records: checked, invalid, duplicates, warnings, total } = a.collector.result;
  // an ID number registered in another street is not the caller's to import or move
  const outside = await findIdNumbersOutsideScope(
    deps.db,
    ctx,
    checked.map((r) => r.record.idNumber),
  );
  const records = checked.filter((r) => !outside.has(r.record.idNumber));
  for (const r of checked) {
    if (outside.has(r.record.idNumber)) {
      invalid.push({
        row: r.row,
        field: fieldInfo.idNumber.zh,
        message: '该身份证号已登记在您管辖范围之外的社区，不能导入（请联系该社区迁出）',
        ...(r.serialNo ? { serialNo: r.serialNo } : {}),
      });
    }
  }
  const ids = records.map((r) => r.record.idNumber);
  const report = (existingIds: Set<string>, created: number, updated: number): ImportReport => ({
    dryRun: opts.dryRun,
    fileName: opts.fileName ?? null,
    headerRow: a.headerRow,
    mapping: a.mapping.map((c) => ({
      column: c.column,
      header: c.header,
      field: c.field,
      fieldLabel: c.field ? fieldInfo[c.field].zh : null,
    })),
    total,
    valid: records.length,
    created,
    updated,
    invalid: sortByRow(invalid),
    duplicates,
    existing: records
      .filter((r) => existingIds.has(r.record.idNumber))
      .map((r) => (r.serialNo ? { row: r.row, serialNo: r.serialNo } : { row: r.row })),
    warnings,
  });

  if (opts.dryRun) {
    const existing = await findExistingIdNumbers(deps.db, ids);
    return report(existing, records.length - existing.size, existing.size);
  }
  return withTx(deps.db, async (tx) => {
    const existing = await findExistingIdNumbers(tx, ids);
    const counts = await upsertEldersByIdNumber(
      tx,
      ctx,
      records.map((r) => r.record),
    );
    const r = report(existing, counts.created, counts.updated);
    await recordAudit(tx, ctx, {
      action: 'elder.import',
      entity: 'import',
      orgPath: commonPath(records.map((x) => x.orgPath)) ?? ctx.auth.scopes[0]?.path ?? null,
      details: {
        fileName: r.fileName,
        total: r.total,
        valid: r.valid,
        created: r.created,
        updated: r.updated,
        invalid: new Set(r.invalid.map((p) => p.row)).size,
        duplicates: r.duplicates.length,
      },
    });
    return r;
  });
}

function sortByRow(problems: RowProblem[]): RowProblem[] {
  return [...problems].sort((x, y) => x.row - y.row);
}

/** The deepest org path all paths lie under (`/1/5/` for `/1/5/9/` and `/1/5/12/`). */
export function commonPath(paths: string[]): string | null {
  if (paths.length === 0) return null;
  let parts = paths[0]!.split('/').filter(Boolean);
  for (const p of paths) {
    const q = p.split('/').filter(Boolean);
    let i = 0;
    while (i < parts.length && i < q.length && parts[i] === q[i]) i++;
    parts = parts.slice(0, i);
  }
  return parts.length > 0 ? `/${parts.join('/')}/` : null;
}

/** The error report: the rows with problems as they were, plus what is wrong with each. */
export async function importErrorReport(
  deps: ImportDeps,
  ctx: Ctx,
  file: Buffer,
  opts: Omit<ImportOptions, 'dryRun'>,
): Promise<{ file: Buffer; fileName: string }> {
  const a = await analyseRoster(deps, ctx, file, opts, true);
  const base = (opts.fileName ?? '花名册').replace(/\.xlsx$/i, '');
  return { file: await buildErrorReport(a), fileName: `${base}_导入问题.xlsx` };
}
