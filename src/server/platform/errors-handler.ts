import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ErrorBody, type ErrorCode, errorCodes, type Lang } from '../../shared/errors.ts';
import { AppError } from './app-error.ts';
import { langOf } from './auth.ts';
import { dbErrorCode, isBadData, isConnectionLost, loggableError } from './db-errors.ts';

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

function badDataText(code?: string): { zh: string; en: string } {
  if (code === '22003') return { zh: '数值超出允许范围', en: 'A number is out of range' };
  if (code === '22001') return { zh: '文本过长', en: 'A text is too long' };
  if (code === '22021' || code === '22P05') {
    return { zh: '文本含有不允许的字符', en: 'A text contains characters that are not allowed' };
  }
  return { zh: '数据格式不正确', en: 'A value has the wrong format' };
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
    if (isConnectionLost(err)) {
      // the database went away mid-request (restart, failover, a terminated backend): nothing of this
      // request was committed unless its retry finds it (writes that must not repeat carry a key)
      req.log.warn({ err: loggableError(err) }, 'database unavailable: answered 503');
      return reply.status(503).header('retry-after', '2').send(body('UNAVAILABLE', lang));
    }
    const pgCode = dbErrorCode(err);
    if (pgCode === '23505') return reply.status(409).send(body('DUPLICATE', lang));
    if (pgCode === '23503') {
      return reply.status(409).send(
        body('CONFLICT', lang, {
          zh: '该记录仍被其他数据引用',
          en: 'The record is still referenced by other data',
        }),
      );
    }
    if (isBadData(err)) {
      // a value the database cannot hold (a number past the column's range, a NUL byte, a text too
      // long): the request's fault — the column is rarely known here, the value never logged
      req.log.warn({ err: loggableError(err) }, 'value refused by the database: answered 400');
      return reply.status(400).send(body('VALIDATION_FAILED', lang, badDataText(pgCode)));
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
    req.log.error({ err: loggableError(err) }, 'unhandled error');
    return reply.status(500).send(body('INTERNAL', lang));
  });

  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send(body('NOT_FOUND', langOf(req)));
  });
}
