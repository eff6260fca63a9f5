// Resident ID numbers, GB 11643-1999 (DESIGN.md §4): 6-digit area code + YYYYMMDD + 3-digit sequence
// (odd = male) + one check character computed with ISO 7064 MOD 11-2. Old 15-digit numbers (YYMMDD,
// no check character, issued before 1999 to people born in the 1900s) are upgraded, never silently:
// the result carries `upgradedFrom15` so callers can say so.

export type IdNumberResult =
  | { ok: true; idNumber: string; birthDate: string; gender: 'M' | 'F'; upgradedFrom15?: string }
  | { ok: false; reason: string; reasonEn: string };

const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checkChars = '10X98765432';

// Province-level prefixes of GB/T 2260, plus 81/82/83 used by the residence permits of Hong Kong,
// Macao and Taiwan residents (2018).
const provincePrefixes = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
  62, 63, 64, 65, 71, 81, 82, 83,
]);

/** The check character for the first 17 digits of an 18-character ID number. */
export function idNumberCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('idNumberCheckChar needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i]!;
  return checkChars[sum % 11]!;
}

/** Today's date in Asia/Shanghai as YYYY-MM-DD. */
function shanghaiToday(): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

function fail(reason: string, reasonEn: string): IdNumberResult {
  return { ok: false, reason, reasonEn };
}

/**
 * Validates and normalises a resident ID number. `today` (YYYY-MM-DD, Asia/Shanghai by default) bounds
 * the birth date.
 */
export function parseIdNumber(raw: string, opts: { today?: string } = {}): IdNumberResult {
  const value = String(raw ?? '')
    .replace(/[\s\u3000]/g, '')
    .toUpperCase();
  if (value === '') return fail('身份证号不能为空', 'ID number is empty');
  let upgradedFrom15: string | undefined;
  let id = value;
  if (value.length === 15) {
    if (!/^\d{15}$/.test(value))
      return fail('15位身份证号只能包含数字', 'A 15-digit ID number has digits only');
    upgradedFrom15 = value;
    const first17 = `${value.slice(0, 6)}19${value.slice(6)}`;
    id = first17 + idNumberCheckChar(first17);
  } else if (value.length !== 18) {
    return fail(
      `身份证号应为18位（或15位旧号），实际为${value.length}位`,
      `An ID number has 18 characters (or 15 for old numbers), got ${value.length}`,
    );
  } else if (!/^\d{17}[\dX]$/.test(value)) {
    return fail('身份证号前17位须为数字，最后一位为数字或X', 'ID number: 17 digits then a digit or X');
  }

  const area = id.slice(0, 6);
  if (area[0] === '0' || !provincePrefixes.has(Number(area.slice(0, 2)))) {
    return fail(`身份证号地址码 ${area} 无效`, `Invalid area code ${area}`);
  }
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (y < 1850 || !isRealDate(y, m, d)) {
    return fail(
      `身份证号中的出生日期 ${id.slice(6, 14)} 不存在`,
      `Birth date ${id.slice(6, 14)} does not exist`,
    );
  }
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (birthDate > (opts.today ?? shanghaiToday())) {
    return fail(`身份证号中的出生日期 ${birthDate} 晚于今天`, `Birth date ${birthDate} is in the future`);
  }
  const seq = Number(id.slice(14, 17));
  if (seq === 0) return fail('身份证号顺序码不能为000', 'The sequence code cannot be 000');
  const expected = idNumberCheckChar(id.slice(0, 17));
  if (!upgradedFrom15 && id[17] !== expected) {
    // never say which character would be right: that turns a typo check into a number generator
    return fail(
      '身份证号无效（校验位不符），请核对后重新输入',
      'Invalid ID number (the check character does not match)',
    );
  }
  const gender = seq % 2 === 1 ? 'M' : 'F';
  return upgradedFrom15
    ? { ok: true, idNumber: id, birthDate, gender, upgradedFrom15 }
    : { ok: true, idNumber: id, birthDate, gender };
}

/** Builds a valid 18-character number (for fictional data generators only). */
export function makeIdNumber(area: string, birthDate: string, seq: number): string {
  if (!/^[1-9]\d{5}$/.test(area)) throw new Error(`makeIdNumber: bad area code ${area}`);
  const ymd = birthDate.replace(/-/g, '');
  if (!/^\d{8}$/.test(ymd)) throw new Error(`makeIdNumber: bad birth date ${birthDate}`);
  const s = ((Math.trunc(seq) % 999) + 999) % 999 || 999; // 1..999, never 000
  const first17 = `${area}${ymd}${String(s).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

/** `110105********002X`: first 6 and last 4 kept (the mask used on screen and paper). */
export function maskIdNumber(id: string | null | undefined): string {
  if (!id) return '';
  if (id.length <= 10) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

/** `138****5678` for mobiles; landlines keep the area code and the last 4 (`0571-****1234`). */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  const p = phone.trim();
  if (/^1\d{10}$/.test(p)) return `${p.slice(0, 3)}****${p.slice(-4)}`;
  const landline = /^(0\d{2,3})-?(\d{7,8})((?:-\d+)?)$/.exec(p);
  if (landline) return `${landline[1]}-${'*'.repeat(landline[2]!.length - 4)}${landline[2]!.slice(-4)}`;
  if (p.length <= 4) return '*'.repeat(p.length);
  return `${'*'.repeat(p.length - 4)}${p.slice(-4)}`;
}
