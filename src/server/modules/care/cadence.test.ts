import { describe, expect, it } from 'vitest';
import { type Cadence, cadenceSchema } from '../../../shared/care.ts';
import { advanceAfterContact, lunarHolidayDate, nextDue, shanghaiTime } from './cadence.ts';

const c = (x: unknown) => cadenceSchema.parse(x) as Cadence;
/** a Shanghai wall-clock instant written 'YYYY-MM-DD HH:MM' */
const sh = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
const iso = (d: Date | undefined) => d?.toISOString();
const win = (r: ReturnType<typeof nextDue>) =>
  r && [iso(r.windowStart), iso(r.windowEnd), iso(r.dueAt) === iso(r.windowEnd)];

describe('Shanghai time', () => {
  it('midnight in Shanghai is 16:00 UTC the day before', () => {
    expect(shanghaiTime(2026, 3, 1).toISOString()).toBe('2026-02-28T16:00:00.000Z');
  });
});

describe('daily (一日三问)', () => {
  const threeAsks = c({
    kind: 'daily',
    windows: [
      { start: '13:00', end: '15:00' },
      { start: '08:00', end: '10:00' },
      { start: '18:00', end: '20:00' },
    ],
  });

  it('gives the current window, then the next one once it is done', () => {
    const at = sh('2026-11-22 08:30');
    expect(win(nextDue(threeAsks, { after: at }))).toEqual([
      iso(sh('2026-11-22 08:00')),
      iso(sh('2026-11-22 10:00')),
      true,
    ]);
    const done = nextDue(threeAsks, { after: at, lastDoneAt: sh('2026-11-22 08:20') });
    expect(iso(done?.windowStart)).toBe(iso(sh('2026-11-22 13:00')));
  });

  it('after the last window of the day, the first window of the next Shanghai day (not UTC)', () => {
    // 20:30 in Shanghai is 12:30 UTC of the same date; 00:30 Shanghai is still the previous UTC day
    expect(iso(nextDue(threeAsks, { after: sh('2026-11-22 20:30') })?.windowStart)).toBe(
      iso(sh('2026-11-23 08:00')),
    );
    expect(iso(nextDue(threeAsks, { after: sh('2026-11-23 00:30') })?.windowStart)).toBe(
      iso(sh('2026-11-23 08:00')),
    );
  });

  it('crosses the month and year end', () => {
    expect(iso(nextDue(threeAsks, { after: sh('2026-12-31 21:00') })?.windowStart)).toBe(
      iso(sh('2027-01-01 08:00')),
    );
  });

  it('a window ending at 24:00 ends at the next midnight', () => {
    const r = nextDue(c({ kind: 'daily', windows: [{ start: '08:00', end: '24:00' }] }), {
      after: sh('2026-02-28 23:00'),
    });
    expect(iso(r?.windowEnd)).toBe(iso(sh('2026-03-01 00:00')));
  });
});

describe('weekly', () => {
  it('on a weekday: that day of this week, or next week once passed or done', () => {
    const fri = c({ kind: 'weekly', weekday: 5 });
    // 2026-11-22 is a Sunday → next Friday is 11-27
    expect(iso(nextDue(fri, { after: sh('2026-11-22 10:00') })?.windowStart)).toBe(
      iso(sh('2026-11-27 00:00')),
    );
    // Wednesday 11-25 → Friday 11-27 of the same week
    expect(iso(nextDue(fri, { after: sh('2026-11-25 10:00') })?.windowStart)).toBe(
      iso(sh('2026-11-27 00:00')),
    );
    // Friday, done that day → the next Friday
    const r = nextDue(fri, { after: sh('2026-11-27 10:00'), lastDoneAt: sh('2026-11-27 09:00') });
    expect(iso(r?.windowStart)).toBe(iso(sh('2026-12-04 00:00')));
  });

  it('any day: the ISO week Monday 00:00 → next Monday 00:00 Shanghai', () => {
    const r = nextDue(c({ kind: 'weekly' }), { after: sh('2026-11-22 23:59') });
    expect(win(r)).toEqual([iso(sh('2026-11-16 00:00')), iso(sh('2026-11-23 00:00')), true]);
    const done = nextDue(c({ kind: 'weekly' }), {
      after: sh('2026-11-20 10:00'),
      lastDoneAt: sh('2026-11-17 10:00'),
    });
    expect(iso(done?.windowStart)).toBe(iso(sh('2026-11-23 00:00')));
  });

  it('crosses the year end (ISO week of 2026-12-28)', () => {
    const r = nextDue(c({ kind: 'weekly' }), { after: sh('2027-01-02 12:00') });
    expect(iso(r?.windowStart)).toBe(iso(sh('2026-12-28 00:00')));
  });
});

