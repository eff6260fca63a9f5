import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { okResponse } from '../../../shared/auth.ts';
import {
  deviceEventBody,
  deviceEventResponse,
  deviceIdParams,
  deviceListQuery,
  deviceListResponse,
  registerDeviceBody,
  registerDeviceResponse,
} from '../../../shared/incidents.ts';
import { ctxOf } from '../../platform/auth.ts';
import { deactivateDevice, listDevices, receiveDeviceEvent, registerDevice } from './devices.service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
  }
}

export const devicesRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;
  const tags = ['devices 设备'];

  app.post(
    '/devices',
    {
      schema: {
        tags,
        summary: '登记设备（密钥只在此返回一次）',
        body: registerDeviceBody,
        response: { 201: registerDeviceResponse },
      },
    },
    async (req, reply) => reply.code(201).send(await registerDevice(deps, ctxOf(req), req.body)),
  );
  app.get(
    '/devices',
    {
      schema: {
        tags,
        summary: '设备列表（管辖范围内）',
        querystring: deviceListQuery,
        response: { 200: deviceListResponse },
      },
    },
    async (req) => listDevices(deps, ctxOf(req), req.query.elderId),
  );
  app.delete(
    '/devices/:deviceId',
    { schema: { tags, summary: '停用设备', params: deviceIdParams, response: { 200: okResponse } } },
    async (req) => {
      await deactivateDevice(deps, ctxOf(req), req.params.deviceId);
      return { ok: true as const };
    },
  );

  // Signed device events: the signature covers the raw bytes, so this context keeps them.
  const signedRoutes: FastifyPluginAsyncZod = async (signed) => {
    signed.removeContentTypeParser('application/json');
    signed.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
      req.rawBody = body as string;
      try {
        done(null, JSON.parse(body as string));
      } catch (err) {
        (err as { statusCode?: number }).statusCode = 400;
        done(err as Error, undefined);
      }
    });
    signed.post(
      '/devices/:deviceId/events',
      {
        config: { csrf: false },
        schema: {
          tags,
          summary: '设备事件（X-Device-Timestamp + X-Device-Signature 签名，无需登录）',
          security: [],
          params: deviceIdParams,
          body: deviceEventBody,
          response: { 200: deviceEventResponse },
        },
      },
      async (req, reply) => {
        try {
          return await receiveDeviceEvent(deps, {
            deviceId: req.params.deviceId,
            timestamp: req.headers['x-device-timestamp'] as string | undefined,
            signature: req.headers['x-device-signature'] as string | undefined,
            rawBody: req.rawBody ?? '',
            body: req.body,
            source: req.ip,
          });
        } catch (err) {
          const after = (err as { details?: { retryAfterSeconds?: number } }).details?.retryAfterSeconds;
          if (after) reply.header('retry-after', String(after));
          throw err;
        }
      },
    );
  };
  await app.register(signedRoutes);
};
