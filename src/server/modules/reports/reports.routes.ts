import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { coverageQuery, coverageResponse } from '../../../shared/care.ts';
import { ctxOf } from '../../platform/auth.ts';
import { coverage } from './coverage.service.ts';

/**
 * The dashboards' reads. Registered in app.ts after the care routes; the paths and the OpenAPI tag stay
 * care's, as before the module was split off, so the web app calls what it called.
 */
export const reportsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;
  const tags = ['care 关爱'];

  app.get(
    '/coverage',
    {
      schema: {
        tags,
        summary: '探访覆盖率与按时率（可逐级下钻）',
        querystring: coverageQuery,
        response: { 200: coverageResponse },
      },
    },
    async (req) => coverage(deps, ctxOf(req), req.query),
  );
};
