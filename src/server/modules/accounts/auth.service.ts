import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../../../shared/auth.ts';
import { AppError } from '../../platform/app-error.ts';
import { type AuthContext, sessionCache } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import { type Db, withTx } from '../../platform/db.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as repo from './accounts.repo.ts';
import { burnVerify, verifyPassword } from './passwords.ts';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;
export const SESSION_HOURS = 12;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

interface Deps {
  db: Db;
  clock: Clock;
}

/**
 * Checks a password. Five wrong passwords in a row lock the account for 15 minutes (423); the
 * audit log records every attempt, successful or not, in its own transaction.
 */
export async function login(
  deps: Deps,
  input: { username: string; password: string; ip: string; userAgent?: string },
) {
  const { db, clock } = deps;
  const now = clock.now();
  const user = await repo.findUserByUsername(db, input.username.trim());
  const audit = (action: string, details: Record<string, unknown>, u = user) =>
    recordAudit(
      db,
      u
        ? {
            auth: { userId: u.id, username: u.username, displayName: u.displayName } as AuthContext,
            ip: input.ip,
          }
        : null,
      { action, entity: 'user', entityId: u?.id, details: { username: input.username, ...details } },
    );

  if (!user?.active) {
    await burnVerify(input.password);
    await recordAudit(db, null, {
      action: 'auth.login_failed',
      details: { username: input.username, reason: user ? 'inactive' : 'unknown user', ip: input.ip },
    });
    throw new AppError('BAD_CREDENTIALS');
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    await audit('auth.login_refused', { reason: 'locked', lockedUntil: user.lockedUntil.toISOString() });
    throw new AppError('ACCOUNT_LOCKED', undefined, { lockedUntil: user.lockedUntil.toISOString() });
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) {
    const lockUntil = new Date(now.getTime() + LOCK_MINUTES * 60_000);
    const r = await repo.recordFailedLogin(db, user.id, MAX_FAILED_LOGINS, lockUntil);
    const locked = r.lockedUntil && r.lockedUntil > now;
    if (locked) sessionCache.evictUser(user.id);
    await audit(locked ? 'auth.locked' : 'auth.login_failed', { reason: 'wrong password' });
    if (locked)
      throw new AppError('ACCOUNT_LOCKED', undefined, { lockedUntil: r.lockedUntil!.toISOString() });
    throw new AppError('BAD_CREDENTIALS');
  }

  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
  await withTx(db, async (tx) => {
    await repo.recordLogin(tx, user.id, now);
    await repo.insertSession(tx, {
      tokenHash: sha256(token),
      userId: user.id,
      csrfToken,
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 300),
      createdAt: now,
      expiresAt,
    });
    await recordAudit(
      tx,
      {
        auth: { userId: user.id, username: user.username, displayName: user.displayName } as AuthContext,
        ip: input.ip,
      },
      { action: 'auth.login', entity: 'user', entityId: user.id },
    );
  });
  return { token, csrfToken, expiresAt };
}

/**
 * Resolves the session cookie to the caller; slides the expiry at most once an hour. A session this
 * process resolved in the last few seconds comes from the in-process cache (no database round trip).
 */
export async function resolveSession(deps: Deps, token: string): Promise<AuthContext | null> {
  const now = deps.clock.now();
  const tokenHash = sha256(token);
  const cached = sessionCache.get(tokenHash, now);
  if (cached) return cached;
  const since = sessionCache.begin();
  const row = await repo.findSessionUser(deps.db, tokenHash, now);
  if (!row) return null;
  let expires = new Date(row.expires_at);
  if (expires.getTime() - now.getTime() < (SESSION_HOURS - 1) * 3600_000) {
    expires = new Date(now.getTime() + SESSION_HOURS * 3600_000);
    await repo.extendSession(deps.db, tokenHash, expires);
  }
  const auth: AuthContext = {
    userId: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role as Role,
    carerKind: row.carer_kind,
    scopes: row.scopes ?? [],
    csrfToken: row.csrf_token,
    sessionHash: tokenHash,
  };
  sessionCache.set(tokenHash, auth, expires, since);
  return auth;
}

export async function logout(deps: Deps, auth: AuthContext, ip: string) {
  await withTx(deps.db, async (tx) => {
    await repo.deleteSession(tx, auth.sessionHash);
    await recordAudit(tx, { auth, ip }, { action: 'auth.logout', entity: 'user', entityId: auth.userId });
  });
  sessionCache.evictSession(auth.sessionHash);
}
