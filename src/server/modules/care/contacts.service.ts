import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import {
  type Cadence,
  cadenceSchema,
  type createContactBody,
  isNotReached,
  isReached,
  SELF_CHECKIN,
} from '../../../shared/care.ts';
import { fieldError, notFound } from '../../platform/app-error.ts';
import type { Ctx } from '../../platform/auth.ts';
import { shanghaiDate } from '../../platform/clock.ts';
import { type Executor, rows, together, withTx } from '../../platform/db.ts';
import { inScope } from '../../platform/scope.ts';
import { auditStatement } from '../audit/audit.service.ts';
import { visibleElderCondition } from '../elders/elders.service.ts';
import { publishAlerts, type SilenceAlert } from './alerts.ts';
import { advanceAfterContact } from './cadence.ts';
import { type Deps, requireRoles, staffRoles } from './care.service.ts';
import * as repo from './contacts.repo.ts';
import * as duties from './duties.repo.ts';

/** "Not reached" twice within this window raises an alert for an at-risk elder. */
export const RETRY_WINDOW_MS = 24 * 3600_000;
const writerRoles = ['admin', 'manager', 'coordinator', 'carer', 'doctor'] as const;

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
    durationMin: ((r.durationMin ?? r.duration_min) as number | null) ?? null,
    note: c.note,
  };
}

/** A home-visit duty is fulfilled by a home visit; a call duty by any channel. */
const channelFits = (duty: string, used: string) => duty !== 'home_visit' || used === 'home_visit';

/**
 * Records a contact (append-only) and advances the elder's duties in the same transaction. The same
 * idempotency key from the same author stores one record and answers with the first result.
 *
 * The hot path is BEGIN, one statement that inserts the contact (with the scope and key checks in it)
 * and reads and locks the elder's open duties, one that advances the duties that changed (set-based)
 * together with the referrals and the audit entry, and COMMIT. An "unreachable" alert adds one.
 */
