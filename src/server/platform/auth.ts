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

/** The caller, or 401. What they may do is the service's first check (`requireAccess`). */
export function ctxOf(req: FastifyRequest): Ctx {
  const auth = req.auth;
  if (!auth) throw new AppError('UNAUTHENTICATED');
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

/** How long this process trusts a session it has looked up (docs/decisions/0003-session-cache.md). */
export const SESSION_CACHE_TTL_MS = 5_000;

/**
 * A short-lived in-process cache of resolved sessions, keyed by the token's hash, so a busy carer's
 * requests do not each pay a database round trip for who they are. An entry lives at most `ttlMs` of
 * real (monotonic) time and never past the session's own expiry on the app's clock. Logout, a password,
 * role or scope change, a deactivation or a lockout in this process evicts at once; such a change made
 * by another process is seen here within `ttlMs`.
 */
export class SessionCache {
  private readonly entries = new Map<
    string,
    { auth: AuthContext; sessionExpiresAt: number; cachedAt: number }
  >();
  /** bumped by every eviction: a lookup that began before one must not fill the cache afterwards */
  private epoch = 0;

  constructor(
    readonly ttlMs = SESSION_CACHE_TTL_MS,
    private readonly maxEntries = 10_000,
    private readonly monotonic: () => number = () => performance.now(),
  ) {}

  /** The cached caller for a token hash, if fresh and the session has not expired at `now`. */
  get(tokenHash: string, now: Date): AuthContext | undefined {
    const e = this.entries.get(tokenHash);
    if (!e) return undefined;
    if (this.monotonic() - e.cachedAt >= this.ttlMs || now.getTime() >= e.sessionExpiresAt) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return e.auth;
  }

  /** Call before reading the session from the database; pass the result to `set`. */
  begin(): number {
    return this.epoch;
  }

  set(tokenHash: string, auth: AuthContext, sessionExpiresAt: Date, since: number): void {
    if (this.ttlMs <= 0 || since !== this.epoch) return;
    if (this.entries.size >= this.maxEntries) {
      // the oldest entry first (a Map iterates in insertion order)
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(tokenHash, {
      auth: Object.freeze({ ...auth, scopes: Object.freeze([...auth.scopes]) as ScopeNode[] }),
      sessionExpiresAt: sessionExpiresAt.getTime(),
      cachedAt: this.monotonic(),
    });
  }

  evictSession(tokenHash: string): void {
    this.epoch++;
    this.entries.delete(tokenHash);
  }

  evictUser(userId: number): void {
    this.epoch++;
    for (const [k, e] of this.entries) if (e.auth.userId === userId) this.entries.delete(k);
  }

  clear(): void {
    this.epoch++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The process's session cache (one per process, whatever the number of apps built in it). */
export const sessionCache = new SessionCache();
