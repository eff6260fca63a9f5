import { describe, expect, it } from 'vitest';
import { pinyinKeys } from './pinyin.ts';

describe('pinyinKeys', () => {
  it('gives full pinyin and initials', () => {
    expect(pinyinKeys('朱永福')).toEqual({ full: 'zhuyongfu', initials: 'zyf' });
  });
  it('reads polyphonic surnames as surnames', () => {
    expect(pinyinKeys('单雄信')).toEqual({ full: 'shanxiongxin', initials: 'sxx' });
    expect(pinyinKeys('曾国藩').initials).toBe('zgf');
    expect(pinyinKeys('曾国藩').full).toBe('zengguofan');
  });
  it('writes ü as v and ignores spaces and dots', () => {
    expect(pinyinKeys('吕 秀兰').full).toBe('lvxiulan');
    expect(pinyinKeys('阿依古丽·买买提').initials).toBe('aygl' + 'mmt');
    expect(pinyinKeys('')).toEqual({ full: '', initials: '' });
  });
});
