/** Time comes from a clock the app is given, so tests can move it (deadlines, ladders, lockouts). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export class TestClock implements Clock {
  private t: number;
  constructor(start: Date | string = '2026-11-22T02:00:00Z') {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  set(at: Date | string): void {
    this.t = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export const TZ = 'Asia/Shanghai';

// One formatter for the process: building an Intl.DateTimeFormat costs tens of microseconds, and
// "today" is asked for on every worklist and contact request.
const shanghaiDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date in Asia/Shanghai of an instant, as 'YYYY-MM-DD'. */
export function shanghaiDate(at: Date): string {
  return shanghaiDay.format(at);
}
