import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Device events are signed: `X-Device-Signature` = hex HMAC-SHA256 of `timestamp + "." + rawBody`
 * under the device's secret, `X-Device-Timestamp` in unix seconds. A timestamp more than five minutes
 * away from the server's clock is refused, so a captured request cannot be replayed later; that is
 * checked after the signature, so "stale" tells nothing to someone without the secret.
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
  // the signature first: only the holder of the secret learns that the clock is off
  const expected = Buffer.from(signDeviceEvent(secret, timestamp, rawBody), 'hex');
  const given = Buffer.from(/^[0-9a-fA-F]{64}$/.test(signature) ? signature : '00'.repeat(32), 'hex');
  if (!timingSafeEqual(expected, given) || given.length !== 32 || signature.length !== 64) {
    return { ok: false, reason: 'bad_signature' };
  }
  if (Math.abs(Number(timestamp) - now.getTime() / 1000) > MAX_SKEW_SECONDS) {
    return { ok: false, reason: 'stale' };
  }
  return { ok: true };
}
