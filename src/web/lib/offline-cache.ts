/**
 * What the service worker keeps for a phone without a connection (decision 0005). Read by vite.config.ts,
 * which builds the service worker, and by the page; so this file imports nothing.
 */

/** The Cache Storage name of the API answers kept offline; emptied whenever nobody is signed in. */
export const API_CACHE = 'carecircle-api';

/**
 * The only API answers kept: who is signed in (the layout needs it to render) and the carer's worklist.
 * Matched on the whole path with no query string, GET only.
 */
export const OFFLINE_API_PATHS = ['/api/me', '/api/worklist'] as const;

/** An offline copy is used for at most as long as a session lasts unused (SESSION_HOURS on the server). */
export const OFFLINE_API_MAX_AGE_S = 12 * 3600;

/** How long the phone waits for the server before it shows the offline copy. */
export const OFFLINE_NETWORK_TIMEOUT_S = 3;

/** The message the service worker posts to a page it answers from an offline copy. */
export const OFFLINE_COPY_MESSAGE = 'carecircle:offline-copy';

export interface OfflineCopyMessage {
  type: typeof OFFLINE_COPY_MESSAGE;
  /** e.g. /api/worklist */
  path: string;
  /** the copy's HTTP Date header: when the server answered it */
  fetchedAt: string | null;
}
