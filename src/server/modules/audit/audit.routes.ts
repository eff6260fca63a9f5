import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditFilterQuery, auditListQuery, auditListResponse } from '../../../shared/audit.ts';
import { ctxOf } from '../../platform/auth.ts';
import { exportAudit } from './audit.export.ts';
import { searchAudit } from './audit.read.ts';

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
  app.get(
    '/audit/export',
    {
      schema: {
        tags: ['audit 审计'],
        summary: '导出审计日志 .xlsx（与页面相同的筛选与句子）',
        querystring: auditFilterQuery,
        produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      },
    },
    async (req, reply) => {
      const { filename, buffer } = await exportAudit(app.deps.db, ctxOf(req), req.query);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'content-disposition',
          `attachment; filename="audit.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`,
        )
        .send(buffer);
    },
  );
};
