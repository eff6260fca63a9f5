import { type ProviderKind, providerKinds } from '../../../shared/catalogue.ts';
import { normalizePhone } from '../../../shared/phone.ts';
import { checkUscc } from '../../../shared/uscc.ts';
import { normalizeHeader } from '../elders/import/fields.ts';
import { cellRaw, cellText, clip, parseDateValue } from '../elders/import/values.ts';

// The two registers an office keeps in Excel — 服务项目目录 and 加盟服务商名录 — as rows we can write:
// columns found by the names offices give them (a title row above the header does not matter), each
// cell checked, every problem a row number, a column and a reason in Chinese. Pure: no I/O.

export type SheetKind = 'items' | 'providers';

interface FieldDef {
  zh: string;
  aliases: string[];
}

export const itemFields = {
  category: { zh: '服务类别', aliases: ['服务类别', '类别', '项目类别', '服务分类', '分类', '大类'] },
  name: { zh: '服务项目', aliases: ['服务项目', '项目名称', '服务名称', '项目', '服务内容名称'] },
  unit: { zh: '计量单位', aliases: ['计量单位', '单位', '计价单位'] },
  price: { zh: '参考价格', aliases: ['参考价格', '价格', '收费标准', '单价', '指导价', '服务价格'] },
  accept: { zh: '接单时限', aliases: ['接单时限', '受理时限', '响应时限', '接单时间'] },
  arrive: { zh: '上门时限', aliases: ['上门时限', '到达时限', '上门时间'] },
  complete: { zh: '完成时限', aliases: ['完成时限', '办结时限', '完成时间'] },
  card: { zh: '可用服务卡支付', aliases: ['可用服务卡支付', '服务卡支付', '可用服务卡', '服务卡'] },
  note: { zh: '备注', aliases: ['备注', '说明'] },
} satisfies Record<string, FieldDef>;
export type ItemField = keyof typeof itemFields;

export const providerFields = {
  name: { zh: '服务商名称', aliases: ['服务商名称', '服务商', '机构名称', '单位名称', '名称', '服务机构'] },
  uscc: { zh: '统一社会信用代码', aliases: ['统一社会信用代码', '社会信用代码', '信用代码', '组织机构代码'] },
  kind: { zh: '类型', aliases: ['类型', '服务商类型', '机构类型', '单位性质', '性质'] },
  categories: { zh: '服务类别', aliases: ['服务类别', '服务内容', '服务范围', '服务类型', '服务项目'] },
  areas: { zh: '服务区域', aliases: ['服务区域', '服务片区', '服务街道', '覆盖区域', '服务地域'] },
  contactName: { zh: '联系人', aliases: ['联系人', '负责人'] },
  contactPhone: { zh: '联系电话', aliases: ['联系电话', '电话', '手机', '联系方式'] },
  contractStart: {
    zh: '合同起始',
    aliases: ['合同起始', '合同开始', '签约日期', '起始日期', '合同起始日期'],
  },
  contractEnd: { zh: '合同截止', aliases: ['合同截止', '合同到期', '截止日期', '到期日期', '合同截止日期'] },
  stars: { zh: '服务星级', aliases: ['服务星级', '星级', '等级', '评级'] },
  capacity: { zh: '接单上限', aliases: ['接单上限', '服务能力', '同时接单数'] },
  status: { zh: '状态', aliases: ['状态', '合作状态'] },
} satisfies Record<string, FieldDef>;
export type ProviderField = keyof typeof providerFields;

function index<F extends string>(defs: Record<F, FieldDef>) {
  const m = new Map<string, F>();
  for (const [f, d] of Object.entries(defs) as [F, FieldDef][]) {
    for (const a of d.aliases) m.set(normalizeHeader(a), f);
  }
  return m;
}
const itemIndex = index<ItemField>(itemFields);
const providerIndex = index<ProviderField>(providerFields);

export interface Layout<F extends string> {
  kind: SheetKind;
  headerRow: number;
  /** column number → field */
  columns: Map<number, F>;
}

