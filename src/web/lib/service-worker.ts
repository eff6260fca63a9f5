import { useSyncExternalStore } from 'react';
import { meKey } from './auth.ts';
import { currentLang } from './i18n.ts';
import {
  API_CACHE,
  OFFLINE_API_PATHS,
  OFFLINE_COPY_MESSAGE,
  type OfflineCopyMessage,
} from './offline-cache.ts';
import { queryClient } from './query.ts';

/** The API answers on screen that came from the service worker's offline copy: path → its Date. */
let copies: ReadonlyMap<string, string | null> = new Map();
/** Offline-copy messages received per path, to tell whether one came during a read. */
const heard = new Map<string, number>();
const listeners = new Set<() => void>();

function setCopies(next: Map<string, string | null>): void {
  copies = next;
  for (const fn of listeners) fn();
}

function subscribe(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * Call as a read of `path` starts; call what it returns with the answer. Unless the service worker said
 * meanwhile that it answered from its offline copy, the answer is fresh and the copy's note goes. (The
 * note stays up during the read, so a list refreshed offline every minute does not flicker.)
 */
export function beginRead(path: string): () => void {
  const before = heard.get(path) ?? 0;
  return () => {
    if ((heard.get(path) ?? 0) !== before || !copies.has(path)) return;
    const next = new Map(copies);
    next.delete(path);
    setCopies(next);
  };
}

/**
 * For an answer of `path` that came from the offline copy: when the server gave it (ISO), or null when the
 * copy carries no date; undefined while the answer is fresh.
 */
export function useOfflineCopy(path: string): string | null | undefined {
  return useSyncExternalStore(
    subscribe,
    () => (copies.has(path) ? (copies.get(path) ?? null) : undefined),
    () => undefined,
  );
}

/**
 * Forgets the API answers kept for offline use. Called whenever the app learns nobody is signed in
 * (logout, an expired session, a 401), so a shared phone never shows one carer's elders to the next.
 */
export async function clearOfflineApiCache(): Promise<void> {
  setCopies(new Map());
  if (typeof caches === 'undefined') return;
  try {
    await caches.delete(API_CACHE);
  } catch {
    // Cache Storage refused (private mode): nothing was kept either
  }
}

/**
 * Registers the service worker of the production build (vite.config.ts writes dist/web/sw.js; the dev
 * server has none). Browsers allow one only on https or localhost; elsewhere the app works as before.
 */
export function registerServiceWorker(): void {
  // the signed-in user becomes null on logout, on a 401 and when /me finds no session
  queryClient.getQueryCache().subscribe((e) => {
    if (e.type === 'updated' && e.query.queryKey[0] === meKey[0] && e.query.state.data === null) {
      void clearOfflineApiCache();
    }
  });
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const sw = navigator.serviceWorker;
  sw.addEventListener('message', (e: MessageEvent<OfflineCopyMessage>) => {
    if (e.data?.type !== OFFLINE_COPY_MESSAGE) return;
    heard.set(e.data.path, (heard.get(e.data.path) ?? 0) + 1);
    setCopies(new Map(copies).set(e.data.path, e.data.fetchedAt));
  });
  sw.startMessages();
  // what the first visit read before the worker took over was not kept: read the offline answers once
  // more through it (without a session they are refused, and a refusal is never kept)
  let controlled = !!sw.controller;
  sw.addEventListener('controllerchange', () => {
    if (controlled) return;
    controlled = true;
    for (const path of OFFLINE_API_PATHS) {
      const headers = { Accept: 'application/json', 'Accept-Language': currentLang() };
      fetch(path, { credentials: 'same-origin', headers }).catch(() => {
        // no connection right now: the next read the pages make is kept instead
      });
    }
  });
  const register = () =>
    sw.register('/sw.js', { scope: '/' }).catch(() => {
      // no service worker (plain http, storage disabled): the app still works while the page is open
    });
  // after the page has loaded, so its precaching does not compete with the first load; the staff app
  // is itself loaded by a dynamic import (main.tsx), which may run after the load event has fired
  if (document.readyState === 'complete') void register();
  else window.addEventListener('load', () => void register());
}
