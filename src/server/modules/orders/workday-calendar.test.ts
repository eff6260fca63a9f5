import { describe, expect, it } from 'vitest';
import {
  addSlaTime,
  addWorkingHours,
  addWorkingTime,
  defaultCalendar as cal,
  isWorkingDay,
  makeWorkdayCalendar,
  nextWorkingDate,
  shanghaiDate,
  slaTimeBetween,
  workingDayMs,
  workingTimeBetween,
} from './workday-calendar.ts';

/** A Shanghai wall-clock instant: sh('2026-02-13 16:30'). */
const sh = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
const H = 3600_000;

describe('the Chinese working-day calendar', () => {
  it('works Monday to Friday and rests at weekends', () => {
    expect(cal.dayKind('2026-03-09')).toBe('workday'); // Monday
    expect(cal.dayKind('2026-03-14')).toBe('weekend'); // Saturday
    expect(cal.dayKind('2026-03-15')).toBe('weekend');
  });

  it('keeps the State Council notice of 2026: holidays off, 调休 weekend days on', () => {
    const off = [
      '2026-01-01',
      '2026-01-02',
      '2026-02-16',
      '2026-02-23',
      '2026-04-06',
      '2026-05-04',
      '2026-05-05',
    ];
    const offMore = ['2026-06-19', '2026-09-25', '2026-10-01', '2026-10-07'];
    for (const d of [...off, ...offMore]) expect(cal.dayKind(d), d).toBe('holiday');
    for (const d of ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']) {
      expect(cal.dayKind(d), d).toBe('makeup_workday');
      expect(isWorkingDay(d), d).toBe(true);
    }
    expect(cal.dayName('2026-02-18')).toBe('春节');
    expect(cal.dayName('2026-02-14')).toBe('调休上班');
    expect(cal.dayKind('2026-10-08')).toBe('workday');
  });

  it('keeps the notice of 2025 (春节 eight days from 除夕; 国庆 with 中秋 eight days)', () => {
    for (const d of ['2025-01-01', '2025-01-28', '2025-02-04', '2025-05-05', '2025-06-02', '2025-10-08']) {
      expect(cal.dayKind(d), d).toBe('holiday');
    }
    for (const d of ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']) {
      expect(cal.dayKind(d), d).toBe('makeup_workday');
    }
    expect(cal.scheduleKnown(2025)).toBe(true);
    expect(cal.scheduleKnown(2027)).toBe(false);
  });

  it('lets an administrator override a date either way', () => {
    const c = makeWorkdayCalendar({
      overrides: [
        { date: '2026-03-09', working: false, name: '区防汛停工' },
        { date: '2026-02-28', working: false },
        { date: '2027-02-06', working: true, name: '春节调休上班' },
      ],
    });
    expect(c.dayKind('2026-03-09')).toBe('holiday');
    expect(c.dayName('2026-03-09')).toBe('区防汛停工');
    expect(c.dayKind('2026-02-28')).toBe('weekend');
    expect(c.isWorkingDate('2027-02-06')).toBe(true);
    // one override does not make a year's schedule known: the screens still ask for the notice
    expect(c.scheduleKnown(2027)).toBe(false);
    expect(
      makeWorkdayCalendar({ schedules: { 2027: { holidays: [], makeupWorkdays: [] } } }).scheduleKnown(2027),
    ).toBe(true);
  });

  it('takes the date in Asia/Shanghai, never UTC', () => {
    // 2026-02-13 23:30 UTC is already Saturday the 14th (a 调休 working day) in Shanghai
    expect(shanghaiDate(new Date('2026-02-13T23:30:00Z'))).toBe('2026-02-14');
    expect(isWorkingDay(new Date('2026-02-13T23:30:00Z'))).toBe(true);
    expect(isWorkingDay(new Date('2026-02-14T16:30:00Z'))).toBe(false); // Sunday 15th, 00:30
  });
});

