import type { ElderImportRecord } from '../../../../shared/elders.ts';
import { parseIdNumber } from '../../../../shared/id-number.ts';
import { type ColumnMapping, fieldInfo, type ImportField } from './fields.ts';
import {
  addressParts,
  cellText,
  cleanName,
  clip,
  parseCategories,
  parseDateValue,
  parseGender,
  parseLivingSituation,
  parsePhones,
  parseTags,
} from './values.ts';

// One roster row → an import record or the row's problems, each naming the row as the spreadsheet
// shows it and the column by its header text, in Chinese.

export interface RowProblem {
  row: number;
  field: string;
  message: string;
  /** the row's 序号 when the sheet has one (offices count rows by it) */
  serialNo?: string;
}

export interface RowDuplicate {
  row: number;
  ofRow: number;
  message: string;
  serialNo?: string;
  ofSerialNo?: string;
}

export interface OrgRef {
  id: number;
  name: string;
  kind: string;
  path: string;
  tree: string;
}

/** Names → org nodes within the caller's scope. */
export interface OrgDirectory {
  community(name: string): OrgRef | 'unknown' | 'ambiguous';
  grid(name: string, under: OrgRef | null): OrgRef | 'unknown' | 'ambiguous';
  affiliation(name: string): OrgRef | 'unknown' | 'ambiguous';
}

/** Org names compared as offices type them: spaces (half and full width) do not count. */
export const orgKey = (s: string) => s.replace(/[\s\u3000]/g, '');

export function makeOrgDirectory(orgs: OrgRef[]): OrgDirectory {
  const key = orgKey;
  const find = (pred: (o: OrgRef) => boolean, name: string) => {
    const hits = orgs.filter((o) => pred(o) && key(o.name) === key(name));
    return hits.length === 1 ? hits[0]! : hits.length === 0 ? 'unknown' : 'ambiguous';
  };
  return {
    community: (name) => find((o) => o.tree === 'geo' && o.kind === 'community', name),
    grid: (name, under) =>
      find((o) => o.tree === 'geo' && o.kind === 'grid' && (!under || o.path.startsWith(under.path)), name),
    affiliation: (name) => find((o) => o.tree === 'affiliation', name),
  };
}

export interface RowContext {
  mapping: ColumnMapping[];
  orgs: OrgDirectory;
  /** used when the sheet has no community column or the cell is empty */
  defaultOrg: OrgRef | null;
  /** YYYY-MM-DD in Asia/Shanghai */
  today: string;
  /**
   * The user's answer for community names the registry does not know, by `orgKey(name)`: an org
   * (existing, the default, or a placeholder with a negative id for one to be created on commit).
   */
  communityChoices?: Map<string, OrgRef>;
}

/** Longest community name grouped as "unknown" (a longer cell is a row problem, not a name to map). */
const MAX_COMMUNITY_NAME = 100;

export interface RowResult {
  record: ElderImportRecord | null;
  orgPath: string | null;
  problems: RowProblem[];
  warnings: RowProblem[];
  serialNo?: string;
  /** problems that only matter when the row is not already a duplicate (derived-field contradictions) */
  contradictions: string[];
  /** the valid, normalised ID number, even when other cells have problems */
  idNumber: string | null;
  /** a community name the registry does not know: reported once per name, not once per row */
  unknownCommunity?: string;
}

const yes = new Set(['是', '√', '✓', 'Y', 'YES', '1', 'TRUE', '重点', '重点关注']);

/** True when the row carries no data: blank, or a footer / pre-numbered line without name or ID. */
export function isBlankRow(values: unknown[], ctx: RowContext): boolean {
  const serial = ctx.mapping.find((c) => c.field === 'serialNo');
  if (serial && /^(示例|例)$/.test(cellText(values[serial.col]) ?? '')) return true; // the template's example
  const filled = ctx.mapping.filter((c) => c.field !== 'serialNo' && cellText(values[c.col]) !== null);
  if (filled.length === 0) return true;
  const has = (f: ImportField) => filled.some((c) => c.field === f);
  const idCol = filled.find((c) => c.field === 'idNumber');
  const looksLikeId = idCol ? /\d{15}/.test(cellText(values[idCol.col]) ?? '') : false;
  if (!looksLikeId && values.some((v) => footer.test(cellText(v) ?? ''))) return true;
  return !has('name') && !has('idNumber') && filled.length <= 2;
}

