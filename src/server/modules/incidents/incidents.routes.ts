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
  elderPageOkResponse,
  elderPageParams,
  elderPageResponse,
  elderPageSosBody,
  elderPageSosResponse,
  idParams,
  incidentDetailResponse,
  incidentListQuery,
  incidentListResponse,
  incidentResponse,
  ladderBody,
  ladderKindParams,
  ladderListResponse,
  ladderResponse,
  noteBody,
  transitionBody,
} from '../../../shared/incidents.ts';
import { ctxOf } from '../../platform/auth.ts';
import { pathInScope } from '../../platform/scope.ts';
import { hubOf, openEventStream } from '../../platform/sse.ts';
import { registerSweepJob } from '../../platform/sweeper.ts';
import { onSilenceAlerts } from '../care/care.service.ts';
import { deliverDue } from '../notifications/notifications.service.ts';
import { sweepLadders } from './escalate.ts';
import {
  acknowledgeIncident,
  addNote,
  consoleRoles,
  createIncident,
  dispatchResponder,
  getIncidentDetail,
  getLadder,
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
  elderPageOk,
  elderPageSos,
} from './public.service.ts';
import { raiseIncidents } from './raise-incident.ts';

/**
 * Incidents, ladders, the push stream, acknowledgement links and the elder page. Registering this
 * plugin also registers the module's sweep jobs (ladder steps, outbox deliveries) with the sweeper.
 */
export const incidentsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;
  const tags = ['incidents 求助预警'];
  // set-based: a batch of 500 due ladders costs a handful of statements (docs/benchmarks.md)
  registerSweepJob({ name: 'incidents.ladders', run: sweepLadders, batch: 500 });
  registerSweepJob({ name: 'notifications.deliver', run: deliverDue, batch: 200 });
  const hub = hubOf(deps.database);
  await hub.start();
  app.addHook('onClose', async () => hub.close());
  // silence becomes incidents: the care network's alerts (no news by the deadline; not reached)
  const offSilence = onSilenceAlerts(async (alerts) => {
    await raiseIncidents(
      deps,
      alerts.map((a) => ({
        elderId: a.elderId,
        kind: a.kind === 'daily_silence' ? ('no_contact_deadline' as const) : ('not_reached' as const),
        source: { careAlertId: a.id, dutyId: a.dutyId, day: a.day },
        summary: a.kind === 'daily_silence' ? `${a.day} 截止时间前未联系上` : '重点老人多次联系不上',
      })),
    );
  });
  app.addHook('onClose', async () => offSilence());

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
      const { auth } = ctxOf(req);
      const console = (consoleRoles as readonly string[]).includes(auth.role);
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
    async (req) => elderPageSos(deps, req.params.token),
  );
};
