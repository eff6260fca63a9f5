import type { IncidentKind, IncidentState, Ladder, LadderStep, Severity } from '../../../shared/incidents.ts';
import { severities } from '../../../shared/incidents.ts';

/**
 * Escalation ladders as pure policy: which step fires when, what an acknowledgement does, how a second
 * trigger for the same elder joins the open incident. The incident row holds the position
 * (`step_index`, `step_attempt`) and the timer (`next_step_at`); the sweeper applies `nextStep`.
 */

export interface LadderPosition {
  state: IncidentState;
  stepIndex: number;
  stepAttempt: number;
  nextStepAt: Date | null;
}

export type LadderMove =
  | { action: 'none' }
  /** fire step `stepIndex` (attempt `attempt`), then wait at `next` */
  | {
      action: 'fire';
      stepIndex: number;
      attempt: number;
      step: LadderStep;
      next: { stepIndex: number; stepAttempt: number; nextStepAt: Date };
    }
  /** every step has fired and waited without acknowledgement */
  | { action: 'exhausted' };

/** What the ladder does at `now`: nothing unless the incident is unacknowledged and its timer is due. */
export function nextStep(ladder: Pick<Ladder, 'steps'>, pos: LadderPosition, now: Date): LadderMove {
  if (pos.state !== 'open' || !pos.nextStepAt || pos.nextStepAt.getTime() > now.getTime()) {
    return { action: 'none' };
  }
  const step = ladder.steps[pos.stepIndex];
  if (!step) return { action: 'exhausted' };
  // the wait runs from when the step actually fired, so a late sweep (restart) never squeezes the
  // next wait: a relative always gets the full time to answer
  const nextStepAt = new Date(now.getTime() + step.waitSeconds * 1000);
  const repeats = step.repeats ?? 0;
  const next =
    pos.stepAttempt < repeats
      ? { stepIndex: pos.stepIndex, stepAttempt: pos.stepAttempt + 1, nextStepAt }
      : { stepIndex: pos.stepIndex + 1, stepAttempt: 0, nextStepAt };
  return { action: 'fire', stepIndex: pos.stepIndex, attempt: pos.stepAttempt, step, next };
}

/** An acknowledgement by anyone notified stops the ladder: no timer any more. */
export function acknowledge(pos: LadderPosition): LadderPosition {
  if (pos.state !== 'open') return pos;
  return { ...pos, state: 'acknowledged', nextStepAt: null };
}

/** The ladder of a fresh incident: step 0 is due at once. */
export function startPosition(now: Date): LadderPosition {
  return { state: 'open', stepIndex: 0, stepAttempt: 0, nextStepAt: now };
}

export const defaultSeverity: Record<IncidentKind, Severity> = {
  sos_device: 'critical',
  sos_hotline: 'critical',
  fall: 'critical',
  not_reached: 'high',
  no_contact_deadline: 'medium',
  carer_concern: 'medium',
  device_silent: 'low',
};

export function severityRank(s: Severity): number {
  return severities.indexOf(s);
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}

export interface OpenIncidentView {
  id: number;
  kind: IncidentKind;
  severity: Severity;
  state: IncidentState;
}

export type TriggerPlan =
  | { action: 'open'; kind: IncidentKind; severity: Severity }
  | {
      action: 'join';
      incidentId: number;
      severity: Severity;
      /** a more severe trigger on a still unacknowledged incident restarts it on the new kind's ladder */
      restartLadderAs: IncidentKind | null;
    };

/**
 * A second trigger for an elder who already has an open incident joins it instead of opening another
 * (a fall alarm, then the SOS button, then the hotline call about the same emergency).
 */
export function planTrigger(
  open: OpenIncidentView | null | undefined,
  trigger: { kind: IncidentKind; severity?: Severity },
): TriggerPlan {
  const severity = trigger.severity ?? defaultSeverity[trigger.kind];
  if (!open) return { action: 'open', kind: trigger.kind, severity };
  const raised = severityRank(severity) > severityRank(open.severity);
  return {
    action: 'join',
    incidentId: open.id,
    severity: maxSeverity(open.severity, severity),
    restartLadderAs: raised && open.state === 'open' ? trigger.kind : null,
  };
}

// Throttling per recipient and delivery retries are the outbox's policy, not the ladder's:
// notifications/policy.ts (decision 0017). A ladder only chooses its throttle window (`throttleSeconds`).

const dispatcher: LadderStep = {
  whom: 'dispatcher_on_duty',
  channels: ['in_app'],
  waitSeconds: 120,
  repeats: 0,
};

