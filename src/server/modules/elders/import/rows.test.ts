import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeIdNumber } from '../../../../shared/id-number.ts';
import { buildMapping } from './fields.ts';
import { checkRow, makeOrgDirectory, type OrgRef, RowCollector, type RowContext } from './rows.ts';
import { readRoster } from './sheet-reader.ts';

const orgs: OrgRef[] = [
  { id: 10, name: '兴庆社区', kind: 'community', path: '/1/2/3/10/', tree: 'geo' },
  { id: 11, name: '交大二村社区', kind: 'community', path: '/1/2/3/11/', tree: 'geo' },
  { id: 12, name: '第1网格', kind: 'grid', path: '/1/2/3/11/12/', tree: 'geo' },
  { id: 13, name: '第1网格', kind: 'grid', path: '/1/2/3/10/13/', tree: 'geo' },
  { id: 20, name: '测试大学', kind: 'unit', path: '/20/', tree: 'affiliation' },
];
const header = [
  undefined,
  '序号',
  '姓名',
  '性别',
  '身份证号码',
  '出生年月',
  '联系电话',
  '所属社区',
  '楼组',
  '原单位',
  '家庭住址',
  '居住状况',
  '人员类别',
  '紧急联系人',
  '与本人关系',
  '紧急联系电话',
];
const ctx: RowContext = {
  mapping: buildMapping(header),
  orgs: makeOrgDirectory(orgs),
  defaultOrg: null,
  today: '2026-11-22',
};
const id = makeIdNumber('610113', '1935-05-12', 31); // male
const cells = (over: Record<number, unknown> = {}) => {
  const base: unknown[] = [
    undefined,
    1,
    '朱永福',
    '男',
    id,
    '1935.5.12',
    '138 1234 5678',
    '交大二村社区',
    '第1网格',
    '测试大学',
    '交大二村3号楼2单元502室',
    '独居老人',
    '离休、遗属',
    '朱小明',
    '儿子',
    '0571-8888 1234',
  ];
  for (const [k, v] of Object.entries(over)) base[Number(k)] = v;
  return base;
};

