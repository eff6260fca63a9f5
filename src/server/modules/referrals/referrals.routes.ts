import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  acceptReferralBody,
  assignReferralBody,
  closeReferralBody,
  idParam,
  referralHandlersResponse,
  referralResponse,
  referralsQuery,
  referralsResponse,
  resolveReferralBody,
} from '../../../shared/care.ts';
import { ctxOf } from '../../platform/auth.ts';
import { actOnReferral, listReferrals, referralHandlers } from './referrals.service.ts';

/**
 * 需求转介 under /api/care/referrals: the ledger and one POST per action, shaped like the incidents'
 * actions. Every action body carries `expectedStatus`, the status the client saw (409 when it moved).
 * Registered in app.ts after the care routes; the paths and the OpenAPI tag stay care's, as before the
 * module was split off.
 */
export const referralsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;
  const tags = ['care 关爱'];

  app.get(
    '/care/referrals',
    {
      schema: {
        tags,
        summary: '需求转介台账（默认：待处理与已受理；可按区域、老人、状态筛选，分页）',
        querystring: referralsQuery,
        response: { 200: referralsResponse },
      },
    },
    async (req) => listReferrals(deps, ctxOf(req), req.query),
  );
  app.get(
    '/care/referrals/:id/handlers',
    {
      schema: {
        tags,
        summary: '可转派的处理人（管辖该老人的在岗工作人员）',
        params: idParam,
        response: { 200: referralHandlersResponse },
      },
    },
    async (req) => referralHandlers(deps, ctxOf(req), req.params.id),
  );
  app.post(
    '/care/referrals/:id/accept',
    {
      schema: {
        tags,
        summary: '受理需求（处理人默认为本人）',
        params: idParam,
        body: acceptReferralBody,
        response: { 200: referralResponse },
      },
    },
    async (req) => actOnReferral(deps, ctxOf(req), req.params.id, { action: 'accept', ...req.body }),
  );
  app.post(
    '/care/referrals/:id/resolve',
    {
      schema: {
        tags,
        summary: '办结需求（必须填写办理结果）',
        params: idParam,
        body: resolveReferralBody,
        response: { 200: referralResponse },
      },
    },
    async (req) => actOnReferral(deps, ctxOf(req), req.params.id, { action: 'resolve', ...req.body }),
  );
  app.post(
    '/care/referrals/:id/close',
    {
      schema: {
        tags,
        summary: '标记为无需处理（必须填写原因）',
        params: idParam,
        body: closeReferralBody,
        response: { 200: referralResponse },
      },
    },
    async (req) => actOnReferral(deps, ctxOf(req), req.params.id, { action: 'close', ...req.body }),
  );
  app.post(
    '/care/referrals/:id/assign',
    {
      schema: {
        tags,
        summary: '转派给其他处理人（状态不变）',
        params: idParam,
        body: assignReferralBody,
        response: { 200: referralResponse },
      },
    },
    async (req) => actOnReferral(deps, ctxOf(req), req.params.id, { action: 'assign', ...req.body }),
  );
};
