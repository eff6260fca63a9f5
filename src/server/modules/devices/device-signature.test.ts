import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signDeviceEvent, verifyDeviceSignature } from './device-signature.ts';

const secret = 'test-device-secret';
const now = new Date('2026-11-22T02:00:00Z');
const ts = String(now.getTime() / 1000);
const body = '{"eventId":"e1","kind":"sos","at":"2026-11-22T02:00:00Z"}';

describe('device signatures', () => {
  it('is the hex HMAC-SHA256 of timestamp.body under the device secret', () => {
    const expected = createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
    expect(signDeviceEvent(secret, ts, body)).toBe(expected);
    expect(verifyDeviceSignature({ secret, timestamp: ts, signature: expected, rawBody: body, now })).toEqual(
      {
        ok: true,
      },
    );
  });

  it('refuses a signature over another body, another secret or another timestamp', () => {
    const sig = signDeviceEvent(secret, ts, body);
    const check = (o: Partial<Parameters<typeof verifyDeviceSignature>[0]>) =>
      verifyDeviceSignature({ secret, timestamp: ts, signature: sig, rawBody: body, now, ...o });
    expect(check({ rawBody: body.replace('sos', 'heartbeat') })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(check({ secret: 'other' })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(check({ timestamp: String(Number(ts) + 1) })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(check({ signature: 'zz' })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(check({ signature: undefined })).toEqual({ ok: false, reason: 'missing' });
    expect(check({ timestamp: '12ab' })).toEqual({ ok: false, reason: 'bad_timestamp' });
  });

  it('refuses timestamps more than five minutes off, either way', () => {
    for (const skew of [301, -301]) {
      const t = String(Number(ts) + skew);
      const sig = signDeviceEvent(secret, t, body);
      expect(verifyDeviceSignature({ secret, timestamp: t, signature: sig, rawBody: body, now })).toEqual({
        ok: false,
        reason: 'stale',
      });
    }
    const t = String(Number(ts) - 299);
    const sig = signDeviceEvent(secret, t, body);
    expect(verifyDeviceSignature({ secret, timestamp: t, signature: sig, rawBody: body, now }).ok).toBe(true);
  });
});
