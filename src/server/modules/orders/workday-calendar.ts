import type { SlaBasis } from '../../../shared/orders-rules.ts';

/**
 * The Chinese working-day calendar the SLA clocks run on: Monday to Friday work, Saturday and Sunday
 * off, except that the State Council's yearly notice (国务院办公厅关于××年部分节假日安排的通知) makes
 * some days holidays (放假) and some weekend days working days (调休上班). The notices of 2025 and 2026
 * are kept below as data; an administrator's overrides win over them (a local arrangement, a year whose
 * notice is not in the code yet), as care's `holiday_overrides` win over the computed lunar dates.
 *
 * Working time is the office window of a working day, 08:30–17:30 Asia/Shanghai by default and
 * configurable per calendar; the lunch break is not taken out (service providers work through it, and an
 * office's "one working day" is read as the whole window). An SLA "on working days" counts only working
 * time; an SLA not on working days counts wall-clock time (`basis` below).
 *
 * Asia/Shanghai has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact.
 */
const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86400_000;
/** no calendar loses more than a few weeks of working days in a row; past this the overrides are wrong */
const MAX_DAYS_SCANNED = 3660;

export interface StatutorySchedule {
  /** [first day, last day, name] of each holiday period, inclusive, 'YYYY-MM-DD' */
  holidays: readonly [string, string, string][];
  /** weekend days that are working days (调休上班) */
  makeupWorkdays: readonly string[];
}

/**
 * 国办发明电〔2024〕12号 (12 November 2024), the first year under the revised 全国年节及纪念日放假办法
 * (春节 and 劳动节 one day longer).
 */
const schedule2025: StatutorySchedule = {
  holidays: [
    ['2025-01-01', '2025-01-01', '元旦'],
    ['2025-01-28', '2025-02-04', '春节'],
    ['2025-04-04', '2025-04-06', '清明节'],
    ['2025-05-01', '2025-05-05', '劳动节'],
    ['2025-05-31', '2025-06-02', '端午节'],
    ['2025-10-01', '2025-10-08', '国庆节、中秋节'],
  ],
  makeupWorkdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
};

/**
 * 国务院办公厅关于2026年部分节假日安排的通知 (4 November 2025), as published by Xinhua (新华社北京11月4日电)
 * and checked against several reprints of it; the document number was not in the text we could read.
 */
const schedule2026: StatutorySchedule = {
  holidays: [
    ['2026-01-01', '2026-01-03', '元旦'],
    ['2026-02-15', '2026-02-23', '春节'],
    ['2026-04-04', '2026-04-06', '清明节'],
    ['2026-05-01', '2026-05-05', '劳动节'],
    ['2026-06-19', '2026-06-21', '端午节'],
    ['2026-09-25', '2026-09-27', '中秋节'],
    ['2026-10-01', '2026-10-07', '国庆节'],
  ],
  makeupWorkdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
};

export const statutorySchedules: Readonly<Record<number, StatutorySchedule>> = {
  2025: schedule2025,
  2026: schedule2026,
};

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup_workday';

/** An administrator's word on one date: working or not, with a name shown beside it. */
export interface WorkdayOverride {
  /** 'YYYY-MM-DD' */
  date: string;
  working: boolean;
  name?: string | null;
}

export interface WorkdayCalendarOptions {
  overrides?: readonly WorkdayOverride[];
  /** the working window of a working day, 'HH:MM' Asia/Shanghai; default 08:30–17:30 */
  window?: { start: string; end: string };
  /** schedules to use instead of the built-in ones (tests, a year added before the code is) */
  schedules?: Readonly<Record<number, StatutorySchedule>>;
}