describe('monthly on day D (陪聊日)', () => {
  it('the 10th of this month, or next month once passed or done', () => {
    const tenth = c({ kind: 'monthly_day', day: 10 });
    expect(win(nextDue(tenth, { after: sh('2026-11-05 09:00') }))).toEqual([
      iso(sh('2026-11-10 00:00')),
      iso(sh('2026-11-11 00:00')),
      true,
    ]);
    expect(iso(nextDue(tenth, { after: sh('2026-11-11 00:00') })?.windowStart)).toBe(
      iso(sh('2026-12-10 00:00')),
    );
    expect(iso(nextDue(tenth, { after: sh('2026-12-31 12:00') })?.windowStart)).toBe(
      iso(sh('2027-01-10 00:00')),
    );
    const done = nextDue(tenth, { after: sh('2026-11-10 15:00'), lastDoneAt: sh('2026-11-10 14:00') });
    expect(iso(done?.windowStart)).toBe(iso(sh('2026-12-10 00:00')));
  });

  it('day 31 falls on the last day of short months, 29 Feb in leap years', () => {
    const last = c({ kind: 'monthly_day', day: 31 });
    expect(iso(nextDue(last, { after: sh('2026-02-01 00:00') })?.windowStart)).toBe(
      iso(sh('2026-02-28 00:00')),
    );
    expect(iso(nextDue(last, { after: sh('2028-02-01 00:00') })?.windowStart)).toBe(
      iso(sh('2028-02-29 00:00')),
    );
    expect(iso(nextDue(last, { after: sh('2026-04-05 00:00') })?.windowStart)).toBe(
      iso(sh('2026-04-30 00:00')),
    );
    expect(iso(nextDue(last, { after: sh('2026-05-01 00:00') })?.windowStart)).toBe(
      iso(sh('2026-05-31 00:00')),
    );
  });

  it('the 10th starts at Shanghai midnight: 09 Nov 16:30 UTC is already the 10th', () => {
    const r = nextDue(c({ kind: 'monthly_day', day: 10 }), { after: new Date('2026-11-09T16:30:00Z') });
    expect(r?.windowStart.toISOString()).toBe('2026-11-09T16:00:00.000Z');
  });
});

describe('monthly, quarterly, yearly', () => {
  it('calendar month, done → next month', () => {
    const m = c({ kind: 'monthly' });
    expect(win(nextDue(m, { after: sh('2026-02-14 12:00') }))).toEqual([
      iso(sh('2026-02-01 00:00')),
      iso(sh('2026-03-01 00:00')),
      true,
    ]);
    const done = nextDue(m, { after: sh('2026-12-14 12:00'), lastDoneAt: sh('2026-12-02 12:00') });
    expect(iso(done?.windowStart)).toBe(iso(sh('2027-01-01 00:00')));
  });

  it('calendar quarter', () => {
    const q = c({ kind: 'quarterly' });
    expect(win(nextDue(q, { after: sh('2026-11-22 12:00') }))).toEqual([
      iso(sh('2026-10-01 00:00')),
      iso(sh('2027-01-01 00:00')),
      true,
    ]);
    const done = nextDue(q, { after: sh('2026-05-01 12:00'), lastDoneAt: sh('2026-04-02 12:00') });
    expect(iso(done?.windowStart)).toBe(iso(sh('2026-07-01 00:00')));
  });

  it('calendar year; 31 Dec 23:30 Shanghai is still this year', () => {
    const y = c({ kind: 'yearly' });
    const r = nextDue(y, { after: sh('2026-12-31 23:30') });
    expect(iso(r?.windowEnd)).toBe(iso(sh('2027-01-01 00:00')));
    const done = nextDue(y, { after: sh('2026-12-31 23:30'), lastDoneAt: sh('2026-03-01 10:00') });
    expect(iso(done?.windowStart)).toBe(iso(sh('2027-01-01 00:00')));
  });
});

