import { describe, expect, it } from 'vitest';
import type { Ladder } from '../../../shared/incidents.ts';
import {
  acknowledge,
  defaultLadders,
  type LadderPosition,
  nextStep,
  planTrigger,
  promptOf,
  startPosition,
} from './ladder.ts';

const t0 = new Date('2026-11-22T02:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);

const ladder: Ladder = {
  kind: 'sos_device',
  throttleSeconds: 60,
  steps: [
    { whom: 'dispatcher_on_duty', channels: ['in_app'], waitSeconds: 60, repeats: 0 },
    { whom: 'circle', channels: ['sms'], waitSeconds: 120, repeats: 1, circleCount: 2 },
    {
      whom: 'emergency_services',
      channels: ['in_app'],
      waitSeconds: 300,
      repeats: 0,
      emergencyNumber: '120',
    },
  ],
};

/** Runs the ladder to exhaustion, sweeping every `tick` seconds; returns when each step fired. */
function run(pos: LadderPosition, until: number, tick = 1) {
  const fired: { s: number; step: number; attempt: number }[] = [];
  let exhaustedAt: number | null = null;
  for (let s = 0; s <= until; s += tick) {
    const move = nextStep(ladder, pos, at(s));
    if (move.action === 'fire') {
      fired.push({ s, step: move.stepIndex, attempt: move.attempt });
      pos = { ...pos, ...move.next };
    } else if (move.action === 'exhausted' && exhaustedAt === null) {
      exhaustedAt = s;
      pos = { ...pos, nextStepAt: null };
    }
  }
  return { fired, exhaustedAt };
}

describe('ladder timing', () => {
  it('fires step 0 at once, then each step after the previous one has waited, repeats included', () => {
    const { fired, exhaustedAt } = run(startPosition(t0), 2000);
    expect(fired).toEqual([
      { s: 0, step: 0, attempt: 0 },
      { s: 60, step: 1, attempt: 0 },
      { s: 180, step: 1, attempt: 1 },
      { s: 300, step: 2, attempt: 0 },
    ]);
    expect(exhaustedAt).toBe(600);
  });

  it('does nothing before the timer is due', () => {
    const pos: LadderPosition = { state: 'open', stepIndex: 1, stepAttempt: 0, nextStepAt: at(60) };
    expect(nextStep(ladder, pos, at(59)).action).toBe('none');
    expect(nextStep(ladder, pos, at(60)).action).toBe('fire');
  });

  it('after a late sweep (restart) fires the due step once and waits the full time from then', () => {
    const pos: LadderPosition = { state: 'open', stepIndex: 1, stepAttempt: 0, nextStepAt: at(60) };
    const move = nextStep(ladder, pos, at(500));
    expect(move).toMatchObject({ action: 'fire', stepIndex: 1, attempt: 0 });
    if (move.action !== 'fire') throw new Error();
    expect(move.next).toEqual({ stepIndex: 1, stepAttempt: 1, nextStepAt: at(620) });
    expect(nextStep(ladder, { ...pos, ...move.next }, at(500)).action).toBe('none');
  });

  it('an acknowledgement stops the ladder', () => {
    const pos: LadderPosition = { state: 'open', stepIndex: 1, stepAttempt: 0, nextStepAt: at(60) };
    const acked = acknowledge(pos);
    expect(acked).toMatchObject({ state: 'acknowledged', nextStepAt: null });
    expect(nextStep(ladder, acked, at(10_000)).action).toBe('none');
    // any non-open state with a stale timer fires nothing either
    expect(nextStep(ladder, { ...pos, state: 'on_scene' }, at(10_000)).action).toBe('none');
  });

  it('prompts the dispatcher to call 110/120 on the emergency step', () => {
    expect(promptOf(ladder.steps[2])).toContain('120');
    expect(promptOf(ladder.steps[0])).toBeNull();
  });

  it('ships a default ladder for every kind, each starting without delay of its own', () => {
    for (const l of Object.values(defaultLadders)) {
      expect(l.steps.length).toBeGreaterThan(0);
      expect(nextStep(l, startPosition(t0), t0).action).toBe('fire');
    }
  });
});

describe('joining duplicate triggers', () => {
  it('opens an incident when the elder has none open', () => {
    expect(planTrigger(null, { kind: 'fall' })).toEqual({
      action: 'open',
      kind: 'fall',
      severity: 'critical',
    });
  });

  it('joins the open incident, keeping the higher severity', () => {
    const open = {
      id: 7,
      kind: 'sos_device' as const,
      severity: 'critical' as const,
      state: 'open' as const,
    };
    expect(planTrigger(open, { kind: 'device_silent' })).toEqual({
      action: 'join',
      incidentId: 7,
      severity: 'critical',
      restartLadderAs: null,
    });
  });

  it('a more severe trigger on an unacknowledged incident restarts it on the faster ladder', () => {
    const open = {
      id: 9,
      kind: 'no_contact_deadline' as const,
      severity: 'medium' as const,
      state: 'open' as const,
    };
    expect(planTrigger(open, { kind: 'sos_device' })).toEqual({
      action: 'join',
      incidentId: 9,
      severity: 'critical',
      restartLadderAs: 'sos_device',
    });
    // once someone is on it, the trigger only joins
    expect(planTrigger({ ...open, state: 'responder_en_route' }, { kind: 'sos_device' })).toMatchObject({
      action: 'join',
      restartLadderAs: null,
    });
  });
});

// throttling and delivery retries: notifications/policy.test.ts
