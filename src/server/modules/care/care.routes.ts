import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  alertsQuery,
  alertsResponse,
  calendarQuery,
  calendarResponse,
  circleToCallResponse,
  contactsQuery,
  contactsResponse,
  countResponse,
  createContactBody,
  createContactResponse,
  createRuleBody,
  deadlineBody,
  dutiesQuery,
  dutiesResponse,
  holidayOverrideBody,
  idParam,
  leaveBody,
  loadQuery,
  loadResponse,
  pairBody,
  pairingResult,
  pauseBody,
  policyResponse,
  reassignBody,
  replanResponse,
  resumeBody,
  unpairBody,
  updateRuleBody,
  updateTemplateBody,
  worklistResponse,
} from '../../../shared/care.ts';
import { ctxOf } from '../../platform/auth.ts';
import { sendRenderedJson } from '../../platform/rendered-json.ts';
import { circleToCall } from './call-circle.service.ts';
import * as care from './care.service.ts';
import { recordContact } from './contacts.service.ts';
import * as pairing from './pairing.service.ts';
import * as views from './views.service.ts';

const tags = ['care 关爱'];

export const careRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;

  app.get(
    '/worklist',
    {
      schema: {
        tags,
        summary: '我的任务（逾期、今日、即将到期，按优先级排序并说明原因）',
        response: { 200: worklistResponse },
      },
    },
    async (req, reply) => sendRenderedJson(reply, await views.worklist(deps, ctxOf(req))),
  );
  app.get(
    '/worklist/:id/circle',
    {
      schema: {
        tags,
        summary: '联系关爱圈：未接通或有异常时，按呼叫顺序列出老人的关爱圈及电话（记入审计）',
        params: idParam,
        response: { 200: circleToCallResponse },
      },
    },
    async (req) => circleToCall(deps, ctxOf(req), req.params.id),
  );
  app.get(
    '/duties',
    {
      schema: {
        tags,
        summary: '关爱职责（按范围筛选）',
        querystring: dutiesQuery,
        response: { 200: dutiesResponse },
      },
    },
    async (req) => care.listDuties(deps, ctxOf(req), req.query),
  );
  app.post(
    '/duties/pause',
    {
      schema: {
        tags,
        summary: '暂停老人的关爱职责（住院、外出），到期自动恢复',
        body: pauseBody,
        response: { 200: countResponse },
      },
    },
    async (req) => views.pause(deps, ctxOf(req), req.body),
  );
  app.post(
    '/duties/resume',
    {
      schema: { tags, summary: '提前恢复老人的关爱职责', body: resumeBody, response: { 200: countResponse } },
    },
    async (req) => views.resume(deps, ctxOf(req), req.body.elderId),
  );
  app.post(
    '/duties/deadline',
    {
      schema: {
        tags,
        summary: '设置老人每日报平安截止时间（默认20:00）',
        body: deadlineBody,
        response: { 200: countResponse },
      },
    },
    async (req) => views.setDeadline(deps, ctxOf(req), req.body.elderId, req.body.time),
  );

  app.post(
    '/contacts',
    {
      schema: {
        tags,
        summary: '记录一次联系/走访（请求头 Idempotency-Key：同一键只保存一条）',
        headers: z.object({ 'idempotency-key': z.string().optional() }).passthrough(),
        body: createContactBody,
        response: { 200: createContactResponse },
      },
    },
    async (req) => recordContact(deps, ctxOf(req), req.headers['idempotency-key'], req.body),
  );
  app.get(
    '/contacts',
    {
      schema: {
        tags,
        summary: '联系台账（按老人、关爱人员、月份）',
        querystring: contactsQuery,
        response: { 200: contactsResponse },
      },
    },
    async (req) => views.listContacts(deps, ctxOf(req), req.query),
  );
  app.get(
    '/contacts/export',
    {
      schema: {
        tags,
        summary: '导出联系台账 .xlsx（台账格式）',
        querystring: contactsQuery,
        produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      },
    },
    async (req, reply) => {
      const { filename, buffer } = await views.exportContacts(deps, ctxOf(req), req.query);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'content-disposition',
          `attachment; filename="ledger.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`,
        )
        .send(buffer);
    },
  );

  app.get(
    '/care/calendar',
    {
      schema: {
        tags,
        summary: '生日、逢十祝寿、节日慰问日历',
        querystring: calendarQuery,
        response: { 200: calendarResponse },
      },
    },
    async (req) => views.calendar(deps, ctxOf(req), req.query),
  );
  app.get(
    '/care/alerts',
    {
      schema: {
        tags,
        summary: '失联预警（未按时报平安、多次未联系上）',
        querystring: alertsQuery,
        response: { 200: alertsResponse },
      },
    },
    async (req) => views.listAlerts(deps, ctxOf(req), req.query),
  );
  app.post(
    '/care/alerts/:id/ack',
    { schema: { tags, summary: '确认失联预警', params: idParam, response: { 200: countResponse } } },
    async (req) => views.acknowledgeAlert(deps, ctxOf(req), req.params.id),
  );

  app.post(
    '/pairings',
    {
      schema: {
        tags,
        summary: '结对：把老人（或整个网格）分给关爱人员',
        body: pairBody,
        response: { 200: pairingResult },
      },
    },
    async (req) => pairing.pair(deps, ctxOf(req), req.body),
  );
  app.post(
    '/pairings/remove',
    { schema: { tags, summary: '解除结对', body: unpairBody, response: { 200: pairingResult } } },
    async (req) => pairing.unpair(deps, ctxOf(req), req.body),
  );
  app.post(
    '/pairings/reassign',
    {
      schema: {
        tags,
        summary: '关爱人员离开：全部结对转给另一人',
        body: reassignBody,
        response: { 200: pairingResult },
      },
    },
    async (req) => pairing.reassign(deps, ctxOf(req), req.body),
  );
  app.post(
    '/pairings/leave',
    {
      schema: {
        tags,
        summary: '请假代班：期间由代班人负责',
        body: leaveBody,
        response: { 200: countResponse },
      },
    },
    async (req) => pairing.addLeave(deps, ctxOf(req), req.body),
  );
  app.get(
    '/pairings/load',
    {
      schema: {
        tags,
        summary: '关爱人员负荷与无人结对的老人',
        querystring: loadQuery,
        response: { 200: loadResponse },
      },
    },
    async (req) => pairing.carerLoad(deps, ctxOf(req), req.query),
  );

  app.get(
    '/care/policy',
    { schema: { tags, summary: '关爱政策：职责模板、规则、节日日期', response: { 200: policyResponse } } },
    async (req) => care.getPolicy(deps, ctxOf(req)),
  );
  app.patch(
    '/care/templates/:id',
    {
      schema: {
        tags,
        summary: '修改职责模板（重新排期受影响的老人）',
        params: idParam,
        body: updateTemplateBody,
        response: { 200: replanResponse },
      },
    },
    async (req) => care.updateTemplate(deps, ctxOf(req), req.params.id, req.body),
  );
  app.post(
    '/care/rules',
    {
      schema: {
        tags,
        summary: '新增规则（重新排期）',
        body: createRuleBody,
        response: { 200: replanResponse },
      },
    },
    async (req) => care.createRule(deps, ctxOf(req), req.body),
  );
  app.patch(
    '/care/rules/:id',
    {
      schema: {
        tags,
        summary: '修改规则（重新排期）',
        params: idParam,
        body: updateRuleBody,
        response: { 200: replanResponse },
      },
    },
    async (req) => care.updateRule(deps, ctxOf(req), req.params.id, req.body),
  );
  app.put(
    '/care/holidays',
    {
      schema: {
        tags,
        summary: '调整农历节日日期',
        body: holidayOverrideBody,
        response: { 200: replanResponse },
      },
    },
    async (req) => care.overrideHoliday(deps, ctxOf(req), req.body),
  );
  app.post(
    '/care/replan',
    { schema: { tags, summary: '按当前政策重新排期（管理员）', response: { 200: replanResponse } } },
    async (req) => care.replanAll(deps, ctxOf(req)),
  );
};
