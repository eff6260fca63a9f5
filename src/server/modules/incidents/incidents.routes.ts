import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ackBody,
  ackDoneResponse,
  ackInfoResponse,
  ackTokenParams,
  createIncidentBody,
  createIncidentResponse,
  dispatchBody,
  elderLinkResponse,
  elderPageFalseAlarmResponse,
  elderPageOkResponse,
  elderPageParams,
  elderPageResponse,
  elderPageSosBody,
  elderPageSosResponse,
  followUpDoneBody,
  followUpQuery,
  followUpResponse,
  idParams,
  incidentDetailResponse,
  incidentHistoryQuery,
  incidentListQuery,
  incidentListResponse,
  incidentResponse,
  incidentTimelineResponse,
  ladderBody,
  ladderKindParams,
  ladderListResponse,
  ladderPreviewQuery,
  ladderPreviewResponse,
  ladderResponse,
  noteBody,
  transitionBody,
} from '../../../shared/incidents.ts';
import { hasAccess } from '../../platform/access.ts';
import { ctxOf } from '../../platform/auth.ts';
import { pathInScope } from '../../platform/scope.ts';
import { hubOf, openEventStream } from '../../platform/sse.ts';
import {
  getIncidentTimeline,
  listFollowUps,
  listIncidentHistory,
  markFollowedUp,
} from './history.service.ts';
import {
  acknowledgeIncident,
  addNote,
  createIncident,
  dispatchResponder,
  getIncidentDetail,
  getLadder,
  ladderPreviewForStaff,
  listIncidents,
  listLadders,
  putLadder,
  transitionIncident,
} from './incidents.service.ts';
import {
  ackByToken,
  ackInfo,
  createElderLink,
  elderPage,
  elderPageFalseAlarm,
  elderPageOk,
  elderPageSos,
  showElderLink,
} from './public.service.ts';

/**
 * Incidents, ladders, the push stream, acknowledgement links and the elder page: routes only (the
 * module's jobs and its hand-off from care are wired in src/server/wiring.ts).
 */
