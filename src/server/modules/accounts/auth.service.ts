import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../../../shared/auth.ts';
import { AppError } from '../../platform/app-error.ts';
import { type AuthContext, sessionCache } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import { type Db, withTx } from '../../platform/db.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { orgDisplayNames } from '../orgs/orgs.service.ts';
import * as repo from './accounts.repo.ts';
import { burnVerify, verifyPassword } from './passwords.ts';

/** wrong passwords for one account from one source address before that source is refused */
export const SOURCE_MAX_FAILURES = 5;
/** wrong passwords for one account from all sources before the account itself is locked */
export const ACCOUNT_MAX_FAILURES = 20;
export const LOCK_MINUTES = 15;
export const SESSION_HOURS = 12;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const minutes = (n: number) => n * 60_000;

interface Deps {
  db: Db;
  clock: Clock;
}

/**
 * When sign-ins for this username from this source are refused, if they are: five wrong passwords from
 * one source in a row (no 15-minute pause) pause that source only — someone who knows a username
 * cannot lock its owner out from elsewhere; twenty from all sources lock the account (a distributed
 * guess), as does an account lock set earlier. Read the same way for unknown usernames, so the answer
 * never tells whether an account exists.
 */
function refusedUntil(
  f: { source: number; total: number; source_last: string | null; last: string | null },
  user: { lockedUntil: Date | null } | undefined,
  now: Date,
): Date | null {
  const until: number[] = [];
  if (f.source >= SOURCE_MAX_FAILURES && f.source_last) {
    until.push(new Date(f.source_last).getTime() + minutes(LOCK_MINUTES));
  }
  if (f.total >= ACCOUNT_MAX_FAILURES && f.last)
    until.push(new Date(f.last).getTime() + minutes(LOCK_MINUTES));
  if (user?.lockedUntil) until.push(user.lockedUntil.getTime());
  const latest = Math.max(0, ...until);
  return latest > now.getTime() ? new Date(latest) : null;
}

/**
 * Checks a password. Wrong passwords are counted per username and source address (see
 * `refusedUntil`): 401 until a limit is reached, then 423 — for known and unknown usernames alike.
 * The audit log records every attempt, successful or not.
 */
export async function login(
  deps: Deps,
  input: { username: string; password: string; ip: string; userAgent?: string },
) {
  const { db, clock } = deps;
  const now = clock.now();
  const windowStart = new Date(now.getTime() - minutes(LOCK_MINUTES));
  const name = input.username.trim().toLowerCase();
  const found = await repo.findUserByUsername(db, name);
  const user = found?.active ? found : undefined;
  const audit = (action: string, details: Record<string, unknown>) =>
    user
      ? recordAudit(
          db,
          {
            auth: { userId: user.id, username: user.username, displayName: user.displayName } as AuthContext,
            ip: input.ip,
          },
          { action, entity: 'user', entityId: user.id, details: { username: input.username, ...details } },
        )
      : recordAudit(db, null, {
          action,
          details: {
            username: input.username,
            ...details,
            reason: found ? 'inactive' : 'unknown user',
            ip: input.ip,
          },
        });

  const refused = refusedUntil(await repo.loginFailuresOf(db, name, input.ip, windowStart), user, now);
  if (refused) {
    await audit('auth.login_refused', { reason: 'locked', lockedUntil: refused.toISOString() });
    throw new AppError('ACCOUNT_LOCKED', undefined, { lockedUntil: refused.toISOString() });
  }
  const ok = user
    ? await verifyPassword(user.passwordHash, input.password)
    : await burnVerify(input.password);
  if (!user || !ok) {
    const n = await repo.recordLoginFailure(db, name, input.ip, now, windowStart);
    await repo.pruneLoginFailures(db, new Date(now.getTime() - 24 * 3600_000));
    const accountLocked = n.total >= ACCOUNT_MAX_FAILURES;
    const locked = accountLocked || n.source >= SOURCE_MAX_FAILURES;
    const lockedUntil = new Date(now.getTime() + minutes(LOCK_MINUTES));
    if (accountLocked && user) {
      await repo.lockUser(db, user.id, lockedUntil);
      sessionCache.evictUser(user.id);
    }
    await audit(locked ? 'auth.locked' : 'auth.login_failed', {
      ...(user ? { reason: 'wrong password' } : {}),
      ...(locked
        ? { scope: accountLocked ? 'account' : 'source', lockedUntil: lockedUntil.toISOString() }
        : {}),
    });
    if (locked) throw new AppError('ACCOUNT_LOCKED', undefined, { lockedUntil: lockedUntil.toISOString() });
    throw new AppError('BAD_CREDENTIALS');
  }

  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
  await withTx(db, async (tx) => {
    await repo.recordLogin(tx, user.id, now);
    await repo.clearLoginFailuresFrom(tx, name, input.ip);
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

/** The caller's scope nodes as people read them: a grid with its community (`湖滨社区 / 第1网格`). */
export async function namedScopes(db: Db, auth: AuthContext) {
  const names = await orgDisplayNames(
    db,
    auth.scopes.map((s) => s.id),
  );
  return auth.scopes.map((s) => ({ ...s, name: names.get(s.id) ?? s.name }));
}
