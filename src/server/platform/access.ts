import type { Role } from '../../shared/auth.ts';
import { AppError } from './app-error.ts';
import type { Ctx } from './auth.ts';

/** Services check access first: the role, then (in the query) the scope. */
export function ctxRequire(ctx: Ctx, allowed: readonly Role[]): void {
  if (!allowed.includes(ctx.auth.role)) throw new AppError('FORBIDDEN');
}
