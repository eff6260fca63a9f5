import { z } from 'zod';

// One rule for phone numbers everywhere (issue 11.9): a mainland mobile (1[3-9] + 9 digits, an optional
// +86 / 86 / 0086 in front) or a landline with its area code (010-12345678, 0574-87654321), with an
// optional extension (-123, 转123, ext 123). Spaces, dashes, brackets and full-width digits are
// tolerated on input; what is stored is canonical: `13812345678`, `0574-87654321`, `010-12345678-123`.

export const PHONE_MESSAGE = '手机号码或带区号的固定电话格式不正确';

function fullWidthToHalf(s: string): string {
  return s
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}

/** The canonical form of a phone number, or null when it is neither a mobile nor a landline with area code. */
export function normalizePhone(input: string): string | null {
  let s = fullWidthToHalf(String(input ?? '')).trim();
  if (s === '') return null;
  s = s.replace(/[()（）]/g, ' ').replace(/转|ext\.?|x/gi, '-');
  s = s.replace(/^\+?\s*0{0,2}86[\s-]*(?=1\d{2}[\s-]*\d{4}[\s-]*\d{4}$)/, '');
  s = s.replace(/^\+\s*86[\s-]*/, '0').replace(/^00?86[\s-]+/, '0');
  const digits = s.replace(/[\s-]/g, '');
  if (/^1[3-9]\d{9}$/.test(digits)) return digits;
  // landline: area code (010, 02x: 3 digits; others 4) + 7–8 digit number + optional extension
  const parts = s
    .split(/[\s-]+/)
    .filter((p) => p !== '')
    .join('-');
  const withArea = /^(0\d{2,3})-?(\d{3,4})-?(\d{4})(?:-(\d{1,6}))?$/.exec(parts);
  if (withArea) {
    const all = withArea[1]! + withArea[2]! + withArea[3]!;
    const areaLen = /^(010|02\d)/.test(all) ? 3 : 4;
    const area = all.slice(0, areaLen);
    const num = all.slice(areaLen);
    if (num.length >= 7 && num.length <= 8) {
      return `${area}-${num}${withArea[4] ? `-${withArea[4]}` : ''}`;
    }
  }
  return null;
}

/** A zod field for one phone number: refused with {@link PHONE_MESSAGE}, stored normalised. */
export const phoneSchema = z
  .string()
  .max(40, PHONE_MESSAGE)
  .transform((v, ctx) => {
    const p = normalizePhone(v);
    if (p === null) {
      ctx.addIssue({ code: 'custom', message: PHONE_MESSAGE });
      return z.NEVER;
    }
    return p;
  });