/** The shipped policy, editable per kind by an administrator (PUT /api/ladders/{kind}). */
export const defaultLadders: Record<IncidentKind, Ladder> = {
  sos_device: {
    kind: 'sos_device',
    throttleSeconds: 60,
    steps: [
      { ...dispatcher, waitSeconds: 60 },
      { whom: 'circle', channels: ['voice', 'sms'], waitSeconds: 180, repeats: 1, circleCount: 2 },
      { whom: 'community_worker', channels: ['voice', 'sms', 'in_app'], waitSeconds: 180, repeats: 0 },
      { whom: 'unit_contact', channels: ['sms', 'in_app'], waitSeconds: 300, repeats: 0 },
      { whom: 'supervisor', channels: ['in_app', 'sms'], waitSeconds: 300, repeats: 0 },
      {
        whom: 'emergency_services',
        channels: ['in_app'],
        waitSeconds: 600,
        repeats: 0,
        emergencyNumber: '120',
      },
    ],
  },
  sos_hotline: {
    kind: 'sos_hotline',
    throttleSeconds: 60,
    steps: [
      { whom: 'circle', channels: ['voice', 'sms'], waitSeconds: 180, repeats: 1, circleCount: 2 },
      { whom: 'community_worker', channels: ['voice', 'sms', 'in_app'], waitSeconds: 300, repeats: 0 },
      { whom: 'supervisor', channels: ['in_app', 'sms'], waitSeconds: 300, repeats: 0 },
    ],
  },
  fall: {
    kind: 'fall',
    throttleSeconds: 60,
    steps: [
      { ...dispatcher, waitSeconds: 60 },
      { whom: 'circle', channels: ['voice', 'sms'], waitSeconds: 180, repeats: 1, circleCount: 2 },
      { whom: 'community_worker', channels: ['voice', 'sms', 'in_app'], waitSeconds: 180, repeats: 0 },
      { whom: 'family_doctor', channels: ['sms', 'in_app'], waitSeconds: 300, repeats: 0 },
      {
        whom: 'emergency_services',
        channels: ['in_app'],
        waitSeconds: 600,
        repeats: 0,
        emergencyNumber: '120',
      },
    ],
  },
  no_contact_deadline: {
    kind: 'no_contact_deadline',
    throttleSeconds: 300,
    steps: [
      { whom: 'circle', channels: ['sms', 'voice'], waitSeconds: 900, repeats: 0, circleCount: 1 },
      { whom: 'community_worker', channels: ['in_app', 'sms'], waitSeconds: 1800, repeats: 0 },
      { ...dispatcher, waitSeconds: 1800 },
      { whom: 'supervisor', channels: ['in_app'], waitSeconds: 3600, repeats: 0 },
    ],
  },
  not_reached: {
    kind: 'not_reached',
    throttleSeconds: 120,
    steps: [
      { ...dispatcher, waitSeconds: 300 },
      { whom: 'circle', channels: ['voice', 'sms'], waitSeconds: 600, repeats: 1, circleCount: 3 },
      { whom: 'community_worker', channels: ['voice', 'sms', 'in_app'], waitSeconds: 900, repeats: 0 },
      { whom: 'supervisor', channels: ['in_app', 'sms'], waitSeconds: 1800, repeats: 0 },
      {
        whom: 'emergency_services',
        channels: ['in_app'],
        waitSeconds: 1800,
        repeats: 0,
        emergencyNumber: '110',
      },
    ],
  },
  device_silent: {
    kind: 'device_silent',
    throttleSeconds: 600,
    steps: [
      { whom: 'circle', channels: ['sms'], waitSeconds: 3600, repeats: 0, circleCount: 1 },
      { whom: 'community_worker', channels: ['in_app'], waitSeconds: 7200, repeats: 0 },
    ],
  },
  carer_concern: {
    kind: 'carer_concern',
    throttleSeconds: 300,
    steps: [
      { whom: 'community_worker', channels: ['in_app', 'sms'], waitSeconds: 1800, repeats: 0 },
      { whom: 'circle', channels: ['sms'], waitSeconds: 3600, repeats: 0, circleCount: 1 },
      { whom: 'supervisor', channels: ['in_app'], waitSeconds: 3600, repeats: 0 },
    ],
  },
};

/** The action a dispatcher is prompted to take for a step, e.g. "请拨打 120". */
export function promptOf(step: LadderStep | undefined): string | null {
  if (step?.whom !== 'emergency_services') return null;
  return `请立即拨打 ${step.emergencyNumber ?? '120'} 并派人上门`;
}
