import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditListQuery, auditListResponse } from '../../../shared/audit.ts';
import { ctxOf } from '../../platform/auth.ts';
import { searchAudit } from './audit.service.ts';

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/audit',
    {
      schema: {
        tags: ['audit 审计'],
        summary: '审计日志（管理员全部；主管限管辖范围）',
        querystring: auditListQuery,
        response: { 200: auditListResponse },
      },
    },
    async (req) => searchAudit(app.deps.db, ctxOf(req), req.query),
  );
};
