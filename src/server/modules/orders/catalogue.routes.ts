import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  catalogueImportQuery,
  catalogueImportReport,
  catalogueResponse,
  categoryResponse,
  createCategoryBody,
  createItemBody,
  idParam,
  itemResponse,
  updateCategoryBody,
  updateItemBody,
} from '../../../shared/catalogue.ts';
import { requireAccess } from '../../platform/access.ts';
import { AppError } from '../../platform/app-error.ts';
import { ctxOf } from '../../platform/auth.ts';
import { readUpload, sendXlsx } from '../elders/import/import.routes.ts';
import { exportCatalogue } from './catalogue.export.ts';
import { importCatalogue } from './catalogue.import.ts';
import {
  createCategory,
  createItem,
  getCatalogue,
  loadDefaultCatalogue,
  updateCategory,
  updateItem,
} from './catalogue.service.ts';

/** 服务目录 under /api/catalogue: read by everyone who works orders, changed by a city admin. */
export const catalogueRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.deps;
  const tags = ['orders 服务工单'];
  let reading = 0;
  await app.register(multipart, {
    limits: { fileSize: 50 * 1024 * 1024, files: 1, fields: 5, fieldSize: 64 * 1024 },
  });

  app.get(
    '/catalogue',
    { schema: { tags, summary: '服务目录：类别及其服务项目', response: { 200: catalogueResponse } } },
    async (req) => getCatalogue(deps, ctxOf(req)),
  );
  app.post(
    '/catalogue/defaults',
    {
      schema: {
        tags,
        summary: '载入默认服务目录（GB/T 43153-2023；只补充缺少的类别与项目，不覆盖已有修改）',
        response: { 200: catalogueResponse },
      },
    },
    async (req) => loadDefaultCatalogue(deps, ctxOf(req)),
  );
  app.post(
    '/catalogue/categories',
    {
      schema: {
        tags,
        summary: '新增服务类别（管辖全市的管理员）',
        body: createCategoryBody,
        response: { 200: categoryResponse },
      },
    },
    async (req) => createCategory(deps, ctxOf(req), req.body),
  );
  app.patch(
    '/catalogue/categories/:id',
    {
      schema: {
        tags,
        summary: '修改服务类别（名称、顺序、停用）',
        params: idParam,
        body: updateCategoryBody,
        response: { 200: categoryResponse },
      },
    },
    async (req) => updateCategory(deps, ctxOf(req), req.params.id, req.body),
  );
  app.post(
    '/catalogue/items',
    { schema: { tags, summary: '新增服务项目', body: createItemBody, response: { 200: itemResponse } } },
    async (req) => createItem(deps, ctxOf(req), req.body),
  );
  app.patch(
    '/catalogue/items/:id',
    {
      schema: {
        tags,
        summary: '修改服务项目（价格、时限、服务商类型、服务卡、停用）',
        params: idParam,
        body: updateItemBody,
        response: { 200: itemResponse },
      },
    },
    async (req) => updateItem(deps, ctxOf(req), req.params.id, req.body),
  );
  app.post(
    '/catalogue/import',
    {
      schema: {
        tags,
        summary: '从 Excel 导入服务项目目录与加盟服务商名录（dryRun=true 试导入，只检查不写入）',
        description:
          'multipart/form-data：字段 `file` 为 .xlsx 文件（≤ 50 MB）。按表头识别两张表（表头可在标题行下方）；项目按名称、服务商按统一社会信用代码（志愿团队按名称）更新或新建；有问题的行列在结果中并跳过。',
        consumes: ['multipart/form-data'],
        querystring: catalogueImportQuery,
        response: { 200: catalogueImportReport },
      },
    },
    async (req) => {
      const ctx = ctxOf(req);
      requireAccess(ctx, 'config.city'); // before a byte of the upload is read
      if (reading >= 2) {
        throw new AppError('RATE_LIMITED', {
          zh: '同时进行的导入已达 2 个，请稍后重试',
          en: '2 imports are already running',
        });
      }
      reading++;
      try {
        const up = await readUpload(req, {});
        return await importCatalogue(deps, ctx, up.file, { dryRun: req.query.dryRun, fileName: up.fileName });
      } finally {
        reading--;
      }
    },
  );
  app.get(
    '/catalogue/export',
    {
      schema: {
        tags,
        summary: '导出服务项目目录与加盟服务商名录（.xlsx，可修改后再导入）',
        response: { 200: z.unknown().describe('Excel .xlsx 文件（二进制）') },
      },
    },
    async (req, reply) => {
      const r = await exportCatalogue(deps, ctxOf(req));
      return sendXlsx(reply, r.fileName, r.file);
    },
  );
};
