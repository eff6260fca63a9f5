import { describe, expect, it } from 'vitest';
import {
  buildMapping,
  columnLetter,
  columnNumber,
  detectHeaderRow,
  fieldForHeader,
  MappingError,
} from './fields.ts';

const row = (rowNumber: number, cells: unknown[]) => ({ rowNumber, values: [undefined, ...cells] });

describe('header detection', () => {
  it('finds the header below a title row and ignores the title', () => {
    const rows = [
      row(1, ['交大二村社区离退休老同志花名册']),
      row(2, ['序号', '姓名', '性别', '身份证号', '出生日期', '手机']),
      row(3, [1, '罗明华', '女', '610113194404215921', '1944/04/21', '13774317651']),
    ];
    expect(detectHeaderRow(rows)).toBe(2);
  });

  it('finds it under two title lines and a blank row, with aliased headers', () => {
    const rows = [
      row(1, ['某某街道']),
      row(2, ['2024年特殊困难老年人名单', null, '制表：社区']),
      row(3, []),
      row(4, [
        '编号',
        '老人姓名',
        '公民身份号码',
        '出生年月',
        '联系电话',
        '居住状况',
        '人员类别',
        '所属社区',
      ]),
      row(5, [1, '张三', '11010519491231002X']),
    ];
    expect(detectHeaderRow(rows)).toBe(4);
  });

  it('needs a name or ID column: a sheet of other tables has no header', () => {
    expect(detectHeaderRow([row(1, ['地址', '备注']), row(2, ['甲', '乙'])])).toBeNull();
  });

  it.each([
    ['身份证号', 'idNumber'],
    ['身份证号码', 'idNumber'],
    ['公民身份号码', 'idNumber'],
    ['出生年月', 'birthDate'],
    ['联系电话', 'phones'],
    ['手机', 'phones'],
    ['电话', 'phones'],
    ['手机号码', 'phones'],
    ['居住状况', 'livingSituation'],
    ['类别', 'categories'],
    ['人员类别', 'categories'],
    ['所属社区', 'community'],
    ['楼组', 'grid'],
    ['原单位', 'affiliation'],
    ['家庭住址', 'address'],
    ['紧急联系人', 'contactName'],
    ['与本人关系', 'contactRelation'],
    ['关系', 'contactRelation'],
    ['紧急联系电话', 'contactPhone'],
    ['备注', 'tags'],
    ['姓 名', 'name'],
    ['*身份证号（必填）', 'idNumber'],
    ['随便', null],
  ])('maps the header %s to %s', (header, field) => {
    expect(fieldForHeader(header)).toBe(field);
  });
});

describe('buildMapping', () => {
  const header = [undefined, '序号', '姓名', '证件', '手机', '座机', '社区', '说明'];

  it('maps by alias, one column per field (the first wins)', () => {
    const m = buildMapping(header);
    expect(m.map((c) => [c.column, c.header, c.field])).toEqual([
      ['A', '序号', 'serialNo'],
      ['B', '姓名', 'name'],
      ['C', '证件', null],
      ['D', '手机', 'phones'],
      ['E', '座机', null],
      ['F', '社区', 'community'],
      ['G', '说明', 'tags'],
    ]);
  });

  it('applies the override by column letter or header, with field keys or Chinese names', () => {
    const m = buildMapping(header, { C: 'idNumber', 说明: null, 座机: '联系电话' });
    expect(m.find((c) => c.column === 'C')!.field).toBe('idNumber');
    expect(m.find((c) => c.column === 'G')!.field).toBeNull();
    expect(m.find((c) => c.column === 'E')!.field).toBe('phones');
    expect(m.find((c) => c.column === 'D')!.field).toBeNull(); // the field moved to E
  });

  it('rejects an override naming an unknown column or field', () => {
    expect(() => buildMapping(header, { Z: 'name' })).toThrow(MappingError);
    expect(() => buildMapping(header, { C: 'shoeSize' })).toThrow(MappingError);
  });

  it('converts column letters', () => {
    expect([1, 26, 27, 52, 703].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'AAA']);
    expect(columnNumber('AA')).toBe(27);
    expect(columnNumber('a1')).toBeNull();
  });
});
