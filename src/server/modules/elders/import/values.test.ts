import { describe, expect, it } from 'vitest';
import {
  addressParts,
  cellText,
  cleanName,
  excelSerialToDate,
  normalizePhone,
  parseCategories,
  parseDateValue,
  parseGender,
  parseLivingSituation,
  parsePhones,
  parseTags,
} from './values.ts';

describe('parseDateValue', () => {
  it.each([
    ['1935-05-12', '1935-05-12'],
    ['1935/5/12', '1935-05-12'],
    ['1935/05/12', '1935-05-12'],
    ['1935.5.12', '1935-05-12'],
    ['1935年5月12日', '1935-05-12'],
    ['1935年05月12日', '1935-05-12'],
    ['19350512', '1935-05-12'],
    [' １９３５－５－１２ ', '1935-05-12'],
    [19350512, '1935-05-12'],
    [12916, '1935-05-12'],
    ['12916', '1935-05-12'],
    [new Date(Date.UTC(1935, 4, 12)), '1935-05-12'],
    [{ formula: 'DATE(1935,5,12)', result: new Date(Date.UTC(1935, 4, 12)) }, '1935-05-12'],
  ])('reads %s as a day', (input, expected) => {
    expect(parseDateValue(input)).toEqual({ value: expected, precision: 'day' });
  });

  it.each([
    ['1935-05', '1935-05'],
    ['1935.5', '1935-05'],
    ['1935年5月', '1935-05'],
    ['193505', '1935-05'],
  ])('reads %s as a month (出生年月)', (input, expected) => {
    expect(parseDateValue(input)).toEqual({ value: expected, precision: 'month' });
  });

  it.each(['1949-02-31', '1935/13/1', 'unknown', '三五年', '', null])('rejects %s', (input) => {
    expect(parseDateValue(input)).toBeNull();
  });

  it('converts Excel serial numbers in the 1900 date system', () => {
    expect(excelSerialToDate(1)).toBeNull(); // before the 1900 leap-year bug: not a birth date
    expect(excelSerialToDate(61)).toBe('1900-03-01');
    expect(excelSerialToDate(45000)).toBe('2023-03-15');
  });
});

describe('phones', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['138 1234 5678', '13812345678'],
    ['138-1234-5678', '13812345678'],
    ['+86 138 1234 5678', '13812345678'],
    ['+8613812345678', '13812345678'],
    ['86-13812345678', '13812345678'],
    ['0571-8888 1234', '0571-88881234'],
    ['0571 88881234', '0571-88881234'],
    ['057188881234', '0571-88881234'],
    ['(0571)88881234', '0571-88881234'],
    ['（029）8266 8888', '029-82668888'],
    ['02982668888', '029-82668888'],
    ['010-12345678', '010-12345678'],
    ['+86 21 6543 2100', '021-65432100'],
    ['0571-88881234 转 801', '0571-88881234-801'],
  ])('normalises %s', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each(['1381234567', '12345', 'abc', '0571-123', '88881234'])('rejects %s', (input) => {
    expect(normalizePhone(input)).toBeNull();
  });

  it('splits several numbers in one cell and reports the bad ones', () => {
    expect(parsePhones('13812345678、0571-8888 1234')).toEqual({
      phones: ['13812345678', '0571-88881234'],
      bad: [],
    });
    expect(parsePhones('13812345678 13987654321')).toEqual({
      phones: ['13812345678', '13987654321'],
      bad: [],
    });
    expect(parsePhones('13812345678/123')).toEqual({ phones: ['13812345678'], bad: ['123'] });
    expect(parsePhones(13812345678)).toEqual({ phones: ['13812345678'], bad: [] });
    expect(parsePhones(null)).toEqual({ phones: [], bad: [] });
  });
});

describe('value mapping', () => {
  it('maps gender words', () => {
    expect(parseGender('男')).toBe('M');
    expect(parseGender(' 女性 ')).toBe('F');
    expect(parseGender('')).toBeNull();
    expect(parseGender('未知')).toBe('bad');
  });

  it('maps categories, several per cell, with everyday synonyms', () => {
    expect(parseCategories('离休干部')).toEqual({ values: ['离休干部'], bad: [] });
    expect(parseCategories('离休、遗属')).toEqual({ values: ['离休干部', '遗属'], bad: [] });
    expect(parseCategories('退休教师')).toEqual({ values: ['退休教职工'], bad: [] });
    expect(parseCategories('干部家属')).toEqual({ values: [], bad: ['干部家属'] });
  });

  it('maps living situations', () => {
    expect(parseLivingSituation('独居')).toBe('独居');
    expect(parseLivingSituation('独居老人')).toBe('独居');
    expect(parseLivingSituation('孤寡')).toBe('孤老');
    expect(parseLivingSituation('和子女同住')).toBe('与子女同住');
    expect(parseLivingSituation('养老院')).toBe('机构');
    expect(parseLivingSituation('在外地')).toBe('bad');
    expect(parseLivingSituation(null)).toBeNull();
  });

  it('flattens rich text and formula results', () => {
    expect(cellText({ richText: [{ text: '交大一村' }, { text: '2' }, { text: '号楼' }] })).toBe(
      '交大一村2号楼',
    );
    expect(cellText({ formula: 'A1', result: 5 })).toBe('5');
    expect(cellText('  ')).toBeNull();
  });

  it('splits building, unit and room out of an address', () => {
    expect(addressParts('西安市雁塔区交大一村2号楼2单元995')).toEqual({
      building: '2',
      unit: '2',
      room: '995',
    });
    expect(addressParts('幸福路8栋302室')).toEqual({ building: '8', room: '302' });
    expect(addressParts('幸福路')).toEqual({});
  });

  it('cleans names and tags', () => {
    expect(cleanName('王  芳')).toBe('王芳');
    expect(cleanName('John  Smith')).toBe('John Smith');
    expect(parseTags('重点关注、西迁老教授 重点关注')).toEqual(['重点关注', '西迁老教授']);
  });
});
