import type { z } from 'zod';
import type { Me } from '../../../shared/auth.ts';
import type { createContactBody } from '../../../shared/care.ts';
import { ApiError } from '../../lib/api.ts';
import { meKey } from '../../lib/auth.ts';
import { queryClient } from '../../lib/query.ts';
import { type ContactResult, postContact } from './worklist-api.ts';

export type ContactBody = z.input<typeof createContactBody>;

/** A contact recorded on the phone, waiting to reach the server (待同步). */
export interface OutboxItem {
  /** the Idempotency-Key: made once, sent on every retry, so the server stores one record */
  key: string;
  body: ContactBody;
  /** what the card shows while it waits */
  elderName: string;
  dutyName: string | null;
  createdAt: string;
  attempts: number;
  /** a refusal by the server (not a lost connection): the record needs the carer's attention */
  error: string | null;
  /**
   * The user who made it: only that user's session sends it, so a record made before a logout waits
   * for its carer on a shared phone instead of being filed under whoever signs in next. (Absent on
   * records queued before owners were kept: the first carer who opens the worklist adopts them.)
   */
  owner?: number;
}

export interface OutboxState {
  /** the signed-in carer's records; other users' wait unseen in storage */
  items: OutboxItem[];
  online: boolean;
  syncing: boolean;
  lastSyncedAt: string | null;
}

const STORAGE_KEY = 'carecircle.care.outbox';
const RETRY_MS = 20_000;

function load(): OutboxItem[] {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    const items = raw ? (JSON.parse(raw) as OutboxItem[]) : [];
    return Array.isArray(items) ? items : [];
  } catch {
    return [];
  }
}

function persist(items: OutboxItem[]): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(items));
  } catch {
    // storage full or disabled: the queue still lives in memory until the page closes
  }
}

/** Every queued record on this phone, whoever made it (what is stored). */
let all: OutboxItem[] = load();
/** The carer whose worklist is open: whose records are shown. */
let viewer: number | null = null;
let state: OutboxState = {
  items: [],
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  syncing: false,
  lastSyncedAt: null,
};
const listeners = new Set<() => void>();
const synced = new Set<(r: ContactResult) => void>();

/** The user of the session a request would be sent with now (null when nobody is signed in). */
function sessionUser(): number | null {
  return queryClient.getQueryData<Me | null>(meKey)?.user.id ?? null;
}

function set(patch: Partial<OutboxState>): void {
  state = { ...state, ...patch };
  for (const fn of listeners) fn();
}

function setAll(items: OutboxItem[]): void {
  all = items;
  persist(all);
  set({ items: all.filter((i) => viewer != null && i.owner === viewer) });
}

export function outboxState(): OutboxState {
  return state;
}

export function subscribeOutbox(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Called after each record the server accepted (to refresh the lists). */
export function onContactSynced(fn: (r: ContactResult) => void): () => void {
  synced.add(fn);
  return () => synced.delete(fn);
}

/** A random UUID; old Android browsers on plain http lack crypto.randomUUID. */
export function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

async function send(item: OutboxItem): Promise<ContactResult> {
  return postContact(item.body, item.key);
}

function update(key: string, patch: Partial<OutboxItem>): void {
  setAll(all.map((i) => (i.key === key ? { ...i, ...patch } : i)));
}

function remove(key: string): void {
  setAll(all.filter((i) => i.key !== key));
}

let running: Promise<void> | null = null;

/**
 * Sends every waiting record of the signed-in user, oldest first, one at a time. A lost connection stops
 * the run and leaves the record queued with its key; a refusal (4xx) marks it for the carer; a replay is
 * a success. Nobody signed in (after a logout, an expired session): nothing is sent.
 */
export function flushOutbox(): Promise<void> {
  if (running) return running;
  const user = sessionUser();
  const waiting = all.filter((i) => user != null && i.owner === user && !i.error);
  if (waiting.length === 0) return Promise.resolve();
  running = (async () => {
    set({ syncing: true });
    try {
      for (const item of waiting) {
        try {
          const res = await send(item);
          remove(item.key);
          set({ online: true, lastSyncedAt: new Date().toISOString() });
          for (const fn of synced) fn(res);
        } catch (err) {
          const e = err instanceof ApiError ? err : null;
          if (!e || e.status === 0 || e.status >= 500 || e.status === 401 || e.status === 429) {
            // from now on the record carries the time it was made, not the time it arrives
            update(item.key, {
              attempts: item.attempts + 1,
              body: { ...item.body, contactedAt: item.body.contactedAt ?? item.createdAt },
            });
            if (!e || e.status === 0) set({ online: navigator.onLine });
            break;
          }
          update(item.key, { attempts: item.attempts + 1, error: e.message });
        }
      }
    } finally {
      set({ syncing: false });
      running = null;
    }
  })();
  return running;
}

/**
 * Records a contact: first into the browser's queue (so nothing is lost without a connection), then
 * straight to the server. Resolves with 'saved' or 'queued'; rejects when the server refuses it.
 */
export async function recordContact(
  body: ContactBody,
  label: { elderName: string; dutyName: string | null },
): Promise<'saved' | 'queued'> {
  const item: OutboxItem = {
    key: newIdempotencyKey(),
    body,
    ...label,
    createdAt: new Date().toISOString(),
    attempts: 0,
    error: null,
    owner: viewer ?? sessionUser() ?? undefined,
  };
  setAll([...all, item]);
  await flushOutbox();
  const left = all.find((i) => i.key === item.key);
  if (!left) return 'saved';
  if (left.error) {
    remove(item.key);
    throw new Error(left.error);
  }
  return 'queued';
}

/** Drops a record the server refused (after the carer has seen why). */
export function discardOutboxItem(key: string): void {
  remove(key);
}

let started = false;
/**
 * Shows and sends the records of `userId` (the carer whose worklist is open); retries when the browser
 * says it is back online, on a timer while records wait, and now.
 */
export function startOutboxSync(userId: number): void {
  viewer = userId;
  setAll(all.map((i) => (i.owner == null ? { ...i, owner: userId } : i)));
  if (!started && typeof window !== 'undefined') {
    started = true;
    window.addEventListener('online', () => {
      set({ online: true });
      void flushOutbox();
    });
    window.addEventListener('offline', () => set({ online: false }));
    setInterval(() => void flushOutbox(), RETRY_MS);
  }
  void flushOutbox();
}
