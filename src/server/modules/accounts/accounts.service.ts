import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  accountListQuery,
  accountRevealBody,
  changeOwnPasswordBody,
  createAccountBody,
  updateAccountBody,
} from '../../../shared/accounts.ts';
import { maskPhone } from '../../../shared/id-number.ts';
import { requireAccess } from '../../platform/access.ts';
import { AppError } from '../../platform/app-error.ts';
import { type Ctx, sessionCache } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import { type Db, type Executor, rows, withTx } from '../../platform/db.ts';
import { inScope, pathInScope } from '../../platform/scope.ts';
import { changesOf, recordAudit } from '../audit/audit.service.ts';
import { orgRows } from '../orgs/orgs.rows.ts';
import { getOrgsByIds, orgDisplayNames } from '../orgs/orgs.service.ts';
import * as repo from './accounts.repo.ts';
import { LOCK_MINUTES, SOURCE_MAX_FAILURES } from './auth.service.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

export { communityWorkersMany, type StaffMember, staffCovering, staffCoveringPaths } from './staff.repo.ts';

interface Deps {
  db: Db;
  clock: Clock;
}

export async function listAccounts(deps: Deps, ctx: Ctx, q: z.infer<typeof accountListQuery>) {
  requireAccess(ctx, 'accounts.read');
  const { items, total } = await repo.listUsers(deps.db, {
    visible: inScope(ctx.auth, sql.raw('o.path')),
    q: q.q,
    role: q.role,
    limit: q.limit,
    offset: q.offset,
  });
  return { items: await present(deps, items), total };
}

async function present(deps: Deps, items: repo.UserRow[]) {
  const scopes = await repo.scopesOfUsers(
    deps.db,
    items.map((u) => u.id),
  );
  const names = await orgDisplayNames(
    deps.db,
    scopes.map((s) => s.id),
  );
  const now = deps.clock.now();
  // a sign-in paused from one address is a lock to the person who cannot get in (see auth.service)
  const paused = await repo.pausedUsernames(
    deps.db,
    items.map((u) => u.username),
    SOURCE_MAX_FAILURES,
    new Date(now.getTime() - LOCK_MINUTES * 60_000),
  );
  return items.map((u) => ({
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role as never,
    carerKind: u.carerKind,
    // masked like an elder's (138****5678); the number in clear only through the audited reveal
    phone: u.phone ? maskPhone(u.phone) : null,
    active: u.active,
    locked: (!!u.lockedUntil && u.lockedUntil > now) || paused.has(u.username),
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    scopes: scopes
      .filter((s) => s.userId === u.id)
      .map((s) => ({ id: s.id, name: names.get(s.id) ?? s.name })),
  }));
}

async function checkScopeIds(db: Db, ctx: Ctx, ids: number[]) {
  const found = await getOrgsByIds(db, ids);
  const bad = ids.filter((id) => !found.some((o) => o.id === id && pathInScope(ctx.auth, o.path)));
  if (bad.length) {
    // a node outside the caller's scope answers as an unknown one (404), naming the field (issue 16.4)
    throw new AppError('NOT_FOUND', { zh: '找不到该组织节点', en: 'No such org node' }, [
      {
        field: 'scopeOrgIds',
        message: `管辖范围中有不存在或不在您管辖范围内的节点：${bad.join('、')}`,
        messageEn: `Scope nodes not found within your scope: ${bad.join(', ')}`,
      },
    ]);
  }
}

/** Coordinators add volunteers (role carer, kind volunteer) within their own scope, nothing else. */
function requireMayCreate(ctx: Ctx, body: z.infer<typeof createAccountBody>) {
  requireAccess(ctx, 'accounts.create');
  if (ctx.auth.role === 'coordinator' && !(body.role === 'carer' && body.carerKind === 'volunteer')) {
    throw new AppError('FORBIDDEN', {
      zh: '协调员只能新增志愿者账号',
      en: 'A coordinator may only add volunteer accounts',
    });
  }
}

