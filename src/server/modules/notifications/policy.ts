/**
 * The outbox's policy as pure functions: what a message is about (its subject), when a message to an
 * address that was just messaged goes out, and how a failed delivery is retried. Every module that
 * messages people (incidents' ladders, work-order SLA reminders, campaign reminders …) gets the same
 * rules without owning them (decision 0017).
 */

/** The kinds of things a message can be about; each is the id of a row of the module that owns it. */
export const subjectKinds = ['incident', 'work_order', 'campaign', 'subsidy'] as const;
export type SubjectKind = (typeof subjectKinds)[number];

/** What a message is about: an incident, a work order, a campaign, a subsidy application … */
export interface Subject {
  kind: SubjectKind;
  id: number;
}

export const sameSubject = (a: Subject, b: Subject) => a.kind === b.kind && a.id === b.id;

export type ThrottleDecision = { action: 'send'; at: Date } | { action: 'skip' };

/**
 * Throttle per recipient (channel + address): within `throttleSeconds` of the last message to the same
 * address, a message about the same subject is skipped (they were just told); one about another
 * subject is delayed, never dropped.
 */
export function throttle(
  last: { at: Date; subject: Subject } | null | undefined,
  subject: Subject,
  now: Date,
  throttleSeconds: number,
): ThrottleDecision {
  if (!last || throttleSeconds <= 0) return { action: 'send', at: now };
  const free = last.at.getTime() + throttleSeconds * 1000;
  if (free <= now.getTime()) return { action: 'send', at: now };
  if (sameSubject(last.subject, subject)) return { action: 'skip' };
  return { action: 'send', at: new Date(free) };
}

/**
 * Retries of a failed delivery: 30 s, 1, 2, 4, 8 min, then give up (an incident's ladder moves on
 * anyway; a reminder's owner sees it failed).
 */
export const MAX_DELIVERY_ATTEMPTS = 6;
export function retryDelaySeconds(attempts: number): number | null {
  if (attempts >= MAX_DELIVERY_ATTEMPTS) return null;
  return Math.min(30 * 2 ** Math.max(0, attempts - 1), 900);
}
