import { describe, expect, it } from 'vitest';
import { canTransition } from '../../../server/modules/incidents/incident-state.ts';
import { incidentStates } from '../../../shared/incidents.ts';
import { elapsed, fullAddress, nextStates } from './rules.ts';

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
});
