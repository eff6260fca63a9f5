import { describe, expect, it } from 'vitest';
import { idNumberCheckChar, makeIdNumber, maskIdNumber, maskPhone, parseIdNumber } from './id-number.ts';

const today = '2026-11-22';

describe('parseIdNumber (GB 11643-1999)', () => {
  it("accepts the standard's own examples and derives birth date and gender", () => {
    expect(parseIdNumber('11010519491231002X', { today })).toEqual({
      ok: true,
      idNumber: '11010519491231002X',
      birthDate: '1949-12-31',
      gender: 'F',
    });
    expect(parseIdNumber('440524188001010014', { today })).toEqual({
      ok: true,
      idNumber: '440524188001010014',
      birthDate: '1880-01-01',
      gender: 'M',
    });
  });

  it('trims and upper-cases a lower-case x', () => {
    const r = parseIdNumber('  11010519491231002x ', { today });
    expect(r.ok && r.idNumber).toBe('11010519491231002X');
  });

  it('computes the ISO 7064 MOD 11-2 check character', () => {
    expect(idNumberCheckChar('11010519491231002')).toBe('X');
    expect(idNumberCheckChar('44052418800101001')).toBe('4');
  });

  it('rejects a wrong check character without revealing the right one', () => {
    const r = parseIdNumber('110105194912310021', { today });
    expect(r).toMatchObject({ ok: false });
    expect(!r.ok && r.reason).toContain('校验位不符');
    expect(!r.ok && r.reason).not.toContain('X');
    // whatever the right character is, neither message names it (nor any digit or X at all)
    for (const first17 of ['11010519491231002', '44052418800101001', '33020319500101123']) {
      const right = idNumberCheckChar(first17);
      const wrong = right === '1' ? '2' : '1';
      const bad = parseIdNumber(first17 + wrong, { today });
      expect(bad.ok).toBe(false);
      if (!bad.ok) {
        expect(bad.reason).not.toContain(right);
        expect(bad.reasonEn).not.toMatch(/[0-9X]/);
        expect(bad.reason).not.toMatch(/[0-9X]/);
      }
    }
  });

  it('rejects wrong lengths and characters', () => {
    expect(parseIdNumber('1101051949123100', { today })).toMatchObject({ ok: false });
    expect(parseIdNumber('11010519491231002Y', { today })).toMatchObject({ ok: false });
    expect(parseIdNumber('', { today })).toMatchObject({ ok: false, reason: '身份证号不能为空' });
  });

  it('rejects impossible area codes', () => {
    expect(
      parseIdNumber(makeIdNumber('110105', '1949-12-31', 2).replace(/^11/, '01'), { today }),
    ).toMatchObject({ ok: false });
    const bad = `99010519491231002`;
    const r = parseIdNumber(bad + idNumberCheckChar(bad), { today });
    expect(!r.ok && r.reason).toContain('地址码');
  });

  it('rejects dates that do not exist or lie in the future', () => {
    const feb31 = '11010519490231002';
    const r = parseIdNumber(feb31 + idNumberCheckChar(feb31), { today });
    expect(!r.ok && r.reason).toContain('不存在');
    const leap = makeIdNumber('110105', '1948-02-29', 11);
    expect(parseIdNumber(leap, { today }).ok).toBe(true);
    const notLeap = '11010519490229011';
    expect(parseIdNumber(notLeap + idNumberCheckChar(notLeap), { today }).ok).toBe(false);
    const future = makeIdNumber('110105', '2026-11-23', 11);
    const f = parseIdNumber(future, { today });
    expect(!f.ok && f.reason).toContain('晚于今天');
    expect(parseIdNumber(makeIdNumber('110105', '2026-11-22', 11), { today }).ok).toBe(true);
  });

  it('rejects the sequence 000', () => {
    const s = '11010519491231000';
    expect(parseIdNumber(s + idNumberCheckChar(s), { today }).ok).toBe(false);
  });

  it('upgrades a 15-digit number and says so', () => {
    const r = parseIdNumber('110105491231002', { today });
    expect(r).toEqual({
      ok: true,
      idNumber: '11010519491231002X',
      birthDate: '1949-12-31',
      gender: 'F',
      upgradedFrom15: '110105491231002',
    });
    expect(parseIdNumber('110105490231002', { today }).ok).toBe(false);
  });

  it('makeIdNumber builds valid numbers with the gender of the sequence', () => {
    for (let seq = 0; seq < 1200; seq += 37) {
      const id = makeIdNumber('310104', '1935-05-12', seq);
      const r = parseIdNumber(id, { today });
      expect(r.ok).toBe(true);
    }
    const male = parseIdNumber(makeIdNumber('310104', '1935-05-12', 1), { today });
    expect(male.ok && male.gender).toBe('M');
    const female = parseIdNumber(makeIdNumber('310104', '1935-05-12', 2), { today });
    expect(female.ok && female.gender).toBe('F');
  });
});

describe('masks', () => {
  it('masks ID numbers as first 6 + 8 stars + last 4', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskIdNumber('')).toBe('');
  });
  it('masks mobiles and landlines', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('0571-88881234')).toBe('0571-****1234');
    expect(maskPhone('021-6543210')).toBe('021-***3210');
    expect(maskPhone(null)).toBe('');
  });
});