describe('working time', () => {
  it('adds working hours inside the day and carries the rest to the next window', () => {
    expect(addWorkingHours(sh('2026-03-09 09:00'), 2)).toEqual(sh('2026-03-09 11:00'));
    expect(addWorkingHours(sh('2026-03-09 16:30'), 2)).toEqual(sh('2026-03-10 09:30'));
    // started before the window: counts from 08:30; after it: from the next morning
    expect(addWorkingHours(sh('2026-03-09 06:00'), 1)).toEqual(sh('2026-03-09 09:30'));
    expect(addWorkingHours(sh('2026-03-09 20:00'), 1)).toEqual(sh('2026-03-10 09:30'));
  });

  it('ends at 17:30 when the budget runs out exactly at the end of the window', () => {
    expect(addWorkingHours(sh('2026-03-09 08:30'), 9)).toEqual(sh('2026-03-09 17:30'));
    expect(addWorkingHours(sh('2026-03-09 08:30'), 9.5)).toEqual(sh('2026-03-10 09:00'));
  });

  it('skips a weekend, the Spring Festival, and works the 调休 Saturday before and after it', () => {
    // Friday 13 Feb 16:30 + 2 h: 1 h on Friday, then Saturday 14 Feb is a make-up working day
    expect(addWorkingHours(sh('2026-02-13 16:30'), 2)).toEqual(sh('2026-02-14 09:30'));
    // Saturday 14 Feb 17:00 + 1 h: the holiday runs 15–23 Feb, so it ends on Tuesday 24 Feb
    expect(addWorkingHours(sh('2026-02-14 17:00'), 1)).toEqual(sh('2026-02-24 09:00'));
    // and the working Saturday 28 Feb counts again
    expect(addWorkingHours(sh('2026-02-27 17:00'), 1)).toEqual(sh('2026-02-28 09:00'));
  });

  it('counts working time between two instants, holidays and nights excluded', () => {
    expect(workingTimeBetween(sh('2026-02-13 16:30'), sh('2026-02-24 09:00'))).toBe(1 * H + 9 * H + 0.5 * H);
    expect(workingTimeBetween(sh('2026-03-14 09:00'), sh('2026-03-15 18:00'))).toBe(0); // a weekend
    expect(workingTimeBetween(sh('2026-03-10 10:00'), sh('2026-03-09 10:00'))).toBe(-9 * H);
  });

  it('goes back as well as forward (a budget already overspent)', () => {
    expect(addWorkingTime(sh('2026-03-10 09:30'), -2 * H)).toEqual(sh('2026-03-09 16:30'));
    expect(addWorkingTime(sh('2026-02-24 09:00'), -1 * H)).toEqual(sh('2026-02-14 17:00'));
    expect(addWorkingTime(sh('2026-03-10 08:30'), -9 * H)).toEqual(sh('2026-03-09 08:30'));
  });

  it('round-trips: the working time to addWorkingTime(t, x) is x', () => {
    const start = sh('2026-09-18 15:47');
    for (const hours of [0.25, 1, 8.9, 9, 27, 50, 100]) {
      const end = addWorkingHours(start, hours);
      expect(workingTimeBetween(start, end)).toBe(hours * H);
    }
  });

  it('honours a configured window', () => {
    const c = makeWorkdayCalendar({ window: { start: '09:00', end: '12:00' } });
    expect(addWorkingHours(sh('2026-03-09 11:00'), 2, c)).toEqual(sh('2026-03-10 10:00'));
    expect(workingDayMs(c)).toBe(3 * H);
    expect(workingDayMs()).toBe(9 * H);
    expect(() => makeWorkdayCalendar({ window: { start: '17:30', end: '08:30' } })).toThrow(
      '工作时段的结束时间必须晚于开始时间',
    );
    expect(() => makeWorkdayCalendar({ window: { start: '8:30', end: '17:30' } })).toThrow('HH:MM');
  });

  it('counts wall-clock time for an SLA not on working days', () => {
    expect(addSlaTime(sh('2026-02-14 17:00'), 2 * H, 'wall')).toEqual(sh('2026-02-14 19:00'));
    expect(addSlaTime(sh('2026-02-14 17:00'), 2 * H, 'working')).toEqual(sh('2026-02-24 10:00'));
    expect(slaTimeBetween(sh('2026-02-14 17:00'), sh('2026-02-15 17:00'), 'wall')).toBe(24 * H);
    expect(slaTimeBetween(sh('2026-02-14 17:00'), sh('2026-02-15 17:00'), 'working')).toBe(0.5 * H);
  });

  it('finds the next working date across a holiday', () => {
    expect(nextWorkingDate('2026-09-30')).toBe('2026-10-08');
    expect(nextWorkingDate('2026-10-09')).toBe('2026-10-10'); // the 调休 Saturday
  });

  it('refuses to search forever when overrides leave no working day', () => {
    const none = makeWorkdayCalendar({ window: { start: '08:30', end: '17:30' }, schedules: {} });
    const allOff = makeWorkdayCalendar({
      overrides: Array.from({ length: 4000 }, (_, i) => ({
        date: shanghaiDate(new Date(Date.UTC(2026, 0, 1 + i))),
        working: false,
      })),
    });
    expect(none.isWorkingDate('2026-02-16')).toBe(true); // no schedules: weekdays only
    expect(() => addWorkingHours(sh('2026-01-01 09:00'), 1, allOff)).toThrow('没有足够的工作时间');
  });
});