export async function recordContact(
  deps: Deps,
  ctx: Ctx,
  key: string | undefined,
  body: z.infer<typeof createContactBody>,
) {
  requireRoles(ctx, writerRoles);
  if (!key || !/^[A-Za-z0-9_.:-]{8,100}$/.test(key)) {
    throw fieldError(
      'Idempotency-Key',
      '请求头 Idempotency-Key 缺失或格式不正确（8–100 位字母数字）',
      'Missing or malformed Idempotency-Key header',
    );
  }
  const now = deps.clock.now();
  const at = body.contactedAt ? new Date(body.contactedAt) : now;
  if (at.getTime() > now.getTime() + 5 * 60_000) {
    throw fieldError('contactedAt', '联系时间不能晚于当前时间', 'The contact time is in the future');
  }
  const visible = visibleElderCondition(ctx, shanghaiDate(now));
  const raised: SilenceAlert[] = [];
  const result = await withTx(deps.db, async (tx) => {
    const closing = body.outcome === 'deceased' || body.outcome === 'moved';
    const inserted = await repo.insertVisibleContact(
      tx,
      visible,
      {
        idempotencyKey: key,
        elderId: body.elderId,
        dutyId: body.dutyId ?? null,
        carerId: ctx.auth.userId,
        contactedAt: at,
        channel: body.channel,
        outcome: body.outcome,
        checks: body.checks ?? null,
        eightPoints: body.eightPoints ?? null,
        needs: body.needs,
        durationMin: body.durationMin ?? null,
        note: body.note ?? null,
        recordedAt: now,
      },
      !closing,
    );
    if (!inserted) {
      // the key was used before (a retry, or a concurrent retry that won the insert): the first result
      const first = await repo.findByKey(tx, ctx.auth.userId, key);
      if (first) return { contact: first, replayed: true };
      throw notFound({ zh: '找不到该服务对象', en: 'Elder not found' });
    }
    const { contact } = inserted;
    const elder = { id: contact.elderId, orgPath: contact.orgPath };

    const changed: { id: number; patch: duties.DutyPatch }[] = [];
    if (closing) {
      await duties.closeElderDuties(
        tx,
        elder.id,
        body.outcome === 'deceased' ? 'deceased' : 'moved_away',
        now,
      );
    } else {
      for (const d of inserted.duties) {
        const targeted = body.dutyId ? d.id === body.dutyId : true;
        const started = !d.window_start || d.window_start <= at;
        const patch: duties.DutyPatch = {
          window_start: d.window_start,
          next_due_at: d.next_due_at,
          last_done_at: d.last_done_at,
          last_outcome: d.last_outcome,
          last_contact_id: d.last_contact_id,
          not_reached_count: d.not_reached_count,
          first_not_reached_at: d.first_not_reached_at,
        };
        if (isReached(body.outcome)) {
          patch.not_reached_count = 0;
          patch.first_not_reached_at = null;
          if (targeted && (body.dutyId || started) && channelFits(d.channel, body.channel)) {
            const cadence = cadenceSchema.parse(d.cadence) as Cadence;
            const current =
              d.window_start && d.next_due_at
                ? { windowStart: d.window_start, windowEnd: d.next_due_at }
                : null;
            const next = advanceAfterContact(cadence, current, at, { birthDate: d.birth_date });
            patch.window_start = next?.windowStart ?? null;
            patch.next_due_at = next?.dueAt ?? null;
            patch.last_done_at = at;
            patch.last_outcome = body.outcome;
            patch.last_contact_id = contact.id;
          }
        } else if (isNotReached(body.outcome) && targeted) {
          const within =
            d.first_not_reached_at && at.getTime() - d.first_not_reached_at.getTime() <= RETRY_WINDOW_MS;
          patch.not_reached_count = within ? d.not_reached_count + 1 : 1;
          patch.first_not_reached_at = within ? d.first_not_reached_at : at;
          patch.last_outcome = body.outcome;
          // one alert per elder and contact, on the first watched duty
          if (d.watch_silence && patch.not_reached_count >= 2 && raised.length === 0) {
            const day = shanghaiDate(at);
            const details = {
              attempts: patch.not_reached_count,
              lastOutcome: body.outcome,
              contactId: contact.id,
            };
            const a = await repo.insertAlert(tx, {
              elderId: elder.id,
              dutyId: d.id,
              orgPath: d.org_path,
              kind: 'unreachable',
              day,
              raisedAt: now,
              details,
            });
            if (a) {
              raised.push({
                id: a.id,
                elderId: elder.id,
                dutyId: d.id,
                orgPath: d.org_path,
                kind: 'unreachable',
                day,
                raisedAt: now,
                assigneeId: d.assignee_id,
                details,
              });
            }
          }
        } else continue;
        // a duty this contact leaves as it was is not written at all
        if (!duties.patchIsNoop(d, patch)) changed.push({ id: d.id, patch });
      }
    }
    await together(tx, [
      duties.progressUpdate(changed, now),
      repo.referralsInsert(
        body.needs.map((need) => ({
          contactId: contact.id,
          elderId: elder.id,
          orgPath: elder.orgPath,
          need,
          createdAt: now,
        })),
      ),
      auditStatement(ctx, {
        action: 'contact.create',
        entity: 'elder',
        entityId: elder.id,
        orgPath: elder.orgPath,
        details: { contactId: contact.id, outcome: body.outcome, channel: body.channel },
      }),
    ]);
    return { contact, replayed: false };
  });
  await publishAlerts(raised);
  return { ...contactView(result.contact), replayed: result.replayed, alerts: raised.map((a) => a.id) };
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
  const open = (await rows<duties.DutyProgressRow>(tx, duties.lockElderDutiesSql(e.elderId))).map(
    duties.fixProgressRow,
  );
  const changed: { id: number; patch: duties.DutyPatch }[] = [];
  for (const d of open) {
    if (!d.has_deadline || (d.window_start && d.window_start > e.at)) continue;
    const cadence = cadenceSchema.parse(d.cadence) as Cadence;
    const current =
      d.window_start && d.next_due_at ? { windowStart: d.window_start, windowEnd: d.next_due_at } : null;
    const next = advanceAfterContact(cadence, current, e.at, { birthDate: d.birth_date });
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
  if ((staffRoles as readonly string[]).includes(ctx.auth.role))
    return inScope(ctx.auth, sql.raw('c.org_path'));
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
