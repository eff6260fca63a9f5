import { describe, expect, it } from 'vitest';
import { canTransition, checkTransition } from './incident-state.ts';

describe('incident state machine', () => {
  it('moves forward along open → acknowledged → en route → on scene → resolved → follow-up', () => {
    expect(canTransition('open', 'acknowledged')).toBe(true);
    expect(canTransition('acknowledged', 'responder_en_route')).toBe(true);
    expect(canTransition('responder_en_route', 'on_scene')).toBe(true);
    expect(canTransition('on_scene', 'resolved')).toBe(true);
    expect(canTransition('resolved', 'follow_up')).toBe(true);
  });
  it('may skip forward (dispatch from open; resolve a false alarm from open)', () => {
    expect(canTransition('open', 'responder_en_route')).toBe(true);
    expect(canTransition('open', 'resolved')).toBe(true);
  });
  it('never goes back, never reopens, follow-up only after resolution', () => {
    expect(canTransition('on_scene', 'acknowledged')).toBe(false);
    expect(canTransition('resolved', 'open')).toBe(false);
    expect(canTransition('resolved', 'on_scene')).toBe(false);
    expect(canTransition('on_scene', 'follow_up')).toBe(false);
    expect(canTransition('follow_up', 'resolved')).toBe(false);
    expect(canTransition('open', 'open')).toBe(false);
  });
  it('resolving needs an outcome; other moves refuse one', () => {
    expect(checkTransition('on_scene', 'resolved', undefined)).toMatchObject({ ok: false, field: 'outcome' });
    expect(checkTransition('on_scene', 'resolved', 'to_hospital')).toEqual({ ok: true });
    expect(checkTransition('open', 'acknowledged', 'false_alarm')).toMatchObject({
      ok: false,
      field: 'outcome',
    });
    expect(checkTransition('resolved', 'acknowledged', undefined)).toMatchObject({ ok: false, field: 'to' });
  });
});
