import { createHash, randomInt } from 'node:crypto';
import type { Channel } from '../../../shared/incidents.ts';
import type { Db, Executor } from '../../platform/db.ts';
import type { HubMessage } from '../../platform/sse.ts';
import type { SweepDeps } from '../../platform/sweeper.ts';
import { retryDelaySeconds, throttle } from '../incidents/ladder.ts';
import { DeliveryError, deliver } from './channels.ts';
import * as repo from './notifications.repo.ts';

export type { NotificationRow } from './notifications.repo.ts';

/** One-time acknowledgement codes: short enough to read out on a voice call, ~49 bits of entropy. */
const codeAlphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export function newAckCode(): string {
  let s = '';
  for (let i = 0; i < 10; i++) s += codeAlphabet[randomInt(codeAlphabet.length)];
  return s;
}
export const hashAckCode = (code: string) =>
  createHash('sha256').update(code.trim().toUpperCase()).digest('hex');

export interface OutgoingMessage {
  incidentId: number;
  orgPath: string;
  stepIndex: number;
  attempt: number;
  whom: string;
  recipientLabel: string;
  recipientUserId: number | null;
  channel: Channel;
  address: string;
  /** text without the acknowledgement part; the link and code are appended for people without accounts */
  text: string;
}

/**
 * Puts one message in the outbox, inside the caller's transaction. In-app messages are "sent" at once
 * (the SSE push goes out after commit); others wait for the sweeper. Throttled per address; a message
 * that already exists for this step (a double fire) is not added again. Returns the row, or null.
 */
export async function enqueue(
  tx: Executor,
  m: OutgoingMessage,
  opts: { now: Date; throttleSeconds: number; publicUrl: string; push: HubMessage[] },
): Promise<repo.NotificationRow | null> {
  const decision = throttle(
    await repo.lastToAddress(tx, m.channel, m.address),
    m.incidentId,
    opts.now,
    opts.throttleSeconds,
  );
  if (decision.action === 'skip') return null;
  const inApp = m.channel === 'in_app';
  let body = m.text;
  let ackTokenHash: string | null = null;
  if (!inApp) {
    const code = newAckCode();
    ackTokenHash = hashAckCode(code);
    body = `${m.text} 收到请点 ${opts.publicUrl}/ack/${code} 或回复确认码 ${code}`;
  }
  const row = await repo.insertNotification(tx, {
    incidentId: m.incidentId,
    orgPath: m.orgPath,
    stepIndex: m.stepIndex,
    attempt: m.attempt,
    whom: m.whom,
    recipientLabel: m.recipientLabel,
    recipientUserId: m.recipientUserId,
    channel: m.channel,
    address: m.address,
    body,
    status: inApp ? 'sent' : 'pending',
    sentAt: inApp ? opts.now : null,
    retryAt: inApp ? null : decision.at,
    ackTokenHash,
    createdAt: opts.now,
  });
  if (!row) return null;
  if (inApp && m.recipientUserId != null) {
    opts.push.push({
      userIds: [m.recipientUserId],
      event: { type: 'ladder_step', incidentId: m.incidentId, notificationId: row.id },
    });
  }
  return row;
}

/** The sweep job: deliver due outbox rows, with backoff on failure. */
export async function deliverDue(deps: SweepDeps, now: Date, batch: number): Promise<number> {
  const claimed = await repo.claimDue(deps.db, now, batch);
  for (const n of claimed) {
    try {
      await deliver(n, deps.config.notify);
      await repo.markSent(deps.db, n.id, deps.clock.now());
    } catch (err) {
      const delay = retryDelaySeconds(n.attempts);
      const msg = err instanceof DeliveryError ? err.message : `delivery failed: ${(err as Error).message}`;
      await repo.markRetry(deps.db, n.id, delay == null ? null : new Date(now.getTime() + delay * 1000), msg);
    }
  }
  return claimed.length;
}

export const findByAckCode = (ex: Executor, code: string) => repo.findByAckHash(ex, hashAckCode(code));
export const findByAckCodeForUpdate = (ex: Executor, code: string) =>
  repo.findByAckHashForUpdate(ex, hashAckCode(code));
export const markAcked = repo.markAcked;
export const cancelPendingOfIncident = repo.cancelPendingOfIncident;
export const listNotificationsOfIncident = (db: Db | Executor, incidentId: number) =>
  repo.listOfIncident(db, incidentId);

/** True when the ladder messaged this account about the incident (it may then acknowledge it). */
export const wasNotified = repo.wasNotified;