export const incidentsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;
  const tags = ['incidents 求助预警'];
  // started (and closed) in wiring.ts; here the push stream only subscribes to it
  const hub = hubOf(deps.database);

  app.get(
    '/incidents',
    {
      schema: {
        tags,
        summary: '事件队列（管辖范围内，进行中优先）',
        querystring: incidentListQuery,
        response: { 200: incidentListResponse },
      },
    },
    async (req) => listIncidents(deps, ctxOf(req), req.query),
  );
  app.get(
    '/incidents/history',
    {
      schema: {
        tags,
        summary: '事件历史（含已结案；按状态、类型、日期、组织、老人筛选，最新在前）',
        querystring: incidentHistoryQuery,
        response: { 200: incidentListResponse },
      },
    },
    async (req) => listIncidentHistory(deps, ctxOf(req), req.query),
  );
  app.get(
    '/incidents/follow-ups',
    {
      schema: {
        tags,
        summary: '回访跟进队列（按回访时间，逾期在前）',
        querystring: followUpQuery,
        response: { 200: followUpResponse },
      },
    },
    async (req) => listFollowUps(deps, ctxOf(req), req.query),
  );
  app.get(
    '/incidents/ladder-preview',
    {
      schema: {
        tags,
        summary: '升级规则预演：对某位老人现在触发时，逐步会通知谁（关爱圈面板的呼叫顺序）',
        querystring: ladderPreviewQuery,
        response: { 200: ladderPreviewResponse },
      },
    },
    async (req) => ladderPreviewForStaff(deps, ctxOf(req), req.query),
  );
  app.get(
    '/incidents/:id/timeline',
    {
      schema: {
        tags,
        summary: '事件经过：时间线、通知记录、已知晓与负责人（不含健康档案）',
        params: idParams,
        response: { 200: incidentTimelineResponse },
      },
    },
    async (req) => getIncidentTimeline(deps, ctxOf(req), req.params.id),
  );
  app.post(
    '/incidents/:id/follow-up-done',
    {
      schema: {
        tags,
        summary: '完成回访（记录回访情况）',
        params: idParams,
        body: followUpDoneBody,
        response: { 200: incidentResponse },
      },
    },
    async (req) => markFollowedUp(deps, ctxOf(req), req.params.id, req.body.note),
  );
  app.post(
    '/incidents',
    {
      schema: {
        tags,
        summary: '登记求助（热线/走访异常），同一老人进行中的事件会合并',
        body: createIncidentBody,
        response: { 201: createIncidentResponse, 200: createIncidentResponse },
      },
    },
    async (req, reply) => {
      const r = await createIncident(deps, ctxOf(req), req.body);
      return reply.code(r.joined ? 200 : 201).send(r);
    },
  );
  app.get(
    '/incidents/:id',
    {
      schema: {
        tags,
        summary: '事件详情（含老人档案速览、时间线）',
        params: idParams,
        response: { 200: incidentDetailResponse },
      },
    },
    async (req) => getIncidentDetail(deps, ctxOf(req), req.params.id),
  );
  app.post(
    '/incidents/:id/acknowledge',
    {
      schema: {
        tags,
        summary: '响应：调度/工作人员接手（停止升级）；被通知的走访人员“收到”仅记为已知晓，“我去看看”才接手',
        params: idParams,
        body: ackBody.partial().nullish(),
        response: { 200: incidentResponse },
      },
    },
    async (req) => acknowledgeIncident(deps, ctxOf(req), req.params.id, req.body?.reply),
  );
  app.post(
    '/incidents/:id/transition',
    {
      schema: {
        tags,
        summary: '变更状态 / 结案',
        params: idParams,
        body: transitionBody,
        response: { 200: incidentResponse },
      },
    },
    async (req) => transitionIncident(deps, ctxOf(req), req.params.id, req.body),
  );
  app.post(
    '/incidents/:id/notes',
    {
      schema: {
        tags,
        summary: '添加记录',
        params: idParams,
        body: noteBody,
        response: { 200: incidentResponse },
      },
    },
    async (req) => addNote(deps, ctxOf(req), req.params.id, req.body.text),
  );
  app.post(
    '/incidents/:id/dispatch',
    {
      schema: {
        tags,
        summary: '派人上门',
        params: idParams,
        body: dispatchBody,
        response: { 200: incidentResponse },
      },
    },
    async (req) => dispatchResponder(deps, ctxOf(req), req.params.id, req.body),
  );

  app.get(
    '/ladders',
    { schema: { tags, summary: '升级规则（各类事件）', response: { 200: ladderListResponse } } },
    async (req) => listLadders(deps, ctxOf(req)),
  );
  app.get(
    '/ladders/:kind',
    {
      schema: {
        tags,
        summary: '某类事件的升级规则',
        params: ladderKindParams,
        response: { 200: ladderResponse },
      },
    },
    async (req) => getLadder(deps, ctxOf(req), req.params.kind),
  );
  app.put(
    '/ladders/:kind',
    {
      schema: {
        tags,
        summary: '修改升级规则（管理员）',
        params: ladderKindParams,
        body: ladderBody,
        response: { 200: ladderResponse },
      },
    },
    async (req) => putLadder(deps, ctxOf(req), req.params.kind, req.body),
  );

  app.get(
    '/events',
    {
      schema: {
        tags,
        summary: '推送（server-sent events）：管辖范围内的事件、发给本人的升级通知',
        produces: ['text/event-stream'],
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req);
      const { auth } = ctx;
      const console = hasAccess(ctx, 'incidents.read');
      let unsubscribe = () => {};
      const stream = openEventStream(reply, () => unsubscribe());
      unsubscribe = hub.subscribe(
        (m) => !!m.userIds?.includes(auth.userId) || (console && !!m.orgPath && pathInScope(auth, m.orgPath)),
        (m) => stream.send(m.event.type, m.event),
      );
      stream.send('ready', { userId: auth.userId });
    },
  );

  // Acknowledgement links for relatives without accounts: no session, no CSRF; rate-limited per
  // client address on both methods (the token is the credential; decision 0008).
  app.get(
    '/ack/:token',
    {
      config: { csrf: false, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: '确认链接：查看',
        security: [],
        params: ackTokenParams,
        response: { 200: ackInfoResponse },
      },
    },
    async (req) => ackInfo(deps, req.params.token),
  );
  app.post(
    '/ack/:token',
    {
      config: { csrf: false, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: '确认链接：“收到”（仅记为已知晓，升级继续）/“我去看看”（接手，停止升级）',
        security: [],
        params: ackTokenParams,
        body: ackBody.optional(),
        response: { 200: ackDoneResponse },
      },
    },
    async (req) => ackByToken(deps, req.params.token, req.body?.reply ?? 'received'),
  );

  // 长辈版 elder page
  app.post(
    '/elders/:id/page-link',
    {
      schema: {
        tags,
        summary: '生成长辈版个人链接（旧链接作废）',
        params: idParams,
        response: { 201: elderLinkResponse },
      },
    },
    async (req, reply) => reply.code(201).send(await createElderLink(deps, ctxOf(req), req.params.id)),
  );
  app.get(
    '/elders/:id/page-link',
    {
      schema: {
        tags,
        summary: '再次显示长辈版链接（不重新生成，墙上的二维码继续有效）',
        params: idParams,
        response: { 200: elderLinkResponse },
      },
    },
    async (req) => showElderLink(deps, ctxOf(req), req.params.id),
  );
  app.get(
    '/elder-page/:token',
    {
      config: { csrf: false },
      schema: {
        tags,
        summary: '长辈版页面数据',
        security: [],
        params: elderPageParams,
        response: { 200: elderPageResponse },
      },
    },
    async (req) => elderPage(deps, req.params.token),
  );
  app.post(
    '/elder-page/:token/ok',
    {
      config: { csrf: false },
      schema: {
        tags,
        summary: '长辈版：我很好（当日报平安）',
        security: [],
        params: elderPageParams,
        response: { 200: elderPageOkResponse },
      },
    },
    async (req) => elderPageOk(deps, req.params.token),
  );
  app.post(
    '/elder-page/:token/sos',
    {
      config: { csrf: false },
      schema: {
        tags,
        summary: '长辈版：紧急求助（需确认）',
        security: [],
        params: elderPageParams,
        body: elderPageSosBody,
        response: { 200: elderPageSosResponse },
      },
    },
    async (req) => elderPageSos(deps, req.params.token, req.body.requestId),
  );
  app.post(
    '/elder-page/:token/false-alarm',
    {
      config: { csrf: false },
      schema: {
        tags,
        summary: '长辈版：我按错了（记入时间线，升级继续，由调度员回电核实后结案）',
        security: [],
        params: elderPageParams,
        response: { 200: elderPageFalseAlarmResponse },
      },
    },
    async (req) => elderPageFalseAlarm(deps, req.params.token),
  );
};
