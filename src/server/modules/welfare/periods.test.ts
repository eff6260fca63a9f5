import { describe, expect, it } from 'vitest';
import { balanceOf, checkEntry, type LedgerEntry, type ProposedEntry } from './ledger.ts';
import {
  closePeriod,
  nextPeriod,
  periodBounds,
  periodByKey,
  periodContains,
  periodDays,
  periodOf,
  periodRangeText,
  previousPeriod,
} from './periods.ts';

const at = new Date('2027-01-01T00:05:00+08:00');

function book(proposals: ProposedEntry[], start: LedgerEntry[] = []): LedgerEntry[] {
  const entries = [...start];
  for (const pr of proposals) {
    const c = checkEntry(entries, pr);
    if (!c.ok) throw new Error(c.zh);
    entries.push({ ...c.entry, id: entries.length + 1 });
  }
  return entries;
}
const grant = (amount: number): ProposedEntry => ({
  kind: 'grant',
  amount,
  actorId: null,
  at,
  cause: 'issue',
});

describe('programme periods', () => {
  it('takes the period from the Shanghai date: a card issued late on 31 December belongs to that year', () => {
    expect(periodOf(new Date('2026-12-31T15:30:00Z'), 'year').key).toBe('2026'); // 23:30 in Shanghai
    expect(periodOf(new Date('2026-12-31T16:30:00Z'), 'year').key).toBe('2027'); // 00:30 on 1 January
    expect(periodOf(new Date('2026-12-31T15:30:00Z'), 'quarter')).toEqual({
      kind: 'quarter',
      key: '2026-Q4',
      start: '2026-10-01',
      end: '2026-12-31',
      label: '2026年第四季度',
    });
    expect(periodOf('2026-03-31', 'month')).toMatchObject({
      key: '2026-03',
      end: '2026-03-31',
      label: '2026年3月',
    });
  });

  it('knows the leap day: February 2028 ends on the 29th, the year has 366 days', () => {
    expect(periodOf('2028-02-29', 'month')).toMatchObject({ start: '2028-02-01', end: '2028-02-29' });
    expect(periodOf('2027-02-10', 'month').end).toBe('2027-02-28');
    expect(periodDays(periodOf('2028-02-29', 'year'))).toBe(366);
    expect(periodDays(periodOf('2027-06-01', 'year'))).toBe(365);
    expect(periodDays(periodOf('2028-02-29', 'quarter'))).toBe(91);
    expect(periodDays(periodOf('2100-02-01', 'month'))).toBe(28); // a century year that is not leap
    expect(nextPeriod(periodOf('2028-01-31', 'month')).end).toBe('2028-02-29');
  });

  it('steps to the next and previous period across year ends', () => {
    expect(nextPeriod(periodByKey('2026')).key).toBe('2027');
    expect(nextPeriod(periodByKey('2026-Q4')).key).toBe('2027-Q1');
    expect(previousPeriod(periodByKey('2026-01')).key).toBe('2025-12');
    expect(previousPeriod(periodByKey('2026-Q1')).label).toBe('2025年第四季度');
  });

  it('runs between Shanghai midnights and says its range as an office writes it', () => {
    const p = periodByKey('2026');
    expect(periodBounds(p)).toEqual({
      from: new Date('2025-12-31T16:00:00Z'),
      to: new Date('2026-12-31T16:00:00Z'),
    });
    expect(periodContains(p, new Date('2026-12-31T15:59:59Z'))).toBe(true);
    expect(periodContains(p, new Date('2026-12-31T16:00:00Z'))).toBe(false);
    expect(periodRangeText(p)).toBe('2026年1月1日至2026年12月31日');
    expect(periodRangeText(periodByKey('2028-02'))).toBe('2028年2月1日至2028年2月29日');
  });

  it('refuses a key that names no period', () => {
    for (const k of ['26', '2026-Q5', '2026-13', '2026-3', 'abcd']) {
      expect(() => periodByKey(k), k).toThrow(`期次“${k}”格式不对`);
    }
  });
});

describe('closing a period', () => {
  // 300 yuan granted, 120 spent, 50 still reserved for an order placed in December
  const year = book([
    grant(30000),
    { kind: 'reserve', amount: 12000, orderId: 1, actorId: 7, at },
    { kind: 'redeem', amount: 12000, orderId: 1, actorId: 7, at },
    { kind: 'reserve', amount: 5000, orderId: 2, actorId: 7, at },
  ]);

  it('expires what is available and leaves what is reserved for an order alone', () => {
    const c = closePeriod(year, { kind: 'expire' }, { at });
    expect(c).toMatchObject({ expired: 13000, carried: 0, converted: 0, stillReserved: 5000, opening: [] });
    expect(c.closing).toEqual([{ kind: 'expire', amount: 13000, cause: 'expired', actorId: null, at }]);
    const after = book(c.closing, year);
    expect(balanceOf(after)).toMatchObject({ available: 0, reserved: 5000, spent: 12000 });
    // run again with nothing available: nothing more is written
    expect(closePeriod(after, { kind: 'expire' }, { at }).closing).toEqual([]);
  });

  it('carries over everything without a cap, and up to the cap with one, expiring the rest', () => {
    const all = closePeriod(year, { kind: 'carry_over' }, { at });
    expect(all).toMatchObject({ carried: 13000, expired: 0, openingProgrammeId: null });
    expect(all.opening).toEqual([{ kind: 'grant', amount: 13000, cause: 'carried_over', actorId: null, at }]);

    const capped = closePeriod(year, { kind: 'carry_over', cap: 10000 }, { at, actorId: 3 });
    expect(capped.closing.map((e) => [e.cause, e.amount])).toEqual([
      ['carried_over', 10000],
      ['expired', 3000],
    ]);
    expect(capped.opening.map((e) => e.amount)).toEqual([10000]);
    // the order of December is cancelled in January: its 50 yuan are released into the closed year, and
    // the cap has already been used, so the second close expires them
    const closed = book(capped.closing, year);
    const released = book([{ kind: 'release', amount: 5000, orderId: 2, actorId: 7, at }], closed);
    const late = closePeriod(released, { kind: 'carry_over', cap: 10000 }, { at });
    expect(late).toMatchObject({ carried: 0, expired: 5000, stillReserved: 0 });
  });

  it('converts what is left into another programme at its rate', () => {
    // 2 cleanings left of 6, each worth 50 yuan for repairs and pipes
    const visits = book([
      grant(6),
      ...[1, 2, 3, 4].flatMap((orderId): ProposedEntry[] => [
        { kind: 'reserve', amount: 1, orderId, actorId: 7, at },
        { kind: 'redeem', amount: 1, orderId, actorId: 7, at },
      ]),
    ]);
    const c = closePeriod(visits, { kind: 'convert', toProgrammeId: 12, rate: 5000 }, { at });
    expect(c).toMatchObject({ converted: 2, expired: 0, openingProgrammeId: 12 });
    expect(c.closing).toEqual([{ kind: 'expire', amount: 2, cause: 'converted', actorId: null, at }]);
    expect(c.opening).toEqual([{ kind: 'grant', amount: 10000, cause: 'converted', actorId: null, at }]);
  });
});