const footer =
  /^(填表人|制表人|填报人|审核人|负责人|联系人|填表日期|制表日期|日期|合计|总计|共计|注)\s*[：:]/;

const columnsOf = new WeakMap<ColumnMapping[], Map<ImportField, ColumnMapping>>();

/** field → column, computed once per mapping (a 100k-row file checks 100k rows against one mapping) */
function columns(mapping: ColumnMapping[]): Map<ImportField, ColumnMapping> {
  let col = columnsOf.get(mapping);
  if (!col) {
    col = new Map();
    for (const c of mapping) if (c.field) col.set(c.field, c);
    columnsOf.set(mapping, col);
  }
  return col;
}

export function checkRow(rowNumber: number, values: unknown[], ctx: RowContext): RowResult {
  const col = columns(ctx.mapping);
  const cell = (f: ImportField) => {
    const c = col.get(f);
    return c ? values[c.col] : undefined;
  };
  const label = (f: ImportField) => col.get(f)?.header || fieldInfo[f].zh;
  const serialNo = cellText(cell('serialNo')) ?? undefined;
  const problems: RowProblem[] = [];
  const warnings: RowProblem[] = [];
  const contradictions: string[] = [];
  const problem = (f: ImportField, message: string) =>
    problems.push({ row: rowNumber, field: label(f), message, ...(serialNo ? { serialNo } : {}) });

  const name = cleanName(cell('name'));
  if (!name) problem('name', `${label('name')}不能为空`);
  else if (name.length > 50) problem('name', `${label('name')}不超过50字`);

  const idRaw = cellText(cell('idNumber'));
  const id = idRaw ? parseIdNumber(idRaw, { today: ctx.today }) : null;
  if (!idRaw) problem('idNumber', `${label('idNumber')}不能为空`);
  else if (id && !id.ok) problem('idNumber', id.reason);
  else if (id?.ok && id.upgradedFrom15) {
    warnings.push({
      row: rowNumber,
      field: label('idNumber'),
      message: `15位旧身份证号 ${id.upgradedFrom15} 已升级为18位 ${id.idNumber}`,
      ...(serialNo ? { serialNo } : {}),
    });
  }
  const idOk = id?.ok ? id : null;

  const gender = parseGender(cell('gender'));
  if (gender === 'bad') problem('gender', `${label('gender')}应为“男”或“女”`);
  else if (gender && idOk && gender !== idOk.gender) {
    const text = `${label('gender')}与身份证号不符（身份证号为${idOk.gender === 'M' ? '男' : '女'}性）`;
    problem('gender', text);
    contradictions.push(text);
  }

  const birthCell = cell('birthDate');
  if (cellText(birthCell) !== null) {
    const birth = parseDateValue(birthCell);
    if (!birth) problem('birthDate', `${label('birthDate')}“${clip(cellText(birthCell)!)}”无法识别`);
    else if (idOk && !idOk.birthDate.startsWith(birth.value)) {
      const text = `${label('birthDate')}与身份证号不符（身份证号为${idOk.birthDate}）`;
      problem('birthDate', text);
      contradictions.push(text);
    }
  }

  const phones = parsePhones(cell('phones'));
  if (phones.bad.length > 0)
    problem('phones', `${label('phones')}“${clip(phones.bad.join('、'))}”格式不正确`);
  if (phones.phones.length > 5) problem('phones', `${label('phones')}最多5个号码`);

  const living = parseLivingSituation(cell('livingSituation'));
  if (living === 'bad') {
    problem(
      'livingSituation',
      `${label('livingSituation')}“${clip(cellText(cell('livingSituation'))!)}”无法识别，应为：独居、空巢、纯老家庭、孤老、留守、与子女同住、机构`,
    );
  }
  const categories = parseCategories(cell('categories'));
  if (categories.bad.length > 0) {
    problem(
      'categories',
      `${label('categories')}“${clip(categories.bad.join('、'))}”无法识别，应为：离休干部、退休干部、军休干部、无军籍职工、遗属、退休教职工、社区老人`,
    );
  }

  // where the elder lives: community (or the request's default), optionally a grid below it
  let org: OrgRef | null = null;
  let unknownCommunity: string | undefined;
  const communityName = cellText(cell('community'));
  const chosen = communityName ? ctx.communityChoices?.get(orgKey(communityName)) : undefined;
  if (chosen) org = chosen;
  else if (communityName) {
    const c = ctx.orgs.community(communityName);
    if (c === 'unknown' && Array.from(communityName).length <= MAX_COMMUNITY_NAME) {
      unknownCommunity = communityName;
    } else if (c === 'unknown')
      problem('community', `${label('community')}“${clip(communityName)}”不存在或不在您的管辖范围内`);
    else if (c === 'ambiguous')
      problem('community', `${label('community')}“${clip(communityName)}”有重名，请联系管理员`);
    else org = c;
  } else if (ctx.defaultOrg) {
    org = ctx.defaultOrg;
  } else {
    problem('community', `${label('community')}不能为空`);
  }
  const gridName = cellText(cell('grid'));
  if (gridName && org && org.id < 0) {
    problem('grid', `${label('grid')}“${clip(gridName)}”：新建的社区下还没有网格，请先留空`);
  } else if (gridName && (org || !communityName)) {
    const under = org?.kind === 'community' ? org : null;
    const g = ctx.orgs.grid(gridName, under);
    if (g === 'unknown') problem('grid', `${label('grid')}“${clip(gridName)}”不存在或不在该社区下`);
    else if (g === 'ambiguous') problem('grid', `${label('grid')}“${clip(gridName)}”有重名，请同时填写社区`);
    else org = g;
  }

  let affiliationId: number | null = null;
  const affName = cellText(cell('affiliation'));
  if (affName) {
    const a = ctx.orgs.affiliation(affName);
    if (a === 'unknown')
      problem('affiliation', `${label('affiliation')}“${clip(affName)}”不存在或不在您的管辖范围内`);
    else if (a === 'ambiguous') problem('affiliation', `${label('affiliation')}“${clip(affName)}”有重名`);
    else affiliationId = a.id;
  }

  const address = cellText(cell('address'));
  if (address && address.length > 200) problem('address', `${label('address')}不超过200字`);
  const parts = address && !col.has('building') ? addressParts(address) : {};
  const short = (f: 'building' | 'unit' | 'room') => {
    const v = cellText(cell(f)) ?? parts[f] ?? null;
    if (v && v.length > 20) problem(f, `${label(f)}不超过20字`);
    return v;
  };
  const building = short('building');
  const unit = short('unit');
  const room = short('room');

  const contactName = cleanName(cell('contactName'));
  const contactRelation = cellText(cell('contactRelation'));
  const contactPhones = parsePhones(cell('contactPhone'));
  if (contactPhones.bad.length > 0) {
    problem('contactPhone', `${label('contactPhone')}“${clip(contactPhones.bad.join('、'))}”格式不正确`);
  }
  if (contactName && contactName.length > 50) problem('contactName', `${label('contactName')}不超过50字`);
  if (contactRelation && contactRelation.length > 20) {
    problem('contactRelation', `${label('contactRelation')}不超过20字`);
  }
  if (!contactName && contactPhones.phones.length > 0) {
    problem('contactName', `填写了${label('contactPhone')}，但${label('contactName')}为空`);
  }

  const tags = parseTags(cell('tags'));
  for (const t of tags) if (t.length > 20) problem('tags', `${label('tags')}“${t.slice(0, 10)}…”超过20字`);
  const keyConcern = cellText(cell('keyConcern'));
  if (keyConcern && yes.has(keyConcern.toUpperCase()) && !tags.includes('重点关注')) tags.unshift('重点关注');
  if (tags.length > 20) problem('tags', `${label('tags')}最多20个`);

  if (problems.length > 0 || !name || !idOk || !org) {
    return {
      record: null,
      orgPath: null,
      problems,
      warnings,
      serialNo,
      contradictions,
      idNumber: idOk?.idNumber ?? null,
      ...(unknownCommunity ? { unknownCommunity } : {}),
    };
  }
  const record: ElderImportRecord = {
    idNumber: idOk.idNumber,
    name,
    gender: idOk.gender,
    birthDate: idOk.birthDate,
    phones: phones.phones,
    orgId: org.id,
    affiliationId,
    address,
    building,
    unit,
    room,
    categories: categories.values,
    livingSituation: living,
    tags,
    emergencyContact: contactName
      ? { name: contactName, relation: contactRelation, phones: contactPhones.phones }
      : null,
  };
  return { record, orgPath: org.path, problems, warnings, serialNo, contradictions, idNumber: idOk.idNumber };
}

