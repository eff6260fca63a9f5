import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../lib/api.ts';
import { sendSos } from './elder-page-api.ts';

/**
 * The elder's 紧急求助 is never lost to a dead network or a restarting server: the press is kept in
 * localStorage with its own requestId and sent again, with the same id, until the server answers
 * (1 s doubling to 60 s, for 15 minutes; then a 再试一次 button keeps trying, and reopening the page
 * resumes it). The server counts one requestId once (README "Device protocol").
 */
export const GIVE_UP_MS = 15 * 60_000;
const FORGET_AFTER_MS = 24 * 3600_000;
const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 60_000;

interface Queued {
  requestId: string;
  pressedAt: number;
  /** when the current 15-minute retry window began (the press, or 再试一次) */
  since: number;
}

export type SosState =
  | { phase: 'idle' }
  | { phase: 'sending' | 'waiting'; attempts: number; pressedAt: number }
  | { phase: 'gave_up'; attempts: number; pressedAt: number }
  | { phase: 'sent'; incidentId: number }
  | { phase: 'refused'; message: string };

const keyOf = (token: string) => `carecircle.elder-sos.${token}`;

function load(token: string): Queued | null {
  try {
    const raw = localStorage.getItem(keyOf(token));
    const q = raw ? (JSON.parse(raw) as Queued) : null;
    if (!q?.requestId || Date.now() - q.pressedAt > FORGET_AFTER_MS) return null;
    return q;
  } catch {
    return null;
  }
}
function save(token: string, q: Queued): void {
  try {
    localStorage.setItem(keyOf(token), JSON.stringify(q));
  } catch {
    /* private mode: the press still retries while the page is open */
  }
}
function forget(token: string): void {
  try {
    localStorage.removeItem(keyOf(token));
  } catch {
    /* nothing kept */
  }
}

/** 128 random bits, also where crypto.randomUUID is missing (plain http on a LAN). */
function newRequestId(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

const transient = (e: unknown) => {
  const status = e instanceof ApiError ? e.status : 0;
  return status === 0 || status === 408 || status === 429 || status >= 500;
};

export function useQueuedSos(token: string) {
  const [state, setState] = useState<SosState>(() => {
    const q = load(token);
    return q ? { phase: 'waiting', attempts: 0, pressedAt: q.pressedAt } : { phase: 'idle' };
  });
  const memory = useRef<Queued | null>(null); // when localStorage is unavailable
  const timer = useRef<number | undefined>(undefined);
  const delay = useRef(FIRST_DELAY_MS);
  const attempts = useRef(0);
  const inFlight = useRef(false);

  const attempt = useCallback(async () => {
    const q = load(token) ?? memory.current;
    if (!q || inFlight.current) return;
    window.clearTimeout(timer.current);
    inFlight.current = true;
    attempts.current++;
    setState({ phase: 'sending', attempts: attempts.current, pressedAt: q.pressedAt });
    try {
      const r = await sendSos(token, q.requestId);
      forget(token);
      memory.current = null;
      setState({ phase: 'sent', incidentId: r.incidentId });
    } catch (e) {
      if (!transient(e)) {
        forget(token);
        memory.current = null;
        setState({ phase: 'refused', message: (e as Error).message });
      } else if (Date.now() - q.since > GIVE_UP_MS) {
        setState({ phase: 'gave_up', attempts: attempts.current, pressedAt: q.pressedAt });
      } else {
        setState({ phase: 'waiting', attempts: attempts.current, pressedAt: q.pressedAt });
        const wait = delay.current;
        delay.current = Math.min(delay.current * 2, MAX_DELAY_MS);
        timer.current = window.setTimeout(() => void attempt(), wait);
      }
    } finally {
      inFlight.current = false;
    }
  }, [token]);

  useEffect(() => {
    // a press kept from before (the page was closed while offline) is sent again at once
    if (load(token)) void attempt();
    const online = () => {
      delay.current = FIRST_DELAY_MS;
      void attempt();
    };
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('online', online);
      window.clearTimeout(timer.current);
    };
  }, [token, attempt]);

  /** The held button was released full: keep the press, then send it. */
  const press = useCallback(() => {
    const now = Date.now();
    const kept = load(token) ?? memory.current;
    const q = kept ? { ...kept, since: now } : { requestId: newRequestId(), pressedAt: now, since: now };
    save(token, q);
    memory.current = q;
    delay.current = FIRST_DELAY_MS;
    void attempt();
  }, [token, attempt]);

  return { state, press };
}
