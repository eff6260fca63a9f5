import { describe, expect, it } from 'vitest';
import { commonPasswords, isCommonPassword, newPasswordSchema } from './common-passwords.ts';

describe('password strength', () => {
  it('knows a few hundred common passwords, the Chinese favourites among them', () => {
    expect(commonPasswords.size).toBeGreaterThan(300);
    for (const p of ['1234567890', 'qwertyuiop', 'woaini1314', 'a123456789', '5201314520', '11111111111']) {
      expect(isCommonPassword(p)).toBe(true);
    }
  });

  it('catches padded, repeated and differently-cased forms', () => {
    expect(isCommonPassword('Password123!')).toBe(true);
    expect(isCommonPassword('QWERTYUIOP1')).toBe(true);
    expect(isCommonPassword('abcabcabcabc')).toBe(true);
    expect(isCommonPassword('zzzzzzzzzzzz')).toBe(true);
  });

  it('lets the demo password and ordinary passphrases through', () => {
    expect(newPasswordSchema.safeParse('carecircle').success).toBe(true);
    expect(newPasswordSchema.safeParse('Tide-Lantern-42').success).toBe(true);
  });

  it('says what is wrong, in Chinese', () => {
    expect(newPasswordSchema.safeParse('short').error?.issues[0]?.message).toBe('密码至少 10 位');
    expect(newPasswordSchema.safeParse('woaini1314').error?.issues[0]?.message).toContain('密码过于常见');
  });
});
