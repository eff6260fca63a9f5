import type { ClockKind } from '../../../shared/orders-rules.ts';
import { type Clock, type ClockResult, changeSla, remainingTime, startClock } from './clocks.ts';
import {
  addCalendarDays,
  defaultCalendar,
  shanghaiDate,
  shanghaiMidnight,
  type WorkdayCalendar,
} from './workday-calendar.ts';

/**
 * The deadlines of 信访工作条例 (2022, 中共中央 国务院) that a petition (信访) order carries as clocks:
 *
 * - art. 22: the petitions office registers a petition and routes it (转送、交办 or tells the petitioner
 *   where to go) within 15 days of receiving it;
 * - art. 23: where the petitioner is not told on the spot, written notice (书面告知) within 15 days;
 * - art. 34: handled within 60 days of acceptance (受理); if complicated, extended once, by at most 30
 *   days, with the head's approval and the reason told to the petitioner;
 * - art. 35–36: a petitioner who disagrees may request 复查 within 30 days of receiving the written
 *   answer, and 复核 within 30 days of the 复查 answer; each is answered within 30 days of the request.
 *
 * The article numbers are those of the issue; the search corpus held no copy of the regulation's text to
 * check them against, so they are kept as data here (`petitionArticles`) and shown beside each clock.
 *
 * Days are calendar days, as the regulation writes them (日, never 工作日). They are counted as Chinese
 * law counts periods (民法典 art. 201, 203): the day of receipt is not counted, the period ends at 24:00
 * of its last day, and a last day that is not a working day (a weekend or statutory holiday) moves to the
 * next working day. The clock itself starts at the midnight that begins the first counted day and runs
 * on wall-clock time, so a pause (the petitioner unreachable, a matter suspended) moves it day for day.
 */
export const PETITION_DAYS = {
  route: 15,
  notice: 15,
  handle: 60,
  maxExtension: 30,
  reviewRequest: 30,
  review: 30,
  recheckRequest: 30,
  recheck: 30,
} as const;

export const petitionArticles: Partial<Record<ClockKind, string>> = {
  petition_route: '信访工作条例第二十二条',
  petition_notice: '信访工作条例第二十三条',
  petition_handle: '信访工作条例第三十四条',
  petition_review: '信访工作条例第三十五条',
  petition_recheck: '信访工作条例第三十六条',
};

const days: Partial<Record<ClockKind, number>> = {
  petition_route: PETITION_DAYS.route,
  petition_notice: PETITION_DAYS.notice,
  petition_handle: PETITION_DAYS.handle,
  petition_review: PETITION_DAYS.review,
  petition_recheck: PETITION_DAYS.recheck,
};

export interface PetitionDeadline {
  /** the first day counted: the day after the event */
  firstDay: string;
  /** the last day of the period, moved past days off */
  lastDay: string;
  /** 24:00 of the last day, Asia/Shanghai */
  dueAt: Date;
}

/** The period of `n` calendar days counted from the day after `from` (民法典 art. 201, 203). */
export function petitionDeadline(
  from: Date,
  n: number,
  cal: WorkdayCalendar = defaultCalendar,
): PetitionDeadline {
  const firstDay = addCalendarDays(shanghaiDate(from), 1);
  let lastDay = addCalendarDays(shanghaiDate(from), n);
  while (!cal.isWorkingDate(lastDay)) lastDay = addCalendarDays(lastDay, 1);
  return { firstDay, lastDay, dueAt: new Date(shanghaiMidnight(addCalendarDays(lastDay, 1))) };
}

/** '2026年4月8日', as Chinese offices write a date. */
export function chineseDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

function petitionClock(kind: ClockKind, from: Date, n: number, cal: WorkdayCalendar): Clock {
  const { firstDay, dueAt } = petitionDeadline(from, n, cal);
  const start = new Date(shanghaiMidnight(firstDay));
  const r = startClock(
    { kind, basis: 'wall', slaMinutes: Math.round((dueAt.getTime() - start.getTime()) / 60_000), at: start },
    cal,
  );
  if (!r.ok) throw new Error(r.en);
  return r.clock;
}

