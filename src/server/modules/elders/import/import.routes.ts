import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type CommunityChoices,
  communityChoices,
  exportQuery,
  importQuery,
  importReport,
} from '../../../../shared/elders-import.ts';
import { requireAccess } from '../../../platform/access.ts';
import { AppError } from '../../../platform/app-error.ts';
import { ctxOf } from '../../../platform/auth.ts';
import { exportElders } from './export.service.ts';
import type { MappingOverride } from './fields.ts';
import { importErrorReport, importRoster } from './import.service.ts';
import { buildTemplate } from './workbooks.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MAX_FILE = 50 * 1024 * 1024;
const binary = z.unknown().describe('Excel .xlsx 文件（二进制）');
const uploadNote =
  'multipart/form-data：字段 `file` 为 .xlsx 文件（≤ 50 MB），可选字段 `mapping` 为 JSON 列映射 {列字母或表头: 字段}';

/** `attachment` with an ASCII fallback and the Chinese name as RFC 5987 `filename*`. */
export function sendXlsx(reply: FastifyReply, fileName: string, file: Buffer) {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\;]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return reply
    .type(XLSX)
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`)
    .send(file);
}

function parseMapping(text: string | undefined): MappingOverride | undefined {
  if (!text || text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = null;
  }
  const ok =
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value as object).every((v) => v === null || typeof v === 'string');
  if (!ok) {
    throw new AppError('VALIDATION_FAILED', undefined, [
      {
        field: 'mapping',
        message: '列映射应为 JSON 对象，如 {"E":"idNumber","备注":null}',
        messageEn: 'mapping must be a JSON object such as {"E":"idNumber","备注":null}',
      },
    ]);
  }
  return value as MappingOverride;
}

function parseCommunities(text: string | undefined): CommunityChoices | undefined {
  if (!text || text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = null;
  }
  const parsed = communityChoices.safeParse(value);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', undefined, [
      {
        field: 'communities',
        message:
          '社区对应应为 JSON 对象，如 {"兴庆社区":12,"交大二村社区":{"createUnder":5},"老城社区":"default"}',
        messageEn: 'communities must be a JSON object such as {"A":12,"B":{"createUnder":5},"C":"default"}',
      },
    ]);
  }
  return parsed.data;
}

/** The uploaded file and the optional `mapping` / `communities` fields, in whichever order the client sent them. */
export async function readUpload(req: FastifyRequest, query: { mapping?: string; communities?: string }) {
  if (!req.isMultipart()) {
    throw new AppError('VALIDATION_FAILED', undefined, [
      {
        field: 'file',
        message: '请以 multipart/form-data 上传 .xlsx 文件',
        messageEn: 'Upload the .xlsx file as multipart/form-data',
      },
    ]);
  }
  let file: Buffer | null = null;
  let fileName: string | null = null;
  let mapping = query.mapping;
  let communities = query.communities;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || file) {
          await part.toBuffer(); // drain
          continue;
        }
        file = await part.toBuffer();
        fileName = part.filename || null;
      } else if (part.fieldname === 'mapping' && typeof part.value === 'string') {
        mapping = part.value;
      } else if (part.fieldname === 'communities' && typeof part.value === 'string') {
        communities = part.value;
      }
    }
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError('VALIDATION_FAILED', { zh: '文件超过 50 MB', en: 'The file is larger than 50 MB' }, [
        {
          field: 'file',
          message: '文件超过 50 MB，请拆分后分批导入',
          messageEn: 'The file is larger than 50 MB',
        },
      ]);
    }
    throw e;
  }
  if (!file || file.length === 0) {
    throw new AppError('VALIDATION_FAILED', undefined, [
      { field: 'file', message: '请选择要导入的 .xlsx 文件', messageEn: 'Choose an .xlsx file to import' },
    ]);
  }
  return { file, fileName, mapping: parseMapping(mapping), communities: parseCommunities(communities) };
}

/** Imports read at once: each may hold a 50 MB upload and up to 100,000 checked rows in memory. */
const MAX_CONCURRENT_IMPORTS = 2;

export const eldersImportRoutes: FastifyPluginAsyncZod = async (app) => {
  let reading = 0;
  /** Runs `work` if fewer than MAX_CONCURRENT_IMPORTS are under way, else refuses with 429. */
  const gate = async <T>(work: () => Promise<T>): Promise<T> => {
    if (reading >= MAX_CONCURRENT_IMPORTS) {
      throw new AppError('RATE_LIMITED', {
        zh: `同时进行的导入已达 ${MAX_CONCURRENT_IMPORTS} 个，请稍后重试`,
        en: `${MAX_CONCURRENT_IMPORTS} imports are already running: try again shortly`,
      });
    }
    reading++;
    try {
      return await work();
    } finally {
      reading--;
    }
  };
  await app.register(multipart, {
    limits: { fileSize: MAX_FILE, files: 1, fields: 5, fieldSize: 64 * 1024 },
  });
  const deps = app.deps;
  const tags = ['elders 老人档案'];

  app.post(
    '/elders/import',
    {
      schema: {
        tags,
        summary: '从 Excel 导入老人（dryRun=true 试导入，只检查不写入）',
        description: `${uploadNote}。提交时只写入无问题的行（一个事务，按身份证号更新或新建），有问题的行列在结果中并跳过。`,
        consumes: ['multipart/form-data'],
        querystring: importQuery,
        response: { 200: importReport },
      },
    },
    async (req) => {
      const ctx = ctxOf(req);
      requireAccess(ctx, 'elders.write'); // before a byte of the upload is read
      return gate(async () => {
        const up = await readUpload(req, req.query);
        const opts = {
          dryRun: req.query.dryRun,
          orgId: req.query.orgId,
          mapping: up.mapping,
          fileName: up.fileName,
          communities: up.communities,
        };
        return importRoster(deps, ctx, up.file, opts);
      });
    },
  );

  app.post(
    '/elders/import/errors',
    {
      schema: {
        tags,
        summary: '下载导入问题报告（.xlsx：有问题的原始行及原因）',
        description: `${uploadNote}；与试导入相同的文件与映射。`,
        consumes: ['multipart/form-data'],
        querystring: importQuery.omit({ dryRun: true }),
        response: { 200: binary },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req);
      requireAccess(ctx, 'elders.write'); // before a byte of the upload is read
      const r = await gate(async () => {
        const up = await readUpload(req, req.query);
        const opts = {
          orgId: req.query.orgId,
          mapping: up.mapping,
          fileName: up.fileName,
          communities: up.communities,
        };
        return importErrorReport(deps, ctx, up.file, opts);
      });
      return sendXlsx(reply, r.fileName, r.file);
    },
  );

  app.get(
    '/elders/import/template',
    { schema: { tags, summary: '下载老人花名册导入模板（.xlsx）', response: { 200: binary } } },
    async (req, reply) => {
      ctxOf(req);
      return sendXlsx(reply, '老年人花名册导入模板.xlsx', await buildTemplate());
    },
  );

  app.get(
    '/elders/export',
    {
      schema: {
        tags,
        summary: '导出老人名单或台账（.xlsx；身份证号、电话默认脱敏）',
        description:
          'form=list 为筛选结果名单，form=ledger 为台账（标题、序号、填表人/日期）；clear=true 且填写 reason 时导出明文（仅限有权限的角色，记入审计日志）。',
        querystring: exportQuery,
        response: { 200: binary },
      },
    },
    async (req, reply) => {
      const r = await exportElders(deps, ctxOf(req), req.query);
      return sendXlsx(reply, r.fileName, r.file);
    },
  );
};
