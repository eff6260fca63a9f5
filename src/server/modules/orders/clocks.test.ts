import { describe, expect, it } from 'vitest';
import type { ClockKind } from '../../../shared/orders-rules.ts';
import {
  type Clock,
  type ClockResult,
  changeSla,
  clockBoard,
  clockStatus,
  dueOrBreached,
  markBreach,
  meetClock,
  nextSweepAt,
  pauseClock,
  remainingTime,
  resumeClock,
  startClock,
  stopClock,
  sweepClocks,
  withClock,
} from './clocks.ts';

const sh = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
const due = (c: Clock) => (c.dueAt ? new Date(c.dueAt) : null);
const H = 3600_000;

function ok(r: ClockResult): Clock {
  if (!r.ok) throw new Error(r.zh);
  return r.clock;
}
const start = (kind: ClockKind, basis: 'working' | 'wall', slaMinutes: number, at: string) =>
  ok(startClock({ kind, basis, slaMinutes, at: sh(at) }));

describe('clocks on the working-day calendar', () => {
  it('runs across the 调休 Saturday before the Spring Festival and over the holiday', () => {
    // Friday 13 Feb 15:00 + 4 working hours: 2.5 h on Friday, 1.5 h on the make-up Saturday
    expect(due(start('accept', 'working', 240, '2026-02-13 15:00'))).toEqual(sh('2026-02-14 10:00'));
    // Saturday 14 Feb 16:30 + 2 working hours: 1 h that day, the rest after 15–23 Feb
    expect(due(start('arrive', 'working', 120, '2026-02-14 16:30'))).toEqual(sh('2026-02-24 09:30'));
    // the same SLA not on working days counts every minute
    expect(due(start('arrive', 'wall', 120, '2026-02-14 16:30'))).toEqual(sh('2026-02-14 18:30'));
  });

  it('breaches at the due instant, through the sweep, once', () => {
    const c = start('accept', 'working', 60, '2026-09-30 17:00'); // due 8 Oct 09:00 (国庆 1–7 Oct)
    expect(due(c)).toEqual(sh('2026-10-08 09:00'));
    expect(markBreach(c, sh('2026-10-07 23:59')).breached).toBe(false);
    const swept = markBreach(c, sh('2026-10-08 11:17'));
    expect(swept.breached).toBe(true);
    expect(swept.clock.breachedAt).toBe(sh('2026-10-08 09:00').toISOString());
    expect(markBreach(swept.clock, sh('2026-10-08 12:00')).breached).toBe(false);
  });

  it('refuses a non-positive or fractional SLA', () => {
    for (const m of [0, -5, 1.5]) {
      expect(
        startClock({ kind: 'accept', basis: 'wall', slaMinutes: m, at: sh('2026-03-09 09:00') }),
      ).toMatchObject({
        ok: false,
        field: 'slaMinutes',
      });
    }
  });
});