export async function createAccount(deps: Deps, ctx: Ctx, body: z.infer<typeof createAccountBody>) {
  requireMayCreate(ctx, body);
  await checkScopeIds(deps.db, ctx, body.scopeOrgIds);
  const passwordHash = await hashPassword(body.password);
  return withTx(deps.db, async (tx) => {
    if (await repo.findUserByUsername(tx, body.username)) {
      throw new AppError('DUPLICATE', { zh: '用户名已被占用', en: 'The username is taken' }, [
        { field: 'username', message: '用户名已被占用' },
      ]);
    }
    const user = await repo.insertUser(tx, {
      username: body.username.toLowerCase(),
      displayName: body.displayName,
      passwordHash,
      role: body.role,
      carerKind: body.carerKind ?? null,
      phone: body.phone ?? null,
    });
    await repo.setScopes(tx, user.id, body.scopeOrgIds);
    await recordAudit(tx, ctx, {
      action: 'account.create',
      entity: 'user',
      entityId: user.id,
      details: { username: user.username, role: user.role, scopeOrgIds: body.scopeOrgIds },
    });
    const [out] = await present({ ...deps, db: tx as unknown as Db }, [user]);
    return out;
  });
}

export async function updateAccount(
  deps: Deps,
  ctx: Ctx,
  id: number,
  body: z.infer<typeof updateAccountBody>,
) {
  requireAccess(ctx, 'accounts.write');
  const target = await visibleAccount(deps, ctx, id);
  await assertWholeAccountInScope(deps, ctx, id);
  if (body.scopeOrgIds) await checkScopeIds(deps.db, ctx, body.scopeOrgIds);
  if (id === ctx.auth.userId && (body.active === false || (body.role && body.role !== 'admin'))) {
    throw new AppError('UNPROCESSABLE', {
      zh: '不能停用自己的账号或取消自己的管理员角色',
      en: 'You cannot deactivate your own account or drop your own admin role',
    });
  }
  const passwordHash = body.password ? await hashPassword(body.password) : undefined;
  const out = await withTx(deps.db, async (tx) => {
    const user = await repo.updateUser(tx, id, {
      displayName: body.displayName,
      role: body.role,
      carerKind: body.carerKind,
      phone: body.phone,
      active: body.active,
      passwordHash,
      ...(body.unlock ? { lockedUntil: null, failedLogins: 0 } : {}),
    });
    if (body.unlock && user) await repo.clearLoginFailures(tx, user.username);
    if (body.scopeOrgIds) await repo.setScopes(tx, id, body.scopeOrgIds);
    // a changed password, role, scope or a deactivation ends the account's open sessions
    if (passwordHash || body.role || body.scopeOrgIds || body.active === false) {
      await repo.deleteUserSessions(tx, id);
    }
    const { password: _omit, ...logged } = body;
    await recordAudit(tx, ctx, {
      action: body.unlock ? 'account.unlock' : 'account.update',
      entity: 'user',
      entityId: id,
      details: {
        username: target.username,
        ...logged,
        passwordChanged: !!passwordHash,
        changes: changesOf(target, user ?? target, ['displayName', 'role', 'carerKind', 'phone', 'active']),
      },
    });
    const [view] = await present({ ...deps, db: tx as unknown as Db }, [user]);
    return view;
  });
  // after the commit: the next request of this account in this process reads the new state
  sessionCache.evictUser(id);
  return out;
}

/**
 * An account that also holds nodes outside the caller's scope (a carer of two streets) is changed by an
 * administrator above all of them: a street admin would otherwise reset the password of, re-scope or
 * deactivate someone another street relies on (decision 0013). 403 with a Chinese reason.
 */
async function assertWholeAccountInScope(deps: Deps, ctx: Ctx, id: number) {
  const scopes = await repo.scopesOfUsers(deps.db, [id]);
  if (scopes.some((s) => !pathInScope(ctx.auth, s.path))) {
    throw new AppError('FORBIDDEN', {
      zh: '该账号还在您管辖范围以外的节点任职，请由管辖其全部节点的上级管理员修改',
      en: 'This account also holds nodes outside your scope; an administrator above all of them changes it',
    });
  }
}

