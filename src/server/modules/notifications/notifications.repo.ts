import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { type Executor, rows } from '../../platform/db.ts';
import { notifications } from './notifications.schema.ts';

export type NotificationRow = typeof notifications.$inferSelect;
export type NotificationInsert = typeof notifications.$inferInsert;

/** Inserts unless the same (incident, step, attempt, channel, address) exists: a step fired twice collides. */
export async function insertNotification(
  ex: Executor,
  n: NotificationInsert,
): Promise<NotificationRow | undefined> {
  const [row] = await ex.insert(notifications).values(n).onConflictDoNothing().returning();
  return row;
}

/** The last message to an address on a channel (throttles). */
export async function lastToAddress(
  ex: Executor,
  channel: string,
  address: string,
): Promise<{ at: Date; incidentId: number } | undefined> {
  const [r] = await ex
    .select({ at: notifications.createdAt, incidentId: notifications.incidentId })
    .from(notifications)
    .where(and(eq(notifications.channel, channel), eq(notifications.address, address)))
    .orderBy(desc(notifications.createdAt))
    .limit(1);
  return r ? { at: r.at, incidentId: r.incidentId ?? 0 } : undefined;
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
        RETURNING n.id, n.incident_id AS "incidentId", n.org_path AS "orgPath", n.step_index AS "stepIndex",
          n.attempt, n.whom, n.recipient_label AS "recipientLabel", n.recipient_user_id AS "recipientUserId",
          n.channel, n.address, n.body, n.status, n.attempts, n.retry_at AS "retryAt",
          n.last_error AS "lastError", n.sent_at AS "sentAt", n.ack_token_hash AS "ackTokenHash",
          n.acked_at AS "ackedAt", n.ack_reply AS "ackReply", n.created_at AS "createdAt"`,
  );
}

export async function markSent(ex: Executor, id: number, at: Date): Promise<void> {
  await ex
    .update(notifications)
    .set({ status: 'sent', sentAt: at, retryAt: null, lastError: null })
    .where(and(eq(notifications.id, id), eq(notifications.status, 'pending')));
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

/** Once the incident is acknowledged, messages not yet sent are pointless: cancel them. */
export async function cancelPendingOfIncident(ex: Executor, incidentId: number): Promise<void> {
  await ex
    .update(notifications)
    .set({ status: 'cancelled', retryAt: null })
    .where(and(eq(notifications.incidentId, incidentId), eq(notifications.status, 'pending')));
}

export async function listOfIncident(ex: Executor, incidentId: number): Promise<NotificationRow[]> {
  return ex
    .select()
    .from(notifications)
    .where(eq(notifications.incidentId, incidentId))
    .orderBy(asc(notifications.id));
}

export async function wasNotified(ex: Executor, incidentId: number, userId: number): Promise<boolean> {
  const r = await ex
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.incidentId, incidentId), eq(notifications.recipientUserId, userId)))
    .limit(1);
  return r.length > 0;
}
