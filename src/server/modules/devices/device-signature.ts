import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Device events are signed: `X-Device-Signature` = hex HMAC-SHA256 of `timestamp + "." + rawBody`
 * under the device's secret, `X-Device-Timestamp` in unix seconds. A timestamp more than five minutes
 * away from the server's clock is refused, so a captured request cannot be replayed later.
 */
export const MAX_SKEW_SECONDS = 300;

export function signDeviceEvent(
  secret: string,
  timestamp: string | number,
  rawBody: string | Buffer,
): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

export type SignatureCheck =
  | { ok: true }
  | { ok: false; reason: 'missing' | 'bad_timestamp' | 'stale' | 'bad_signature' };

export function verifyDeviceSignature(opts: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: string | Buffer;
  now: Date;
}): SignatureCheck {
  const { secret, timestamp, signature, rawBody, now } = opts;
  if (!timestamp || !signature) return { ok: false, reason: 'missing' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  if (Math.abs(Number(timestamp) - now.getTime() / 1000) > MAX_SKEW_SECONDS) {
    return { ok: false, reason: 'stale' };
  }
  if (!/^[0-9a-fA-F]{64}$/.test(signature)) return { ok: false, reason: 'bad_signature' };
  const expected = Buffer.from(signDeviceEvent(secret, timestamp, rawBody), 'hex');
  const given = Buffer.from(signature, 'hex');
  return timingSafeEqual(expected, given) ? { ok: true } : { ok: false, reason: 'bad_signature' };
}
