import { describe, expect, it } from 'vitest';
import type { EntryKind } from '../../../shared/welfare.ts';
import {
  balanceOf,
  checkEntry,
  type LedgerContext,
  type LedgerEntry,
  type ProposedEntry,
  reservations,
} from './ledger.ts';

const at = new Date('2026-03-02T02:00:00Z');
const p = (kind: EntryKind, amount: number, extra: Partial<ProposedEntry> = {}): ProposedEntry => ({
  kind,
  amount,
  actorId: 7,
  at,
  ...extra,
});

/** Appends each proposal that passes the check, as the service will; throws on a refusal. */
function book(proposals: ProposedEntry[], ctx?: LedgerContext, start: LedgerEntry[] = []): LedgerEntry[] {
  const entries = [...start];
  for (const pr of proposals) {
    const c = checkEntry(entries, pr, ctx);
    if (!c.ok) throw new Error(c.zh);
    entries.push({ ...c.entry, id: entries.length + 1 });
  }
  return entries;
}

function refusal(entries: LedgerEntry[], pr: ProposedEntry, ctx?: LedgerContext) {
  const c = checkEntry(entries, pr, ctx);
  if (c.ok) throw new Error(`expected a refusal of ${pr.kind}`);
  return c;
}

describe('the entitlement ledger', () => {
  it('splits the balance into available, reserved and spent as the entries move units', () => {
    // a 300-yuan card: two orders reserved, one completed for less than reserved, one cancelled
    const entries = book([
      p('grant', 30000, { cause: 'issue' }),
      p('reserve', 5000, { orderId: 1 }),
      p('reserve', 8000, { orderId: 2 }),
      p('redeem', 4500, { orderId: 1 }),
      p('release', 500, { orderId: 1 }),
      p('release', 8000, { orderId: 2 }),
    ]);
    expect(balanceOf(entries)).toEqual({
      available: 25500,
      reserved: 0,
      spent: 4500,
      total: 25500,
      granted: 30000,
      expired: 0,
    });
    expect(balanceOf(entries.slice(0, 3))).toMatchObject({ available: 17000, reserved: 13000, total: 30000 });
    expect(reservations(entries).get(1)).toEqual({
      orderId: 1,
      reserved: 5000,
      redeemed: 4500,
      released: 500,
      open: 0,
    });
  });

  it('never overdraws: a reservation, expiry, negative adjustment or reversal beyond what is available', () => {
    const entries = book([p('grant', 6), p('reserve', 4, { orderId: 1 })]);
    expect(refusal(entries, p('reserve', 3, { orderId: 2 }))).toMatchObject({
      code: 'overdraft',
      field: 'amount',
      zh: '可用余额不足：可用 2，预留需要 3',
    });
    expect(refusal(entries, p('expire', 3)).code).toBe('overdraft');
    expect(refusal(entries, p('adjust', -3, { reason: '多发', approverId: 9 })).code).toBe('overdraft');
    // reversing the grant would take back units that are reserved for an order
    expect(refusal(entries, p('reverse', 0, { reversesId: 1, reason: '发错人' })).code).toBe('overdraft');
    expect(checkEntry(entries, p('reserve', 2, { orderId: 2 })).ok).toBe(true);
  });

  it('redeems an order only against its own reservation, exactly once', () => {
    const entries = book([p('grant', 30000), p('reserve', 5000, { orderId: 1 })]);
    expect(refusal(entries, p('redeem', 5000))).toMatchObject({
      code: 'missing_order',
      field: 'orderId',
      zh: '核销必须关联工单',
    });
    expect(refusal(entries, p('redeem', 5000, { orderId: 2 }))).toMatchObject({
      code: 'no_reservation',
      zh: '工单 2 没有预留，不能核销',
    });
    expect(refusal(entries, p('redeem', 6000, { orderId: 1 }))).toMatchObject({
      code: 'exceeds_reservation',
      zh: '核销数量 6000 超过工单 1 的预留余额 5000',
    });
    const redeemed = book([
      p('grant', 30000),
      p('reserve', 5000, { orderId: 1 }),
      p('redeem', 5000, { orderId: 1 }),
    ]);
    expect(refusal(redeemed, p('redeem', 5000, { orderId: 1 }))).toMatchObject({
      code: 'already_closed',
      zh: '工单 1 已核销过，不能重复核销',
    });
    expect(refusal(redeemed, p('reserve', 5000, { orderId: 1 }))).toMatchObject({
      code: 'duplicate_reservation',
      zh: '工单 1 已预留过，不能重复预留',
    });
    // a partial redeem leaves the rest to one release, which must free all of it
    const partial = book([
      p('grant', 30000),
      p('reserve', 5000, { orderId: 1 }),
      p('redeem', 4000, { orderId: 1 }),
    ]);
    expect(refusal(partial, p('release', 600, { orderId: 1 }))).toMatchObject({
      code: 'must_close_reservation',
      zh: '释放数量必须等于工单 1 的预留余额 1000',
    });
    expect(checkEntry(partial, p('release', 1000, { orderId: 1 })).ok).toBe(true);
  });

  it('releases only an open reservation', () => {
    const entries = book([p('grant', 6), p('reserve', 1, { orderId: 1 }), p('release', 1, { orderId: 1 })]);
    expect(refusal(entries, p('release', 1, { orderId: 1 })).code).toBe('already_closed');
    // a cancelled order's reservation cannot be redeemed afterwards
    expect(refusal(entries, p('redeem', 1, { orderId: 1 }))).toMatchObject({
      code: 'already_closed',
      zh: '工单 1 的预留已全部核销或释放，不能核销',
    });
    expect(refusal(entries, p('release', 1, { orderId: 3 })).code).toBe('no_reservation');
  });

  it('reverses an existing grant, redeem, expiry or adjustment once, and a reversed order restores the balance', () => {
    const entries = book([
      p('grant', 30000),
      p('reserve', 5000, { orderId: 1 }),
      p('redeem', 5000, { orderId: 1 }),
      p('adjust', -1000, { reason: '重复发放', approverId: 9 }),
    ]);
    expect(balanceOf(entries)).toMatchObject({ available: 24000, spent: 5000 });
    const reversed = book(
      [
        p('reverse', 0, { reversesId: 3, reason: '工单撤销' }),
        p('reverse', 0, { reversesId: 4, reason: '调整有误' }),
      ],
      undefined,
      entries,
    );
    expect(reversed.slice(4).map((e) => [e.amount, e.reversedKind])).toEqual([
      [5000, 'redeem'],
      [-1000, 'adjust'],
    ]);
    expect(balanceOf(reversed)).toMatchObject({ available: 30000, reserved: 0, spent: 0, total: 30000 });
    expect(refusal(reversed, p('reverse', 0, { reversesId: 3, reason: '再冲一次' }))).toMatchObject({
      code: 'already_reversed',
      zh: '该记录已冲正过，不能重复冲正',
    });
    expect(refusal(reversed, p('reverse', 0, { reversesId: 5, reason: '冲正冲正' }))).toMatchObject({
      code: 'not_reversible',
      zh: '冲正记录不能再冲正',
    });
    expect(refusal(reversed, p('reverse', 0, { reversesId: 2, reason: '取消' }))).toMatchObject({
      code: 'not_reversible',
      zh: '预留记录不能冲正，请用释放',
    });
    expect(refusal(reversed, p('reverse', 0, { reversesId: 99, reason: '无' }))).toMatchObject({
      code: 'unknown_entry',
      field: 'reversesId',
    });
    expect(refusal(reversed, p('reverse', 0, { reversesId: 1 }))).toMatchObject({
      code: 'missing_reason',
      zh: '冲正必须填写原因',
    });
    // the redeem stays reversed: the order cannot redeem a second time against its closed reservation
    expect(refusal(reversed, p('redeem', 5000, { orderId: 1 })).code).toBe('already_closed');
  });

  it('asks an adjustment for a reason and an approver who is not the person entering it', () => {
    const entries = book([p('grant', 100)]);
    expect(refusal(entries, p('adjust', 50, { approverId: 9 }))).toMatchObject({
      code: 'missing_reason',
      field: 'reason',
      zh: '调整必须填写原因',
    });
    expect(refusal(entries, p('adjust', 50, { reason: '补发', approverId: null }))).toMatchObject({
      code: 'missing_approver',
      field: 'approverId',
    });
    expect(refusal(entries, p('adjust', 50, { reason: '补发', approverId: 7 }))).toMatchObject({
      code: 'self_approved',
      zh: '调整的审批人不能是录入人本人',
    });
    expect(refusal(entries, p('adjust', 0, { reason: '补发', approverId: 9 })).zh).toBe(
      '调整金额必须是非零整数',
    );
    expect(checkEntry(entries, p('adjust', 50, { reason: '补发', approverId: 9 })).ok).toBe(true);
  });

  it('takes integer units only', () => {
    for (const amount of [0, -5, 1.5, Number.NaN, 2 ** 60]) {
      expect(refusal([], p('grant', amount))).toMatchObject({
        code: 'bad_amount',
        zh: '发放数量必须是正整数',
      });
    }
  });

  it('takes no new grant or reservation once the period is closed, but lets an open reservation finish', () => {
    const entries = book([p('grant', 6), p('reserve', 1, { orderId: 1 })]);
    const closed = { closed: true };
    expect(refusal(entries, p('grant', 1), closed)).toMatchObject({
      code: 'period_closed',
      zh: '本期已结算，不能再发放',
    });
    expect(refusal(entries, p('reserve', 1, { orderId: 2 }), closed).zh).toBe('本期已结算，不能再预留');
    expect(checkEntry(entries, p('redeem', 1, { orderId: 1 }), closed).ok).toBe(true);
  });
});