describe('birthday and decade birthday (逢十祝寿)', () => {
  const bd = c({ kind: 'birthday', daysBefore: 3, daysAfter: 3 });

  it('a window of ± days around this year’s birthday, next year once done', () => {
    const r = nextDue(bd, { after: sh('2026-05-01 00:00'), birthDate: '1940-05-12' });
    expect(win(r)).toEqual([iso(sh('2026-05-09 00:00')), iso(sh('2026-05-16 00:00')), true]);
    const done = nextDue(bd, {
      after: sh('2026-05-12 10:00'),
      lastDoneAt: sh('2026-05-11 10:00'),
      birthDate: '1940-05-12',
    });
    expect(iso(done?.windowStart)).toBe(iso(sh('2027-05-09 00:00')));
  });

  it('29 February birthdays on 28 February in common years, 29 in leap years', () => {
    expect(iso(nextDue(bd, { after: sh('2026-01-01 00:00'), birthDate: '1936-02-29' })?.windowStart)).toBe(
      iso(sh('2026-02-25 00:00')),
    );
    expect(iso(nextDue(bd, { after: sh('2028-01-01 00:00'), birthDate: '1936-02-29' })?.windowStart)).toBe(
      iso(sh('2028-02-26 00:00')),
    );
  });

  it('a window spanning the new year (birthday 1 January)', () => {
    const r = nextDue(bd, { after: sh('2026-12-30 10:00'), birthDate: '1944-01-01' });
    expect(win(r)).toEqual([iso(sh('2026-12-29 00:00')), iso(sh('2027-01-05 00:00')), true]);
  });

  it('no birth date → nothing due', () => {
    expect(nextDue(bd, { after: sh('2026-01-01 00:00') })).toBeNull();
  });

  it('decade birthday: the 80th, 90th, 100th … birthdays only', () => {
    const dec = c({ kind: 'decade_birthday', daysBefore: 7, daysAfter: 7 });
    // born 1946-08-01: 80 in 2026
    expect(iso(nextDue(dec, { after: sh('2026-01-01 00:00'), birthDate: '1946-08-01' })?.windowStart)).toBe(
      iso(sh('2026-07-25 00:00')),
    );
    // born 1945: 80 was in 2025 → 90 in 2035
    expect(iso(nextDue(dec, { after: sh('2026-01-01 00:00'), birthDate: '1945-03-03' })?.windowStart)).toBe(
      iso(sh('2035-02-24 00:00')),
    );
    // 100th birthday on 29 Feb 2036 (born 1936-02-29, a leap year): 29 Feb
    expect(iso(nextDue(dec, { after: sh('2030-01-01 00:00'), birthDate: '1936-02-29' })?.windowStart)).toBe(
      iso(sh('2036-02-22 00:00')),
    );
    // born 1950: 80th in 2030
    expect(iso(nextDue(dec, { after: sh('2026-01-01 00:00'), birthDate: '1950-12-01' })?.windowStart)).toBe(
      iso(sh('2030-11-24 00:00')),
    );
  });
});