export interface CheckedRows {
  total: number;
  records: { row: number; record: ElderImportRecord; orgPath: string; serialNo?: string }[];
  invalid: RowProblem[];
  duplicates: RowDuplicate[];
  warnings: RowProblem[];
  /** rows (not duplicates) whose community name is unknown, for the grouped problem */
  unknownCommunities: { row: number; name: string }[];
}

/**
 * Accumulates rows: the first row with an ID number wins, later rows with the same number are
 * duplicates naming it. A duplicate's contradictions with its own birth date / gender are folded into
 * the duplicate message (they usually mean the ID was copied from the other row).
 */
export class RowCollector {
  private readonly seen = new Map<string, { row: number; serialNo?: string }>();
  readonly result: CheckedRows = {
    total: 0,
    records: [],
    invalid: [],
    duplicates: [],
    warnings: [],
    unknownCommunities: [],
  };

  /** Counts a data row without checking it (the sheet lacks a required column). */
  count(values: unknown[], ctx: RowContext): void {
    if (!isBlankRow(values, ctx)) this.result.total++;
  }

  add(rowNumber: number, values: unknown[], ctx: RowContext): void {
    if (isBlankRow(values, ctx)) return;
    this.result.total++;
    const r = checkRow(rowNumber, values, ctx);
    const idNumber = r.idNumber;
    const earlier = idNumber ? this.seen.get(idNumber) : undefined;
    if (earlier) {
      const rest = r.problems.filter((p) => !r.contradictions.includes(p.message));
      this.result.invalid.push(...rest);
      this.result.duplicates.push({
        row: rowNumber,
        ofRow: earlier.row,
        message:
          `身份证号与第${earlier.row}行重复` +
          (r.contradictions.length > 0 ? `；且${r.contradictions.join('，')}，请核对身份证号` : ''),
        ...(r.serialNo ? { serialNo: r.serialNo } : {}),
        ...(earlier.serialNo ? { ofSerialNo: earlier.serialNo } : {}),
      });
      return;
    }
    if (idNumber) this.seen.set(idNumber, { row: rowNumber, serialNo: r.serialNo });
    this.result.invalid.push(...r.problems);
    this.result.warnings.push(...r.warnings);
    if (r.unknownCommunity) this.result.unknownCommunities.push({ row: rowNumber, name: r.unknownCommunity });
    if (r.record) {
      this.result.records.push({
        row: rowNumber,
        record: r.record,
        orgPath: r.orgPath!,
        ...(r.serialNo ? { serialNo: r.serialNo } : {}),
      });
    }
  }
}
