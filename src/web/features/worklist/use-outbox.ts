import { useSyncExternalStore } from 'react';
import { type OutboxState, outboxState, subscribeOutbox } from './outbox.ts';

/** The browser's queue of contacts and its sync state, re-rendering on every change. */
export function useOutbox(): OutboxState {
  return useSyncExternalStore(subscribeOutbox, outboxState, outboxState);
}