export interface WorkdayCalendar {
  /** minutes after Shanghai midnight */
  windowStart: number;
  windowEnd: number;
  dayKind(date: string): DayKind;
  isWorkingDate(date: string): boolean;
  /** the name of the holiday or make-up day, if any ('春节', '春节调休上班', an override's name) */
  dayName(date: string): string | null;
  /** whether the State Council's notice for `year` is known (built in or given); overrides do not count */
  scheduleKnown(year: number): boolean;
}

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (t: Date) => `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;

/** The Shanghai calendar date of an instant, 'YYYY-MM-DD'. */
export function shanghaiDate(at: Date): string {
  return ymd(new Date(at.getTime() + OFFSET_MS));
}

/** The instant of Shanghai midnight starting `date`. */
function midnight(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) - OFFSET_MS;
}

const nextDate = (date: string, days = 1) => ymd(new Date(midnight(date) + OFFSET_MS + days * DAY_MS));

function minutesOf(hm: string, field: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hm);
  const v = m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN;
  if (!(v >= 0 && v <= 24 * 60)) throw new Error(`工作时段${field}“${hm}”格式应为 HH:MM`);
  return v;
}

export function makeWorkdayCalendar(opts: WorkdayCalendarOptions = {}): WorkdayCalendar {
  const schedules = opts.schedules ?? statutorySchedules;
  const windowStart = minutesOf(opts.window?.start ?? '08:30', '开始时间');
  const windowEnd = minutesOf(opts.window?.end ?? '17:30', '结束时间');
  if (windowEnd <= windowStart) throw new Error('工作时段的结束时间必须晚于开始时间');

  const named = new Map<string, { kind: DayKind; name: string }>();
  for (const s of Object.values(schedules)) {
    for (const [first, last, name] of s.holidays) {
      for (let d = first; d <= last; d = nextDate(d)) named.set(d, { kind: 'holiday', name });
    }
    for (const d of s.makeupWorkdays) named.set(d, { kind: 'makeup_workday', name: '调休上班' });
  }
  const overrides = new Map((opts.overrides ?? []).map((o) => [o.date, o]));

  const weekday = (date: string) => new Date(midnight(date) + OFFSET_MS).getUTCDay();
  const dayKind = (date: string): DayKind => {
    const weekend = weekday(date) === 0 || weekday(date) === 6;
    const o = overrides.get(date);
    if (o) return o.working ? (weekend ? 'makeup_workday' : 'workday') : weekend ? 'weekend' : 'holiday';
    const n = named.get(date);
    if (n) return n.kind;
    return weekend ? 'weekend' : 'workday';
  };
  return {
    windowStart,
    windowEnd,
    dayKind,
    isWorkingDate: (date) => {
      const k = dayKind(date);
      return k === 'workday' || k === 'makeup_workday';
    },
    dayName: (date) => overrides.get(date)?.name ?? named.get(date)?.name ?? null,
    scheduleKnown: (year) => year in schedules,
  };
}

/** The calendar with the built-in schedules and the default window. */
export const defaultCalendar = makeWorkdayCalendar();

export function isWorkingDay(at: Date | string, cal: WorkdayCalendar = defaultCalendar): boolean {
  return cal.isWorkingDate(typeof at === 'string' ? at : shanghaiDate(at));
}

/** The working window [start, end) of `date` as instants, or null on a day off. */
function windowOf(date: string, cal: WorkdayCalendar): [number, number] | null {
  if (!cal.isWorkingDate(date)) return null;
  const m = midnight(date);
  return [m + cal.windowStart * 60_000, m + cal.windowEnd * 60_000];
}

/**
 * The instant `ms` of working time after `start` (before it, when `ms` is negative). Time outside the
 * windows of working days does not count; a budget that runs out exactly at a window's end ends there,
 * not at the next morning (and, going back, exactly at a window's start).
 */
export function addWorkingTime(start: Date, ms: number, cal: WorkdayCalendar = defaultCalendar): Date {
  if (ms === 0) return new Date(start.getTime());
  const forward = ms > 0;
  let left = Math.abs(ms);
  let t = start.getTime();
  let date = shanghaiDate(start);
  for (let i = 0; i < MAX_DAYS_SCANNED; i++, date = nextDate(date, forward ? 1 : -1)) {
    const w = windowOf(date, cal);
    if (!w) continue;
    // the part of today's window on the right side of t
    const from = forward ? Math.max(t, w[0]) : Math.min(t, w[1]);
    const room = forward ? w[1] - from : from - w[0];
    if (room <= 0) continue;
    if (left <= room) return new Date(forward ? from + left : from - left);
    left -= room;
    t = forward ? w[1] : w[0];
  }
  throw new Error(`${MAX_DAYS_SCANNED} 天内没有足够的工作时间，请检查工作日设置`);
}

export const addWorkingHours = (start: Date, hours: number, cal: WorkdayCalendar = defaultCalendar) =>
  addWorkingTime(start, hours * 3600_000, cal);

/** The working time between two instants; negative when `to` is before `from`. */
export function workingTimeBetween(from: Date, to: Date, cal: WorkdayCalendar = defaultCalendar): number {
  if (to < from) return -workingTimeBetween(to, from, cal);
  const a = from.getTime();
  const b = to.getTime();
  let total = 0;
  for (let date = shanghaiDate(from); midnight(date) < b; date = nextDate(date)) {
    const w = windowOf(date, cal);
    if (w) total += Math.max(0, Math.min(b, w[1]) - Math.max(a, w[0]));
  }
  return total;
}

/** `ms` of SLA time after `start` on the given basis. */
export function addSlaTime(
  start: Date,
  ms: number,
  basis: SlaBasis,
  cal: WorkdayCalendar = defaultCalendar,
): Date {
  return basis === 'working' ? addWorkingTime(start, ms, cal) : new Date(start.getTime() + ms);
}

/** The SLA time between two instants on the given basis (negative when `to` is before `from`). */
export function slaTimeBetween(
  from: Date,
  to: Date,
  basis: SlaBasis,
  cal: WorkdayCalendar = defaultCalendar,
): number {
  return basis === 'working' ? workingTimeBetween(from, to, cal) : to.getTime() - from.getTime();
}

/** The length of one working day's window: "3 个工作日" is 3 × this of working time. */
export const workingDayMs = (cal: WorkdayCalendar = defaultCalendar) =>
  (cal.windowEnd - cal.windowStart) * 60_000;

/** The next working date strictly after `date` ('YYYY-MM-DD'). */
export function nextWorkingDate(date: string, cal: WorkdayCalendar = defaultCalendar): string {
  for (let d = nextDate(date), i = 0; i < MAX_DAYS_SCANNED; d = nextDate(d), i++) {
    if (cal.isWorkingDate(d)) return d;
  }
  throw new Error(`${MAX_DAYS_SCANNED} 天内没有工作日，请检查工作日设置`);
}

export { midnight as shanghaiMidnight, nextDate as addCalendarDays };
