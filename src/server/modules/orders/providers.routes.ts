import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  createProviderBody,
  idParam,
  providerResponse,
  providerStaffBody,
  providersQuery,
  providersResponse,
  updateProviderBody,
} from '../../../shared/catalogue.ts';
import { ctxOf } from '../../platform/auth.ts';
import {
  createProvider,
  getProvider,
  listProviders,
  setProviderStaff,
  updateProvider,
} from './providers.service.ts';

/**
 * 加盟服务商 under /api/providers: staff see the providers serving their area, a provider account
 * its own; an admin changes those whose every area lies in the admin's scope.
 */
export const providersRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;
  const tags = ['orders 服务工单'];

  app.get(
    '/providers',
    {
      schema: {
        tags,
        summary: '服务商与志愿团队（服务区域与管辖范围相交者；服务商账号只见本单位）',
        querystring: providersQuery,
        response: { 200: providersResponse },
      },
    },
    async (req) => listProviders(deps, ctxOf(req), req.query),
  );
  app.get(
    '/providers/:id',
    { schema: { tags, summary: '服务商详情', params: idParam, response: { 200: providerResponse } } },
    async (req) => getProvider(deps, ctxOf(req), req.params.id),
  );
  app.post(
    '/providers',
    {
      schema: {
        tags,
        summary: '登记服务商（管理员；服务区域须在管辖范围内）',
        body: createProviderBody,
        response: { 200: providerResponse },
      },
    },
    async (req) => createProvider(deps, ctxOf(req), req.body),
  );
  app.patch(
    '/providers/:id',
    {
      schema: {
        tags,
        summary: '修改服务商（服务区域须全部在管辖范围内）',
        params: idParam,
        body: updateProviderBody,
        response: { 200: providerResponse },
      },
    },
    async (req) => updateProvider(deps, ctxOf(req), req.params.id, req.body),
  );
  app.put(
    '/providers/:id/staff',
    {
      schema: {
        tags,
        summary: '设置服务商的工作人员账号（服务商角色，替换原列表）',
        params: idParam,
        body: providerStaffBody,
        response: { 200: providerResponse },
      },
    },
    async (req) => setProviderStaff(deps, ctxOf(req), req.params.id, req.body),
  );
};
