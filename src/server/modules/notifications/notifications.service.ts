import { createHash, randomBytes } from 'node:crypto';
import type { Channel } from '../../../shared/notifications.ts';
import type { Db, Executor } from '../../platform/db.ts';
import type { HubMessage } from '../../platform/sse.ts';
import type { SweepDeps } from '../../platform/sweeper.ts';
import { DeliveryError, deliver } from './channels.ts';
import * as repo from './notifications.repo.ts';
import { retryDelaySeconds, type Subject, throttle } from './policy.ts';

export type { NotificationRow } from './notifications.repo.ts';
export type { Subject, SubjectKind } from './policy.ts';

/**
 * Acknowledgement link tokens: 192 random bits (32 base64url characters), so a token is never
 * guessed whatever the rate limit; only their sha256 is stored. There is no short 确认码 to reply with
 * by SMS: nothing receives SMS replies, and a code short enough to type would need scoping to the
 * sender's number (decision 0008).
 */
export function newAckToken(): string {
  return randomBytes(24).toString('base64url');
}
export const hashAckToken = (token: string) => createHash('sha256').update(token.trim()).digest('hex');

export interface OutgoingMessage {
  /** what the message is about (an incident, a work order …): throttling and double fires go by it */
  subject: Subject;
  orgPath: string;
  /** details of the subject's own, part of the unique key (an incident's ladder step and its repeat); 0 when unused */
  stepIndex?: number;
  attempt?: number;
  whom: string;
  recipientLabel: string;
  recipientUserId: number | null;
  channel: Channel;
  address: string;
  /** text without the acknowledgement part */
  text: string;
  /**
   * Ask the recipient to answer through a one-time link (`<PUBLIC_URL>/ack/<token>`, appended after
   * this prompt) — people without accounts, on every channel but in-app. Omitted: no link.
   */
  ackPrompt?: string;
}

export interface EnqueueOptions {
  now: Date;
  throttleSeconds: number;
  publicUrl: string;
  push: HubMessage[];
  /** the push to the recipient of an in-app message (their screens refetch); the caller's event type */
  pushEvent: (m: OutgoingMessage, notificationId: number) => HubMessage['event'];
}

const stepKey = (m: {
  subjectKind: string;
  subjectId: number;
  stepIndex: number;
  attempt: number;
  channel: string;
  address: string;
}) => `${m.subjectKind}|${Number(m.subjectId)}|${m.stepIndex}|${m.attempt}|${m.channel} ${m.address}`;

const keyOf = (m: OutgoingMessage) =>
  stepKey({
    subjectKind: m.subject.kind,
    subjectId: m.subject.id,
    stepIndex: m.stepIndex ?? 0,
    attempt: m.attempt ?? 0,
    channel: m.channel,
    address: m.address,
  });

/**
 * Puts messages in the outbox, inside the caller's transaction, in two statements whatever their
 * number (the ladder sweeper enqueues a whole batch of steps at once). In-app messages are "sent" at
 * once (the SSE push goes out after commit); others wait for the sweeper. Throttled per address, in
 * order, counting the messages enqueued earlier in the same call (policy.ts); a message that already
 * exists for its subject and step (a double fire) is not added again. Returns the rows inserted, in
 * input order (null where skipped). `throttleSeconds` may differ per message (each ladder has its own).
 */
export async function enqueueMany(
  tx: Executor,
  list: (OutgoingMessage & { throttleSeconds?: number })[],
  opts: EnqueueOptions,
): Promise<({ id: number } | null)[]> {
  const key = (m: { channel: string; address: string }) => `${m.channel} ${m.address}`;
  const unique = new Map(list.map((m) => [key(m), { channel: m.channel, address: m.address }]));
  const last = await repo.lastToAddresses(tx, [...unique.values()]);
  const rowsToInsert: Parameters<typeof repo.insertNotifications>[1] = [];
  const slot: number[] = [];
  const seen = new Set<string>();
  list.forEach((m, i) => {
    if (seen.has(keyOf(m))) return; // the same person twice in one step (one phone, two entries)
    seen.add(keyOf(m));
    const decision = throttle(
      last.get(key(m)),
      m.subject,
      opts.now,
      m.throttleSeconds ?? opts.throttleSeconds,
    );
    if (decision.action === 'skip') return;
    last.set(key(m), { at: opts.now, subject: m.subject });
    const inApp = m.channel === 'in_app';
    let body = m.text;
    let ackTokenHash: string | null = null;
    if (!inApp && m.ackPrompt) {
      const token = newAckToken();
      ackTokenHash = hashAckToken(token);
      body = `${m.text} ${m.ackPrompt}：${opts.publicUrl}/ack/${token}`;
    }
    slot.push(i);
    rowsToInsert.push({
      subjectKind: m.subject.kind,
      subjectId: m.subject.id,
      orgPath: m.orgPath,
      stepIndex: m.stepIndex ?? 0,
      attempt: m.attempt ?? 0,
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
  });
  const inserted = await repo.insertNotifications(tx, rowsToInsert);
  const byKey = new Map(inserted.map((r) => [stepKey(r), r]));
  const out: ({ id: number } | null)[] = list.map(() => null);
  for (const i of slot) {
    const m = list[i];
    const row = byKey.get(keyOf(m));
    if (!row) continue;
    out[i] = { id: row.id };
    if (m.channel === 'in_app' && m.recipientUserId != null) {
      opts.push.push({ userIds: [m.recipientUserId], event: opts.pushEvent(m, row.id) });
    }
  }
  return out;
}

/** Deliveries in flight at once per sweep batch (each may be an HTTP call to a gateway). */
const DELIVERY_CONCURRENCY = 16;

/**
 * The sweep job: deliver due outbox rows, several at a time, with backoff on failure. The rows are
 * leased when claimed, so the HTTP calls happen outside any transaction; the sent ones are marked in
 * one statement.
 */
export async function deliverDue(deps: SweepDeps, now: Date, batch: number): Promise<number> {
  const claimed = await repo.claimDue(deps.db, now, batch);
  const sent: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < claimed.length) {
      const n = claimed[next++];
      try {
        await deliver(n, deps.config.notify);
        sent.push(n.id);
      } catch (err) {
        const delay = retryDelaySeconds(n.attempts);
        const msg = err instanceof DeliveryError ? err.message : `delivery failed: ${(err as Error).message}`;
        await repo.markRetry(
          deps.db,
          n.id,
          delay == null ? null : new Date(now.getTime() + delay * 1000),
          msg,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(DELIVERY_CONCURRENCY, claimed.length) }, worker));
  await repo.markSent(deps.db, sent, deps.clock.now());
  return claimed.length;
}

export const findByAckCode = (ex: Executor, token: string) => repo.findByAckHash(ex, hashAckToken(token));
export const findByAckCodeForUpdate = (ex: Executor, token: string) =>
  repo.findByAckHashForUpdate(ex, hashAckToken(token));
export const markAcked = repo.markAcked;
/** Cancels the subject's messages not yet sent (an incident taken on, an order completed). */
export const cancelPendingOf = repo.cancelPendingOf;
/** The subject's messages, oldest first. */
export const listNotificationsOf = (db: Db | Executor, subject: Subject) => repo.listOf(db, subject);

/** The name the subject's messages gave this account, if any went to it (an incident's ladder: it may then answer). */
export const notifiedAs = repo.notifiedAs;
