import { describe, expect, it } from 'vitest';
import type { Role } from '../../shared/auth.ts';
import { hasAccess, requireAccess } from './access.ts';
import { AppError } from './app-error.ts';
import type { Ctx } from './auth.ts';

const ctxOf = (role: Role, kind: string): Ctx =>
  ({
    auth: { userId: 1, role, scopes: [{ id: 1, name: '节点', kind, path: '/1/' }] },
    ip: '127.0.0.1',
    lang: 'zh',
  }) as unknown as Ctx;

function refusal(fn: () => void): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('not refused');
}

describe('requireAccess', () => {
  it('passes a role that holds the permission and refuses one that does not with FORBIDDEN (403)', () => {
    expect(() => requireAccess(ctxOf('coordinator', 'street'), 'elders.write')).not.toThrow();
    const err = refusal(() => requireAccess(ctxOf('dispatcher', 'street'), 'elders.write'));
    expect(err.code).toBe('FORBIDDEN');
    expect(err.status).toBe(403);
  });

  it('tells a district administrator why city-wide settings are refused', () => {
    expect(() => requireAccess(ctxOf('admin', 'city'), 'config.city')).not.toThrow();
    const err = refusal(() => requireAccess(ctxOf('admin', 'district'), 'config.city'));
    expect(err.code).toBe('FORBIDDEN');
    expect(err.text?.zh).toContain('管辖全市的管理员');
    // other roles hear the plain refusal
    const plain = refusal(() => requireAccess(ctxOf('manager', 'city'), 'config.city'));
    expect(plain.code).toBe('FORBIDDEN');
    expect(plain.text).toBeUndefined();
  });

  it('hasAccess answers the same rule without throwing', () => {
    expect(hasAccess(ctxOf('admin', 'city'), 'audit.readAll')).toBe(true);
    expect(hasAccess(ctxOf('admin', 'street'), 'audit.readAll')).toBe(false);
    expect(hasAccess(ctxOf('doctor', 'street'), 'health.write')).toBe(true);
  });
});