describe('checkRow', () => {
  it('turns a good row into an import record', () => {
    const r = checkRow(5, cells(), ctx);
    expect(r.problems).toEqual([]);
    expect(r.record).toEqual({
      idNumber: id,
      name: '朱永福',
      gender: 'M',
      birthDate: '1935-05-12',
      phones: ['13812345678'],
      orgId: 12,
      affiliationId: 20,
      address: '交大二村3号楼2单元502室',
      building: '3',
      unit: '2',
      room: '502',
      categories: ['离休干部', '遗属'],
      livingSituation: '独居',
      tags: [],
      emergencyContact: { name: '朱小明', relation: '儿子', phones: ['0571-88881234'] },
    });
    expect(r.orgPath).toBe('/1/2/3/11/12/');
  });

  it('names the row, the header text and the reason for each problem', () => {
    const r = checkRow(
      7,
      cells({
        2: '',
        3: '女',
        5: '1936年1月1日',
        6: '12345',
        7: '不存在社区',
        11: '在外地',
        12: '干部家属',
        15: 'x',
      }),
      ctx,
    );
    expect(r.record).toBeNull();
    expect(r.problems.map((p) => [p.row, p.field, p.message])).toEqual([
      [7, '姓名', '姓名不能为空'],
      [7, '性别', '性别与身份证号不符（身份证号为男性）'],
      [7, '出生年月', `出生年月与身份证号不符（身份证号为1935-05-12）`],
      [7, '联系电话', '联系电话“12345”格式不正确'],
      [7, '居住状况', '居住状况“在外地”无法识别，应为：独居、空巢、纯老家庭、孤老、留守、与子女同住、机构'],
      [7, '人员类别', expect.stringContaining('人员类别“干部家属”无法识别')],
      [7, '紧急联系电话', '紧急联系电话“x”格式不正确'],
    ]);
    // an unknown community is not a row problem: the import groups it by name for one answer
    expect(r.unknownCommunity).toBe('不存在社区');
    expect(r.problems[0]!.serialNo).toBe('1');
  });

  it('accepts a month-only 出生年月 that agrees with the ID number', () => {
    expect(checkRow(5, cells({ 5: '1935年5月' }), ctx).problems).toEqual([]);
    expect(checkRow(5, cells({ 5: '1935-06' }), ctx).problems[0]!.field).toBe('出生年月');
  });

  it('upgrades a 15-digit ID number with a warning', () => {
    const r = checkRow(5, cells({ 4: '110105351231002', 3: '女', 5: '1935-12-31' }), ctx);
    expect(r.problems).toEqual([]);
    expect(r.record!.idNumber).toBe('110105193512310026'.slice(0, 17) + r.record!.idNumber[17]);
    expect(r.warnings[0]!.message).toContain('15位旧身份证号');
  });

  it('uses the default org when the community cell is empty, and reports a missing one otherwise', () => {
    expect(checkRow(5, cells({ 7: null, 8: null }), ctx).problems[0]!.message).toBe('所属社区不能为空');
    const withDefault = { ...ctx, defaultOrg: orgs[0]! };
    expect(checkRow(5, cells({ 7: null, 8: null }), withDefault).record!.orgId).toBe(10);
  });

  it('reports duplicates naming the earlier row, and skips blank and footer lines', () => {
    const c = new RowCollector();
    c.add(3, cells(), ctx);
    c.add(4, [undefined, 2], ctx); // pre-numbered empty line
    c.add(5, [undefined, undefined, '填表人：李四', '日期：2024年1月1日'], ctx);
    c.add(6, cells({ 1: 4, 2: '朱永福' }), ctx);
    c.add(7, cells({ 1: 5, 5: '1940-01-01' }), ctx);
    expect(c.result.total).toBe(3);
    expect(c.result.records.map((r) => r.row)).toEqual([3]);
    expect(c.result.invalid).toEqual([]);
    expect(c.result.duplicates).toEqual([
      { row: 6, ofRow: 3, message: '身份证号与第3行重复', serialNo: '4', ofSerialNo: '1' },
      {
        row: 7,
        ofRow: 3,
        message: '身份证号与第3行重复；且出生年月与身份证号不符（身份证号为1935-05-12），请核对身份证号',
        serialNo: '5',
        ofSerialNo: '1',
      },
    ]);
  });
});

describe('the sample roster (/work/shared/data/sample-roster.xlsx)', () => {
  const sample = new URL('../../../../../../shared/data/sample-roster.xlsx', import.meta.url);
  it.skipIf(!fs.existsSync(sample))('finds 120 rows, 117 valid, and the three problem rows', async () => {
    const c = new RowCollector();
    let rowCtx: RowContext | null = null;
    const layout = await readRoster(
      fs.readFileSync(sample),
      undefined,
      (l) => {
        rowCtx = { ...ctx, mapping: l.mapping };
      },
      (r) => c.add(r.rowNumber, r.values, rowCtx!),
    );
    expect(layout.headerRow).toBe(2);
    expect(c.result.total).toBe(120);
    expect(c.result.records).toHaveLength(117);
    // the README counts by 序号; the spreadsheet rows are two further down (title + header)
    expect(c.result.invalid.map((p) => [p.row, p.serialNo, p.field])).toEqual([
      [12, '10', '身份证号'],
      [47, '45', '姓名'],
    ]);
    expect(c.result.invalid[0]!.message).toContain('校验位');
    expect(c.result.duplicates.map((d) => [d.row, d.serialNo, d.ofRow, d.ofSerialNo])).toEqual([
      [83, '81', 15, '13'],
    ]);
    const first = c.result.records[0]!.record;
    expect(first).toMatchObject({
      name: '罗明华',
      building: '2',
      unit: '2',
      room: '995',
      livingSituation: '纯老家庭',
    });
    expect(first.emergencyContact).toEqual({ name: '孙国强', relation: '女儿', phones: ['18842926553'] });
  });
});
