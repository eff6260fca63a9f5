import { signDeviceEvent } from './device-signature.ts';

/**
 * The device side of the protocol (README "Device protocol"): what a one-key phone must do so that an
 * SOS pressed while the server or the network is down still arrives. The event (its `eventId` and
 * `at`) is fixed once, when the button is pressed; every attempt re-signs the SAME body with a fresh
 * timestamp and is retried with exponential backoff until the server acknowledges it (2xx) or refuses
 * it for good (a 4xx other than 408/429), for `giveUpAfterMs` (15 minutes by default). The server is
 * idempotent on `eventId`, so a retry after a lost answer is one event, never a second incident.
 */
export interface DeviceEvent {
  eventId: string;
  kind: 'sos' | 'fall' | 'heartbeat' | 'battery_low';
  /** when it happened on the device (ISO 8601 with offset) */
  at: string;
}

export interface SendOptions {
  baseUrl: string;
  deviceId: string;
  secret: string;
  event: DeviceEvent;
  /** stop retrying after this long (default 15 minutes) */
  giveUpAfterMs?: number;
  /** first wait between attempts (default 1 s), doubled each time up to `maxDelayMs` (default 60 s) */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** one attempt's time limit (default 10 s) */
  attemptTimeoutMs?: number;
  /** the device's clock (tests pass a controlled one) */
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  onAttempt?: (a: { attempt: number; status: number | null; error?: string; waitMs?: number }) => void;
}

export type SendResult =
  | { ok: true; status: number; body: unknown; attempts: number }
  | { ok: false; status: number | null; body: unknown; attempts: number; reason: 'refused' | 'gave_up' };

/** Statuses worth retrying: the server is busy, restarting, or the request timed out. */
export const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function sendDeviceEvent(o: SendOptions): Promise<SendResult> {
  const now = o.now ?? (() => new Date());
  const sleep = o.sleep ?? realSleep;
  const giveUpAt = Date.now() + (o.giveUpAfterMs ?? 15 * 60_000);
  const maxDelay = o.maxDelayMs ?? 60_000;
  let delay = o.firstDelayMs ?? 1000;
  const body = JSON.stringify(o.event);
  const url = `${o.baseUrl.replace(/\/$/, '')}/api/devices/${encodeURIComponent(o.deviceId)}/events`;
  let last: { status: number | null; body: unknown } = { status: null, body: null };
  // a device whose clock is off by more than the server allows (±5 min) would be refused for ever:
  // it signs with the server's time, learnt from the HTTP Date header of any answer
  let offsetMs = 0;
  let corrected = false;
  for (let attempt = 1; ; attempt++) {
    const ts = String(Math.floor((now().getTime() + offsetMs) / 1000));
    let error: string | undefined;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-device-timestamp': ts,
          'x-device-signature': signDeviceEvent(o.secret, ts, body),
        },
        body,
        signal: AbortSignal.timeout(o.attemptTimeoutMs ?? 10_000),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON: keep the text */
      }
      last = { status: res.status, body: parsed };
      if (res.ok) {
        o.onAttempt?.({ attempt, status: res.status });
        return { ok: true, status: res.status, body: parsed, attempts: attempt };
      }
      const serverTime = Date.parse(res.headers.get('date') ?? '');
      const skew = Number.isFinite(serverTime) ? serverTime - now().getTime() : 0;
      if (res.status === 401 && !corrected && Math.abs(skew - offsetMs) > 60_000) {
        offsetMs = skew;
        corrected = true;
        o.onAttempt?.({ attempt, status: res.status, error: 'clock_skew', waitMs: 0 });
        continue;
      }
      if (!retryable(res.status)) {
        o.onAttempt?.({ attempt, status: res.status });
        return { ok: false, ...last, attempts: attempt, reason: 'refused' };
      }
      // a 429 or 503 may say when to come back; never wait longer than the backoff cap
      const after = Number(res.headers.get('retry-after'));
      if (Number.isFinite(after) && after > 0) delay = Math.max(delay, Math.min(after * 1000, maxDelay));
    } catch (err) {
      error = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name ?? String(err);
      last = { status: null, body: null };
    }
    const remaining = giveUpAt - Date.now();
    if (remaining <= 0) {
      o.onAttempt?.({ attempt, status: last.status, error });
      return { ok: false, ...last, attempts: attempt, reason: 'gave_up' };
    }
    // full jitter on the upper half, so a district of phones coming back together do not all knock at once
    const waitMs = Math.min(remaining, Math.round(delay / 2 + (Math.random() * delay) / 2));
    o.onAttempt?.({ attempt, status: last.status, error, waitMs });
    await sleep(waitMs);
    delay = Math.min(delay * 2, maxDelay);
  }
}
