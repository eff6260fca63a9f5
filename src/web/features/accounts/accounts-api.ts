import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  Account,
  accountRevealResponse,
  changeOwnPasswordBody,
  createAccountBody,
  updateAccountBody,
} from '../../../shared/accounts.ts';
import { api } from '../../lib/api.ts';

export const accountsKey = ['accounts'] as const;

export interface AccountFilters {
  q: string;
  role: string | undefined;
  limit: number;
  offset: number;
}

/** Accounts in the caller's scope, a page at a time; the last page stays on screen while the next loads. */
export function useAccounts(f: AccountFilters) {
  return useQuery({
    queryKey: [...accountsKey, f],
    queryFn: () => api.get<{ items: Account[]; total: number }>('/accounts', { ...f }),
    placeholderData: keepPreviousData,
  });
}

export const createAccount = (body: z.input<typeof createAccountBody>) =>
  api.post<Account>('/accounts', body);

export const updateAccount = (id: number, body: z.input<typeof updateAccountBody>) =>
  api.patch<Account>(`/accounts/${id}`, body);

/** A staff member's phone in clear; the server writes the reason to the audit log. */
export const revealAccountPhone = (id: number, reason: string) =>
  api.post<z.infer<typeof accountRevealResponse>>(`/accounts/${id}/reveal`, { reason });

export const changeOwnPassword = (body: z.input<typeof changeOwnPasswordBody>) =>
  api.post('/me/password', body);
