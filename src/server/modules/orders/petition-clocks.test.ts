import { describe, expect, it } from 'vitest';
import { type Clock, type ClockResult, pauseClock, resumeClock } from './clocks.ts';
import {
  checkReviewRequest,
  clocksOnReceipt,
  extendHandling,
  handlingClock,
  petitionArticles,
  petitionDeadline,
  reviewClock,
} from './petition-clocks.ts';

const sh = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
const due = (c: Clock) => (c.dueAt ? new Date(c.dueAt) : null);
function ok(r: ClockResult): Clock {
  if (!r.ok) throw new Error(r.zh);
  return r.clock;
}

describe('信访工作条例 deadlines in calendar days', () => {
  it('counts from the day after receipt and ends at 24:00 of the last day', () => {
    const d = petitionDeadline(sh('2026-03-09 16:45'), 15);
    expect(d).toEqual({ firstDay: '2026-03-10', lastDay: '2026-03-24', dueAt: sh('2026-03-25 00:00') });
  });

  it('moves a last day that falls on a holiday or weekend to the next working day', () => {
    expect(petitionDeadline(sh('2026-09-10 09:00'), 15).lastDay).toBe('2026-09-28'); // 中秋 25–27 Sep
    expect(petitionDeadline(sh('2026-02-06 09:00'), 15).lastDay).toBe('2026-02-24'); // 春节 15–23 Feb
    expect(petitionDeadline(sh('2026-03-06 09:00'), 15).lastDay).toBe('2026-03-23'); // Saturday 21 → Monday
    // the 调休 Saturday is a working day: the period ends on it
    expect(petitionDeadline(sh('2026-01-30 09:00'), 15).lastDay).toBe('2026-02-14');
  });

  it('gives a received petition its route (art. 22) and written-notice (art. 23) clocks, 15 days each', () => {
    const clocks = clocksOnReceipt(sh('2026-03-09 10:00'));
    expect(clocks.map((c) => [c.kind, c.basis, c.startedAt, due(c)])).toEqual([
      ['petition_route', 'wall', sh('2026-03-10 00:00').toISOString(), sh('2026-03-25 00:00')],
      ['petition_notice', 'wall', sh('2026-03-10 00:00').toISOString(), sh('2026-03-25 00:00')],
    ]);
    expect(petitionArticles.petition_route).toBe('信访工作条例第二十二条');
    expect(petitionArticles.petition_handle).toBe('信访工作条例第三十四条');
  });

  it('a pause moves a petition clock day for day', () => {
    let c = clocksOnReceipt(sh('2026-03-09 10:00'))[0];
    c = ok(pauseClock(c, { at: sh('2026-03-12 00:00'), reason: '信访人联系不上', actorId: 5 }));
    c = ok(resumeClock(c, { at: sh('2026-03-15 00:00'), actorId: 5 }));
    expect(due(c)).toEqual(sh('2026-03-28 00:00'));
  });
});

describe('handling within 60 days, one extension of at most 30 (art. 34)', () => {
  const c = handlingClock(sh('2026-03-09 11:00'));
  const at = sh('2026-04-20 10:00');

  it('is due at the end of the 60th day', () => {
    expect(due(c)).toEqual(sh('2026-05-09 00:00')); // last day Friday 8 May
  });

  it('extends once, with a reason, counting 60 + n days from acceptance', () => {
    const extended = ok(extendHandling(c, { at, days: 30, reason: '涉及多个部门，需会商', actorId: 9 }));
    // 7 June is a Sunday: the last day is Monday 8 June
    expect(due(extended)).toEqual(sh('2026-06-09 00:00'));
    expect(extended.slaChanges[0]).toMatchObject({ reason: '涉及多个部门，需会商', actorId: 9 });
    expect(due(ok(extendHandling(c, { at, days: 10, reason: '调查取证', actorId: 9 })))).toEqual(
      sh('2026-05-19 00:00'),
    );
    expect(extendHandling(extended, { at, days: 5, reason: '再延', actorId: 9 })).toMatchObject({
      ok: false,
      zh: '办理期限只能延长一次',
    });
  });

  it('refuses more than 30 days, no reason, an expired period, another clock', () => {
    for (const days of [0, 31, 2.5]) {
      expect(extendHandling(c, { at, days, reason: '原因', actorId: 9 })).toMatchObject({
        ok: false,
        field: 'days',
      });
    }
    expect(extendHandling(c, { at, days: 30, reason: ' ', actorId: 9 })).toMatchObject({
      ok: false,
      field: 'reason',
    });
    expect(
      extendHandling(c, { at: sh('2026-05-09 08:00'), days: 30, reason: '原因', actorId: 9 }),
    ).toMatchObject({
      ok: false,
      zh: '办理期限已届满，不能延期',
    });
    const route = clocksOnReceipt(sh('2026-03-09 10:00'))[0];
    expect(extendHandling(route, { at, days: 5, reason: '原因', actorId: 9 })).toMatchObject({ ok: false });
  });
});

describe('复查 and 复核 (art. 35–36)', () => {
  it('takes a request within 30 days of the answer and refuses a late one with its last day', () => {
    const answered = sh('2026-03-09 15:00');
    expect(checkReviewRequest('review', answered, sh('2026-04-08 23:59'))).toMatchObject({ ok: true });
    expect(checkReviewRequest('review', answered, sh('2026-04-09 08:00'))).toMatchObject({
      ok: false,
      field: 'requestedAt',
      zh: '复查请求已超过 30 日期限（期限至2026年4月8日）',
    });
    expect(checkReviewRequest('recheck', answered, sh('2026-04-09 08:00'))).toMatchObject({
      zh: '复核请求已超过 30 日期限（期限至2026年4月8日）',
    });
  });

  it('answers a 复查 or 复核 request within 30 days', () => {
    // 1 Apr + 30 = 1 May, the first day of 劳动节 (1–5 May): the last day is Wednesday 6 May
    expect(due(reviewClock('petition_review', sh('2026-04-01 09:00')))).toEqual(sh('2026-05-07 00:00'));
    // 1 May + 30 = 31 May, a Sunday → Monday 1 June
    const recheck = reviewClock('petition_recheck', sh('2026-05-01 09:00'));
    expect([recheck.kind, due(recheck)]).toEqual(['petition_recheck', sh('2026-06-02 00:00')]);
  });
});
