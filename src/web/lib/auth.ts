import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Me, Role } from '../../shared/auth.ts';
import { menuByRole } from '../../shared/auth.ts';
import { ApiError, api, setCsrfToken } from './api.ts';

export const meKey = ['me'] as const;

/**
 * A sign-out made with no connection (a shared phone in a dead spot): the phone forgets the user at
 * once, but the server's session lives on until it hears of it — so the phone remembers to end it, and
 * does as soon as it can (the next /me, or the browser's `online` event).
 */
const PENDING_LOGOUT = 'cc.pendingLogout';

export function hasPendingLogout(): boolean {
  try {
    return localStorage.getItem(PENDING_LOGOUT) === '1';
  } catch {
    return false;
  }
}

/** Ends the server's session; without a connection, remembers to. A session already gone is ended. */
async function endServerSession(): Promise<'ended' | 'pending'> {
  try {
    await api.post('/auth/logout');
  } catch (err) {
    if (err instanceof ApiError && err.status === 0) {
      localStorage.setItem(PENDING_LOGOUT, '1');
      return 'pending';
    }
    if (!(err instanceof ApiError && err.status === 401)) throw err;
  }
  localStorage.removeItem(PENDING_LOGOUT);
  return 'ended';
}

/** Sends a sign-out that waited for a connection, the moment the browser has one again. */
export function watchPendingLogout(): void {
  window.addEventListener('online', () => {
    if (hasPendingLogout()) void endServerSession().catch(() => {});
  });
}

/** The signed-in user, or null when there is no valid session. */
async function fetchMe(): Promise<Me | null> {
  // signed out with no connection: nobody is signed in here, whatever the server still holds
  if (hasPendingLogout() && (await endServerSession()) === 'pending') return null;
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

/**
 * An administrator holding a city node: the one who may change city-wide settings (ladders, duty
 * templates and rules, holidays, re-plan; decision 0013). The server's own check is `requireCityAdmin`.
 */
export function isCityAdmin(me: Me): boolean {
  return me.role === 'admin' && me.scopes.some((s) => s.kind === 'city');
}

export function canSee(role: Role, menuKey: string): boolean {
  return menuByRole[role].includes(menuKey);
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: { username: string; password: string }) => {
      // a sign-out still waiting ends the old session first (never the new one, after the login)
      if (hasPendingLogout()) await endServerSession();
      return api.post<{ csrfToken: string }>('/auth/login', body);
    },
    onSuccess: async (res) => {
      setCsrfToken(res.csrfToken);
      qc.removeQueries();
      await qc.fetchQuery({ queryKey: meKey, queryFn: fetchMe });
    },
  });
}

/**
 * Why the user was signed out, for the login page to say (a password change). Kept in sessionStorage:
 * the signed-in layout's own redirect to /login carries its `from` state, not this.
 */
const SIGN_OUT_NOTICE = 'cc.signOutNotice';
export type SignOutNotice = 'passwordChanged';

export function signOutNotice(): SignOutNotice | null {
  try {
    return sessionStorage.getItem(SIGN_OUT_NOTICE) === 'passwordChanged' ? 'passwordChanged' : null;
  } catch {
    return null;
  }
}

export function clearSignOutNotice(): void {
  try {
    sessionStorage.removeItem(SIGN_OUT_NOTICE);
  } catch {
    // private mode: nothing was kept
  }
}

/** The browser forgets the signed-in user and every cached answer (the server's session is ended apart). */
export function forgetSignedInUser(qc: QueryClient, notice?: SignOutNotice): void {
  if (notice) {
    try {
      sessionStorage.setItem(SIGN_OUT_NOTICE, notice);
    } catch {
      // private mode: the login page just shows no notice
    }
  }
  setCsrfToken(null);
  qc.removeQueries();
  qc.setQueryData(meKey, null);
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: endServerSession,
    // not paused while the browser is offline (TanStack's default): the phone forgets the user at once
    networkMode: 'always',
    onSettled: () => forgetSignedInUser(qc),
  });
}