describe('pause and resume', () => {
  it('truly stops a working-time clock: the time left is kept and runs again from the resume', () => {
    // Friday 6 Mar 15:30 + 3 working hours = Monday 9 Mar 09:30
    const c = start('complete', 'working', 180, '2026-03-06 15:30');
    expect(due(c)).toEqual(sh('2026-03-09 09:30'));
    const paused = ok(
      pauseClock(c, { at: sh('2026-03-06 16:30'), reason: '老人住院，暂缓服务', actorId: 7 }),
    );
    expect(paused.dueAt).toBeNull();
    expect(paused.remainingMs).toBe(2 * H);
    // paused over the due instant: no breach, nothing for the sweep
    expect(markBreach(paused, sh('2026-03-09 12:00')).breached).toBe(false);
    expect(nextSweepAt([paused])).toBeNull();
    expect(clockStatus(paused, sh('2026-03-09 12:00'))).toBe('paused');
    // resumed Tuesday 09:00: two working hours left → 11:00 (the due moved by the 10.5 paused working hours)
    const resumed = ok(resumeClock(paused, { at: sh('2026-03-10 09:00'), actorId: 8 }));
    expect(due(resumed)).toEqual(sh('2026-03-10 11:00'));
    expect(resumed.pauses).toEqual([
      {
        from: sh('2026-03-06 16:30').toISOString(),
        to: sh('2026-03-10 09:00').toISOString(),
        reason: '老人住院，暂缓服务',
        actorId: 7,
        resumedBy: 8,
      },
    ]);
  });

  it('pauses a wall-clock clock by wall time, and adds up several pauses', () => {
    let c = start('arrive', 'wall', 120, '2026-03-14 10:00'); // due 12:00 on a Saturday
    c = ok(pauseClock(c, { at: sh('2026-03-14 10:30'), reason: '老人外出', actorId: 1 }));
    c = ok(resumeClock(c, { at: sh('2026-03-14 14:00'), actorId: 1 }));
    expect(due(c)).toEqual(sh('2026-03-14 15:30'));
    c = ok(pauseClock(c, { at: sh('2026-03-14 15:00'), reason: '等待家属到场', actorId: 2 }));
    c = ok(resumeClock(c, { at: sh('2026-03-14 16:00'), actorId: 2 }));
    expect(due(c)).toEqual(sh('2026-03-14 16:30'));
    expect(c.pauses).toHaveLength(2);
  });

  it('needs a reason and an actor, and refuses what cannot be paused or resumed', () => {
    const c = start('accept', 'wall', 60, '2026-03-09 09:00');
    const t = sh('2026-03-09 09:10');
    expect(pauseClock(c, { at: t, reason: ' ', actorId: 1 })).toMatchObject({ ok: false, field: 'reason' });
    expect(pauseClock(c, { at: t, reason: '原因', actorId: null })).toMatchObject({
      ok: false,
      field: 'actorId',
    });
    expect(resumeClock(c, { at: t, actorId: 1 })).toMatchObject({ ok: false, zh: '接单时限未暂停' });
    const p = ok(pauseClock(c, { at: t, reason: '原因', actorId: 1 }));
    expect(pauseClock(p, { at: t, reason: '原因', actorId: 1 })).toMatchObject({
      ok: false,
      zh: '接单时限已暂停',
    });
    expect(resumeClock(p, { at: sh('2026-03-09 09:00'), actorId: 1 })).toMatchObject({
      ok: false,
      field: 'at',
    });
    // past due, even before the sweep has recorded it
    expect(pauseClock(c, { at: sh('2026-03-09 10:00'), reason: '原因', actorId: 1 })).toMatchObject({
      ok: false,
      zh: '接单时限已超时，不能暂停',
    });
    const met = ok(meetClock(c, t));
    expect(pauseClock(met, { at: t, reason: '原因', actorId: 1 })).toMatchObject({
      zh: '接单时限已完成，不能暂停',
    });
  });
});

describe('an SLA change recomputes the time left from the time used', () => {
  // Monday 9 Mar 09:00 + 8 working hours = 17:00; at 13:00 four hours are used
  const c = start('complete', 'working', 480, '2026-03-09 09:00');
  const at = sh('2026-03-09 13:00');
  const change = (clock: Clock, slaMinutes: number) =>
    changeSla(clock, { at, slaMinutes, reason: '服务项目调整', actorId: 3 });

  it('shortens and lengthens from the time already used', () => {
    expect(due(c)).toEqual(sh('2026-03-09 17:00'));
    expect(due(ok(change(c, 360)))).toEqual(sh('2026-03-09 15:00'));
    // 12 h SLA, 4 h used: 8 h from 13:00 = 4.5 h on Monday and 3.5 h on Tuesday
    const longer = ok(change(c, 720));
    expect(due(longer)).toEqual(sh('2026-03-10 12:00'));
    expect(longer.slaChanges).toEqual([
      { at: at.toISOString(), fromMinutes: 480, toMinutes: 720, reason: '服务项目调整', actorId: 3 },
    ]);
  });

  it('a new SLA shorter than the time used makes the clock overdue since the instant it ran out', () => {
    const short = ok(change(c, 180));
    expect(due(short)).toEqual(sh('2026-03-09 12:00'));
    expect(remainingTime(short, at)).toBe(-1 * H);
    expect(sweepClocks([short], at)).toMatchObject({ breached: ['complete'] });
    expect(sweepClocks([short], at).clocks[0].breachedAt).toBe(sh('2026-03-09 12:00').toISOString());
  });

  it('changes a paused clock’s time left without starting it', () => {
    const p = ok(pauseClock(c, { at, reason: '等待配件', actorId: 3 }));
    const changed = ok(change(p, 600));
    expect(changed.dueAt).toBeNull();
    expect(changed.remainingMs).toBe(6 * H);
    expect(due(ok(resumeClock(changed, { at: sh('2026-03-11 08:30'), actorId: 3 })))).toEqual(
      sh('2026-03-11 14:30'),
    );
  });

  it('needs a reason, and leaves a breach as it was', () => {
    expect(changeSla(c, { at, slaMinutes: 600, reason: '', actorId: 3 })).toMatchObject({
      ok: false,
      field: 'reason',
    });
    const breached = markBreach(c, sh('2026-03-09 18:00')).clock;
    expect(change(breached, 600)).toMatchObject({ ok: false, zh: '完成时限已超时，不能修改时限' });
  });
});

