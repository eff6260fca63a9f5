import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { Incident, PushEvent } from '../../../shared/incidents.ts';
import { incidentsKey } from './incidents-api.ts';

export type LiveStatus = 'connecting' | 'live' | 'offline';

/**
 * Subscribes to the signed-in user's push stream (GET /api/events). Events carry ids only: each one
 * refetches the queue and the open card. After a reconnect everything is refetched, since events sent
 * while the stream was down are not replayed.
 */
export function useLiveEvents(onEvent?: (e: PushEvent) => void): LiveStatus {
  const qc = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    const es = new EventSource('/api/events', { withCredentials: true });
    const refetch = () => void qc.invalidateQueries({ queryKey: incidentsKey });
    const onPush = (m: MessageEvent<string>) => {
      refetch();
      try {
        handler.current?.(JSON.parse(m.data) as PushEvent);
      } catch {
        // a malformed event still refetched the queue
      }
    };
    es.addEventListener('ready', () => {
      setStatus('live');
      refetch();
    });
    es.addEventListener('incident', onPush);
    es.addEventListener('ladder_step', onPush);
    es.onerror = () => setStatus(es.readyState === EventSource.CLOSED ? 'offline' : 'connecting');
    return () => es.close();
  }, [qc]);
  return status;
}

/** A clock for the ticking timers: re-renders every `ms`. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

// Browsers allow audio only after a user gesture: the context is created on the first click or key.
let audio: AudioContext | null = null;

function beep(ctx: AudioContext) {
  const t0 = ctx.currentTime;
  for (let i = 0; i < 3; i++) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'square';
    osc.frequency.value = i % 2 ? 660 : 880;
    gain.gain.setValueAtTime(0.0001, t0 + i * 0.3);
    gain.gain.exponentialRampToValueAtTime(0.25, t0 + i * 0.3 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + i * 0.3 + 0.25);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t0 + i * 0.3);
    osc.stop(t0 + i * 0.3 + 0.26);
  }
}

/**
 * The alarm for incidents nobody has acknowledged: a beep for each new one (repeated every 30 s
 * while any is still open), the count in the title bar, and the open count for the flashing banner.
 */
export function useAlarm(items: Incident[] | undefined, title: string) {
  const [soundOn, setSoundOn] = useState(audio !== null);
  const seen = useRef(new Set<number>());
  const [beeps, setBeeps] = useState(0);
  const open = (items ?? []).filter((i) => i.state === 'open');
  const openCount = open.length;

  useEffect(() => {
    if (audio) return;
    const enable = () => {
      audio ??= new AudioContext();
      void audio.resume();
      setSoundOn(true);
    };
    window.addEventListener('pointerdown', enable, { once: true });
    window.addEventListener('keydown', enable, { once: true });
    return () => {
      window.removeEventListener('pointerdown', enable);
      window.removeEventListener('keydown', enable);
    };
  }, []);

  const openIds = open.map((i) => i.id).join(',');
  useEffect(() => {
    const fresh = openIds
      .split(',')
      .filter(Boolean)
      .map(Number)
      .filter((id) => !seen.current.has(id));
    for (const id of fresh) seen.current.add(id);
    if (fresh.length > 0 && audio) {
      beep(audio);
      setBeeps((n) => n + 1);
    }
  }, [openIds]);

  useEffect(() => {
    if (openCount === 0) return;
    const timer = setInterval(() => {
      if (audio) {
        beep(audio);
        setBeeps((n) => n + 1);
      }
    }, 30_000);
    return () => clearInterval(timer);
  }, [openCount]);

  useEffect(() => {
    const before = document.title;
    document.title = openCount > 0 ? `(${openCount}) ${title}` : title;
    return () => {
      document.title = before;
    };
  }, [openCount, title]);

  return { openCount, soundOn, beeps };
}
