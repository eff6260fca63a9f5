import { and, asc, count, eq, ilike, or, type SQL, sql } from 'drizzle-orm';
import type { ScopeNode } from '../../platform/auth.ts';
import { type Executor, rows } from '../../platform/db.ts';
import { orgRows } from '../orgs/orgs.rows.ts';
import { loginFailures, sessions, userScopes, users } from './accounts.schema.ts';

export type UserRow = typeof users.$inferSelect;

export async function findUserByUsername(ex: Executor, username: string): Promise<UserRow | undefined> {
  const [row] = await ex.select().from(users).where(eq(users.username, username.toLowerCase()));
  return row;
}

export async function getUser(ex: Executor, id: number): Promise<UserRow | undefined> {
  const [row] = await ex.select().from(users).where(eq(users.id, id));
  return row;
}

/**
 * Counts one wrong password for a username from a source (one statement, so concurrent attempts all
 * count); a window older than `windowStart` starts again at one. Returns this source's count and the
 * username's count over all sources in the window.
 */
export async function recordLoginFailure(
  ex: Executor,
  username: string,
  source: string,
  at: Date,
  windowStart: Date,
): Promise<{ source: number; total: number }> {
  const [r] = await rows<{ source: number; total: number }>(
    ex,
    sql`WITH up AS (
          INSERT INTO ${loginFailures} (username, source, failures, first_at, last_at)
          VALUES (${username}, ${source}, 1, ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz)
          ON CONFLICT (username, source) DO UPDATE SET
            failures = CASE WHEN ${loginFailures.lastAt} <= ${windowStart.toISOString()}::timestamptz
                            THEN 1 ELSE ${loginFailures.failures} + 1 END,
            first_at = CASE WHEN ${loginFailures.lastAt} <= ${windowStart.toISOString()}::timestamptz
                            THEN excluded.first_at ELSE ${loginFailures.firstAt} END,
            last_at = excluded.last_at
          RETURNING failures)
        SELECT (SELECT failures FROM up)::int8 AS source,
               ((SELECT failures FROM up) + coalesce((
                 SELECT sum(failures) FROM ${loginFailures}
                 WHERE username = ${username} AND source <> ${source}
                   AND last_at > ${windowStart.toISOString()}::timestamptz), 0))::int8 AS total`,
  );
  return r;
}

/** This source's and all sources' wrong passwords for a username in the window, and the latest. */
export async function loginFailuresOf(ex: Executor, username: string, source: string, windowStart: Date) {
  const [r] = await rows<{ source: number; total: number; source_last: string | null; last: string | null }>(
    ex,
    sql`SELECT coalesce(sum(failures) FILTER (WHERE source = ${source}), 0)::int8 AS source,
               coalesce(sum(failures), 0)::int8 AS total,
               max(last_at) FILTER (WHERE source = ${source}) AS source_last,
               max(last_at) AS last
        FROM ${loginFailures}
        WHERE username = ${username} AND last_at > ${windowStart.toISOString()}::timestamptz`,
  );
  return r;
}

/**
 * Of these usernames, those refused from some source now: `minFailures` wrong passwords from one
 * source in the window (the per-source pause) — an administrator sees them as locked and can unlock.
 */
export async function pausedUsernames(
  ex: Executor,
  usernames: string[],
  minFailures: number,
  windowStart: Date,
): Promise<Set<string>> {
  if (!usernames.length) return new Set();
  const found = await ex
    .selectDistinct({ username: loginFailures.username })
    .from(loginFailures)
    .where(
      and(
        sql`${loginFailures.username} = ANY(${sql.param(usernames)}::text[])`,
        sql`${loginFailures.failures} >= ${minFailures}`,
        sql`${loginFailures.lastAt} > ${windowStart.toISOString()}::timestamptz`,
      ),
    );
  return new Set(found.map((r) => r.username));
}

/** A successful sign-in from a source forgets that source's wrong passwords. */
export async function clearLoginFailuresFrom(ex: Executor, username: string, source: string) {
  await ex
    .delete(loginFailures)
    .where(and(eq(loginFailures.username, username), eq(loginFailures.source, source)));
}

/** An unlock by an administrator forgets every wrong password of the account. */
export async function clearLoginFailures(ex: Executor, username: string) {
  await ex.delete(loginFailures).where(eq(loginFailures.username, username.toLowerCase()));
}

/** Rows of windows long gone (kept small: one indexed range delete). */
export async function pruneLoginFailures(ex: Executor, before: Date) {
  await ex.delete(loginFailures).where(sql`${loginFailures.lastAt} < ${before.toISOString()}::timestamptz`);
}

