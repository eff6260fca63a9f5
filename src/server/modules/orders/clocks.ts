import {
  type ClockKind,
  type ClockStatus,
  clockKindNames,
  type SlaBasis,
} from '../../../shared/orders-rules.ts';
import { addSlaTime, defaultCalendar, slaTimeBetween, type WorkdayCalendar } from './workday-calendar.ts';

/**
 * Typed SLA clocks as values (decision 0018). An order carries several clocks at once (accept, arrive,
 * complete, follow-up; a petition its 信访工作条例 deadlines), each a small JSON value on the order row;
 * the row's sweep column is `nextSweepAt(clocks)`. Every function here is pure: it takes a clock and an
 * instant and returns a new clock, so the service decides when to save and the tests control time.
 *
 * - A clock counts on its basis: `working` time on the working-day calendar, or `wall` time.
 * - A pause needs a reason and an actor and truly stops the clock: the SLA time left is kept, and the
 *   resume sets the due instant that far after the resume (the due moves by the paused working or wall
 *   time). A paused clock never breaches.
 * - An SLA change keeps the time already used and gives the rest of the new SLA from now (used = old SLA −
 *   time left; due = now + (new SLA − used)), so shortening an SLA can make a clock due at once.
 * - A breach is a fact: `breachedAt` is the due instant the clock passed (not the sweep's time), it is
 *   never cleared, and a breached clock cannot be paused or have its SLA changed. It still runs until met
 *   (`metAt` after `breachedAt` is "met late").
 */
export interface ClockPause {
  from: string;
  /** null while the pause lasts */
  to: string | null;
  reason: string;
  actorId: number;
  resumedBy?: number;
}

export interface SlaChange {
  at: string;
  fromMinutes: number;
  toMinutes: number;
  reason: string;
  actorId: number;
}

export interface Clock {
  kind: ClockKind;
  basis: SlaBasis;
  slaMinutes: number;
  startedAt: string;
  /** null while paused */
  dueAt: string | null;
  /** the SLA time left when paused (may be ≤ 0 after an SLA change shortened it); null while running */
  remainingMs: number | null;
  pauses: ClockPause[];
  slaChanges: SlaChange[];
  breachedAt: string | null;
  metAt: string | null;
  /** the order ended without this step (cancelled): the clock no longer counts */
  stoppedAt: string | null;
}

export type ClockResult = { ok: true; clock: Clock } | { ok: false; field: string; zh: string; en: string };

const MIN = 60_000;
const iso = (d: Date) => d.toISOString();
const at = (s: string) => new Date(s);

function refuse(field: string, zh: string, en: string): ClockResult {
  return { ok: false, field, zh, en };
}

function badMinutes(m: number): boolean {
  return !Number.isInteger(m) || m <= 0 || m > 366 * 24 * 60;
}

export function startClock(
  s: { kind: ClockKind; basis: SlaBasis; slaMinutes: number; at: Date },
  cal: WorkdayCalendar = defaultCalendar,
): ClockResult {
  if (badMinutes(s.slaMinutes)) {
    return refuse(
      'slaMinutes',
      '时限必须为 1 分钟至 1 年之间的整数分钟',
      'The SLA must be 1 minute to 1 year',
    );
  }
  return {
    ok: true,
    clock: {
      kind: s.kind,
      basis: s.basis,
      slaMinutes: s.slaMinutes,
      startedAt: iso(s.at),
      dueAt: iso(addSlaTime(s.at, s.slaMinutes * MIN, s.basis, cal)),
      remainingMs: null,
      pauses: [],
      slaChanges: [],
      breachedAt: null,
      metAt: null,
      stoppedAt: null,
    },
  };
}

export const isPaused = (c: Clock) => c.dueAt === null;
const isOpen = (c: Clock) => !c.metAt && !c.stoppedAt;

/** Why a clock cannot be touched now (met, stopped, breached), or null. */
function closedReason(c: Clock, verb: string, field: string): ClockResult | null {
  const name = clockKindNames[c.kind];
  if (c.metAt) return refuse(field, `${name}已完成，不能${verb}`, `The ${c.kind} clock is met`);
  if (c.stoppedAt) return refuse(field, `${name}已停止，不能${verb}`, `The ${c.kind} clock is stopped`);
  if (c.breachedAt) return refuse(field, `${name}已超时，不能${verb}`, `The ${c.kind} clock is breached`);
  return null;
}

/** The SLA time left at `now` on the clock's basis; negative once due has passed. */
export function remainingTime(c: Clock, now: Date, cal: WorkdayCalendar = defaultCalendar): number {
  if (c.dueAt === null) return c.remainingMs ?? 0;
  return slaTimeBetween(now, at(c.dueAt), c.basis, cal);
}

