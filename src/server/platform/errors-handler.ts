import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ErrorBody, type ErrorCode, errorCodes, type Lang } from '../../shared/errors.ts';
import { AppError } from './app-error.ts';
import { langOf } from './auth.ts';

// Default zod messages in Chinese; English ones are produced on demand for Accept-Language: en.
z.config(z.locales.zhCN());
const en = z.locales.en().localeError as unknown as (
  issue: unknown,
) => string | { message: string } | undefined;

const statusCodes: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  422: 'UNPROCESSABLE',
  423: 'ACCOUNT_LOCKED',
  429: 'RATE_LIMITED',
};

function body(code: ErrorCode, lang: Lang, text?: { zh: string; en: string }, details?: unknown): ErrorBody {
  return {
    error: {
      code,
      message: text?.[lang] ?? errorCodes[code][lang],
      ...(details ? { details: details as never } : {}),
    },
  };
}

/** One error handler: `{ error: { code, message, details } }`, the right status, never a stack trace. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const lang = langOf(req);
    if (err instanceof AppError) {
      const details = Array.isArray(err.details)
        ? err.details.map((d) =>
            lang === 'en' && typeof d.messageEn === 'string' ? { ...d, message: d.messageEn } : d,
          )
        : err.details;
      return reply.status(err.status).send(body(err.code, lang, err.text, details));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'body';
      const details = err.validation.map((v) => {
        const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
        const issue = { code: v.keyword, path: path.split('.'), message: v.message, ...(v.params as object) };
        const enText = en(issue);
        return {
          field: path ? `${where}.${path}` : where,
          message:
            lang === 'en'
              ? ((typeof enText === 'string' ? enText : enText?.message) ?? v.message)
              : v.message,
        };
      });
      return reply.status(400).send(body('VALIDATION_FAILED', lang, undefined, details));
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err, issues: err.cause?.issues }, 'response does not match its schema');
      return reply.status(500).send(body('INTERNAL', lang));
    }
    const pgCode = (err as unknown as { code?: string }).code;
    if (pgCode === '23505') return reply.status(409).send(body('DUPLICATE', lang));
    if (pgCode === '23503') {
      return reply.status(409).send(
        body('CONFLICT', lang, {
          zh: '该记录仍被其他数据引用',
          en: 'The record is still referenced by other data',
        }),
      );
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = statusCodes[status] ?? 'BAD_REQUEST';
      return reply
        .status(status)
        .send(
          body(
            code,
            lang,
            code === 'BAD_REQUEST' ? { zh: `请求不正确：${err.message}`, en: err.message } : undefined,
          ),
        );
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send(body('INTERNAL', lang));
  });

  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send(body('NOT_FOUND', langOf(req)));
  });
}
