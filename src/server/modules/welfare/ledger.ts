import { type EntryCause, type EntryKind, entryKindNames } from '../../../shared/welfare.ts';

/**
 * The append-only ledger of one elder × programme × period (decision 0020). Nothing is ever updated or
 * deleted: a mistake is undone by a `reverse` entry naming the entry it undoes, and the balance is always
 * the sum of the entries — there is no balance column to drift from them.
 *
 * Every entry moves integer units (fen or visits) between three buckets, and its move is known from the
 * entry alone (its kind, amount and, for a reverse, the kind it reverses), so the database can sum the
 * same way:
 *
 *   grant    +available               (the period's issue, a carry-over, a conversion)
 *   reserve  available → reserved     (a work order paid by the card is placed)
 *   release  reserved → available     (the order is cancelled, or cost less than reserved)
 *   redeem   reserved → spent         (the order is completed and confirmed)
 *   expire   −available               (the period close; carried or converted units leave this way too)
 *   adjust   ±available               (a correction, with a reason and an approver)
 *   reverse  undoes a grant, redeem, expire or adjust (a redeem's units return to available)
 *
 * A reservation belongs to one work order: an order reserves once, and is closed by at most one redeem
 * and at most one release (a release of the rest after a cheaper service). Those are the database's
 * unique key on (order, kind) later; `checkEntry` says the same in Chinese before the insert.
 */
export interface LedgerEntry {
  id: number;
  kind: EntryKind;
  /** integer units, positive; an adjust (and the reverse of one) is signed and never zero */
  amount: number;
  /** the work order a reserve, redeem or release belongs to */
  orderId?: number | null;
  /** the disbursement (发放批次) a grant was paid out in, when there is one */
  disbursementId?: number | null;
  /** for a reverse: the entry it undoes, and that entry's kind (kept so the row explains itself) */
  reversesId?: number | null;
  reversedKind?: EntryKind | null;
  cause?: EntryCause | null;
  reason?: string | null;
  /** who wrote it; null for the system (the period close, the issue job) */
  actorId: number | null;
  approverId?: number | null;
  at: Date;
}

/** An entry about to be written: everything but its id (the reverse's kind is filled in by the check). */
export type ProposedEntry = Omit<LedgerEntry, 'id'>;

export interface Deltas {
  available: number;
  reserved: number;
  spent: number;
}

export interface Balance extends Deltas {
  /** what the card still holds: available + reserved */
  total: number;
  granted: number;
  expired: number;
}

const reversible: readonly EntryKind[] = ['grant', 'redeem', 'expire', 'adjust'];

/** The move of one entry between the buckets. */
export function entryDeltas(e: Pick<LedgerEntry, 'kind' | 'amount' | 'reversedKind'>): Deltas {
  const a = e.amount;
  switch (e.kind) {
    case 'grant':
    case 'adjust':
      return { available: a, reserved: 0, spent: 0 };
    case 'reserve':
      return { available: -a, reserved: a, spent: 0 };
    case 'release':
      return { available: a, reserved: -a, spent: 0 };
    case 'redeem':
      return { available: 0, reserved: -a, spent: a };
    case 'expire':
      return { available: -a, reserved: 0, spent: 0 };
    case 'reverse': {
      if (e.reversedKind === 'redeem') return { available: a, reserved: 0, spent: -a };
      if (e.reversedKind === 'expire') return { available: a, reserved: 0, spent: 0 };
      // a grant, or an adjust of either sign (the reverse carries the adjust's signed amount)
      return { available: -a, reserved: 0, spent: 0 };
    }
  }
}

/** The balance: the sum of the entries' moves, nothing stored beside them. */
export function balanceOf(entries: readonly LedgerEntry[] | readonly ProposedEntry[]): Balance {
  const b: Balance = { available: 0, reserved: 0, spent: 0, total: 0, granted: 0, expired: 0 };
  for (const e of entries) {
    const d = entryDeltas(e);
    b.available += d.available;
    b.reserved += d.reserved;
    b.spent += d.spent;
    if (e.kind === 'grant') b.granted += e.amount;
    if (e.kind === 'reverse' && e.reversedKind === 'grant') b.granted -= e.amount;
    if (e.kind === 'expire') b.expired += e.amount;
    if (e.kind === 'reverse' && e.reversedKind === 'expire') b.expired -= e.amount;
  }
  b.total = b.available + b.reserved;
  return b;
}