function mapRow<F extends string>(values: unknown[], idx: Map<string, F>): Map<number, F> {
  const cols = new Map<number, F>();
  const seen = new Set<F>();
  values.forEach((v, col) => {
    const t = cellText(v);
    const f = t ? idx.get(normalizeHeader(t)) : undefined;
    if (f && !seen.has(f)) {
      cols.set(col, f);
      seen.add(f);
    }
  });
  return cols;
}

/** Which register a sheet holds, and its header row: the first rows scored by known column names. */
export function detectLayout(
  head: { rowNumber: number; values: unknown[] }[],
): Layout<ItemField> | Layout<ProviderField> | null {
  let best: ((Layout<ItemField> | Layout<ProviderField>) & { score: number }) | null = null;
  for (const row of head) {
    const items = mapRow(row.values, itemIndex);
    const provs = mapRow(row.values, providerIndex);
    const itemFieldsFound = new Set(items.values());
    const provFieldsFound = new Set(provs.values());
    if (itemFieldsFound.has('name') && itemFieldsFound.has('category') && items.size >= 3) {
      if (!best || items.size > best.score)
        best = { kind: 'items', headerRow: row.rowNumber, columns: items, score: items.size };
    }
    if (
      (provFieldsFound.has('name') || provFieldsFound.has('uscc')) &&
      provs.size >= 3 &&
      provs.size > items.size
    ) {
      if (!best || provs.size > best.score)
        best = { kind: 'providers', headerRow: row.rowNumber, columns: provs, score: provs.size };
    }
  }
  return best;
}

export interface Problem {
  row: number;
  field: string;
  message: string;
}

function cells<F extends string>(values: unknown[], columns: Map<number, F>): Partial<Record<F, unknown>> {
  const out: Partial<Record<F, unknown>> = {};
  for (const [col, f] of columns) out[f] = values[col];
  return out;
}

const text = (v: unknown) => cellText(v)?.replace(/\s+/g, ' ') ?? null;

function yesNo(v: unknown): boolean | 'bad' {
  const t = text(v);
  if (t == null) return false;
  if (/^(是|可|可以|允许|√|✓|y|yes|true|1)$/i.test(t)) return true;
  if (/^(否|不可|不可以|不允许|×|✗|n|no|false|0)$/i.test(t)) return false;
  return 'bad';
}

/** 参考价格 in yuan → fen; 免费 (or blank) → null. */
function priceFen(v: unknown): number | null | 'bad' {
  const raw = cellRaw(v);
  if (raw == null) return null;
  if (typeof raw === 'number') return raw >= 0 && raw <= 1_000_000 ? Math.round(raw * 100) : 'bad';
  const t = String(raw).replace(/\s+/g, '');
  if (/^(免费|无偿|公益|政府购买|-|—)$/.test(t)) return null;
  const m = /^[¥￥]?(\d+(?:\.\d{1,2})?)元?(?:\/.*)?$/.exec(t);
  return m ? Math.round(Number(m[1]) * 100) : 'bad';
}

/** A limit in hours (0.25 is 15 minutes) → minutes; blank takes the default. */
function minutes(v: unknown, dflt: number): number | 'bad' {
  const raw = cellRaw(v);
  if (raw == null) return dflt;
  const n = typeof raw === 'number' ? raw : Number(String(raw).replace(/(小时|h|H)$/, ''));
  if (!Number.isFinite(n) || n <= 0 || n > 24 * 365) return 'bad';
  return Math.max(1, Math.round(n * 60));
}

export interface ItemRowIn {
  row: number;
  category: string;
  name: string;
  unit: string;
  priceFen: number | null;
  acceptMinutes: number;
  arriveMinutes: number;
  completeMinutes: number;
  cardPayable: boolean;
  note: string | null;
}

const tooLong = (s: string, max: number) => Array.from(s).length > max;