export async function lockUser(ex: Executor, id: number, until: Date) {
  await ex.update(users).set({ lockedUntil: until }).where(eq(users.id, id));
}

export async function recordLogin(ex: Executor, id: number, at: Date) {
  await ex.update(users).set({ failedLogins: 0, lockedUntil: null, lastLoginAt: at }).where(eq(users.id, id));
}

export async function insertSession(ex: Executor, s: typeof sessions.$inferInsert) {
  await ex.insert(sessions).values(s);
}

export async function deleteSession(ex: Executor, tokenHash: string) {
  await ex.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

export async function deleteUserSessions(ex: Executor, userId: number) {
  await ex.delete(sessions).where(eq(sessions.userId, userId));
}

export async function extendSession(ex: Executor, tokenHash: string, expiresAt: Date) {
  await ex.update(sessions).set({ expiresAt }).where(eq(sessions.tokenHash, tokenHash));
}

export interface SessionUser {
  id: number;
  username: string;
  display_name: string;
  role: string;
  carer_kind: string | null;
  csrf_token: string;
  expires_at: string;
  scopes: ScopeNode[] | null;
}

/** The user behind a session token with their scope nodes: one indexed query per request. */
export async function findSessionUser(
  ex: Executor,
  tokenHash: string,
  now: Date,
): Promise<SessionUser | undefined> {
  const [row] = await rows<SessionUser>(
    ex,
    sql`SELECT u.id, u.username, u.display_name, u.role, u.carer_kind, s.csrf_token, s.expires_at,
          (SELECT json_agg(json_build_object('id', o.id, 'name', o.name, 'kind', o.kind, 'path', o.path) ORDER BY o.path)
             FROM user_scopes us JOIN ${orgRows} o ON o.id = us.org_id WHERE us.user_id = u.id) AS scopes -- joins orgs via orgs.orgRows
        FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = ${tokenHash} AND s.expires_at > ${now.toISOString()}::timestamptz AND u.active`,
  );
  return row;
}

export async function setScopes(ex: Executor, userId: number, orgIds: number[]) {
  await ex.delete(userScopes).where(eq(userScopes.userId, userId));
  if (orgIds.length) await ex.insert(userScopes).values(orgIds.map((orgId) => ({ userId, orgId })));
}

export async function insertUser(ex: Executor, u: typeof users.$inferInsert): Promise<UserRow> {
  const [row] = await ex.insert(users).values(u).returning();
  return row;
}

export async function updateUser(ex: Executor, id: number, patch: Partial<typeof users.$inferInsert>) {
  const [row] = await ex
    .update(users)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(users.id, id))
    .returning();
  return row;
}

/**
 * Accounts whose every scope node lies inside the caller's scope (`visible` is built by the
 * scope helper over the org path); an account with no scope is visible to nobody but itself.
 */
export async function listUsers(
  ex: Executor,
  f: { visible: SQL; q?: string; role?: string; limit: number; offset: number },
) {
  const where = and(
    sql`EXISTS (SELECT 1 FROM ${userScopes} JOIN ${orgRows} o ON o.id = ${userScopes.orgId} -- joins orgs via orgs.orgRows
                 WHERE ${userScopes.userId} = ${users.id} AND ${f.visible})`,
    f.q ? or(ilike(users.username, `%${f.q}%`), ilike(users.displayName, `%${f.q}%`)) : undefined,
    f.role ? eq(users.role, f.role) : undefined,
  );
  const [items, [{ total }]] = await Promise.all([
    ex
      .select()
      .from(users)
      .where(where)
      .orderBy(asc(users.role), asc(users.username))
      .limit(f.limit)
      .offset(f.offset),
    ex.select({ total: count() }).from(users).where(where),
  ]);
  return { items, total };
}

export async function scopesOfUsers(ex: Executor, userIds: number[]) {
  if (userIds.length === 0) return [];
  return rows<{ userId: number; id: number; name: string; path: string }>(
    ex,
    sql`SELECT us.user_id AS "userId", o.id, o.name, o.path
      FROM user_scopes us JOIN ${orgRows} o ON o.id = us.org_id -- joins orgs via orgs.orgRows
      WHERE us.user_id = ANY(${sql.param(userIds)}::bigint[]) ORDER BY o.path`,
  );
}

export async function insertUsers(ex: Executor, us: (typeof users.$inferInsert)[]): Promise<UserRow[]> {
  if (us.length === 0) return [];
  return ex.insert(users).values(us).returning();
}

export async function insertScopes(ex: Executor, rs: { userId: number; orgId: number }[]) {
  if (rs.length) await ex.insert(userScopes).values(rs);
}

export async function countUsers(ex: Executor): Promise<number> {
  const [r] = await ex.select({ n: count() }).from(users);
  return r.n;
}
