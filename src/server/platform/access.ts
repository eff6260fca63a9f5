import { hasPermission, type Permission } from '../../shared/permissions.ts';
import { AppError } from './app-error.ts';
import type { Ctx } from './auth.ts';

export type { Permission } from '../../shared/permissions.ts';

/**
 * Services check access first: the permission here (roles from the one table in
 * src/shared/permissions.ts), then the scope in the query. 403 when the role lacks it.
 */
export function requireAccess(ctx: Ctx, permission: Permission): void {
  if (hasPermission(ctx.auth, permission)) return;
  if (permission === 'config.city' && ctx.auth.role === 'admin') {
    // a district's or street's administrator: say why (decision 0013)
    throw new AppError('FORBIDDEN', {
      zh: '全市配置（呼叫梯队、职责模板与规则、节假日、重新排班）须由管辖全市的管理员修改',
      en: 'City-wide settings are changed by an administrator whose scope is the whole city',
    });
  }
  throw new AppError('FORBIDDEN');
}

/** The same rule as a question, for what changes with it (a wider list, a masked field). */
export function hasAccess(ctx: Ctx, permission: Permission): boolean {
  return hasPermission(ctx.auth, permission);
}
