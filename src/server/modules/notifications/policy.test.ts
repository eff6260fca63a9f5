import { describe, expect, it } from 'vitest';
import { retryDelaySeconds, type Subject, sameSubject, throttle } from './policy.ts';

const t0 = new Date('2026-11-22T02:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const incident = (id: number): Subject => ({ kind: 'incident', id });

describe('throttles per recipient', () => {
  it('sends when the address was not messaged within the window', () => {
    expect(throttle(null, incident(1), t0, 60)).toEqual({ action: 'send', at: t0 });
    expect(throttle({ at: at(-61), subject: incident(1) }, incident(1), t0, 60)).toEqual({
      action: 'send',
      at: t0,
    });
  });
  it('skips a repeat about the same subject inside the window', () => {
    expect(throttle({ at: at(-30), subject: incident(1) }, incident(1), t0, 60)).toEqual({ action: 'skip' });
  });
  it('delays, never drops, a message about another subject', () => {
    expect(throttle({ at: at(-30), subject: incident(2) }, incident(1), t0, 60)).toEqual({
      action: 'send',
      at: at(30),
    });
  });
  it('tells subjects apart by kind as well as id', () => {
    const order: Subject = { kind: 'work_order', id: 1 };
    expect(sameSubject(order, incident(1))).toBe(false);
    expect(throttle({ at: at(-30), subject: incident(1) }, order, t0, 60)).toEqual({
      action: 'send',
      at: at(30),
    });
    expect(throttle({ at: at(-30), subject: order }, { kind: 'work_order', id: 1 }, t0, 60)).toEqual({
      action: 'skip',
    });
  });
  it('never throttles when the window is zero', () => {
    expect(throttle({ at: t0, subject: incident(1) }, incident(1), t0, 0)).toEqual({
      action: 'send',
      at: t0,
    });
  });
});

describe('retries deliveries', () => {
  it('with backoff, then gives up', () => {
    expect([1, 2, 3, 4, 5].map(retryDelaySeconds)).toEqual([30, 60, 120, 240, 480]);
    expect(retryDelaySeconds(6)).toBeNull();
  });
});
