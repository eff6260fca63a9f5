import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  createJsonSchemaTransformObject,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import pino from 'pino';
import { z } from 'zod';
import { accountsRoutes, authRoutes } from './modules/accounts/accounts.routes.ts';
import { resolveSession } from './modules/accounts/auth.service.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { careRoutes } from './modules/care/care.routes.ts';
import { devicesRoutes } from './modules/devices/devices.routes.ts';
import { eldersRoutes } from './modules/elders/elders.routes.ts';
import { eldersHealthRoutes } from './modules/elders/health.routes.ts';
import { eldersImportRoutes } from './modules/elders/import/import.routes.ts';
import { incidentsRoutes } from './modules/incidents/incidents.routes.ts';
import { catalogueRoutes } from './modules/orders/catalogue.routes.ts';
import { providersRoutes } from './modules/orders/providers.routes.ts';
import { orgsRoutes } from './modules/orgs/orgs.routes.ts';
import { referralsRoutes } from './modules/referrals/referrals.routes.ts';
import { reportsRoutes } from './modules/reports/reports.routes.ts';
import { AppError } from './platform/app-error.ts';
import { checkCsrf, langOf, SESSION_COOKIE } from './platform/auth.ts';
import type { Clock } from './platform/clock.ts';
import type { Config } from './platform/config.ts';
import { rejectControlCharacters } from './platform/control-chars.ts';
import type { Database, Db } from './platform/db.ts';
import { loggableError } from './platform/db-errors.ts';
import { registerErrorHandler } from './platform/errors-handler.ts';
import { docsCsp, docsGate, registerSecurityHeaders } from './platform/security-headers.ts';
import { registerWebApp } from './web-serve.ts';
import { wire } from './wiring.ts';

export const VERSION = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
  .version as string;

export interface AppDeps {
  database: Database;
  db: Db;
  config: Config;
  clock: Clock;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
}

function serializeError(err: Error) {
  const safe = loggableError(err);
  return (safe === err ? pino.stdSerializers.err(err) : safe) as ReturnType<typeof pino.stdSerializers.err>;
}

export const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');

export async function buildApp(
  deps: Omit<AppDeps, 'db'>,
  opts: { logger?: boolean | object; serveWeb?: boolean } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    // a failed statement is logged without its parameters (db-errors.ts), whoever logs it
    logger:
      opts.logger && typeof opts.logger === 'object'
        ? {
            ...opts.logger,
            serializers: { err: serializeError, ...(opts.logger as { serializers?: object }).serializers },
          }
        : (opts.logger ?? false),
    // X-Forwarded-For only from the configured proxies (TRUST_PROXY): believed from anyone, it let a
    // client pick its own address for the login limit and the audit log
    trustProxy:
      typeof deps.config.trustProxy === 'number'
        ? (
            (hops: number) => (_addr: string, hop: number) =>
              hop < hops
          )(deps.config.trustProxy)
        : deps.config.trustProxy,
    bodyLimit: 2 * 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.decorate('deps', { ...deps, db: deps.database.db });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);

  await registerSecurityHeaders(app, deps.config);
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) =>
      new AppError('RATE_LIMITED', undefined, { retryAfterSeconds: Math.ceil(ctx.ttl / 1000) }),
  });
  app.decorateRequest('auth', null);
  app.decorateRequest('lang', 'zh');
  app.addHook('onRequest', async (req) => {
    req.lang = langOf(req);
    const token = req.cookies[SESSION_COOKIE];
    if (token && req.url.startsWith('/api/')) req.auth = await resolveSession(app.deps, token);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'CareCircle 关爱圈 API', version: VERSION },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
        },
      },
      security: [{ session: [], csrf: [] }],
    },
    transform: jsonSchemaTransform,
    // schemas with an id in zod's global registry (the recursive ones) become components/schemas,
    // written for OpenAPI 3.0 like the routes' own (the library's default here is JSON Schema 2020-12)
    transformObject: createJsonSchemaTransformObject({ zodToJsonConfig: { target: 'openapi-3.0' } }),
  });
  const docs = docsGate(deps.config);
  if (deps.config.apiDocs !== 'off') {
    await app.register(swaggerUi, {
      routePrefix: '/api/docs',
      staticCSP: docsCsp,
      uiHooks: { onRequest: docs },
    });
  }

  // every job, cross-module subscription and the push hub: wiring.ts, listed by hand
  await wire(app);

  app.addHook('preHandler', async (req, reply) => checkCsrf(req, reply));
  app.addHook('preValidation', rejectControlCharacters);

  await app.register(
    async (api) => {
      api.get(
        '/health',
        {
          schema: {
            tags: ['platform 平台'],
            summary: '健康检查',
            response: {
              200: z.object({
                status: z.literal('ok'),
                db: z.enum(['pglite', 'postgres']),
                version: z.string(),
              }),
            },
          },
        },
        async () => {
          await deps.database.query('SELECT 1');
          return { status: 'ok' as const, db: deps.database.kind, version: VERSION };
        },
      );
      if (deps.config.apiDocs !== 'off') {
        api.get('/openapi.json', { schema: { hide: true }, onRequest: docs }, async () => app.swagger());
      }
      await api.register(authRoutes);
      await api.register(orgsRoutes);
      await api.register(accountsRoutes);
      await api.register(auditRoutes);
      await api.register(eldersRoutes);
      await api.register(eldersHealthRoutes);
      await api.register(eldersImportRoutes);
      await api.register(incidentsRoutes);
      await api.register(devicesRoutes);
      await api.register(careRoutes);
      await api.register(referralsRoutes);
      await api.register(reportsRoutes);
      await api.register(catalogueRoutes);
      await api.register(providersRoutes);
    },
    { prefix: '/api' },
  );

  if (opts.serveWeb) await registerWebApp(app, webDist);
  return app;
}
