import type { FastifyRequest } from 'fastify';
import { AppError } from './app-error.ts';

// C0 controls except tab, line feed and carriage return (a note may have lines), DEL, and C1 controls.
// PostgreSQL cannot store a NUL in text or jsonb at all (the statement fails: it was a 500), and the
// others are invisible in every screen and spreadsheet that shows the value.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** The dotted path (`body.circle.0.name`) of the first key or string value holding a control character. */
export function findControlCharacter(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return CONTROL.test(value) ? path : null;
  if (value === null || typeof value !== 'object' || depth > 32) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findControlCharacter(value[i], `${path}.${i}`, depth + 1);
      if (hit) return hit;
    }
    return null;
  }
  // a file's bytes, a stream: not text of ours
  if (Buffer.isBuffer(value) || typeof (value as { pipe?: unknown }).pipe === 'function') return null;
  for (const [k, v] of Object.entries(value)) {
    if (CONTROL.test(k)) return `${path}.${k.replace(CONTROL, '\uFFFD')}`;
    const hit = findControlCharacter(v, `${path}.${k}`, depth + 1);
    if (hit) return hit;
  }
  return null;
}

/**
 * A `preValidation` hook for every route: a control character anywhere in the path parameters, the
 * query or a JSON body is a 400 naming the field, before any schema, service or statement sees it.
 * One check at the edge rather than a rule on each of the API's string fields, so a new field is
 * covered the day it is added.
 */
export async function rejectControlCharacters(req: FastifyRequest): Promise<void> {
  const parts: [string, unknown][] = [
    ['params', req.params],
    ['query', req.query],
    ['body', req.body],
  ];
  for (const [where, value] of parts) {
    const field = findControlCharacter(value, where);
    if (field) {
      throw new AppError('VALIDATION_FAILED', undefined, [
        {
          field,
          message: '不能包含控制字符（如空字符 NUL）',
          messageEn: 'must not contain control characters (such as NUL)',
        },
      ]);
    }
  }
}
