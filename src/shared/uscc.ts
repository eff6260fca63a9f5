// 统一社会信用代码, GB 32100-2015: 18 characters — registration authority (1), organisation type (1),
// administrative division (6), organisation code (9, GB 11714), check character (1) computed
// MOD 31 over the first 17. The alphabet leaves out I, O, Z, S and V (too like 1, 0, 2, 5 and U).

export const usccAlphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character for the first 17 characters, or null when one is outside the alphabet. */
export function usccCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = usccAlphabet.indexOf(first17[i]!);
    if (v < 0) return null;
    sum += v * weights[i]!;
  }
  return usccAlphabet[(31 - (sum % 31)) % 31]!;
}

export type UsccResult = { ok: true; uscc: string } | { ok: false; reason: string; reasonEn: string };

/** Checks a code as an office types it: spaces removed and letters upper-cased first. */
export function checkUscc(input: string): UsccResult {
  const code = input.replace(/[\s\u3000-]/g, '').toUpperCase();
  if (code.length !== 18) {
    return {
      ok: false,
      reason: `应为18位，实为${code.length}位`,
      reasonEn: `must be 18 characters, not ${code.length}`,
    };
  }
  const bad = [...code].find((c) => !usccAlphabet.includes(c));
  if (bad) {
    return {
      ok: false,
      reason: `含有不允许的字符“${bad}”（不使用 I、O、Z、S、V）`,
      reasonEn: `holds the character "${bad}", which is not allowed (I, O, Z, S, V are never used)`,
    };
  }
  if (usccCheckChar(code.slice(0, 17)) !== code[17]) {
    return { ok: false, reason: '校验码不正确，请核对', reasonEn: 'the check character is wrong' };
  }
  return { ok: true, uscc: code };
}
