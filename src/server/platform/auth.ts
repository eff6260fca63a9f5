import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../../shared/auth.ts';
import type { Lang } from '../../shared/errors.ts';
import { AppError } from './app-error.ts';

export interface ScopeNode {
  id: number;
  name: string;
  kind: string;
  path: string;
}

/** Who is calling: resolved once per request from the session cookie. */
export interface AuthContext {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  carerKind: string | null;
  scopes: ScopeNode[];
  csrfToken: string;
  sessionHash: string;
}

/** What a service needs to know about a request: the caller, where from, in which language. */
export interface Ctx {
  auth: AuthContext;
  ip: string;
  lang: Lang;
}

export const SESSION_COOKIE = 'cc_session';
export const CSRF_COOKIE = 'cc_csrf';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null;
    lang: Lang;
  }
  interface FastifyContextConfig {
    /** false for endpoints authenticated otherwise (login, signed device events) */
    csrf?: boolean;
  }
}

export function langOf(req: FastifyRequest): Lang {
  const h = String(req.headers['accept-language'] ?? '').toLowerCase();
  return h.startsWith('en') ? 'en' : 'zh';
}

/** The caller, or 401. Optionally limited to some roles (403 otherwise). */
export function ctxOf(req: FastifyRequest, allowed?: readonly Role[]): Ctx {
  const auth = req.auth;
  if (!auth) throw new AppError('UNAUTHENTICATED');
  if (allowed && !allowed.includes(auth.role)) throw new AppError('FORBIDDEN');
  return { auth, ip: req.ip, lang: req.lang };
}

/**
 * CSRF: the session cookie is SameSite=Lax and http-only; a state-changing request must also echo
 * the per-session token (double submit), which a cross-site page cannot read.
 */
export function checkCsrf(req: FastifyRequest, _reply: FastifyReply): void {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return;
  if (req.routeOptions.config?.csrf === false) return;
  if (!req.auth) return; // unauthenticated writes are refused by the route itself
  const sent = req.headers[CSRF_HEADER];
  if (typeof sent !== 'string' || sent !== req.auth.csrfToken) throw new AppError('CSRF_FAILED');
}