export function pauseClock(
  c: Clock,
  p: { at: Date; reason?: string | null; actorId?: number | null },
  cal: WorkdayCalendar = defaultCalendar,
): ClockResult {
  const closed = closedReason(c, '暂停', 'clock');
  if (closed) return closed;
  if (isPaused(c))
    return refuse('clock', `${clockKindNames[c.kind]}已暂停`, `The ${c.kind} clock is already paused`);
  const reason = p.reason?.trim();
  if (!reason) return refuse('reason', '暂停计时必须填写原因', 'A pause needs a reason');
  if (!p.actorId) return refuse('actorId', '暂停计时必须记录操作人', 'A pause needs an actor');
  const left = remainingTime(c, p.at, cal);
  // due already passed: the sweep has not recorded it yet, but the clock is breached all the same
  if (left <= 0)
    return refuse('clock', `${clockKindNames[c.kind]}已超时，不能暂停`, `The ${c.kind} clock is breached`);
  return {
    ok: true,
    clock: {
      ...c,
      dueAt: null,
      remainingMs: left,
      pauses: [...c.pauses, { from: iso(p.at), to: null, reason, actorId: p.actorId }],
    },
  };
}

export function resumeClock(
  c: Clock,
  r: { at: Date; actorId?: number | null },
  cal: WorkdayCalendar = defaultCalendar,
): ClockResult {
  if (!isPaused(c) || !isOpen(c)) {
    return refuse('clock', `${clockKindNames[c.kind]}未暂停`, `The ${c.kind} clock is not paused`);
  }
  if (!r.actorId) return refuse('actorId', '恢复计时必须记录操作人', 'A resume needs an actor');
  const open = c.pauses[c.pauses.length - 1];
  if (r.at < at(open.from)) return refuse('at', '恢复时间不能早于暂停时间', 'Resumed before it was paused');
  return {
    ok: true,
    clock: {
      ...c,
      dueAt: iso(addSlaTime(r.at, c.remainingMs ?? 0, c.basis, cal)),
      remainingMs: null,
      pauses: [...c.pauses.slice(0, -1), { ...open, to: iso(r.at), resumedBy: r.actorId }],
    },
  };
}

/** A new SLA for a clock under way: the time already used is kept, the rest of the new SLA runs from now. */
export function changeSla(
  c: Clock,
  s: { at: Date; slaMinutes: number; reason?: string | null; actorId?: number | null },
  cal: WorkdayCalendar = defaultCalendar,
): ClockResult {
  const closed = closedReason(c, '修改时限', 'slaMinutes');
  if (closed) return closed;
  if (badMinutes(s.slaMinutes)) {
    return refuse(
      'slaMinutes',
      '时限必须为 1 分钟至 1 年之间的整数分钟',
      'The SLA must be 1 minute to 1 year',
    );
  }
  const reason = s.reason?.trim();
  if (!reason) return refuse('reason', '修改时限必须填写原因', 'An SLA change needs a reason');
  if (!s.actorId) return refuse('actorId', '修改时限必须记录操作人', 'An SLA change needs an actor');
  const used = c.slaMinutes * MIN - remainingTime(c, s.at, cal);
  const left = s.slaMinutes * MIN - used;
  const change: SlaChange = {
    at: iso(s.at),
    fromMinutes: c.slaMinutes,
    toMinutes: s.slaMinutes,
    reason,
    actorId: s.actorId,
  };
  return {
    ok: true,
    clock: {
      ...c,
      slaMinutes: s.slaMinutes,
      dueAt: isPaused(c) ? null : iso(addSlaTime(s.at, left, c.basis, cal)),
      remainingMs: isPaused(c) ? left : null,
      slaChanges: [...c.slaChanges, change],
    },
  };
}

/** The step is done: the clock is met at `when` (late if past due; a pause still open ends there). */
export function meetClock(c: Clock, when: Date): ClockResult {
  if (c.metAt)
    return refuse('clock', `${clockKindNames[c.kind]}已完成`, `The ${c.kind} clock is already met`);
  if (c.stoppedAt)
    return refuse('clock', `${clockKindNames[c.kind]}已停止`, `The ${c.kind} clock is stopped`);
  const late = !c.breachedAt && c.dueAt !== null && at(c.dueAt) <= when;
  return {
    ok: true,
    clock: {
      ...c,
      metAt: iso(when),
      breachedAt: late ? c.dueAt : c.breachedAt,
      pauses: c.pauses.map((p) => (p.to === null ? { ...p, to: iso(when) } : p)),
    },
  };
}

/** The order ended without this step (cancelled): the clock stops and will never breach. */
export function stopClock(c: Clock, when: Date): Clock {
  if (!isOpen(c)) return c;
  return {
    ...c,
    stoppedAt: iso(when),
    pauses: c.pauses.map((p) => (p.to === null ? { ...p, to: iso(when) } : p)),
  };
}

