import { type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import {
  type Cadence,
  cadenceSchema,
  type createContactBody,
  isNotReached,
  isReached,
  SELF_CHECKIN,
} from '../../../shared/care.ts';
import { hasAccess, requireAccess } from '../../platform/access.ts';
import { AppError, fieldError, notFound } from '../../platform/app-error.ts';
import type { Ctx } from '../../platform/auth.ts';
import { shanghaiDate } from '../../platform/clock.ts';
import { type Db, type Executor, rows, together, withTx } from '../../platform/db.ts';
import { kickEvents } from '../../platform/events.ts';
import { GroupCommit, type Settled } from '../../platform/group-commit.ts';
import { inScope } from '../../platform/scope.ts';
import type { SweepDeps } from '../../platform/sweeper.ts';
import { auditManyStatement } from '../audit/audit.service.ts';
import { visibleElderCondition } from '../elders/elders.service.ts';
import { recordVitalSigns } from '../elders/health.service.ts';
import { type NewReferral, referralsInsert } from '../referrals/referrals.service.ts';
import { type SilenceAlert, silenceAlertsInsert } from './alerts.ts';
import { advanceAfterContact, fulfilsWindow, nextDue } from './cadence.ts';
import type { Deps } from './care.service.ts';
import * as repo from './contacts.repo.ts';
import * as duties from './duties.repo.ts';

/** "Not reached" twice within this window raises an alert for an at-risk elder. */
export const RETRY_WINDOW_MS = 24 * 3600_000;

export function contactView(c: repo.ContactRow | repo.LedgerRow) {
  const r = c as Record<string, unknown>;
  const at = (r.contactedAt ?? r.contacted_at) as Date;
  return {
    id: c.id,
    elderId: (r.elderId ?? r.elder_id) as number,
    elderName: r.elder_name as string | undefined,
    dutyId: ((r.dutyId ?? r.duty_id) as number | null) ?? null,
    carerId: (r.carerId ?? r.carer_id) as number,
    carerName: r.carer_name as string | undefined,
    contactedAt: at.toISOString(),
    channel: c.channel,
    outcome: c.outcome,
    checks: c.checks ?? null,
    eightPoints: ((r.eightPoints ?? r.eight_points) as unknown) ?? null,
    needs: c.needs,
    concern: c.concern ?? null,
    durationMin: ((r.durationMin ?? r.duration_min) as number | null) ?? null,
    note: c.note,
  };
}

/** A home-visit duty is fulfilled by a home visit; a call duty by any channel. */
const channelFits = (duty: string, used: string) => duty !== 'home_visit' || used === 'home_visit';
/**
 * A family doctor's duty is done by a doctor's contact, or one that names it (staff recording the
 * doctor's visit): a volunteer's Tuesday visit is not the quarter's medical home visit.
 */
const authorFits = (d: duties.DutyProgressRow, it: PendingContact) =>
  d.assignee_role !== 'doctor' || it.ctx.auth.role === 'doctor' || it.body.dutyId === d.id;

/** A checked request to record a contact, waiting for its batch. */
interface PendingContact {
  ctx: Ctx;
  key: string;
  body: z.infer<typeof createContactBody>;
  now: Date;
  at: Date;
  /** the elders the author may see (elders.access.ts) */
  visible: SQL;
}
interface WrittenContact {
  contact: repo.ContactRow;
  replayed: boolean;
  alerts: SilenceAlert[];
}

/**
 * Contact writes go through a group commit (decision 0007): requests that arrive while a batch is
 * being written are written together in the next, in one transaction with set-based statements. One
 * writer per database; batches of at most 100, two in flight per process (one is
 * written while the next is prepared).
 */
const writers = new WeakMap<Db, GroupCommit<PendingContact, WrittenContact>>();
function writerOf(deps: Deps) {
  let w = writers.get(deps.db);
  if (!w) {
    w = new GroupCommit((items) => writeContacts(deps, items), { maxBatch: 100, maxInFlight: 2 });
    writers.set(deps.db, w);
  }
  return w;
}

/**
 * Records a contact (append-only) and advances the elder's duties in the same transaction. The same
 * idempotency key from the same author stores one record and answers with the first result.
 *
 * The request is checked here, then written with whatever other contacts arrived meanwhile
 * (`writeContacts`); it answers after that batch committed, like a transaction of its own.
 */
export async function recordContact(
  deps: Deps,
  ctx: Ctx,
  key: string | undefined,
  body: z.infer<typeof createContactBody>,
) {
  requireAccess(ctx, 'care.work');
  if (!key || !/^[A-Za-z0-9_.:-]{8,100}$/.test(key)) {
    throw fieldError(
      'Idempotency-Key',
      '请求头 Idempotency-Key 缺失或格式不正确（8–100 位字母数字）',
      'Missing or malformed Idempotency-Key header',
    );
  }
  checkContactContent(ctx, body);
  const now = deps.clock.now();
  const at = body.contactedAt ? new Date(body.contactedAt) : now;
  checkContactTime(ctx, at, now, deps.config?.contactBackdateDays ?? 7, body.note);
  const visible = visibleElderCondition(ctx, shanghaiDate(now));
  const r = await writerOf(deps).submit({ ctx, key, body, now, at, visible });
  return { ...contactView(r.contact), replayed: r.replayed, alerts: r.alerts.map((a) => a.id) };
}

/**
 * 有异常 says what the concern is (a coordinator cannot act on "something is wrong"); vital signs are
 * health data, written only by those who may write the health ledger (the elder's doctor, staff).
 */
function checkContactContent(ctx: Ctx, body: z.infer<typeof createContactBody>) {
  if (body.outcome === 'reached_concern' && !body.concern?.trim()) {
    throw fieldError(
      'concern',
      '请说明发现了什么异常（可选常见情况，或自己填写）',
      'Say what the concern is (pick a common one or write it)',
    );
  }
  if (body.vitals && !hasAccess(ctx, 'health.write')) {
    throw new AppError('FORBIDDEN', { zh: '您无权记录体征', en: 'You may not record vital signs' }, [
      {
        field: 'vitals',
        message: '体征（血压、血糖、体重）由家庭医生或工作人员记录',
        messageEn: 'Vital signs are recorded by the family doctor or staff',
      },
    ]);
  }
  if (body.vitals && !isReached(body.outcome)) {
    throw fieldError('vitals', '未见到老人，不能记录体征', 'Vital signs need the elder to have been reached');
  }
}

/** A phone's clock may run this far ahead of the server's. */
export const CONTACT_FUTURE_SKEW_MS = 5 * 60_000;

/**
 * A contact's time may not lie in the future (beyond a phone's clock skew), nor further back than
 * CONTACT_BACKDATE_DAYS: a ledger filled in weeks later, or dated to fit a visit quota, is exactly what
 * 台账 inspections look for. An older contact is recorded by a coordinator (or above) with a note that
 * says why; it is audited as backdated.
 */
function checkContactTime(ctx: Ctx, at: Date, now: Date, days: number, note: string | undefined) {
  if (at.getTime() > now.getTime() + CONTACT_FUTURE_SKEW_MS) {
    throw fieldError('contactedAt', '联系时间不能晚于当前时间', 'The contact time is in the future');
  }
  if (at.getTime() >= now.getTime() - days * 86400_000) return;
  if (!hasAccess(ctx, 'care.manage')) {
    throw fieldError(
      'contactedAt',
      `联系时间早于 ${days} 天前，不能补录；请联系协调员补录并说明原因`,
      `The contact time is more than ${days} days ago; ask a coordinator to record it with a note`,
    );
  }
  if (!note?.trim()) {
    throw fieldError(
      'note',
      `补录 ${days} 天前的联系，请在备注中说明原因`,
      `A contact more than ${days} days ago needs a note saying why`,
    );
  }
}

/**
 * Writes a batch of contacts in one transaction, with the alerts they raised as events (decision 0016),
 * and hands those over once it committed. Should a statement fail for the whole batch (one request's bad data), each is written
 * again alone, so only that one fails.
 */
async function writeContacts(deps: Deps, items: PendingContact[]): Promise<Settled<WrittenContact>[]> {
  let results: Settled<WrittenContact>[];
  try {
    results = await withTx(deps.db, (tx) => writeBatch(tx, items));
  } catch (err) {
    if (items.length === 1) return [{ ok: false, error: err }];
    results = [];
    for (const item of items) results.push(...(await writeContacts(deps, [item])));
    return results;
  }
  // the alerts were written as events in the batch's transaction; hand them over now, not at the next sweep
  if (results.some((r) => r.ok && r.value.alerts.length) && 'database' in deps) {
    await kickEvents(deps as unknown as SweepDeps, items[0].now, { rounds: 1 });
  }
  return results;
}

/**
 * The batch's statements: insert the contacts (scope and key checks in the statement) and read and
 * lock their elders' open duties, find the first result of any retried key, advance the duties
 * contact by contact in arrival order, then write the duties that changed, the referrals and the audit
 * entries in one statement. With BEGIN and COMMIT, four round trips for the whole batch, whatever its
 * size (five when a key was retried).
 */
async function writeBatch(tx: Executor, items: PendingContact[]): Promise<Settled<WrittenContact>[]> {
  // one visibility condition per author (and day: a doctor's contracts are by date)
  const byAuthor = new Map<string, { visible: SQL; positions: number[] }>();
  items.forEach((it, pos) => {
    const a = it.ctx.auth;
    const k = `${a.userId}:${a.role}:${a.scopes.map((s) => s.path).join(',')}:${shanghaiDate(it.now)}`;
    const g = byAuthor.get(k) ?? { visible: it.visible, positions: [] };
    g.positions.push(pos);
    byAuthor.set(k, g);
  });
  const { contacts: inserted, duties: open } = await repo.insertVisibleContacts(
    tx,
    items.map((it, pos) => ({
      pos,
      idempotencyKey: it.key,
      elderId: it.body.elderId,
      dutyId: it.body.dutyId ?? null,
      carerId: it.ctx.auth.userId,
      contactedAt: it.at,
      channel: it.body.channel,
      outcome: it.body.outcome,
      checks: it.body.checks ?? null,
      eightPoints: it.body.eightPoints ?? null,
      needs: it.body.needs,
      concern: it.body.concern?.trim() || null,
      durationMin: it.body.durationMin ?? null,
      note: it.body.note ?? null,
      recordedAt: it.now,
    })),
    [...byAuthor.values()],
  );
  const keyOf = (carerId: number, key: string) => `${carerId}\u0000${key}`;
  const fresh = new Map(inserted.map((c) => [keyOf(c.carerId, c.idempotencyKey), c]));
  const missing = items.filter((it) => !fresh.has(keyOf(it.ctx.auth.userId, it.key)));
  // a key used before (a retry, or a concurrent retry that won the insert): the first result
  const firsts = new Map(
    (
      await repo.findByKeys(
        tx,
        missing.map((it) => ({ carerId: it.ctx.auth.userId, key: it.key })),
      )
    ).map((c) => [keyOf(c.carerId, c.idempotencyKey), c]),
  );

  // the elders' open duties, locked by the insert; advanced below in memory, contact after contact
  const original = new Map(open.map((d) => [d.id, { ...d }]));
  const dutiesOf = new Map<number, duties.DutyProgressRow[]>();
  for (const d of open) dutiesOf.set(d.elder_id, [...(dutiesOf.get(d.elder_id) ?? []), d]);

  const results: Settled<WrittenContact>[] = [];
  const referrals: NewReferral[] = [];
  const vitals: Parameters<typeof recordVitalSigns>[1] = [];
  const audits: Parameters<typeof auditManyStatement>[0] = [];
  for (const it of items) {
    const k = keyOf(it.ctx.auth.userId, it.key);
    const contact = fresh.get(k);
    if (!contact) {
      const first = firsts.get(k);
      results.push(
        first
          ? { ok: true, value: { contact: first, replayed: true, alerts: [] } }
          : { ok: false, error: await notWritten(tx, it) },
      );
      continue;
    }
    fresh.delete(k); // the same key twice in one batch: the second is a replay of the first
    firsts.set(k, contact);
    const alerts = await advanceDuties(tx, it, contact, dutiesOf);
    if (it.body.vitals) {
      vitals.push({
        elderId: contact.elderId,
        orgPath: contact.orgPath,
        measuredAt: it.at,
        contactId: contact.id,
        recordedBy: it.ctx.auth.userId,
        ...it.body.vitals,
      });
    }
    for (const need of it.body.needs) {
      referrals.push({
        contactId: contact.id,
        elderId: contact.elderId,
        orgPath: contact.orgPath,
        need,
        createdAt: it.now,
      });
    }
    audits.push({
      ctx: it.ctx,
      event: {
        action: 'contact.create',
        entity: 'elder',
        entityId: contact.elderId,
        orgPath: contact.orgPath,
        details: {
          contactId: contact.id,
          outcome: it.body.outcome,
          channel: it.body.channel,
          ...(it.body.vitals ? { vitals: true } : {}),
          // written more than a day after it happened: the audit log says so
          ...(it.now.getTime() - it.at.getTime() > 86400_000 ? { backdated: true } : {}),
        },
      },
    });
    results.push({ ok: true, value: { contact, replayed: false, alerts } });
  }

  // a duty the batch leaves as it was is not written at all
  const changed = open
    .filter((d) => !duties.patchIsNoop(original.get(d.id) as duties.DutyPatch, d))
    .map((d) => ({ id: d.id, patch: d as duties.DutyPatch }));
  await together(tx, [
    duties.progressUpdate(changed, items[0].now),
    referralsInsert(referrals),
    silenceAlertsInsert(
      results.flatMap((r) => (r.ok ? r.value.alerts : [])),
      items[0].now,
    ),
    auditManyStatement(audits),
  ]);
  // into the health ledger in the same transaction: a contact never stands without its measurements
  await recordVitalSigns(tx, vitals);
  return results;
}

/** Why a contact was not stored: its elder is not the author's to see, or its duty is not that elder's. */
async function notWritten(tx: Executor, it: PendingContact) {
  if (it.body.dutyId && (await repo.elderVisible(tx, it.body.elderId, it.visible))) {
    return new AppError('NOT_FOUND', { zh: '找不到该关爱职责', en: 'Duty not found' }, [
      {
        field: 'dutyId',
        message: '找不到该关爱职责，或它不是这位老人的',
        messageEn: 'No such duty for this elder',
      },
    ]);
  }
  return notFound({ zh: '找不到该服务对象', en: 'Elder not found' });
}

/**
 * What one contact does to its elder's open duties (`dutiesOf`, updated in place): a reached contact
 * advances the duties it fulfils; a not-reached one counts the attempt and, the second time within the
 * retry window on a watched duty, raises an "unreachable" alert; deceased or moved closes them all.
 */
async function advanceDuties(
  tx: Executor,
  it: PendingContact,
  contact: repo.ContactRow,
  dutiesOf: Map<number, duties.DutyProgressRow[]>,
): Promise<SilenceAlert[]> {
  const { body, at, now } = it;
  const raised: SilenceAlert[] = [];
  if (body.outcome === 'deceased' || body.outcome === 'moved') {
    await duties.closeElderDuties(
      tx,
      contact.elderId,
      body.outcome === 'deceased' ? 'deceased' : 'moved_away',
      now,
    );
    dutiesOf.delete(contact.elderId); // later contacts in the batch find them closed
    return raised;
  }
  for (const d of dutiesOf.get(contact.elderId) ?? []) {
    const targeted = body.dutyId ? d.id === body.dutyId : true;
    const current =
      d.window_start && d.next_due_at ? { windowStart: d.window_start, windowEnd: d.next_due_at } : null;
    if (isReached(body.outcome)) {
      d.not_reached_count = 0;
      d.first_not_reached_at = null;
      // targeted or not, a contact fulfils only the window it falls in or an overdue one: one made
      // before the window opens (a 23:53 call, a visit on Wednesday for Friday's) leaves the duty due
      if (
        targeted &&
        fulfilsWindow(current, at) &&
        channelFits(d.channel, body.channel) &&
        authorFits(d, it)
      ) {
        const cadence = cadenceSchema.parse(d.cadence) as Cadence;
        const next = advanceAfterContact(cadence, current, at, { birthDate: d.birth_date });
        d.window_start = next?.windowStart ?? null;
        d.next_due_at = next?.dueAt ?? null;
        d.last_done_at = at;
        d.last_outcome = body.outcome;
        d.last_contact_id = contact.id;
      }
    } else if (isNotReached(body.outcome) && targeted) {
      const within =
        d.first_not_reached_at && at.getTime() - d.first_not_reached_at.getTime() <= RETRY_WINDOW_MS;
      d.not_reached_count = within ? d.not_reached_count + 1 : 1;
      d.first_not_reached_at = within ? d.first_not_reached_at : at;
      d.last_outcome = body.outcome;
      // one alert per elder and contact, on the first watched duty
      if (d.watch_silence && d.not_reached_count >= 2 && raised.length === 0) {
        const day = shanghaiDate(at);
        const details = { attempts: d.not_reached_count, lastOutcome: body.outcome, contactId: contact.id };
        const alert = {
          elderId: contact.elderId,
          dutyId: d.id,
          orgPath: d.org_path,
          kind: 'unreachable' as const,
          day,
          raisedAt: now,
          details,
        };
        const a = await repo.insertAlert(tx, alert);
        if (a) raised.push({ ...alert, id: a.id, assigneeId: d.assignee_id });
      }
    }
  }
  return raised;
}

/**
 * The elder's own "我很好" on the 长辈版 page (the emergency module calls this, once per elder and
 * Shanghai day): it counts as that day's check-in. The elder's daily check-in duties (those with a daily
 * deadline) advance as after a reached call, so the carer's worklist drops today's call and the
 * deadline's silence check finds the day covered. Other duties (visits, a doctor's round) are untouched.
 * Returns how many duties advanced.
 */
export async function recordSelfCheckInAsSystem(
  tx: Executor,
  e: { elderId: number; at: Date },
): Promise<number> {
  const open = (await rows<duties.DutyProgressRow>(tx, duties.lockEldersDutiesSql([e.elderId]))).map(
    duties.fixProgressRow,
  );
  const changed: { id: number; patch: duties.DutyPatch }[] = [];
  for (const d of open) {
    if (!d.has_deadline) continue;
    const cadence = cadenceSchema.parse(d.cadence) as Cadence;
    const current =
      d.window_start && d.next_due_at ? { windowStart: d.window_start, windowEnd: d.next_due_at } : null;
    // it is that day's check-in: pressed before the day's window opens (06:00 for 08:00–20:00) it
    // fulfils that window — and an overdue one of yesterday — as if pressed when it opened; never a
    // window of another day (pressed at 21:00, tomorrow's call stays due)
    const opts = { birthDate: d.birth_date };
    const upcoming = nextDue(cadence, { ...opts, after: e.at });
    const sameDay =
      upcoming && upcoming.windowStart > e.at && shanghaiDate(upcoming.windowStart) === shanghaiDate(e.at);
    const next = advanceAfterContact(cadence, current, sameDay ? upcoming.windowStart : e.at, opts);
    changed.push({
      id: d.id,
      patch: {
        window_start: next?.windowStart ?? null,
        next_due_at: next?.dueAt ?? null,
        last_done_at: e.at,
        last_outcome: SELF_CHECKIN,
        last_contact_id: null,
        not_reached_count: 0,
        first_not_reached_at: null,
      },
    });
  }
  await together(tx, [duties.progressUpdate(changed, e.at)]);
  return changed.length;
}

/** The ledger scope: staff by org subtree, carers and doctors their own records. */
export function ledgerScope(ctx: Ctx) {
  if (hasAccess(ctx, 'care.manage')) return inScope(ctx.auth, sql.raw('c.org_path'));
  return sql`c.carer_id = ${ctx.auth.userId}`;
}

/** The Shanghai month 'YYYY-MM' as an instant range. */
export function monthRange(month: string): [Date, Date] {
  const [y, m] = month.split('-').map(Number);
  return [new Date(Date.UTC(y, m - 1, 1) - 8 * 3600_000), new Date(Date.UTC(y, m, 1) - 8 * 3600_000)];
}

/**
 * The elder's last contacts for the emergency console, read without a caller's ledger scope: the
 * incidents module has already checked that the caller may see the incident (and so the elder).
 */
export async function recentContactsAsSystem(ex: Executor, elderId: number, limit = 5) {
  return (await repo.recentOfElder(ex, elderId, limit)).map((c) => ({
    id: c.id,
    contactedAt: c.contacted_at.toISOString(),
    channel: c.channel,
    outcome: c.outcome,
    carerName: c.carer_name,
    note: c.note,
  }));
}