describe('met, stopped and every clock visible', () => {
  it('records met and met late (late before the sweep saw it)', () => {
    const c = start('arrive', 'wall', 60, '2026-03-09 09:00');
    const onTime = ok(meetClock(c, sh('2026-03-09 09:45')));
    expect([onTime.metAt, onTime.breachedAt]).toEqual([sh('2026-03-09 09:45').toISOString(), null]);
    expect(clockStatus(onTime, sh('2026-03-09 12:00'))).toBe('met');
    const late = ok(meetClock(c, sh('2026-03-09 10:20')));
    expect(late.breachedAt).toBe(sh('2026-03-09 10:00').toISOString());
    expect(clockStatus(late, sh('2026-03-09 12:00'))).toBe('met_late');
    expect(meetClock(late, sh('2026-03-09 10:30'))).toMatchObject({ ok: false });
    const stopped = stopClock(c, sh('2026-03-09 09:30'));
    expect(markBreach(stopped, sh('2026-03-09 12:00')).breached).toBe(false);
    expect(clockStatus(stopped, sh('2026-03-09 12:00'))).toBe('stopped');
  });

  it('lists every clock due soon or breached, most urgent first, not only the nearest', () => {
    let clocks: Clock[] = [];
    clocks = withClock(clocks, start('accept', 'wall', 30, '2026-03-09 08:00')); // due 08:30, breached
    clocks = withClock(clocks, start('arrive', 'wall', 60, '2026-03-09 08:00')); // due 09:00, breached
    clocks = withClock(clocks, start('complete', 'working', 120, '2026-03-09 08:30')); // due 10:30, soon
    clocks = withClock(clocks, start('follow_up', 'wall', 3 * 24 * 60, '2026-03-09 08:00')); // running
    clocks = withClock(clocks, start('petition_notice', 'wall', 60, '2026-03-09 08:00'));
    clocks = withClock(clocks, ok(meetClock(clocks[4], sh('2026-03-09 08:10')))); // replaced: met
    expect(clocks).toHaveLength(5);
    const now = sh('2026-03-09 09:40');
    expect(clockBoard(clocks, now).map((v) => [v.kind, v.status])).toEqual([
      ['accept', 'breached'],
      ['arrive', 'breached'],
      ['complete', 'due_soon'],
      ['follow_up', 'running'],
      ['petition_notice', 'met'],
    ]);
    expect(dueOrBreached(clocks, now).map((v) => v.kind)).toEqual(['accept', 'arrive', 'complete']);
    expect(dueOrBreached(clocks, now, { soonMs: 10 * 60_000 }).map((v) => v.kind)).toEqual([
      'accept',
      'arrive',
    ]);
    const board = clockBoard(clocks, now);
    expect(board[0]).toMatchObject({ name: '接单时限', remainingMs: -70 * 60_000 });
    // the sweep breaches both overdue clocks at once and then looks next at the earliest one still running
    const swept = sweepClocks(clocks, now);
    expect(swept.breached).toEqual(['accept', 'arrive']);
    expect(nextSweepAt(swept.clocks)).toEqual(sh('2026-03-09 10:30'));
    expect(nextSweepAt(clocks)).toEqual(sh('2026-03-09 08:30'));
  });
});
