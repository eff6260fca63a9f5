import { describe, expect, it } from 'vitest';
import { checkUscc, usccCheckChar } from './uscc.ts';

describe('统一社会信用代码 (GB 32100-2015)', () => {
  it('computes the check character of known codes', () => {
    // codes from the sample register (../shared/data/service-catalogue.xlsx, fictional)
    expect(usccCheckChar('91330155NG7BP5J77')).toBe('T');
    expect(usccCheckChar('9133011321CTJFEC5')).toBe('D');
    expect(usccCheckChar('91330141U3CKE790N')).toBe('0');
  });

  it('accepts a valid code typed with spaces and lower case', () => {
    expect(checkUscc('91330155 ng7bp5j77t')).toEqual({ ok: true, uscc: '91330155NG7BP5J77T' });
  });

  it('refuses a wrong check character, a forbidden letter and a wrong length, saying why in Chinese', () => {
    const wrong = checkUscc('91330155NG7BP5J77U');
    expect(wrong).toMatchObject({ ok: false, reason: '校验码不正确，请核对' });
    expect(checkUscc('91330155NG7BP5J7IT')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('“I”'),
    });
    expect(checkUscc('9133015')).toMatchObject({ ok: false, reason: '应为18位，实为7位' });
  });

  it('a check value of 31 - 0 wraps to 0', () => {
    // every weight times 0 is 0: sum 0 → (31 - 0) % 31 = 0
    expect(usccCheckChar('00000000000000000')).toBe('0');
  });
});
