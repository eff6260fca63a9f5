import type { z } from 'zod';
import type { createContactBody, createContactResponse } from '../../../shared/care.ts';
import { ApiError, apiFetch } from '../../lib/api.ts';

export type ContactBody = z.input<typeof createContactBody>;
type ContactResult = z.infer<typeof createContactResponse>;

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
}

export interface OutboxState {
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

let state: OutboxState = {
  items: load(),
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  syncing: false,
  lastSyncedAt: null,
};
const listeners = new Set<() => void>();
const synced = new Set<(r: ContactResult) => void>();

function set(patch: Partial<OutboxState>): void {
  state = { ...state, ...patch };
  if (patch.items) persist(state.items);
  for (const fn of listeners) fn();
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
  return apiFetch<ContactResult>('POST', '/contacts', {
    body: item.body,
    headers: { 'Idempotency-Key': item.key },
  });
}

function update(key: string, patch: Partial<OutboxItem>): void {
  set({ items: state.items.map((i) => (i.key === key ? { ...i, ...patch } : i)) });
}

function remove(key: string): void {
  set({ items: state.items.filter((i) => i.key !== key) });
}

let running: Promise<void> | null = null;

/**
 * Sends every waiting record, oldest first, one at a time. A lost connection stops the run and leaves
 * the record queued with its key; a refusal (4xx) marks it for the carer; a replay is a success.
 */
export function flushOutbox(): Promise<void> {
  if (running) return running;
  running = (async () => {
    set({ syncing: true });
    try {
      for (const item of [...state.items]) {
        if (item.error) continue;
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
  };
  set({ items: [...state.items, item] });
  await flushOutbox();
  const left = state.items.find((i) => i.key === item.key);
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
/** Retries when the browser says it is back online, on a timer while records wait, and now. */
export function startOutboxSync(): void {
  if (started || typeof window === 'undefined') return;
  started = true;
  window.addEventListener('online', () => {
    set({ online: true });
    void flushOutbox();
  });
  window.addEventListener('offline', () => set({ online: false }));
  setInterval(() => {
    if (state.items.some((i) => !i.error)) void flushOutbox();
  }, RETRY_MS);
  if (state.items.length > 0) void flushOutbox();
}
