import { describe, expect, it } from 'vitest';
import { canTransition } from '../../../server/modules/incidents/incident-state.ts';
import { incidentStates } from '../../../shared/incidents.ts';
import { dayTime, elapsed, fullAddress, nextStates } from './rules.ts';

describe('console rules', () => {
  it('offers exactly the moves the server allows (resolving has its own form)', () => {
    for (const from of incidentStates) {
      for (const to of incidentStates) {
        if (to === 'resolved') continue;
        expect(nextStates(from).includes(to), `${from} → ${to}`).toBe(canTransition(from, to));
      }
    }
  });

  it('shows elapsed time as m:ss, then h:mm:ss', () => {
    const t0 = Date.parse('2026-03-01T02:00:00Z');
    expect(elapsed('2026-03-01T02:00:00Z', t0 + 42_000)).toBe('0:42');
    expect(elapsed('2026-03-01T02:00:00Z', t0 + 12 * 60_000 + 5_000)).toBe('12:05');
    expect(elapsed('2026-03-01T02:00:00Z', t0 + 3_729_000)).toBe('1:02:09');
    expect(elapsed('2026-03-01T02:00:00Z', t0 - 5_000)).toBe('0:00');
    expect(elapsed(null, t0)).toBe('—');
  });

  it('writes the address with building, unit and room once', () => {
    expect(fullAddress({ address: '湖滨路 12 号', building: '3', unit: '2', room: '402' })).toBe(
      '湖滨路 12 号 3幢 2单元 402室',
    );
    expect(
      fullAddress({ address: '湖滨社区15幢1单元1202室', building: '15幢', unit: '1单元', room: '1202室' }),
    ).toBe('湖滨社区15幢1单元1202室');
    expect(fullAddress({ address: null, building: '7幢', room: '101' })).toBe('7幢 101室');
  });

  it('reads times as 12月5日 03:12 in Shanghai, the year only when it is not this one', () => {
    const now = Date.parse('2026-12-05T08:00:00Z');
    expect(dayTime('2026-12-04T19:12:05Z', 'zh-CN', false, now)).toBe('12月5日 03:12');
    expect(dayTime('2026-12-04T19:12:05Z', 'zh-CN', true, now)).toBe('12月5日 03:12:05');
    expect(dayTime('2025-12-31T16:30:00Z', 'zh-CN', false, now)).toBe('1月1日 00:30');
    expect(dayTime('2025-03-01T01:00:00Z', 'zh-CN', false, now)).toBe('2025年3月1日 09:00');
    expect(dayTime('2026-12-04T19:12:05Z', 'en-US', false, now)).toBe('Dec 5, 03:12');
    expect(dayTime(null, 'zh-CN')).toBe('—');
  });
});
