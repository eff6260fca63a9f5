import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { okResponse } from '../../../shared/auth.ts';
import {
  assessmentSchema,
  conditionSchema,
  createAssessmentBody,
  createConditionBody,
  createDoctorContractBody,
  createHospitalStayBody,
  createMedicationBody,
  dischargeBody,
  doctorContractSchema,
  endDoctorContractBody,
  healthCardSchema,
  healthResponse,
  hospitalStaySchema,
  idParams,
  medicationSchema,
  putHealthCardBody,
  subParams,
} from '../../../shared/elders.ts';
import { ctxOf } from '../../platform/auth.ts';
import * as health from './health.service.ts';

/** The health ledger (健康档案): sensitive, for coordinators, managers and the elder's family doctor. */
export const eldersHealthRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;
  const tags = ['elders 健康档案'];

  app.get(
    '/elders/:id/health',
    { schema: { tags, summary: '健康档案', params: idParams, response: { 200: healthResponse } } },
    async (req) => health.getHealth(deps, ctxOf(req), req.params.id),
  );

  app.post(
    '/elders/:id/conditions',
    {
      schema: {
        tags,
        summary: '添加慢性病',
        params: idParams,
        body: createConditionBody,
        response: { 201: conditionSchema },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await health.addCondition(deps, ctxOf(req), req.params.id, req.body)),
  );

  app.delete(
    '/elders/:id/conditions/:subId',
    { schema: { tags, summary: '删除慢性病', params: subParams, response: { 200: okResponse } } },
    async (req) => health.deleteCondition(deps, ctxOf(req), req.params.id, req.params.subId),
  );

  app.post(
    '/elders/:id/hospital-stays',
    {
      schema: {
        tags,
        summary: '登记住院（未出院时老人状态为住院）',
        params: idParams,
        body: createHospitalStayBody,
        response: { 201: hospitalStaySchema },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await health.addHospitalStay(deps, ctxOf(req), req.params.id, req.body)),
  );

  app.post(
    '/elders/:id/hospital-stays/:subId/discharge',
    {
      schema: {
        tags,
        summary: '办理出院（老人状态恢复在册）',
        params: subParams,
        body: dischargeBody,
        response: { 200: hospitalStaySchema },
      },
    },
    async (req) => health.dischargeHospitalStay(deps, ctxOf(req), req.params.id, req.params.subId, req.body),
  );

  app.post(
    '/elders/:id/doctor-contracts',
    {
      schema: {
        tags,
        summary: '家庭医生签约',
        params: idParams,
        body: createDoctorContractBody,
        response: { 201: doctorContractSchema },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await health.addDoctorContract(deps, ctxOf(req), req.params.id, req.body)),
  );

  app.post(
    '/elders/:id/doctor-contracts/:subId/end',
    {
      schema: {
        tags,
        summary: '结束家庭医生签约',
        params: subParams,
        body: endDoctorContractBody,
        response: { 200: doctorContractSchema },
      },
    },
    async (req) =>
      health.endDoctorContract(deps, ctxOf(req), req.params.id, req.params.subId, req.body.endDate),
  );

  app.post(
    '/elders/:id/medications',
    {
      schema: {
        tags,
        summary: '添加用药',
        params: idParams,
        body: createMedicationBody,
        response: { 201: medicationSchema },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await health.addMedication(deps, ctxOf(req), req.params.id, req.body)),
  );

  app.delete(
    '/elders/:id/medications/:subId',
    { schema: { tags, summary: '删除用药', params: subParams, response: { 200: okResponse } } },
    async (req) => health.deleteMedication(deps, ctxOf(req), req.params.id, req.params.subId),
  );

  app.put(
    '/elders/:id/health-card',
    {
      schema: {
        tags,
        summary: '绿色通道卡、家庭病床、用药说明',
        params: idParams,
        body: putHealthCardBody,
        response: { 200: healthCardSchema },
      },
    },
    async (req) => health.putHealthCard(deps, ctxOf(req), req.params.id, req.body),
  );

  app.get(
    '/elders/:id/assessments',
    {
      schema: {
        tags,
        summary: '能力评估历史（GB/T 42195-2022）',
        params: idParams,
        response: { 200: z.object({ items: z.array(assessmentSchema) }) },
      },
    },
    async (req) => ({ items: (await health.getHealth(deps, ctxOf(req), req.params.id)).assessments }),
  );

  app.post(
    '/elders/:id/assessments',
    {
      schema: {
        tags,
        summary: '录入能力评估（服务端计分定级）',
        params: idParams,
        body: createAssessmentBody,
        response: { 201: assessmentSchema },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await health.addAssessment(deps, ctxOf(req), req.params.id, req.body)),
  );
};