/** A small seeded generator, so a failing sequence can be replayed from its seed. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An independent reading of "the balance is the sum of the entries": what each entry adds to the card. */
function signed(e: LedgerEntry): number {
  if (e.kind === 'grant' || e.kind === 'adjust') return e.amount;
  if (e.kind === 'redeem' || e.kind === 'expire') return -e.amount;
  if (e.kind === 'reverse')
    return e.reversedKind === 'redeem' || e.reversedKind === 'expire' ? e.amount : -e.amount;
  return 0;
}

describe('the ledger under random sequences of proposals', () => {
  const kinds: EntryKind[] = ['grant', 'reserve', 'redeem', 'release', 'reverse', 'expire', 'adjust'];

  it('never goes negative, and its balance is always the sum of its entries', () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= 300; seed++) {
      const rnd = mulberry32(seed);
      const int = (n: number) => Math.floor(rnd() * n);
      const entries: LedgerEntry[] = [];
      let refused = 0;
      for (let step = 0; step < 60; step++) {
        const kind = kinds[int(kinds.length)];
        const amount = kind === 'adjust' ? int(41) - 20 : int(30) + (rnd() < 0.05 ? -5 : 0);
        const pr = p(kind, amount, {
          orderId: rnd() < 0.95 ? int(6) + 1 : null,
          reversesId: entries.length ? int(entries.length + 1) + 1 : 1,
          reason: rnd() < 0.9 ? '随机' : '',
          approverId: rnd() < 0.9 ? 9 : 7,
        });
        const c = checkEntry(entries, pr);
        if (!c.ok) {
          refused++;
          continue;
        }
        entries.push({ ...c.entry, id: entries.length + 1 });
        const b = balanceOf(entries);
        const rs = [...reservations(entries).values()];
        const broken = [
          b.available < 0 && 'available < 0',
          b.reserved < 0 && 'reserved < 0',
          b.spent < 0 && 'spent < 0',
          b.total !== entries.reduce((s, e) => s + signed(e), 0) && 'total is not the sum of the entries',
          JSON.stringify(b) !== JSON.stringify(c.balance) && 'the check reported another balance',
          rs.some((r) => r.open < 0) && 'a reservation below zero',
          b.reserved !== rs.reduce((s, r) => s + r.open, 0) && 'reserved is not the open reservations',
        ].filter(Boolean);
        if (broken.length) failures.push(`seed ${seed}, step ${step}, ${kind}: ${broken.join('; ')}`);
      }
      // the generator must exercise both sides of the check, or the test proves nothing
      expect(refused, `seed ${seed}`).toBeGreaterThan(0);
      expect(entries.length, `seed ${seed}`).toBeGreaterThan(5);
    }
    expect(failures).toEqual([]);
  });

  it('never lets an order redeem, release or reserve twice, whatever the sequence', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rnd = mulberry32(seed * 7919);
      const int = (n: number) => Math.floor(rnd() * n);
      const entries: LedgerEntry[] = [{ id: 1, kind: 'grant', amount: 1000, actorId: null, at }];
      for (let step = 0; step < 80; step++) {
        const kind = (['reserve', 'redeem', 'release'] as const)[int(3)];
        const c = checkEntry(entries, p(kind, int(20) + 1, { orderId: int(4) + 1 }));
        if (c.ok) entries.push({ ...c.entry, id: entries.length + 1 });
      }
      const seen = new Set<string>();
      for (const e of entries.filter((x) => x.orderId != null)) {
        const key = `${e.orderId}:${e.kind}`;
        expect(seen.has(key), `seed ${seed}: ${key}`).toBe(false);
        seen.add(key);
      }
    }
  });
});
