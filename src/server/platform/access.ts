import type { Role } from '../../shared/auth.ts';
import { AppError } from './app-error.ts';
import type { Ctx } from './auth.ts';

/** Services check access first: the role, then (in the query) the scope. */
export function ctxRequire(ctx: Ctx, allowed: readonly Role[]): void {
  if (!allowed.includes(ctx.auth.role)) throw new AppError('FORBIDDEN');
}

/**
 * City-wide configuration (escalation ladders, duty templates and policy rules, holidays, re-plan)
 * is for an administrator whose scope holds a whole geo tree — a city, the root of the tree. An
 * administrator of a district or street acts within their nodes only (decision 0013): 403 here.
 */
export function requireCityAdmin(ctx: Ctx): void {
  ctxRequire(ctx, ['admin']);
  if (!isCityAdmin(ctx)) {
    throw new AppError('FORBIDDEN', {
      zh: '全市配置（呼叫梯队、职责模板与规则、节假日、重新排班）须由管辖全市的管理员修改',
      en: 'City-wide settings are changed by an administrator whose scope is the whole city',
    });
  }
}

/** An administrator holding the root of the geo tree (a city node). */
export function isCityAdmin(ctx: Ctx): boolean {
  return ctx.auth.role === 'admin' && ctx.auth.scopes.some((s) => s.kind === 'city');
}