export interface Reservation {
  orderId: number;
  reserved: number;
  redeemed: number;
  released: number;
  /** still held for the order */
  open: number;
}

/** Each order's reservation: what was reserved, redeemed and released, and what is still held. */
export function reservations(entries: readonly LedgerEntry[]): Map<number, Reservation> {
  const m = new Map<number, Reservation>();
  for (const e of entries) {
    if (e.orderId == null || !(e.kind === 'reserve' || e.kind === 'redeem' || e.kind === 'release')) continue;
    let r = m.get(e.orderId);
    if (!r) {
      r = { orderId: e.orderId, reserved: 0, redeemed: 0, released: 0, open: 0 };
      m.set(e.orderId, r);
    }
    if (e.kind === 'reserve') r.reserved += e.amount;
    else if (e.kind === 'redeem') r.redeemed += e.amount;
    else r.released += e.amount;
    r.open = r.reserved - r.redeemed - r.released;
  }
  return m;
}

export type LedgerErrorCode =
  | 'bad_amount'
  | 'overdraft'
  | 'missing_order'
  | 'duplicate_reservation'
  | 'no_reservation'
  | 'already_closed'
  | 'exceeds_reservation'
  | 'must_close_reservation'
  | 'missing_reason'
  | 'missing_approver'
  | 'self_approved'
  | 'unknown_entry'
  | 'not_reversible'
  | 'already_reversed'
  | 'period_closed';

export type LedgerCheck =
  | { ok: true; entry: ProposedEntry; balance: Balance }
  | { ok: false; code: LedgerErrorCode; field: string; zh: string; en: string };

export interface LedgerContext {
  /** the period has been closed: no new grant or reservation (an open one may still be redeemed) */
  closed?: boolean;
}

const fail = (code: LedgerErrorCode, field: string, zh: string, en: string): LedgerCheck => ({
  ok: false,
  code,
  field,
  zh,
  en,
});

/**
 * Whether `proposed` may be appended to `entries` (all the entries of one ledger). Returns the entry as
 * it will be written (a reverse with the kind it reverses) and the balance after it, or the first problem
 * found, in Chinese and English, naming the field. The database enforces the same once more under a row
 * lock and unique keys (decision 0020); this check is what the person is told.
 */