describe('hospital (住院必访)', () => {
  const hosp = c({ kind: 'hospital', withinDays: 3 });

  it('from the day of admission to the end of the 3rd day after it', () => {
    const r = nextDue(hosp, { after: sh('2026-11-20 09:00'), admissionDate: '2026-11-20' });
    expect(win(r)).toEqual([iso(sh('2026-11-20 00:00')), iso(sh('2026-11-24 00:00')), true]);
  });

  it('nothing more once visited, or without an admission', () => {
    expect(
      nextDue(hosp, {
        after: sh('2026-11-21 09:00'),
        admissionDate: '2026-11-20',
        lastDoneAt: sh('2026-11-21 08:00'),
      }),
    ).toBeNull();
    expect(nextDue(hosp, { after: sh('2026-11-21 09:00') })).toBeNull();
  });

  it('a visit before this admission does not count', () => {
    const r = nextDue(hosp, {
      after: sh('2026-11-21 09:00'),
      admissionDate: '2026-11-20',
      lastDoneAt: sh('2026-11-10 08:00'),
    });
    expect(iso(r?.windowStart)).toBe(iso(sh('2026-11-20 00:00')));
  });
});

describe('lunar holidays', () => {
  it('2026: 春节 02-17, 中秋 09-25, 重阳 10-18', () => {
    expect(lunarHolidayDate('spring_festival', 2026)).toBe('2026-02-17');
    expect(lunarHolidayDate('mid_autumn', 2026)).toBe('2026-09-25');
    expect(lunarHolidayDate('double_ninth', 2026)).toBe('2026-10-18');
    expect(lunarHolidayDate('spring_festival', 2027)).toBe('2027-02-06');
    expect(lunarHolidayDate('double_ninth', 2025)).toBe('2025-10-29');
  });

  it('the window before the holiday; next year after it', () => {
    const cny = c({ kind: 'lunar_holiday', holiday: 'spring_festival', daysBefore: 7, daysAfter: 0 });
    expect(win(nextDue(cny, { after: sh('2026-01-01 00:00') }))).toEqual([
      iso(sh('2026-02-10 00:00')),
      iso(sh('2026-02-18 00:00')),
      true,
    ]);
    expect(iso(nextDue(cny, { after: sh('2026-03-01 00:00') })?.windowStart)).toBe(
      iso(sh('2027-01-30 00:00')),
    );
    const done = nextDue(cny, { after: sh('2026-02-15 00:00'), lastDoneAt: sh('2026-02-14 10:00') });
    expect(iso(done?.windowStart)).toBe(iso(sh('2027-01-30 00:00')));
  });

  it('an administrator’s override replaces the computed date', () => {
    const dn = c({ kind: 'lunar_holiday', holiday: 'double_ninth', daysBefore: 0, daysAfter: 0 });
    const r = nextDue(dn, {
      after: sh('2026-10-01 00:00'),
      overrides: { double_ninth: { 2026: '2026-10-16' } },
    });
    expect(iso(r?.windowStart)).toBe(iso(sh('2026-10-16 00:00')));
  });
});

describe('seasonal (送清凉 / 送温暖)', () => {
  it('summer July–August, once a season', () => {
    const cool = c({ kind: 'seasonal', startMonth: 7, endMonth: 8 });
    expect(win(nextDue(cool, { after: sh('2026-03-01 00:00') }))).toEqual([
      iso(sh('2026-07-01 00:00')),
      iso(sh('2026-09-01 00:00')),
      true,
    ]);
    const done = nextDue(cool, { after: sh('2026-07-20 00:00'), lastDoneAt: sh('2026-07-10 10:00') });
    expect(iso(done?.windowStart)).toBe(iso(sh('2027-07-01 00:00')));
  });

  it('winter December–February wraps the year and ends after 29 Feb in a leap year', () => {
    const warm = c({ kind: 'seasonal', startMonth: 12, endMonth: 2 });
    expect(win(nextDue(warm, { after: sh('2027-01-15 00:00') }))).toEqual([
      iso(sh('2026-12-01 00:00')),
      iso(sh('2027-03-01 00:00')),
      true,
    ]);
    expect(iso(nextDue(warm, { after: sh('2027-12-15 00:00') })?.windowEnd)).toBe(
      iso(sh('2028-03-01 00:00')),
    );
    expect(iso(nextDue(warm, { after: sh('2026-04-01 00:00') })?.windowStart)).toBe(
      iso(sh('2026-12-01 00:00')),
    );
  });
});