export function parseItemRow(
  rowNumber: number,
  values: unknown[],
  columns: Map<number, ItemField>,
): { ok: ItemRowIn } | { problems: Problem[] } | null {
  const c = cells(values, columns);
  const problems: Problem[] = [];
  const bad = (f: ItemField, message: string) =>
    problems.push({ row: rowNumber, field: itemFields[f].zh, message });
  const name = text(c.name);
  const category = text(c.category);
  const unit = text(c.unit);
  if (!name && !category && !unit) return null; // a blank or footer line
  if (!name) bad('name', '服务项目名称不能为空');
  else if (tooLong(name, 50)) bad('name', `名称超过50字：“${clip(name)}”`);
  if (!category) bad('category', '服务类别不能为空');
  else if (tooLong(category, 30)) bad('category', `类别超过30字：“${clip(category)}”`);
  if (!unit) bad('unit', '计量单位不能为空');
  else if (tooLong(unit, 10)) bad('unit', `计量单位超过10字：“${clip(unit)}”`);
  const price = priceFen(c.price);
  if (price === 'bad')
    bad('price', `“${clip(text(c.price) ?? '')}”不是金额，请填写元数（如 12 或 12.5）或“免费”`);
  const accept = minutes(c.accept, 4 * 60);
  const arrive = minutes(c.arrive, 48 * 60);
  const complete = minutes(c.complete, 72 * 60);
  for (const [f, v] of [
    ['accept', accept],
    ['arrive', arrive],
    ['complete', complete],
  ] as const) {
    if (v === 'bad') bad(f, `“${clip(text(c[f]) ?? '')}”不是有效的小时数（大于 0，如 4 或 0.25）`);
  }
  const card = yesNo(c.card);
  if (card === 'bad') bad('card', `“${clip(text(c.card) ?? '')}”应为“是”或“否”`);
  const note = text(c.note);
  if (note && tooLong(note, 200)) bad('note', '备注超过200字');
  if (problems.length) return { problems };
  return {
    ok: {
      row: rowNumber,
      category: category!,
      name: name!,
      unit: unit!,
      priceFen: price as number | null,
      acceptMinutes: accept as number,
      arriveMinutes: arrive as number,
      completeMinutes: complete as number,
      cardPayable: card as boolean,
      note,
    },
  };
}

const kindWords: [RegExp, ProviderKind][] = [
  [/志愿/, 'volunteer_team'],
  [/医疗|卫生|医院|诊所/, 'medical'],
  [/社会组织|民办非企业|民非|社会团体|社团|基金会/, 'social_org'],
  [/事业单位/, 'public_service'],
  [/企业|公司|个体|工商/, 'enterprise'],
];

export function providerKindOf(t: string): ProviderKind | null {
  if ((providerKinds as readonly string[]).includes(t)) return t as ProviderKind;
  return kindWords.find(([re]) => re.test(t))?.[1] ?? null;
}

