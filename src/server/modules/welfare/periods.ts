import type { PeriodEndRule, PeriodKind } from '../../../shared/welfare.ts';
import { addCalendarDays, shanghaiDate, shanghaiMidnight } from '../orders/workday-calendar.ts';
import { balanceOf, type LedgerEntry, type ProposedEntry } from './ledger.ts';

/**
 * A programme's periods: the calendar year by default, or a quarter or a month, always in Asia/Shanghai
 * dates (a card issued at 23:30 on 31 December Beijing time belongs to that year, though it is already
 * 15:30 UTC). A period is named by a key the database can keep ('2026', '2026-Q1', '2026-03') and
 * shown as an office writes it (2026年、2026年第一季度、2026年3月).
 */
export interface Period {
  kind: PeriodKind;
  key: string;
  /** first and last day, inclusive, 'YYYY-MM-DD' */
  start: string;
  end: string;
  label: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const quarterNames = ['第一季度', '第二季度', '第三季度', '第四季度'];

/** The days in month m (1–12) of year y; February has 29 in a leap year. */
export const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

function make(kind: PeriodKind, y: number, n: number): Period {
  if (kind === 'year') return { kind, key: `${y}`, start: `${y}-01-01`, end: `${y}-12-31`, label: `${y}年` };
  if (kind === 'quarter') {
    const last = n * 3;
    return {
      kind,
      key: `${y}-Q${n}`,
      start: `${y}-${pad(last - 2)}-01`,
      end: `${y}-${pad(last)}-${pad(daysInMonth(y, last))}`,
      label: `${y}年${quarterNames[n - 1]}`,
    };
  }
  return {
    kind,
    key: `${y}-${pad(n)}`,
    start: `${y}-${pad(n)}-01`,
    end: `${y}-${pad(n)}-${pad(daysInMonth(y, n))}`,
    label: `${y}年${n}月`,
  };
}

/** The period of `kind` containing an instant (its Shanghai date) or a 'YYYY-MM-DD' date. */
export function periodOf(at: Date | string, kind: PeriodKind): Period {
  const date = typeof at === 'string' ? at : shanghaiDate(at);
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  return make(kind, y, kind === 'year' ? 1 : kind === 'quarter' ? Math.ceil(m / 3) : m);
}

/** The period a key names; a key that names none is refused in Chinese. */
export function periodByKey(key: string): Period {
  let m = /^(\d{4})$/.exec(key);
  if (m) return make('year', Number(m[1]), 1);
  m = /^(\d{4})-Q([1-4])$/.exec(key);
  if (m) return make('quarter', Number(m[1]), Number(m[2]));
  m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(key);
  if (m) return make('month', Number(m[1]), Number(m[2]));
  throw new Error(`期次“${key}”格式不对，应为 2026、2026-Q1 或 2026-03`);
}

export const nextPeriod = (p: Period) => periodOf(addCalendarDays(p.end, 1), p.kind);
export const previousPeriod = (p: Period) => periodOf(addCalendarDays(p.start, -1), p.kind);

/** The instants the period runs between: [from, to), Shanghai midnights. */
export function periodBounds(p: Period): { from: Date; to: Date } {
  return {
    from: new Date(shanghaiMidnight(p.start)),
    to: new Date(shanghaiMidnight(addCalendarDays(p.end, 1))),
  };
}

export function periodContains(p: Period, at: Date | string): boolean {
  const date = typeof at === 'string' ? at : shanghaiDate(at);
  return date >= p.start && date <= p.end;
}

export const periodDays = (p: Period) =>
  Math.round((shanghaiMidnight(addCalendarDays(p.end, 1)) - shanghaiMidnight(p.start)) / 86400_000);

/** The period as a Chinese office writes it in a ledger's title: 2026年1月1日至2026年12月31日. */
export function periodRangeText(p: Period): string {
  const zh = (d: string) => `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
  return `${zh(p.start)}至${zh(p.end)}`;
}

export interface PeriodClose {
  /** entries for the ledger being closed: what is available leaves it as `expire` entries with a cause */
  closing: ProposedEntry[];
  /** entries for the ledger that receives what is carried over or converted */
  opening: ProposedEntry[];
  /** where `opening` goes: null for the same programme's next period, else the target programme's */
  openingProgrammeId: number | null;
  expired: number;
  carried: number;
  /** units of the closing programme converted (the target receives `converted × rate`) */
  converted: number;
  /** still reserved for orders: left alone, settled by the close that follows their redeem or release */
  stillReserved: number;
}

/**
 * The entries that close a period under the programme's end rule. What is available expires, moves to
 * the next period (up to the cap, counted over everything already carried out of this ledger), or is
 * converted into another programme's units. Reserved units are not touched: an order placed in the
 * period may still be completed after it ends, and a release after the close leaves units available
 * that the next close (the service runs it again) settles the same way. Closing a closed ledger with
 * nothing available writes nothing, so the close may be run twice.
 */
export function closePeriod(
  entries: readonly LedgerEntry[],
  rule: PeriodEndRule,
  opts: { at: Date; actorId?: number | null },
): PeriodClose {
  const b = balanceOf(entries);
  const base = { actorId: opts.actorId ?? null, at: opts.at };
  const out: PeriodClose = {
    closing: [],
    opening: [],
    openingProgrammeId: rule.kind === 'convert' ? rule.toProgrammeId : null,
    expired: 0,
    carried: 0,
    converted: 0,
    stillReserved: b.reserved,
  };
  let left = b.available;
  if (left <= 0) return out;

  if (rule.kind === 'carry_over') {
    const room = rule.cap == null ? left : Math.max(0, rule.cap - carriedOut(entries));
    out.carried = Math.min(left, room);
    left -= out.carried;
  } else if (rule.kind === 'convert') {
    out.converted = left;
    left = 0;
  }
  out.expired = left;

  if (out.carried > 0) {
    out.closing.push({ ...base, kind: 'expire', amount: out.carried, cause: 'carried_over' });
    out.opening.push({ ...base, kind: 'grant', amount: out.carried, cause: 'carried_over' });
  }
  if (out.converted > 0 && rule.kind === 'convert') {
    out.closing.push({ ...base, kind: 'expire', amount: out.converted, cause: 'converted' });
    out.opening.push({ ...base, kind: 'grant', amount: out.converted * rule.rate, cause: 'converted' });
  }
  if (out.expired > 0) out.closing.push({ ...base, kind: 'expire', amount: out.expired, cause: 'expired' });
  return out;
}

/** The units already carried out of this ledger by earlier closes (less any reversed). */
function carriedOut(entries: readonly LedgerEntry[]): number {
  const reversed = new Set(entries.filter((e) => e.kind === 'reverse').map((e) => e.reversesId));
  return entries
    .filter((e) => e.kind === 'expire' && e.cause === 'carried_over' && !reversed.has(e.id))
    .reduce((s, e) => s + e.amount, 0);
}