describe('advanceAfterContact: a contact fulfils only the window it falls in, or an overdue one', () => {
  const daily = c({ kind: 'daily', windows: [{ start: '08:00', end: '20:00' }] });
  const due = (cad: Cadence, after: string) => nextDue(cad, { after: sh(after) });
  /** the window after contacts at each of `times`, starting from the window due at `from` */
  const advance = (cad: Cadence, from: string, ...times: string[]) => {
    let cur = due(cad, from);
    for (const at of times) cur = advanceAfterContact(cad, cur, sh(at), {});
    return cur && [iso(cur.windowStart), iso(cur.windowEnd)];
  };
  const span = (start: string, end: string) => [iso(sh(start)), iso(sh(end))];

  it('daily: a contact at 23:53 the night before is not the next day’s check-in, nor a second one', () => {
    // 4 Dec's check-in done; 5 Dec's window (08:00–20:00) is next
    expect(advance(daily, '2026-12-04 20:30', '2026-12-04 23:53')).toEqual(
      span('2026-12-05 08:00', '2026-12-05 20:00'),
    );
    expect(advance(daily, '2026-12-04 20:30', '2026-12-04 23:53', '2026-12-04 23:59')).toEqual(
      span('2026-12-05 08:00', '2026-12-05 20:00'),
    );
  });

  it('daily: 00:01 before the window opens fulfils nothing; within the window it does', () => {
    expect(advance(daily, '2026-12-04 20:30', '2026-12-05 00:01')).toEqual(
      span('2026-12-05 08:00', '2026-12-05 20:00'),
    );
    expect(advance(daily, '2026-12-04 20:30', '2026-12-05 00:01', '2026-12-05 09:00')).toEqual(
      span('2026-12-06 08:00', '2026-12-06 20:00'),
    );
    const allDay = c({ kind: 'daily', windows: [{ start: '00:00', end: '20:00' }] });
    expect(advance(allDay, '2026-12-04 20:30', '2026-12-05 00:01')).toEqual(
      span('2026-12-06 00:00', '2026-12-06 20:00'),
    );
  });

  it('daily: twice in one window advances once', () => {
    expect(
      advance(daily, '2026-12-05 07:00', '2026-12-05 10:00', '2026-12-05 11:00', '2026-12-05 19:59'),
    ).toEqual(span('2026-12-06 08:00', '2026-12-06 20:00'));
  });

  it('daily: an overdue window is fulfilled late (23:59), and 00:01 next day fulfils it but not that day', () => {
    // 5 Dec's window passed without a contact: the duty is overdue
    const overdue = due(daily, '2026-12-05 07:00');
    const late = advanceAfterContact(daily, overdue, sh('2026-12-05 23:59'), {});
    expect(iso(late?.windowStart)).toBe(iso(sh('2026-12-06 08:00')));
    const nextMorning = advanceAfterContact(daily, overdue, sh('2026-12-06 00:01'), {});
    expect(iso(nextMorning?.windowStart)).toBe(iso(sh('2026-12-06 08:00')));
    expect(iso(nextMorning?.dueAt)).toBe(iso(sh('2026-12-06 20:00')));
  });

  it('一日三问: each of the three windows needs its own contact; one between windows fulfils none', () => {
    const three = c({
      kind: 'daily',
      windows: [
        { start: '08:00', end: '10:00' },
        { start: '13:00', end: '15:00' },
        { start: '18:00', end: '20:00' },
      ],
    });
    expect(advance(three, '2026-12-05 07:00', '2026-12-05 09:00', '2026-12-05 11:00')).toEqual(
      span('2026-12-05 13:00', '2026-12-05 15:00'),
    );
    expect(
      advance(three, '2026-12-05 07:00', '2026-12-05 09:00', '2026-12-05 19:00', '2026-12-05 23:59'),
    ).toEqual(span('2026-12-06 08:00', '2026-12-06 10:00'));
  });

  it('weekly on Friday: a Wednesday visit is not Friday’s; Friday’s is', () => {
    const fri = c({ kind: 'weekly', weekday: 5 });
    // Monday 23 Nov → Friday 27 Nov
    expect(advance(fri, '2026-11-23 09:00', '2026-11-25 10:00')).toEqual(
      span('2026-11-27 00:00', '2026-11-28 00:00'),
    );
    expect(advance(fri, '2026-11-23 09:00', '2026-11-25 10:00', '2026-11-27 10:00')).toEqual(
      span('2026-12-04 00:00', '2026-12-05 00:00'),
    );
  });

  it('weekly: Sunday 23:59 fulfils its week only; Monday 00:01 the next one', () => {
    const weekly = c({ kind: 'weekly' });
    expect(advance(weekly, '2026-11-23 09:00', '2026-11-29 23:59')).toEqual(
      span('2026-11-30 00:00', '2026-12-07 00:00'),
    );
    expect(advance(weekly, '2026-11-23 09:00', '2026-11-29 23:59', '2026-11-29 23:59')).toEqual(
      span('2026-11-30 00:00', '2026-12-07 00:00'),
    );
    expect(advance(weekly, '2026-11-23 09:00', '2026-11-29 23:59', '2026-11-30 00:01')).toEqual(
      span('2026-12-07 00:00', '2026-12-14 00:00'),
    );
  });

  it('monthly on the 10th: a call on the 9th is not the 10th’s; a late one on the 11th is', () => {
    const tenth = c({ kind: 'monthly_day', day: 10 });
    expect(advance(tenth, '2026-11-05 09:00', '2026-11-09 23:59')).toEqual(
      span('2026-11-10 00:00', '2026-11-11 00:00'),
    );
    expect(advance(tenth, '2026-11-05 09:00', '2026-11-11 00:01')).toEqual(
      span('2026-12-10 00:00', '2026-12-11 00:00'),
    );
    // the 10th done: another call the same evening, and one on the 9th of next month, move nothing
    expect(
      advance(tenth, '2026-11-05 09:00', '2026-11-10 10:00', '2026-11-10 23:59', '2026-12-09 10:00'),
    ).toEqual(span('2026-12-10 00:00', '2026-12-11 00:00'));
  });

  it('quarterly: a second visit in the quarter moves nothing; the last minute of it counts for it', () => {
    const q = c({ kind: 'quarterly' });
    expect(advance(q, '2026-10-05 09:00', '2026-10-06 10:00', '2026-12-31 23:59')).toEqual(
      span('2027-01-01 00:00', '2027-04-01 00:00'),
    );
    expect(advance(q, '2026-10-05 09:00', '2026-12-31 23:59', '2027-01-01 00:01')).toEqual(
      span('2027-04-01 00:00', '2027-07-01 00:00'),
    );
  });

  it('a late contact fulfils the overdue window and the current one it falls in', () => {
    const tenth = c({ kind: 'monthly_day', day: 10 });
    const overdue = nextDue(tenth, { after: sh('2026-10-09 09:00') });
    const next = advanceAfterContact(tenth, overdue, sh('2026-11-10 10:00'), {});
    expect(iso(next?.windowStart)).toBe(iso(sh('2026-12-10 00:00')));
  });
});

describe('cadence schema', () => {
  it('rejects a malformed window time and fills defaults', () => {
    expect(
      cadenceSchema.safeParse({ kind: 'daily', windows: [{ start: '8:00', end: '10:00' }] }).success,
    ).toBe(false);
    expect(cadenceSchema.parse({ kind: 'birthday' })).toEqual({
      kind: 'birthday',
      daysBefore: 3,
      daysAfter: 3,
    });
  });
});
