import type { Timetable } from '../../../shared/welfare.ts';
import { addCalendarDays, defaultCalendar, type WorkdayCalendar } from '../orders/workday-calendar.ts';
import { daysInMonth, type Period, periodDays } from './periods.ts';

/**
 * The planned dates of a programme's timetable within one period, made in advance so that each can
 * become an order or a duty (Yuyao's card: 6 home cleanings a year). The dates fall on working days of
 * the orders module's calendar (the State Council's notice, 调休 and the administrator's overrides), since
 * the provider's staff keep office days: a date on a weekend or holiday moves to the next working day,
 * and the screen says why (原定10月1日（国庆节），顺延至10月8日).
 */
export interface PlannedDate {
  /** the working day the service is planned for, 'YYYY-MM-DD' */
  date: string;
  /** the date the timetable gave before moving off a day off */
  nominal: string;
  moved: boolean;
  /**
   * why the nominal date was not kept: the holiday's name, 周末, 与前一次服务错开 (the working day was
   * taken), 本期剩余工作日不足 (moved back to leave room for the dates to come); null when it was kept
   */
  movedBecause: string | null;
}

export interface TimetablePlan {
  dates: PlannedDate[];
  /** years of the period whose State Council notice is not known yet: the dates may still move */
  unknownYears: number[];
}

/** The nominal dates the timetable gives in the period, in order. */
function nominalDates(period: Period, t: Timetable): string[] {
  if (t.mode === 'even') {
    // the middle of each of `count` equal slices, so a year of 6 falls near the start of every other month
    const days = periodDays(period);
    return Array.from({ length: t.count }, (_, i) =>
      addCalendarDays(period.start, Math.floor(((i + 0.5) * days) / t.count)),
    );
  }
  const out: string[] = [];
  for (let y = Number(period.start.slice(0, 4)); y <= Number(period.end.slice(0, 4)); y++) {
    for (const m of [...t.months].sort((a, b) => a - b)) {
      // the 31st of a short month is its last day (29 February in a leap year)
      const d = `${y}-${String(m).padStart(2, '0')}-${String(Math.min(t.day ?? 1, daysInMonth(y, m))).padStart(2, '0')}`;
      if (d >= period.start && d <= period.end) out.push(d);
    }
  }
  return out;
}

/**
 * The planned dates of `timetable` in `period`. Each nominal date moves to the first working day on or
 * after it that no earlier date has taken; near the end of the period a date moves back instead when the
 * working days after it are needed by the dates still to come, so every planned date stays inside the
 * period. A timetable asking for more dates than the period has working days is refused in Chinese.
 */
export function plannedDates(
  period: Period,
  timetable: Timetable,
  cal: WorkdayCalendar = defaultCalendar,
): TimetablePlan {
  const working: string[] = [];
  for (let d = period.start; d <= period.end; d = addCalendarDays(d, 1)) {
    if (cal.isWorkingDate(d)) working.push(d);
  }
  const nominal = nominalDates(period, timetable);
  if (nominal.length > working.length) {
    throw new Error(`${period.label}只有 ${working.length} 个工作日，排不下 ${nominal.length} 次服务`);
  }
  const dates: PlannedDate[] = [];
  let last = -1;
  nominal.forEach((n, i) => {
    let j = working.findIndex((w) => w >= n);
    if (j < 0) j = working.length;
    // never before the previous pick, never so late that the dates still to come lack working days
    j = Math.min(Math.max(j, last + 1), working.length - (nominal.length - i));
    last = j;
    const date = working[j];
    const moved = date !== n;
    const kind = cal.dayKind(n);
    dates.push({
      date,
      nominal: n,
      moved,
      movedBecause: !moved
        ? null
        : kind === 'holiday'
          ? (cal.dayName(n) ?? '节假日')
          : kind === 'weekend'
            ? '周末'
            : date > n
              ? '与前一次服务错开'
              : '本期剩余工作日不足',
    });
  });
  const years = new Set([Number(period.start.slice(0, 4)), Number(period.end.slice(0, 4))]);
  return { dates, unknownYears: [...years].filter((y) => !cal.scheduleKnown(y)) };
}

/** How a moved date is explained: 原定10月1日（国庆节），顺延至10月8日. */
export function plannedDateText(p: PlannedDate): string {
  const md = (d: string) => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
  if (!p.moved) return md(p.date);
  const verb = p.date > p.nominal ? '顺延至' : '提前至';
  return `原定${md(p.nominal)}（${p.movedBecause}），${verb}${md(p.date)}`;
}
