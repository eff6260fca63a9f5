import { describe, expect, it } from 'vitest';
import { formatDay, formatMoment } from './format-time.ts';

describe('formatMoment', () => {
  const now = new Date('2026-12-05T12:00:00Z');

  it('writes a moment as Chinese offices do, in Beijing time', () => {
    expect(formatMoment('2026-12-05T09:15:00Z', 'zh-CN', undefined, now)).toBe('12月5日 17:15');
    // 23:30 UTC is the next morning in Beijing
    expect(formatMoment('2026-12-05T23:30:00Z', 'zh-CN', undefined, now)).toBe('12月6日 07:30');
    expect(formatMoment('2026-01-09T01:05:00Z', 'zh-CN', undefined, now)).toBe('1月9日 09:05');
  });

  it('adds the year only for another year', () => {
    expect(formatMoment('2025-12-31T15:00:00Z', 'zh-CN', undefined, now)).toBe('2025年12月31日 23:00');
  });

  it('in English', () => {
    expect(formatMoment('2026-12-05T09:15:00Z', 'en-US', undefined, now)).toBe('Dec 5, 17:15');
    expect(formatMoment('2025-12-05T09:15:00Z', 'en-US', undefined, now)).toBe('Dec 5 2025, 17:15');
  });

  it('nothing for no time', () => {
    expect(formatMoment(null, 'zh-CN')).toBe('');
  });
});

describe('formatDay', () => {
  it('writes a day as an office does', () => {
    expect(formatDay('2027-06-30', 'zh-CN')).toBe('2027年6月30日');
    expect(formatDay('2027-01-05', 'en-US')).toBe('Jan 5, 2027');
    expect(formatDay(null, 'zh-CN')).toBe('');
  });
});
