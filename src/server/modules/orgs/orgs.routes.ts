import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { okResponse } from '../../../shared/auth.ts';
import {
  createOrgBody,
  idParams,
  orgListQuery,
  orgListResponse,
  orgSchema,
  updateOrgBody,
} from '../../../shared/orgs.ts';
import { ctxOf } from '../../platform/auth.ts';
import { createOrg, deleteOrg, listNamedOrgsInScope, updateOrg } from './orgs.service.ts';

export const orgsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.deps;
  const tags = ['orgs 组织'];

  app.get(
    '/orgs',
    {
      schema: {
        tags,
        summary: '组织树（管辖范围内）',
        querystring: orgListQuery,
        response: { 200: orgListResponse },
      },
    },
    async (req) => ({ items: (await listNamedOrgsInScope(db, ctxOf(req), req.query.tree)) as never }),
  );

  app.post(
    '/orgs',
    { schema: { tags, summary: '新建组织节点', body: createOrgBody, response: { 201: orgSchema } } },
    async (req, reply) => reply.code(201).send((await createOrg(db, ctxOf(req), req.body)) as never),
  );

  app.patch(
    '/orgs/:id',
    {
      schema: {
        tags,
        summary: '修改组织节点',
        params: idParams,
        body: updateOrgBody,
        response: { 200: orgSchema },
      },
    },
    async (req) => (await updateOrg(db, ctxOf(req), req.params.id, req.body)) as never,
  );

  app.delete(
    '/orgs/:id',
    {
      schema: {
        tags,
        summary: '删除组织节点（无下级、无引用时）',
        params: idParams,
        response: { 200: okResponse },
      },
    },
    async (req) => {
      await deleteOrg(db, ctxOf(req), req.params.id);
      return { ok: true as const };
    },
  );
};
