import { and, asc, eq, sql } from 'drizzle-orm';
import { type Executor, rows } from '../../platform/db.ts';
import { notifications } from './notifications.schema.ts';
import type { Subject, SubjectKind } from './policy.ts';

export type NotificationRow = typeof notifications.$inferSelect;
export type NotificationInsert = typeof notifications.$inferInsert;

const bySubject = (s: Subject) =>
  and(eq(notifications.subjectKind, s.kind), eq(notifications.subjectId, s.id));

/**
 * Inserts many in one statement (arrays unnested: one parameter per column, whatever the count),
 * skipping rows whose (subject, step, attempt, channel, address) exists. Returns the inserted rows.
 * `incident_id` is derived from the subject here (the incident kind's foreign key, decision 0017).
 */
export async function insertNotifications(
  ex: Executor,
  list: (Omit<NotificationInsert, 'id' | 'incidentId'> & { createdAt: Date })[],
): Promise<
  {
    id: number;
    subjectKind: SubjectKind;
    subjectId: number;
    stepIndex: number;
    attempt: number;
    channel: string;
    address: string;
  }[]
> {
  if (list.length === 0) return [];
  const col = <T>(f: (n: (typeof list)[number]) => T) => sql.param(list.map(f));
  const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
  return rows(
    ex,
    sql`INSERT INTO notifications (subject_kind, subject_id, incident_id, org_path, step_index, attempt, whom,
          recipient_label, recipient_user_id, channel, address, body, status, sent_at, retry_at, ack_token_hash,
          created_at)
        SELECT m.subject_kind, m.subject_id, CASE WHEN m.subject_kind = 'incident' THEN m.subject_id END,
          m.org_path, m.step_index, m.attempt, m.whom, m.recipient_label, m.recipient_user_id, m.channel,
          m.address, m.body, m.status, m.sent_at, m.retry_at, m.ack_token_hash, m.created_at
        FROM unnest(${col((n) => n.subjectKind)}::text[], ${col((n) => n.subjectId)}::bigint[], ${col((n) => n.orgPath)}::text[],
          ${col((n) => n.stepIndex ?? 0)}::int[], ${col((n) => n.attempt ?? 0)}::int[], ${col((n) => n.whom)}::text[],
          ${col((n) => n.recipientLabel)}::text[], ${col((n) => n.recipientUserId ?? null)}::bigint[],
          ${col((n) => n.channel)}::text[], ${col((n) => n.address)}::text[], ${col((n) => n.body)}::text[],
          ${col((n) => n.status ?? 'pending')}::text[], ${col((n) => iso(n.sentAt))}::timestamptz[],
          ${col((n) => iso(n.retryAt))}::timestamptz[], ${col((n) => n.ackTokenHash ?? null)}::text[],
          ${col((n) => iso(n.createdAt))}::timestamptz[])
          AS m(subject_kind, subject_id, org_path, step_index, attempt, whom, recipient_label, recipient_user_id,
            channel, address, body, status, sent_at, retry_at, ack_token_hash, created_at)
        ON CONFLICT DO NOTHING
        RETURNING id, subject_kind AS "subjectKind", subject_id AS "subjectId", step_index AS "stepIndex", attempt,
          channel, address`,
  );
}

/** The last message to each (channel, address) pair, in one read: key `channel address` → last. */
export async function lastToAddresses(
  ex: Executor,
  keys: { channel: string; address: string }[],
): Promise<Map<string, { at: Date; subject: Subject }>> {
  const out = new Map<string, { at: Date; subject: Subject }>();
  if (keys.length === 0) return out;
  const r = await rows<{ channel: string; address: string; at: Date; kind: SubjectKind; id: number }>(
    ex,
    sql`SELECT k.channel, k.address, l.created_at AS at, l.subject_kind AS kind, l.subject_id AS id
        FROM unnest(${sql.param(keys.map((k) => k.channel))}::text[], ${sql.param(keys.map((k) => k.address))}::text[])
          AS k(channel, address)
        CROSS JOIN LATERAL (SELECT n.created_at, n.subject_kind, n.subject_id FROM notifications n
          WHERE n.channel = k.channel AND n.address = k.address ORDER BY n.created_at DESC LIMIT 1) l`,
  );
  for (const x of r)
    out.set(`${x.channel} ${x.address}`, { at: new Date(x.at), subject: { kind: x.kind, id: Number(x.id) } });
  return out;
}