export function checkEntry(
  entries: readonly LedgerEntry[],
  proposed: ProposedEntry,
  ctx: LedgerContext = {},
): LedgerCheck {
  const { kind, amount } = proposed;
  const name = entryKindNames[kind];
  // a reverse's amount is not the caller's to choose: it is the reversed entry's, filled in below
  if (
    kind !== 'reverse' &&
    (!Number.isSafeInteger(amount) || (kind === 'adjust' ? amount === 0 : amount <= 0))
  ) {
    return fail(
      'bad_amount',
      'amount',
      kind === 'adjust' ? '调整金额必须是非零整数' : `${name}数量必须是正整数`,
      kind === 'adjust'
        ? 'An adjustment must be a non-zero integer'
        : `A ${kind} amount must be a positive integer`,
    );
  }
  if (ctx.closed && (kind === 'grant' || kind === 'reserve')) {
    return fail(
      'period_closed',
      'kind',
      `本期已结算，不能再${name}`,
      `The period is closed; no ${kind} is allowed`,
    );
  }
  const before = balanceOf(entries);
  const overdraft = (need: number) =>
    fail(
      'overdraft',
      'amount',
      `可用余额不足：可用 ${before.available}，${name}需要 ${need}`,
      `Not enough available: ${before.available} available, ${need} needed`,
    );
  let entry: ProposedEntry = proposed;

  switch (kind) {
    case 'grant':
      break;
    case 'expire':
      if (amount > before.available) return overdraft(amount);
      break;
    case 'adjust':
      if (!proposed.reason?.trim()) {
        return fail('missing_reason', 'reason', '调整必须填写原因', 'An adjustment needs a reason');
      }
      if (proposed.approverId == null) {
        return fail('missing_approver', 'approverId', '调整必须有审批人', 'An adjustment needs an approver');
      }
      if (proposed.approverId === proposed.actorId) {
        return fail(
          'self_approved',
          'approverId',
          '调整的审批人不能是录入人本人',
          'The approver of an adjustment cannot be the person who enters it',
        );
      }
      if (amount < 0 && -amount > before.available) return overdraft(-amount);
      break;
    case 'reserve':
    case 'redeem':
    case 'release': {
      if (proposed.orderId == null) {
        return fail('missing_order', 'orderId', `${name}必须关联工单`, `A ${kind} must name its work order`);
      }
      const r = reservations(entries).get(proposed.orderId);
      if (kind === 'reserve') {
        if (r) {
          return fail(
            'duplicate_reservation',
            'orderId',
            `工单 ${proposed.orderId} 已预留过，不能重复预留`,
            `Order ${proposed.orderId} has already reserved`,
          );
        }
        if (amount > before.available) return overdraft(amount);
        break;
      }
      if (!r) {
        return fail(
          'no_reservation',
          'orderId',
          `工单 ${proposed.orderId} 没有预留，不能${name}`,
          `Order ${proposed.orderId} has no reservation to ${kind}`,
        );
      }
      const done = kind === 'redeem' ? r.redeemed > 0 : r.released > 0;
      if (done || r.open === 0) {
        return fail(
          'already_closed',
          'orderId',
          done
            ? `工单 ${proposed.orderId} 已${name}过，不能重复${name}`
            : `工单 ${proposed.orderId} 的预留已全部核销或释放，不能${name}`,
          done
            ? `Order ${proposed.orderId} has already had its ${kind}`
            : `Order ${proposed.orderId} has no open reservation left`,
        );
      }
      if (amount > r.open) {
        return fail(
          'exceeds_reservation',
          'amount',
          `${name}数量 ${amount} 超过工单 ${proposed.orderId} 的预留余额 ${r.open}`,
          `${kind} of ${amount} exceeds the ${r.open} still reserved for order ${proposed.orderId}`,
        );
      }
      // the second of redeem and release is the order's last word on its reservation: it must close it,
      // or units would stay reserved for ever with nothing allowed to free them
      if (r.redeemed + r.released > 0 && amount !== r.open) {
        return fail(
          'must_close_reservation',
          'amount',
          `${name}数量必须等于工单 ${proposed.orderId} 的预留余额 ${r.open}`,
          `This ${kind} must close the ${r.open} still reserved for order ${proposed.orderId}`,
        );
      }
      break;
    }
    case 'reverse': {
      const target = entries.find((e) => e.id === proposed.reversesId);
      if (proposed.reversesId == null || !target) {
        return fail(
          'unknown_entry',
          'reversesId',
          '要冲正的记录不存在于本账户',
          'The entry to reverse is not in this ledger',
        );
      }
      if (!reversible.includes(target.kind)) {
        return fail(
          'not_reversible',
          'reversesId',
          target.kind === 'reverse'
            ? '冲正记录不能再冲正'
            : `${entryKindNames[target.kind]}记录不能冲正，请用${target.kind === 'reserve' ? '释放' : '预留'}`,
          `A ${target.kind} entry cannot be reversed`,
        );
      }
      if (entries.some((e) => e.kind === 'reverse' && e.reversesId === target.id)) {
        return fail(
          'already_reversed',
          'reversesId',
          '该记录已冲正过，不能重复冲正',
          'The entry is already reversed',
        );
      }
      // a reverse moves the same units back: its amount is the reversed entry's (an adjust's, negated)
      entry = { ...proposed, amount: target.amount, reversedKind: target.kind };
      if (!proposed.reason?.trim()) {
        return fail('missing_reason', 'reason', '冲正必须填写原因', 'A reversal needs a reason');
      }
      const d = entryDeltas(entry);
      if (before.available + d.available < 0) return overdraft(-d.available);
      break;
    }
  }
  return { ok: true, entry, balance: balanceOf([...entries, entry]) };
}
