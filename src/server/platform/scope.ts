import { type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { AppError } from './app-error.ts';
import type { AuthContext } from './auth.ts';

/**
 * The one scope rule every module uses: a row is visible when its org path lies under one of the
 * caller's scope nodes. One indexed prefix match per scope node (text_pattern_ops index on the path).
 */
export function inScope(auth: AuthContext, pathColumn: AnyPgColumn | SQL): SQL {
  if (auth.scopes.length === 0) return sql`false`;
  const parts = auth.scopes.map((s) => sql`${pathColumn} LIKE ${`${escapeLike(s.path)}%`}`);
  return sql`(${sql.join(parts, sql` OR `)})`;
}

/** True when an org path is inside the caller's scope. */
export function pathInScope(auth: AuthContext, path: string): boolean {
  return auth.scopes.some((s) => path.startsWith(s.path));
}

/** Throws 404 (not 403: out-of-scope records do not exist for the caller). */
export function assertPathInScope(auth: AuthContext, path: string | null | undefined): void {
  if (!path || !pathInScope(auth, path)) throw new AppError('NOT_FOUND');
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