/** The two clocks a petition gets when the office receives it: register and route, written notice. */
export function clocksOnReceipt(receivedAt: Date, cal: WorkdayCalendar = defaultCalendar): Clock[] {
  return [
    petitionClock('petition_route', receivedAt, PETITION_DAYS.route, cal),
    petitionClock('petition_notice', receivedAt, PETITION_DAYS.notice, cal),
  ];
}

/** The 60-day handling clock, from acceptance (受理). */
export function handlingClock(acceptedAt: Date, cal: WorkdayCalendar = defaultCalendar): Clock {
  return petitionClock('petition_handle', acceptedAt, PETITION_DAYS.handle, cal);
}

/** The 30-day answer clock of a 复查 (`petition_review`) or 复核 (`petition_recheck`) request. */
export function reviewClock(
  kind: 'petition_review' | 'petition_recheck',
  requestReceivedAt: Date,
  cal: WorkdayCalendar = defaultCalendar,
): Clock {
  return petitionClock(kind, requestReceivedAt, days[kind]!, cal);
}

/**
 * The one extension of the handling period (art. 34): at most 30 days, with a reason, before the period
 * has run out, and only once. The new due is the end of the extended period counted from the start, as
 * if it had been 60 + n days from acceptance (moved past days off again); time spent paused still counts
 * in the petitioner's favour.
 */
export function extendHandling(
  c: Clock,
  e: { at: Date; days: number; reason?: string | null; actorId?: number | null },
  cal: WorkdayCalendar = defaultCalendar,
): ClockResult {
  if (c.kind !== 'petition_handle') {
    return {
      ok: false,
      field: 'clock',
      zh: '只有信访办理时限可以延期',
      en: 'Only the handling period is extended',
    };
  }
  if (c.slaChanges.length > 0) {
    return {
      ok: false,
      field: 'days',
      zh: '办理期限只能延长一次',
      en: 'The handling period is extended only once',
    };
  }
  if (!Number.isInteger(e.days) || e.days < 1 || e.days > PETITION_DAYS.maxExtension) {
    return { ok: false, field: 'days', zh: '延长期限应为 1 至 30 日', en: 'An extension is 1 to 30 days' };
  }
  if (!c.breachedAt && !c.metAt && remainingTime(c, e.at, cal) <= 0) {
    return { ok: false, field: 'at', zh: '办理期限已届满，不能延期', en: 'The handling period has run out' };
  }
  // the acceptance day is the day before the clock's first counted day
  const accepted = new Date(new Date(c.startedAt).getTime() - 86400_000);
  const { dueAt } = petitionDeadline(accepted, PETITION_DAYS.handle + e.days, cal);
  const slaMinutes = Math.round((dueAt.getTime() - new Date(c.startedAt).getTime()) / 60_000);
  return changeSla(c, { at: e.at, slaMinutes, reason: e.reason, actorId: e.actorId }, cal);
}

export type ReviewRequestCheck =
  | { ok: true; deadline: PetitionDeadline }
  | { ok: false; field: 'requestedAt'; zh: string; en: string; deadline: PetitionDeadline };

/**
 * Whether a request for 复查 (after the written answer) or 复核 (after the 复查 answer) came within the
 * petitioner's 30 days (art. 35–36). A late request is not one the office must take up; the service
 * decides what to tell the petitioner.
 */
export function checkReviewRequest(
  stage: 'review' | 'recheck',
  answerReceivedAt: Date,
  requestedAt: Date,
  cal: WorkdayCalendar = defaultCalendar,
): ReviewRequestCheck {
  const n = stage === 'review' ? PETITION_DAYS.reviewRequest : PETITION_DAYS.recheckRequest;
  const deadline = petitionDeadline(answerReceivedAt, n, cal);
  if (requestedAt < deadline.dueAt) return { ok: true, deadline };
  const what = stage === 'review' ? '复查' : '复核';
  return {
    ok: false,
    field: 'requestedAt',
    zh: `${what}请求已超过 30 日期限（期限至${chineseDate(deadline.lastDay)}）`,
    en: `The ${stage} request is late (due by ${deadline.lastDay})`,
    deadline,
  };
}