/**
 * Claims due deliveries: SKIP LOCKED so two processes take different rows, and a lease (retry_at
 * moved forward) committed before sending, so the HTTP call happens outside any transaction and a
 * crash mid-send retries after the lease.
 */
export async function claimDue(
  ex: Executor,
  now: Date,
  limit: number,
  leaseSeconds = 60,
): Promise<NotificationRow[]> {
  const lease = new Date(now.getTime() + leaseSeconds * 1000);
  return rows<NotificationRow>(
    ex,
    sql`UPDATE notifications n SET retry_at = ${lease.toISOString()}::timestamptz, attempts = n.attempts + 1
        WHERE n.id IN (
          SELECT id FROM notifications
          WHERE status = 'pending' AND retry_at <= ${now.toISOString()}::timestamptz
          ORDER BY retry_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
        RETURNING n.id, n.subject_kind AS "subjectKind", n.subject_id AS "subjectId", n.incident_id AS "incidentId",
          n.org_path AS "orgPath", n.step_index AS "stepIndex",
          n.attempt, n.whom, n.recipient_label AS "recipientLabel", n.recipient_user_id AS "recipientUserId",
          n.channel, n.address, n.body, n.status, n.attempts, n.retry_at AS "retryAt",
          n.last_error AS "lastError", n.sent_at AS "sentAt", n.ack_token_hash AS "ackTokenHash",
          n.acked_at AS "ackedAt", n.ack_reply AS "ackReply", n.created_at AS "createdAt"`,
  );
}

export async function markSent(ex: Executor, ids: number[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await ex
    .update(notifications)
    .set({ status: 'sent', sentAt: at, retryAt: null, lastError: null })
    .where(
      and(sql`${notifications.id} = ANY(${sql.param(ids)}::bigint[])`, eq(notifications.status, 'pending')),
    );
}

export async function markRetry(
  ex: Executor,
  id: number,
  retryAt: Date | null,
  error: string,
): Promise<void> {
  await ex
    .update(notifications)
    .set(retryAt ? { retryAt, lastError: error } : { status: 'failed', retryAt: null, lastError: error })
    .where(and(eq(notifications.id, id), eq(notifications.status, 'pending')));
}

export async function findByAckHashForUpdate(
  ex: Executor,
  hash: string,
): Promise<NotificationRow | undefined> {
  const [r] = await ex.select().from(notifications).where(eq(notifications.ackTokenHash, hash)).for('update');
  return r;
}

export async function findByAckHash(ex: Executor, hash: string): Promise<NotificationRow | undefined> {
  const [r] = await ex.select().from(notifications).where(eq(notifications.ackTokenHash, hash));
  return r;
}

export async function markAcked(ex: Executor, id: number, at: Date, reply: string): Promise<void> {
  await ex.update(notifications).set({ ackedAt: at, ackReply: reply }).where(eq(notifications.id, id));
}

/** Once the subject is taken care of (an incident acknowledged), messages not yet sent are pointless. */
export async function cancelPendingOf(ex: Executor, subject: Subject): Promise<void> {
  await ex
    .update(notifications)
    .set({ status: 'cancelled', retryAt: null })
    .where(and(bySubject(subject), eq(notifications.status, 'pending')));
}

export async function listOf(ex: Executor, subject: Subject): Promise<NotificationRow[]> {
  return ex.select().from(notifications).where(bySubject(subject)).orderBy(asc(notifications.id));
}

/** How the subject's messages named this account; null if none was sent to it. */
export async function notifiedAs(ex: Executor, subject: Subject, userId: number): Promise<string | null> {
  const r = await ex
    .select({ label: notifications.recipientLabel })
    .from(notifications)
    .where(and(bySubject(subject), eq(notifications.recipientUserId, userId)))
    .orderBy(asc(notifications.id))
    .limit(1);
  return r[0]?.label ?? null;
}