/** A staff member's phone in clear, for a caller who may list the account; audited with the reason. */
export async function revealAccountPhone(
  deps: Deps,
  ctx: Ctx,
  id: number,
  body: z.infer<typeof accountRevealBody>,
) {
  requireAccess(ctx, 'accounts.read');
  const target = await visibleAccount(deps, ctx, id);
  return withTx(deps.db, async (tx) => {
    await recordAudit(tx, ctx, {
      action: 'account.reveal',
      entity: 'user',
      entityId: id,
      reason: body.reason,
      details: { field: 'phone', username: target.username },
    });
    return { phone: target.phone };
  });
}

/**
 * Any signed-in person changes their own password: the current one is checked, the new one meets the
 * strength rule (schema), and every session of the account ends (sign in again with the new one).
 */
export async function changeOwnPassword(deps: Deps, ctx: Ctx, body: z.infer<typeof changeOwnPasswordBody>) {
  const user = await repo.getUser(deps.db, ctx.auth.userId);
  if (!user) throw new AppError('UNAUTHENTICATED');
  if (!(await verifyPassword(user.passwordHash, body.currentPassword))) {
    throw new AppError('VALIDATION_FAILED', undefined, [
      { field: 'currentPassword', message: '当前密码不正确', messageEn: 'The current password is wrong' },
    ]);
  }
  const passwordHash = await hashPassword(body.newPassword);
  await withTx(deps.db, async (tx) => {
    await repo.updateUser(tx, user.id, { passwordHash });
    await repo.deleteUserSessions(tx, user.id);
    await recordAudit(tx, ctx, {
      action: 'account.password',
      entity: 'user',
      entityId: user.id,
      details: { username: user.username, passwordChanged: true },
    });
  });
  sessionCache.evictUser(user.id);
  return { ok: true as const };
}

async function visibleAccount(deps: Deps, ctx: Ctx, id: number) {
  const user = await repo.getUser(deps.db, id);
  const scopes = user ? await repo.scopesOfUsers(deps.db, [id]) : [];
  if (!user || !scopes.some((s) => pathInScope(ctx.auth, s.path))) throw new AppError('NOT_FOUND');
  return user;
}

/** For `npm run admin` and the demo generator: no caller, no scope check. */
export async function createAccountAsSystem(
  db: Db,
  a: {
    username: string;
    displayName: string;
    password: string;
    role: string;
    carerKind?: string | null;
    phone?: string | null;
    scopeOrgIds: number[];
  },
) {
  const passwordHash = await hashPassword(a.password);
  return withTx(db, async (tx) => {
    const user = await repo.insertUser(tx, {
      username: a.username.toLowerCase(),
      displayName: a.displayName,
      passwordHash,
      role: a.role,
      carerKind: a.carerKind ?? null,
      phone: a.phone ?? null,
    });
    await repo.setScopes(tx, user.id, a.scopeOrgIds);
    await recordAudit(tx, null, {
      action: 'account.create',
      entity: 'user',
      entityId: user.id,
      details: { username: user.username, role: a.role },
    });
    return user;
  });
}

/** Bulk accounts for the generators: one password hash shared by all rows (demo only), set-based inserts. */
export async function createAccountsBulkAsSystem(
  db: Db,
  password: string,
  accounts: {
    username: string;
    displayName: string;
    role: string;
    carerKind?: string | null;
    phone?: string | null;
    scopeOrgIds: number[];
  }[],
) {
  const passwordHash = await hashPassword(password);
  return withTx(db, async (tx) => {
    const created: repo.UserRow[] = [];
    for (let i = 0; i < accounts.length; i += 1000) {
      const chunk = accounts.slice(i, i + 1000);
      const users = await repo.insertUsers(
        tx,
        chunk.map((a) => ({
          username: a.username.toLowerCase(),
          displayName: a.displayName,
          passwordHash,
          role: a.role,
          carerKind: a.carerKind ?? null,
          phone: a.phone ?? null,
        })),
      );
      const idOf = new Map(users.map((u) => [u.username, u.id]));
      await repo.insertScopes(
        tx,
        chunk.flatMap((a) =>
          a.scopeOrgIds.map((orgId) => ({ userId: idOf.get(a.username.toLowerCase())!, orgId })),
        ),
      );
      created.push(...users);
    }
    return created;
  });
}

