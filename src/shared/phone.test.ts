import { describe, expect, it } from 'vitest';
import { normalizePhone, PHONE_MESSAGE, phoneSchema } from './phone.ts';

describe('normalizePhone', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['138 1234 5678', '13812345678'],
    ['138-1234-5678', '13812345678'],
    ['+86 138 1234 5678', '13812345678'],
    ['+8613812345678', '13812345678'],
    ['86-13812345678', '13812345678'],
    ['８６１３８１２３４５６７８', '13812345678'],
    ['0574-87654321', '0574-87654321'],
    ['0571 88881234', '0571-88881234'],
    ['057188881234', '0571-88881234'],
    ['(0571)88881234', '0571-88881234'],
    ['（029）8266 8888', '029-82668888'],
    ['010-12345678', '010-12345678'],
    ['+86 21 6543 2100', '021-65432100'],
    ['0574-87654321-123', '0574-87654321-123'],
    ['0574-87654321转123', '0574-87654321-123'],
  ])('accepts %s as %s', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each([
    '1381234567', // 10 digits
    '12812345678', // 12x is no mobile prefix
    '88881234', // a landline without its area code
    '12345',
    'abc',
    '0571-123',
    '138123456789',
    '',
  ])('refuses %s', (input) => {
    expect(normalizePhone(input)).toBeNull();
  });

  it('the zod field stores the canonical form and names the rule in Chinese', () => {
    expect(phoneSchema.parse(' 138-1234-5678 ')).toBe('13812345678');
    const r = phoneSchema.safeParse('12345');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe(PHONE_MESSAGE);
  });
});
