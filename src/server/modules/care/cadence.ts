import lunar from 'lunar-javascript';
import type { Cadence, HolidayOverrides, LunarHoliday } from '../../../shared/care.ts';

// Asia/Shanghai has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact for every
// date a duty can fall on; "midnight", "the 10th" and "month end" are Shanghai's, never UTC's.
const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86400_000;

export interface DueWindow {
  /** the deadline: the end of the window (exclusive) */
  dueAt: Date;
  windowStart: Date;
  windowEnd: Date;
}

export interface DueOptions {
  after: Date;
  lastDoneAt?: Date | null;
  /** 'YYYY-MM-DD' */
  birthDate?: string | null;
  /** 'YYYY-MM-DD' of the current hospital admission */
  admissionDate?: string | null;
  overrides?: HolidayOverrides;
}

interface Civil {
  y: number;
  m: number;
  d: number;
}

/** The instant of a Shanghai wall-clock time; overflowing days/months roll over (Date.UTC semantics). */
export function shanghaiTime(y: number, m: number, d: number, h = 0, min = 0): Date {
  return new Date(Date.UTC(y, m - 1, d, h, min) - OFFSET_MS);
}

/** The Shanghai calendar date of an instant. */
export function civilOf(at: Date): Civil {
  const t = new Date(at.getTime() + OFFSET_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function parseDate(s: string): Civil {
  const [y, m, d] = s.split('-').map(Number);
  return { y, m, d };
}

/** The birthday in year y; 29 February is kept on 28 February in common years. */
export function birthdayIn(birth: Civil, y: number): Civil {
  return { y, m: birth.m, d: Math.min(birth.d, daysInMonth(y, birth.m)) };
}

const holidayLunarDay: Record<LunarHoliday, [number, number]> = {
  spring_festival: [1, 1],
  mid_autumn: [8, 15],
  double_ninth: [9, 9],
};

/**
 * The Gregorian date of a lunar holiday in Gregorian year y: each of the three falls inside the
 * Gregorian year of the same number (春节 between 21 Jan and 20 Feb), so lunar year y gives it.
 */
export function lunarHolidayDate(holiday: LunarHoliday, y: number, overrides?: HolidayOverrides): string {
  const o = overrides?.[holiday]?.[y];
  if (o) return o;
  const [lm, ld] = holidayLunarDay[holiday];
  return lunar.Lunar.fromYmd(y, lm, ld).getSolar().toYmd();
}

function dayWindow(c: Civil, before: number, after: number): [Date, Date] {
  return [shanghaiTime(c.y, c.m, c.d - before), shanghaiTime(c.y, c.m, c.d + after + 1)];
}

const hm = (s: string) => s.split(':').map(Number) as [number, number];

/** The periods of a cadence in time order, starting no later than the one containing `from`. */
function* periods(c: Cadence, from: Date, o: DueOptions): Generator<[Date, Date]> {
  const f = civilOf(from);
  switch (c.kind) {
    case 'daily': {
      const wins = [...c.windows].sort((a, b) => a.start.localeCompare(b.start));
      for (let i = -1; ; i++) {
        for (const w of wins) {
          const [sh, sm] = hm(w.start);
          const [eh, em] = hm(w.end);
          yield [shanghaiTime(f.y, f.m, f.d + i, sh, sm), shanghaiTime(f.y, f.m, f.d + i, eh, em)];
        }
      }
    }
    case 'weekly': {
      // ISO weeks start on Monday
      const dow = new Date(Date.UTC(f.y, f.m - 1, f.d)).getUTCDay() || 7;
      for (let w = 0; ; w++) {
        const monday = f.d - (dow - 1) + 7 * w;
        if (c.weekday) yield dayWindow({ y: f.y, m: f.m, d: monday + c.weekday - 1 }, 0, 0);
        else yield [shanghaiTime(f.y, f.m, monday), shanghaiTime(f.y, f.m, monday + 7)];
      }
    }
    case 'monthly_day':
      for (let i = 0; ; i++) {
        const y = f.y + Math.floor((f.m - 1 + i) / 12);
        const m = ((f.m - 1 + i) % 12) + 1;
        yield dayWindow({ y, m, d: Math.min(c.day, daysInMonth(y, m)) }, 0, 0);
      }
    case 'monthly':
    case 'quarterly':
    case 'yearly': {
      const len = c.kind === 'monthly' ? 1 : c.kind === 'quarterly' ? 3 : 12;
      const first = f.m - ((f.m - 1) % len);
      for (let i = 0; ; i++) {
        yield [shanghaiTime(f.y, first + i * len, 1), shanghaiTime(f.y, first + (i + 1) * len, 1)];
      }
    }
    case 'birthday': {
      if (!o.birthDate) return;
      const b = parseDate(o.birthDate);
      for (let y = f.y - 1; y < f.y + 3; y++) yield dayWindow(birthdayIn(b, y), c.daysBefore, c.daysAfter);
      return;
    }
    case 'decade_birthday': {
      if (!o.birthDate) return;
      const b = parseDate(o.birthDate);
      for (let age = c.minAge; age <= 150; age += 10) {
        if (b.y + age < f.y - 1) continue;
        yield dayWindow(birthdayIn(b, b.y + age), c.daysBefore, c.daysAfter);
      }
      return;
    }
    case 'hospital': {
      if (!o.admissionDate) return;
      const a = parseDate(o.admissionDate);
      // "within N days": by the end of the N-th day after the day of admission
      yield dayWindow(a, 0, c.withinDays);
      return;
    }
    case 'lunar_holiday':
      for (let y = f.y - 1; y < f.y + 3; y++) {
        yield dayWindow(parseDate(lunarHolidayDate(c.holiday, y, o.overrides)), c.daysBefore, c.daysAfter);
      }
      return;
    case 'seasonal':
      for (let y = f.y - 1; y < f.y + 3; y++) {
        const endYear = c.endMonth >= c.startMonth ? y : y + 1;
        yield [shanghaiTime(y, c.startMonth, 1), shanghaiTime(endYear, c.endMonth + 1, 1)];
      }
      return;
  }
}

/**
 * The next window of a cadence that is still open after `after` and not yet fulfilled: a period is
 * fulfilled when `lastDoneAt` lies inside it. Null when the cadence has nothing more to ask
 * (no birth date, hospital visit done or its window passed).
 */
export function nextDue(cadence: Cadence, opts: DueOptions): DueWindow | null {
  let n = 0;
  for (const [start, end] of periods(cadence, opts.after, opts)) {
    if (++n > 2000) break;
    if (end.getTime() <= opts.after.getTime()) continue;
    const done = opts.lastDoneAt && opts.lastDoneAt >= start && opts.lastDoneAt < end;
    if (done) continue;
    return { dueAt: end, windowStart: start, windowEnd: end };
  }
  return null;
}

/**
 * True when a contact at `doneAt` fulfils the duty's current window: it falls inside it, or after it
 * (the window is overdue). A contact before the window opens fulfils nothing — a 23:53 call is not
 * tomorrow's check-in, and a Wednesday visit not Friday's: each window needs its own contact, or the
 * elder goes a day without one and the worklist and the silence alarm no longer ask for it.
 */
export function fulfilsWindow(current: { windowStart: Date } | null, doneAt: Date): boolean {
  return !current || doneAt.getTime() >= current.windowStart.getTime();
}

/**
 * The duty's window after a contact: unchanged when the contact came before the window opened; else
 * the next window not containing the contact (a late contact fulfils the overdue window and the one it
 * falls in, never one after it).
 */
export function advanceAfterContact(
  cadence: Cadence,
  current: { windowStart: Date; windowEnd: Date } | null,
  doneAt: Date,
  opts: Omit<DueOptions, 'after' | 'lastDoneAt'>,
): DueWindow | null {
  if (current && !fulfilsWindow(current, doneAt)) {
    return { dueAt: current.windowEnd, windowStart: current.windowStart, windowEnd: current.windowEnd };
  }
  return nextDue(cadence, { ...opts, after: doneAt, lastDoneAt: doneAt });
}

/** Days between two instants, rounded down (for "3 days overdue"). */
export function wholeDays(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY_MS);
}

/** True when the cadence's windows depend on the elder (birthday, admission), not only on the calendar. */
export function isElderDependent(c: Cadence): boolean {
  return c.kind === 'birthday' || c.kind === 'decade_birthday' || c.kind === 'hospital';
}
