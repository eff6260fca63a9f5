import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  accountListQuery,
  accountListResponse,
  accountRevealBody,
  accountRevealResponse,
  accountSchema,
  changeOwnPasswordBody,
  createAccountBody,
  updateAccountBody,
} from '../../../shared/accounts.ts';
import { loginBody, meResponse, okResponse } from '../../../shared/auth.ts';
import { idParams } from '../../../shared/orgs.ts';
import { CSRF_COOKIE, ctxOf, SESSION_COOKIE } from '../../platform/auth.ts';
import {
  changeOwnPassword,
  createAccount,
  listAccounts,
  revealAccountPhone,
  updateAccount,
} from './accounts.service.ts';
import { login, logout, namedScopes, SESSION_HOURS } from './auth.service.ts';

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;
  const tags = ['auth 登录'];
  const cookie = {
    path: '/',
    sameSite: 'lax' as const,
    secure: deps.config.cookieSecure,
    maxAge: SESSION_HOURS * 3600,
  };

  app.post(
    '/auth/login',
    {
      schema: {
        tags,
        summary: '登录',
        body: loginBody,
        response: { 200: meResponse.pick({ csrfToken: true }) },
      },
      config: {
        csrf: false,
        rateLimit: { max: deps.config.loginRateLimitPerMinute, timeWindow: '1 minute' },
      },
    },
    async (req, reply) => {
      const s = await login(deps, { ...req.body, ip: req.ip, userAgent: req.headers['user-agent'] });
      reply.setCookie(SESSION_COOKIE, s.token, { ...cookie, httpOnly: true });
      reply.setCookie(CSRF_COOKIE, s.csrfToken, { ...cookie, httpOnly: false });
      return { csrfToken: s.csrfToken };
    },
  );

  app.post(
    '/auth/logout',
    { schema: { tags, summary: '退出登录', response: { 200: okResponse } } },
    async (req, reply) => {
      const ctx = ctxOf(req);
      await logout(deps, ctx.auth, ctx.ip);
      reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  app.post(
    '/me/password',
    {
      schema: {
        tags,
        summary: '修改自己的密码（之后需重新登录）',
        body: changeOwnPasswordBody,
        response: { 200: okResponse },
      },
    },
    async (req, reply) => {
      const out = await changeOwnPassword(deps, ctxOf(req), req.body);
      reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
      return out;
    },
  );

  app.get(
    '/me',
    { schema: { tags, summary: '当前用户、角色与管辖范围', response: { 200: meResponse } } },
    async (req) => {
      const { auth } = ctxOf(req);
      return {
        user: {
          id: auth.userId,
          username: auth.username,
          displayName: auth.displayName,
          role: auth.role,
          carerKind: auth.carerKind,
        },
        role: auth.role,
        scopes: await namedScopes(deps.db, auth),
        csrfToken: auth.csrfToken,
      };
    },
  );
};

export const accountsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;
  const tags = ['accounts 账号'];

  app.get(
    '/accounts',
    {
      schema: {
        tags,
        summary: '账号列表（管辖范围内）',
        querystring: accountListQuery,
        response: { 200: accountListResponse },
      },
    },
    async (req) => listAccounts(deps, ctxOf(req), req.query),
  );

  app.post(
    '/accounts',
    {
      schema: {
        tags,
        summary: '新建账号（协调员：仅志愿者）',
        body: createAccountBody,
        response: { 201: accountSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await createAccount(deps, ctxOf(req), req.body)),
  );

  app.patch(
    '/accounts/:id',
    {
      schema: {
        tags,
        summary: '修改账号（角色、范围、停用、解锁、重置密码）',
        params: idParams,
        body: updateAccountBody,
        response: { 200: accountSchema },
      },
    },
    async (req) => updateAccount(deps, ctxOf(req), req.params.id, req.body),
  );

  app.post(
    '/accounts/:id/reveal',
    {
      schema: {
        tags,
        summary: '查看工作人员手机号（记审计，需填写原因）',
        params: idParams,
        body: accountRevealBody,
        response: { 200: accountRevealResponse },
      },
    },
    async (req) => revealAccountPhone(deps, ctxOf(req), req.params.id, req.body),
  );
};
