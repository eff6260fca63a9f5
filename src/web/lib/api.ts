import type { ErrorDetail } from '../../shared/errors.ts';
import { currentLang, i18n } from './i18n.ts';

/** An error answered by the API (`{ error: { code, message, details } }`) or a failed connection. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;

/** Kept from /auth/login and /me; the cc_csrf cookie is the fallback after a reload. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

function cookie(name: string): string | null {
  const hit = document.cookie.split('; ').find((c) => c.startsWith(`${name}=`));
  return hit ? decodeURIComponent(hit.slice(name.length + 1)) : null;
}

type Query = Record<string, string | number | boolean | null | undefined>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v != null && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

const listeners = new Set<(e: ApiError) => void>();
/** Called on every 401 from a call other than login, so the app can return to the login page. */
export function onUnauthenticated(fn: (e: ApiError) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export async function apiFetch<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  opts: { query?: Query; body?: unknown; headers?: Record<string, string> } = {},
): Promise<T> {
  const headers: Record<string, string> = {
    ...opts.headers,
    Accept: 'application/json',
    'Accept-Language': currentLang(),
  };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') {
    const token = csrfToken ?? cookie('cc_csrf');
    if (token) headers['X-CSRF-Token'] = token;
  }
  let res: Response;
  try {
    res = await fetch(`/api${withQuery(path, opts.query)}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', i18n.t('errors.network'));
  }
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const e = (data as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
    const err = new ApiError(
      res.status,
      e?.code ?? 'HTTP_ERROR',
      e?.message ?? i18n.t('errors.http', { status: res.status }),
      Array.isArray(e?.details) ? (e.details as ErrorDetail[]) : [],
    );
    if (res.status === 401 && !path.startsWith('/auth/')) for (const fn of listeners) fn(err);
    throw err;
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => apiFetch<T>('GET', path, { query }),
  post: <T>(path: string, body?: unknown) => apiFetch<T>('POST', path, { body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => apiFetch<T>('PATCH', path, { body }),
  delete: <T>(path: string) => apiFetch<T>('DELETE', path),
};
