import type { AckReply, Incident } from '../../../shared/incidents.ts';
import type { NotificationRow } from '../notifications/notifications.service.ts';
import type { IncidentRow } from './incidents.repo.ts';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function toIncident(r: IncidentRow & { elderName?: string | null }): Incident {
  return {
    id: r.id,
    elderId: r.elderId,
    elderName: r.elderName ?? null,
    orgPath: r.orgPath,
    kind: r.kind as Incident['kind'],
    severity: r.severity as Incident['severity'],
    state: r.state as Incident['state'],
    outcome: (r.outcome as Incident['outcome']) ?? null,
    stepIndex: r.stepIndex,
    stepAttempt: r.stepAttempt,
    nextStepAt: iso(r.nextStepAt),
    lastStepAt: iso(r.lastStepAt),
    triggeredAt: r.triggeredAt.toISOString(),
    acknowledgedAt: iso(r.acknowledgedAt),
    responsible: r.acknowledgedBy ?? null,
    knownBy: r.knownBy ?? [],
    resolvedAt: iso(r.resolvedAt),
    followUpDueAt: iso(r.followUpDueAt),
    followedUpAt: iso(r.followedUpAt),
    triggers: r.triggers,
    summary: r.summary,
  };
}

export function toNotification(n: NotificationRow) {
  return {
    id: n.id,
    stepIndex: n.stepIndex,
    attempt: n.attempt,
    whom: n.whom,
    recipient: n.recipientLabel,
    channel: n.channel as never,
    status: n.status,
    attempts: n.attempts,
    createdAt: n.createdAt.toISOString(),
    sentAt: iso(n.sentAt),
    ackedAt: iso(n.ackedAt),
    ackReply: n.ackReply === 'received' || n.ackReply === 'going' ? (n.ackReply as AckReply) : null,
    lastError: n.lastError,
  };
}
