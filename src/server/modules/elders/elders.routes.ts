import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { okResponse } from '../../../shared/auth.ts';
import {
  circleContactSchema,
  circleResponse,
  completenessQuery,
  completenessResponse,
  contactParams,
  createCircleContactBody,
  createElderBody,
  elderListQuery,
  elderListResponse,
  elderSchema,
  idParams,
  reorderCircleBody,
  revealBody,
  revealResponse,
  updateCircleContactBody,
  updateElderBody,
} from '../../../shared/elders.ts';
import { ctxOf } from '../../platform/auth.ts';
import {
  addCircleContact,
  deleteCircleContact,
  getCircle,
  reorderCircle,
  updateCircleContact,
} from './circle.service.ts';
import {
  completenessStats,
  createElder,
  getElderDetail,
  listElders,
  revealElderField,
  updateElder,
} from './elders.service.ts';

export const eldersRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;
  const tags = ['elders 服务对象'];

  app.get(
    '/elders',
    {
      schema: {
        tags,
        summary: '服务对象列表（筛选、搜索、游标分页；证件号和电话已脱敏）',
        querystring: elderListQuery,
        response: { 200: elderListResponse },
      },
    },
    async (req) => listElders(deps, ctxOf(req), req.query),
  );

  app.post(
    '/elders',
    { schema: { tags, summary: '登记服务对象', body: createElderBody, response: { 201: elderSchema } } },
    async (req, reply) => reply.code(201).send(await createElder(deps, ctxOf(req), req.body)),
  );

  app.get(
    '/elders/stats/completeness',
    {
      schema: {
        tags,
        summary: '档案完整率（按下级组织：健康档案、家庭医生签约、协议签署）',
        querystring: completenessQuery,
        response: { 200: completenessResponse },
      },
    },
    async (req) => completenessStats(deps, ctxOf(req), req.query.orgId),
  );

  app.get(
    '/elders/:id',
    { schema: { tags, summary: '服务对象档案', params: idParams, response: { 200: elderSchema } } },
    async (req) => getElderDetail(deps, ctxOf(req), req.params.id),
  );

  app.patch(
    '/elders/:id',
    {
      schema: {
        tags,
        summary: '修改服务对象档案（含状态变更）',
        params: idParams,
        body: updateElderBody,
        response: { 200: elderSchema },
      },
    },
    async (req) => updateElder(deps, ctxOf(req), req.params.id, req.body),
  );

  app.post(
    '/elders/:id/reveal',
    {
      schema: {
        tags,
        summary: '查看脱敏字段明文（须填写原因，记入审计日志）',
        params: idParams,
        body: revealBody,
        response: { 200: revealResponse },
      },
    },
    async (req) => revealElderField(deps, ctxOf(req), req.params.id, req.body),
  );

  app.get(
    '/elders/:id/circle',
    {
      schema: { tags, summary: '关爱圈（按呼叫顺序）', params: idParams, response: { 200: circleResponse } },
    },
    async (req) => getCircle(deps, ctxOf(req), req.params.id),
  );

  app.post(
    '/elders/:id/circle',
    {
      schema: {
        tags,
        summary: '添加关爱圈联系人',
        params: idParams,
        body: createCircleContactBody,
        response: { 201: circleContactSchema },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await addCircleContact(deps, ctxOf(req), req.params.id, req.body)),
  );

  app.post(
    '/elders/:id/circle/reorder',
    {
      schema: {
        tags,
        summary: '调整关爱圈呼叫顺序',
        params: idParams,
        body: reorderCircleBody,
        response: { 200: circleResponse },
      },
    },
    async (req) => reorderCircle(deps, ctxOf(req), req.params.id, req.body),
  );

  app.patch(
    '/elders/:id/circle/:contactId',
    {
      schema: {
        tags,
        summary: '修改关爱圈联系人',
        params: contactParams,
        body: updateCircleContactBody,
        response: { 200: circleContactSchema },
      },
    },
    async (req) => updateCircleContact(deps, ctxOf(req), req.params.id, req.params.contactId, req.body),
  );

  app.delete(
    '/elders/:id/circle/:contactId',
    { schema: { tags, summary: '删除关爱圈联系人', params: contactParams, response: { 200: okResponse } } },
    async (req) => {
      await deleteCircleContact(deps, ctxOf(req), req.params.id, req.params.contactId);
      return { ok: true as const };
    },
  );
};
