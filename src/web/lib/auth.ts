import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Me, Role } from '../../shared/auth.ts';
import { menuByRole } from '../../shared/auth.ts';
import { ApiError, api, setCsrfToken } from './api.ts';

export const meKey = ['me'] as const;

/** The signed-in user, or null when there is no valid session. */
async function fetchMe(): Promise<Me | null> {
  try {
    const me = await api.get<Me>('/me');
    setCsrfToken(me.csrfToken);
    return me;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw err;
  }
}

export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: 5 * 60_000 });
}

/** For pages rendered inside the signed-in layout, where /me has been loaded. */
export function useCurrentUser(): Me {
  const { data } = useMe();
  if (!data) throw new Error('useCurrentUser outside the signed-in layout');
  return data;
}

export function canSee(role: Role, menuKey: string): boolean {
  return menuByRole[role].includes(menuKey);
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { username: string; password: string }) =>
      api.post<{ csrfToken: string }>('/auth/login', body),
    onSuccess: async (res) => {
      setCsrfToken(res.csrfToken);
      qc.removeQueries();
      await qc.fetchQuery({ queryKey: meKey, queryFn: fetchMe });
    },
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post('/auth/logout'),
    onSettled: () => {
      setCsrfToken(null);
      qc.removeQueries();
      qc.setQueryData(meKey, null);
    },
  });
}
