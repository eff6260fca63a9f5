import { describe, expect, it } from 'vitest';
import { ageOn, bornOnOrBefore, normalisePhones, searchTails } from './elders.view.ts';

describe('derived ages (Asia/Shanghai dates, never stored)', () => {
  it('counts whole years, the birthday itself included', () => {
    expect(ageOn('1936-11-22', '2026-11-22')).toBe(90);
    expect(ageOn('1936-11-23', '2026-11-22')).toBe(89);
    expect(ageOn('1926-02-29', '2026-02-28')).toBe(99);
    expect(ageOn('1926-02-28', '2026-02-28')).toBe(100);
  });

  it('gives the latest birth date of an age band', () => {
    expect(bornOnOrBefore('2026-11-22', 80)).toBe('1946-11-22');
    expect(bornOnOrBefore('2028-02-29', 100)).toBe('1928-02-29');
    expect(bornOnOrBefore('2028-02-29', 90)).toBe('1938-02-28');
  });
});

describe('search keys', () => {
  it('keeps the last 4 digits of every phone and the last 4 characters of the ID number', () => {
    expect(searchTails('11010519491231002X', ['138 1234 5678', '0571-8765 4321'])).toEqual([
      '5678',
      '4321',
      '002X',
    ]);
  });

  it('normalises phones: spaces and brackets out, duplicates once', () => {
    expect(normalisePhones(['138 1234 5678', '13812345678', '(0571)87654321', ''])).toEqual([
      '13812345678',
      '057187654321',
    ]);
  });
});
