import { describe, expect, it } from 'vitest';
import { timetableSchema } from '../../../shared/welfare.ts';
import { makeWorkdayCalendar } from '../orders/workday-calendar.ts';
import { periodByKey } from './periods.ts';
import { plannedDates, plannedDateText } from './timetable.ts';

const texts = (key: string, t: Parameters<typeof plannedDates>[1]) =>
  plannedDates(periodByKey(key), t).dates.map(plannedDateText);

describe('the timetable of a programme', () => {
  it('spreads 6 cleanings over a year, moving each off weekends and the statutory holidays', () => {
    const plan = plannedDates(periodByKey('2026'), { mode: 'even', count: 6 });
    expect(plan.dates.map((d) => d.date)).toEqual([
      '2026-02-02',
      '2026-04-02',
      '2026-06-02',
      '2026-08-03',
      '2026-10-08',
      '2026-12-01',
    ]);
    expect(plan.dates[4]).toEqual({
      date: '2026-10-08',
      nominal: '2026-10-01',
      moved: true,
      movedBecause: '国庆节',
    });
    expect(plannedDateText(plan.dates[4])).toBe('原定10月1日（国庆节），顺延至10月8日');
    expect(plannedDateText(plan.dates[0])).toBe('原定1月31日（周末），顺延至2月2日');
    expect(plannedDateText(plan.dates[1])).toBe('4月2日');
    expect(plan.unknownYears).toEqual([]);
  });

  it('skips the whole Spring Festival holiday: a quarterly card planned for 15 February goes to the 24th', () => {
    expect(texts('2026-Q1', { mode: 'even', count: 1 })).toEqual(['原定2月15日（春节），顺延至2月24日']);
  });

  it('plans on given months, only those inside the period, from the given day', () => {
    expect(texts('2026', { mode: 'months', months: [10, 2, 5], day: 1 })).toEqual([
      '原定2月1日（周末），顺延至2月2日',
      '原定5月1日（劳动节），顺延至5月6日',
      '原定10月1日（国庆节），顺延至10月8日',
    ]);
    // a yearly list of months used by a quarterly programme gives each quarter its own month
    expect(texts('2026-Q4', { mode: 'months', months: [1, 4, 7, 10] })).toEqual([
      '原定10月1日（国庆节），顺延至10月8日',
    ]);
    expect(texts('2026-Q2', { mode: 'months', months: [1, 4, 7, 10], day: 15 })).toEqual(['4月15日']);
  });

  it('takes the 31st of February as its last day, the 29th in a leap year', () => {
    expect(plannedDates(periodByKey('2028'), { mode: 'months', months: [2], day: 31 }).dates[0].date).toBe(
      '2028-02-29',
    );
  });

  it('works a 调休 Saturday and keeps every date distinct and inside the period when dates crowd', () => {
    // October 2026 has 18 working days (including Saturday the 10th, a 调休 working day)
    const plan = plannedDates(periodByKey('2026-10'), { mode: 'even', count: 16 });
    const dates = plan.dates.map((d) => d.date);
    expect(new Set(dates).size).toBe(16);
    expect([...dates].sort()).toEqual(dates);
    expect(dates).toContain('2026-10-10');
    for (const d of dates) expect(d >= '2026-10-08' && d <= '2026-10-30', d).toBe(true);
    expect(plannedDateText(plan.dates[4])).toBe('原定10月9日（与前一次服务错开），顺延至10月13日');
    expect(plannedDateText(plan.dates[15])).toBe('原定10月31日（周末），提前至10月30日');
    // all 18 fit; 19 do not
    expect(
      plannedDates(periodByKey('2026-10'), { mode: 'even', count: 18 }).dates.map((d) => d.date),
    ).toHaveLength(18);
    expect(() => plannedDates(periodByKey('2026-10'), { mode: 'even', count: 19 })).toThrow(
      '2026年10月只有 18 个工作日，排不下 19 次服务',
    );
  });

  it('moves a date back when the working days after it are all taken', () => {
    // the last 3 days of the month are made days off: 3 dates asked for there move back before them
    const cal = makeWorkdayCalendar({
      overrides: ['2026-03-25', '2026-03-26', '2026-03-27', '2026-03-30', '2026-03-31'].map((date) => ({
        date,
        working: false,
        name: '区里停工',
      })),
    });
    const plan = plannedDates(periodByKey('2026-03'), { mode: 'months', months: [3], day: 31 }, cal);
    expect(plan.dates).toEqual([
      { date: '2026-03-24', nominal: '2026-03-31', moved: true, movedBecause: '区里停工' },
    ]);
    expect(plannedDateText(plan.dates[0])).toBe('原定3月31日（区里停工），提前至3月24日');
  });

  it('says which years have no State Council notice yet, since their dates may still move', () => {
    const plan = plannedDates(periodByKey('2027'), { mode: 'even', count: 4 });
    expect(plan.unknownYears).toEqual([2027]);
    expect(plan.dates.map((d) => d.date)).toEqual(['2027-02-15', '2027-05-17', '2027-08-17', '2027-11-16']);
  });

  it('validates a timetable with Chinese messages', () => {
    const msg = (t: unknown) => timetableSchema.safeParse(t).error?.issues[0].message;
    expect(msg({ mode: 'even', count: 0 })).toBe('服务次数至少 1 次');
    expect(msg({ mode: 'even', count: 1.5 })).toBe('服务次数必须是整数');
    expect(msg({ mode: 'months', months: [] })).toBe('至少选择一个月份');
    expect(msg({ mode: 'months', months: [13] })).toBe('月份应为 1–12');
    expect(msg({ mode: 'months', months: [3, 3] })).toBe('月份不能重复');
    expect(msg({ mode: 'months', months: [3], day: 32 })).toBe('日期应为 1–31');
    expect(timetableSchema.safeParse({ mode: 'months', months: [3, 9] }).success).toBe(true);
  });
});