/**
 * What the sweep does to one clock at `now`: a running clock whose due instant has passed is breached at
 * that instant. Returns whether this call recorded the breach (so the breach is notified exactly once).
 */
export function markBreach(c: Clock, now: Date): { clock: Clock; breached: boolean } {
  if (!isOpen(c) || c.breachedAt || c.dueAt === null || at(c.dueAt) > now)
    return { clock: c, breached: false };
  return { clock: { ...c, breachedAt: c.dueAt }, breached: true };
}

/** The sweep over an order's clocks: every clock due by `now` is breached, not only the nearest. */
export function sweepClocks(clocks: readonly Clock[], now: Date): { clocks: Clock[]; breached: ClockKind[] } {
  const breached: ClockKind[] = [];
  const next = clocks.map((c) => {
    const r = markBreach(c, now);
    if (r.breached) breached.push(c.kind);
    return r.clock;
  });
  return { clocks: next, breached };
}

/**
 * The instant the sweep must next look at the order (the row's `next_clock_at`): the earliest due instant
 * of a running clock not yet breached; null when nothing can breach (all met, stopped, paused or breached).
 */
export function nextSweepAt(clocks: readonly Clock[]): Date | null {
  let next: string | null = null;
  for (const c of clocks) {
    if (isOpen(c) && !c.breachedAt && c.dueAt !== null && (next === null || c.dueAt < next)) next = c.dueAt;
  }
  return next === null ? null : at(next);
}

/** Puts `clock` in place of the order's clock of the same kind (or adds it). */
export function withClock(clocks: readonly Clock[], clock: Clock): Clock[] {
  const i = clocks.findIndex((c) => c.kind === clock.kind);
  return i < 0 ? [...clocks, clock] : clocks.map((c, j) => (j === i ? clock : c));
}

export function clockStatus(
  c: Clock,
  now: Date,
  soonMs = 60 * MIN,
  cal: WorkdayCalendar = defaultCalendar,
): ClockStatus {
  if (c.stoppedAt) return 'stopped';
  if (c.metAt) return c.breachedAt ? 'met_late' : 'met';
  if (isPaused(c)) return 'paused';
  const left = remainingTime(c, now, cal);
  if (c.breachedAt || at(c.dueAt!) <= now) return 'breached';
  return left <= soonMs ? 'due_soon' : 'running';
}

export interface ClockView {
  kind: ClockKind;
  name: string;
  status: ClockStatus;
  basis: SlaBasis;
  slaMinutes: number;
  startedAt: string;
  dueAt: string | null;
  /** SLA time left on the clock's basis; negative when overdue */
  remainingMs: number;
  breachedAt: string | null;
  metAt: string | null;
  /** the open pause, if any */
  pause: ClockPause | null;
}

const urgency: Record<ClockStatus, number> = {
  breached: 0,
  due_soon: 1,
  running: 2,
  paused: 3,
  met_late: 4,
  met: 5,
  stopped: 6,
};

/**
 * Every clock of an order as a person sees it, the most urgent first: breached (longest overdue first),
 * due soon, running (nearest due first), paused, then the finished ones. `soonMs` is SLA time on each
 * clock's basis (an hour of working time on Friday at 17:00 lasts until Monday morning).
 */
export function clockBoard(
  clocks: readonly Clock[],
  now: Date,
  opts: { soonMs?: number; cal?: WorkdayCalendar } = {},
): ClockView[] {
  const cal = opts.cal ?? defaultCalendar;
  return clocks
    .map(
      (c): ClockView => ({
        kind: c.kind,
        name: clockKindNames[c.kind],
        status: clockStatus(c, now, opts.soonMs, cal),
        basis: c.basis,
        slaMinutes: c.slaMinutes,
        startedAt: c.startedAt,
        dueAt: c.dueAt,
        remainingMs: c.metAt || c.stoppedAt ? 0 : remainingTime(c, now, cal),
        breachedAt: c.breachedAt,
        metAt: c.metAt,
        pause: c.pauses.find((p) => p.to === null) ?? null,
      }),
    )
    .sort(
      (a, b) =>
        urgency[a.status] - urgency[b.status] ||
        (a.dueAt ?? '~').localeCompare(b.dueAt ?? '~') ||
        a.kind.localeCompare(b.kind),
    );
}

/** Every clock that is due soon or breached — all of them, not only the nearest. */
export function dueOrBreached(
  clocks: readonly Clock[],
  now: Date,
  opts: { soonMs?: number; cal?: WorkdayCalendar } = {},
): ClockView[] {
  return clockBoard(clocks, now, opts).filter((v) => v.status === 'breached' || v.status === 'due_soon');
}