export async function countAccounts(db: Db): Promise<number> {
  return repo.countUsers(db);
}

export async function unlockAsSystem(db: Db, username: string): Promise<boolean> {
  const user = await repo.findUserByUsername(db, username);
  if (!user) return false;
  await withTx(db, async (tx) => {
    await repo.updateUser(tx, user.id, { lockedUntil: null, failedLogins: 0 });
    await repo.clearLoginFailures(tx, user.username);
    await recordAudit(tx, null, { action: 'account.unlock', entity: 'user', entityId: user.id });
  });
  return true;
}

export async function resetPasswordAsSystem(db: Db, username: string, password: string): Promise<boolean> {
  const user = await repo.findUserByUsername(db, username);
  if (!user) return false;
  const passwordHash = await hashPassword(password);
  await withTx(db, async (tx) => {
    await repo.updateUser(tx, user.id, { passwordHash, lockedUntil: null, failedLogins: 0 });
    await repo.clearLoginFailures(tx, user.username);
    await repo.deleteUserSessions(tx, user.id);
    await recordAudit(tx, null, {
      action: 'account.update',
      entity: 'user',
      entityId: user.id,
      details: { passwordChanged: true },
    });
  });
  sessionCache.evictUser(user.id);
  return true;
}

/** Display names of accounts by id, for a reader that shows who a record is about (the audit log). */
export async function accountNamesOf(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const found = await rows<{ id: number; display_name: string }>(
    db,
    sql`SELECT id, display_name FROM users WHERE id = ANY(${sql.param(ids)}::bigint[])`,
  );
  return new Map(found.map((r) => [Number(r.id), r.display_name]));
}

/**
 * The `provider` role accounts among `ids` that the caller may see (every scope node of the account
 * lies inside the caller's scope), for the orders module linking staff to a provider. Active or not.
 */
export async function providerAccountsInScope(
  ex: Executor,
  ctx: Ctx,
  ids: number[],
): Promise<{ id: number; username: string; displayName: string; active: boolean }[]> {
  if (ids.length === 0) return [];
  const found = await rows<{ id: number; username: string; display_name: string; active: boolean }>(
    ex,
    sql`SELECT u.id, u.username, u.display_name, u.active FROM users u
        WHERE u.id = ANY(${sql.param(ids)}::bigint[]) AND u.role = 'provider'
          AND EXISTS (SELECT 1 FROM user_scopes s WHERE s.user_id = u.id)
          AND NOT EXISTS (
            SELECT 1 FROM user_scopes s JOIN ${orgRows} o ON o.id = s.org_id -- joins orgs via orgs.orgRows
            WHERE s.user_id = u.id AND NOT ${inScope(ctx.auth, sql.raw('o.path'))})`,
  );
  return found.map((r) => ({
    id: Number(r.id),
    username: r.username,
    displayName: r.display_name,
    active: r.active,
  }));
}

/** Names of accounts by id (username and display name), for a reader listing who works where. */
export async function accountLabelsOf(ex: Executor, ids: number[]) {
  if (ids.length === 0) return new Map<number, { username: string; displayName: string }>();
  const found = await rows<{ id: number; username: string; display_name: string }>(
    ex,
    sql`SELECT id, username, display_name FROM users WHERE id = ANY(${sql.param(ids)}::bigint[])`,
  );
  return new Map(found.map((r) => [Number(r.id), { username: r.username, displayName: r.display_name }]));
}