/** 、 , ， ; ； / and spaces separate the names in one cell. */
export const splitList = (t: string | null) =>
  (t ?? '')
    .split(/[、,，;；/\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);

function stars(v: unknown): number | null | 'bad' {
  const raw = cellRaw(v);
  if (raw == null) return null;
  if (typeof raw === 'number') return Number.isInteger(raw) && raw >= 1 && raw <= 5 ? raw : 'bad';
  const t = String(raw).replace(/\s+/g, '');
  const filled = [...t].filter((ch) => ch === '★' || ch === '☆' || ch === '*').length;
  if (filled > 0 && filled === [...t].length) {
    const n = [...t].filter((ch) => ch === '★' || ch === '*').length;
    return n >= 1 && n <= 5 ? n : 'bad';
  }
  const m = /^([1-5一二三四五])星?级?$/.exec(t);
  if (!m) return 'bad';
  const d = '一二三四五'.indexOf(m[1]!);
  return d >= 0 ? d + 1 : Number(m[1]);
}

function status(
  t: string | null,
  end: string | null,
  today: string,
): 'active' | 'suspended' | 'expired' | 'bad' {
  if (t) {
    if (/暂停|停止派单|中止/.test(t)) return 'suspended';
    if (/到期|过期|终止|解约/.test(t)) return 'expired';
    if (!/合作|正常|有效|在约|启用/.test(t)) return 'bad';
  }
  return end && end < today ? 'expired' : 'active';
}

export interface ProviderRowIn {
  row: number;
  name: string;
  kind: ProviderKind;
  uscc: string | null;
  categories: string[];
  areas: string[];
  contactName: string | null;
  contactPhone: string | null;
  contractStart: string | null;
  contractEnd: string | null;
  stars: number | null;
  capacity: number | null;
  status: 'active' | 'suspended' | 'expired';
}

export function parseProviderRow(
  rowNumber: number,
  values: unknown[],
  columns: Map<number, ProviderField>,
  today: string,
): { ok: ProviderRowIn } | { problems: Problem[] } | null {
  const c = cells(values, columns);
  const problems: Problem[] = [];
  const bad = (f: ProviderField, message: string) =>
    problems.push({ row: rowNumber, field: providerFields[f].zh, message });
  const name = text(c.name);
  const usccText = text(c.uscc);
  if (!name && !usccText && !text(c.areas)) return null;
  if (!name) bad('name', '服务商名称不能为空');
  else if (tooLong(name, 60)) bad('name', `名称超过60字：“${clip(name)}”`);
  const kindText = text(c.kind);
  let kind: ProviderKind | null = kindText ? providerKindOf(kindText) : null;
  if (kindText && !kind)
    bad('kind', `“${clip(kindText)}”不是可识别的类型（企业、社会组织、医疗机构、志愿团队、事业单位）`);
  if (!kindText) {
    if (usccText) kind = 'enterprise';
    else bad('kind', '请填写类型（企业、社会组织、医疗机构、志愿团队、事业单位）');
  }
  let uscc: string | null = null;
  if (usccText) {
    const r = checkUscc(usccText);
    if (r.ok) uscc = r.uscc;
    else bad('uscc', `“${clip(usccText)}”${r.reason}`);
  } else if (kind && kind !== 'volunteer_team') {
    bad('uscc', '统一社会信用代码不能为空（只有志愿团队可不填）');
  }
  const categories = splitList(text(c.categories));
  if (categories.length === 0) bad('categories', '请填写服务类别');
  const areas = splitList(text(c.areas));
  if (areas.length === 0) bad('areas', '请填写服务区域（街道名称，或“全市”）');
  const contactName = text(c.contactName);
  if (contactName && tooLong(contactName, 30)) bad('contactName', '联系人超过30字');
  const phoneText = text(c.contactPhone);
  let contactPhone: string | null = null;
  if (phoneText) {
    const p = normalizePhone(phoneText);
    if (p) contactPhone = p;
    else bad('contactPhone', `“${clip(phoneText)}”不是有效的电话号码`);
  }
  const dates: Record<'contractStart' | 'contractEnd', string | null> = {
    contractStart: null,
    contractEnd: null,
  };
  for (const f of ['contractStart', 'contractEnd'] as const) {
    if (text(c[f]) == null) continue;
    const d = parseDateValue(c[f]);
    if (d?.precision !== 'day')
      bad(f, `“${clip(text(c[f]) ?? '')}”不是日期（如 2026-01-01 或 2026年1月1日）`);
    else dates[f] = d.value;
  }
  if (dates.contractStart && dates.contractEnd && dates.contractEnd < dates.contractStart) {
    bad('contractEnd', '合同截止日期早于起始日期');
  }
  const s = stars(c.stars);
  if (s === 'bad') bad('stars', `“${clip(text(c.stars) ?? '')}”不是 1–5 星（如 ★★★ 或 3）`);
  let capacity: number | null = null;
  const capRaw = cellRaw(c.capacity);
  if (capRaw != null) {
    const n = Number(capRaw);
    if (Number.isInteger(n) && n >= 0 && n <= 100_000) capacity = n;
    else bad('capacity', `“${clip(text(c.capacity) ?? '')}”应为不小于 0 的整数`);
  }
  const st = status(text(c.status), dates.contractEnd, today);
  if (st === 'bad') bad('status', `“${clip(text(c.status) ?? '')}”应为合作中、暂停或已到期`);
  if (problems.length) return { problems };
  return {
    ok: {
      row: rowNumber,
      name: name!,
      kind: kind!,
      uscc,
      categories,
      areas,
      contactName,
      contactPhone,
      contractStart: dates.contractStart,
      contractEnd: dates.contractEnd,
      stars: s as number | null,
      capacity,
      status: st as 'active' | 'suspended' | 'expired',
    },
  };
}
