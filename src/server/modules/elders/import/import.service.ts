import type { CommunityChoices, ImportReport } from '../../../../shared/elders-import.ts';
import { requireAccess } from '../../../platform/access.ts';
import { AppError } from '../../../platform/app-error.ts';
import type { Ctx } from '../../../platform/auth.ts';
import { type Clock, shanghaiDate } from '../../../platform/clock.ts';
import { type Db, withTx } from '../../../platform/db.ts';
import { recordAudit } from '../../audit/audit.service.ts';
import { getOrgInScope, insertOrgsBulk, listOrgsInScope } from '../../orgs/orgs.service.ts';
import {
  findExistingIdNumbers,
  findIdNumbersOutsideScope,
  upsertEldersByIdNumber,
} from '../elders.service.ts';
import { type ColumnMapping, fieldInfo, type ImportField, type MappingOverride } from './fields.ts';
import {
  makeOrgDirectory,
  type OrgRef,
  orgKey,
  RowCollector,
  type RowContext,
  type RowProblem,
} from './rows.ts';
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
  /** the user's answer for each unknown community name */
  communities?: CommunityChoices;
}

/** A community the import creates on commit; rows point at its placeholder (negative id) until then. */
interface NewCommunity {
  placeholder: OrgRef;
  street: OrgRef;
}

export interface Analysis {
  headerRow: number;
  mapping: ColumnMapping[];
  collector: RowCollector;
  /** the raw cells of rows with problems, for the error report */
  problemRows: Map<number, unknown[]>;
  headerValues: unknown[];
  newCommunities: NewCommunity[];
}

function choiceError(name: string, zh: string, en: string): AppError {
  return new AppError('VALIDATION_FAILED', undefined, [
    { field: 'communities', message: `“${name}”：${zh}`, messageEn: `"${name}": ${en}` },
  ]);
}

/**
 * The user's answers for unknown community names, checked against the caller's scope: an existing
 * community or grid they may see, the default org (which must be chosen), or a new community under
 * a street they may see.
 */
async function resolveCommunityChoices(
  deps: ImportDeps,
  ctx: Ctx,
  choices: CommunityChoices,
  defaultOrg: OrgRef | null,
): Promise<{ map: Map<string, OrgRef>; created: NewCommunity[] }> {
  const map = new Map<string, OrgRef>();
  const created: NewCommunity[] = [];
  for (const [name, choice] of Object.entries(choices)) {
    let org: OrgRef;
    if (choice === 'default') {
      if (!defaultOrg)
        throw choiceError(name, '选择“使用默认社区”前请先选择默认社区', 'choose the default org first');
      org = defaultOrg;
    } else if (typeof choice === 'number') {
      org = (await getOrgInScope(deps.db, ctx, choice)) as OrgRef;
      if (org.tree !== 'geo' || !['community', 'grid'].includes(org.kind)) {
        throw choiceError(name, '应对应到社区或网格', 'map it to a community or grid');
      }
    } else {
      const street = (await getOrgInScope(deps.db, ctx, choice.createUnder)) as OrgRef;
      if (street.tree !== 'geo' || street.kind !== 'street') {
        throw choiceError(name, '新社区应建在街道下', 'a new community goes under a street');
      }
      org = {
        id: -(created.length + 1),
        name: name.trim(),
        kind: 'community',
        path: street.path,
        tree: 'geo',
      };
      created.push({ placeholder: org, street });
    }
    map.set(orgKey(name), org);
  }
  return { map, created };
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
  requireAccess(ctx, 'elders.write');
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
  const choices = await resolveCommunityChoices(deps, ctx, opts.communities ?? {}, defaultOrg);
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
        communityChoices: choices.map,
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
      const r = collector.result;
      const problems = () => r.invalid.length + r.duplicates.length + r.unknownCommunities.length;
      const before = problems();
      collector.add(row.rowNumber, row.values, rowCtx!);
      if (keepProblemRows && problems() > before) {
        problemRows.set(row.rowNumber, row.values);
      }
    },
  );
  if (collector.result.total === 0) {
    // an empty sheet (or a file cut short after its header) is not "imported 0 rows"
    throw new AppError('VALIDATION_FAILED', { zh: '表格中没有数据行', en: 'The sheet has no data rows' }, [
      {
        field: 'file',
        message: `表头（第${layout.headerRow}行）下没有数据行：请检查是否选错了文件或工作表`,
        messageEn: `No data rows below the header (row ${layout.headerRow})`,
      },
    ]);
  }
  return {
    headerRow: layout.headerRow,
    mapping: layout.mapping,
    collector,
    problemRows,
    headerValues: layout.headerValues,
    newCommunities: choices.created,
  };
}

/** Unknown community names, once each, with how many rows name them. */
function groupUnknown(rows: { row: number; name: string }[]): ImportReport['unknownCommunities'] {
  const groups = new Map<string, { name: string; rows: number; firstRows: number[] }>();
  for (const r of rows) {
    const k = orgKey(r.name);
    const g = groups.get(k) ?? { name: r.name, rows: 0, firstRows: [] };
    g.rows++;
    if (g.firstRows.length < 5) g.firstRows.push(r.row);
    groups.set(k, g);
  }
  return [...groups.values()];
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
    problemRows: total - records.length,
    unknownCommunities: groupUnknown(a.collector.result.unknownCommunities),
    newCommunities: a.newCommunities
      .map((n) => ({
        name: n.placeholder.name,
        streetId: n.street.id,
        streetName: n.street.name,
        rows: records.filter((r) => r.record.orgId === n.placeholder.id).length,
      }))
      .filter((n) => n.rows > 0),
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
    // the communities the user chose to create, and only those some row will live in
    for (const n of a.newCommunities) {
      const rowsIn = records.filter((r) => r.record.orgId === n.placeholder.id);
      if (rowsIn.length === 0) continue;
      const [org] = await insertOrgsBulk(tx, [
        {
          tree: 'geo',
          kind: 'community',
          parentId: n.street.id,
          parentPath: n.street.path,
          name: n.placeholder.name,
        },
      ]);
      await recordAudit(tx, ctx, {
        action: 'org.create',
        entity: 'org',
        entityId: org!.id,
        orgPath: org!.path,
        details: { name: org!.name, kind: 'community', via: 'import' },
      });
      for (const r of rowsIn) {
        r.record.orgId = org!.id;
        r.orgPath = org!.path;
      }
    }
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
        // rows refused for their own problems (duplicates counted apart): problemRows − duplicates
        invalid: r.problemRows - r.duplicates.length,
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
