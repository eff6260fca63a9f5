import { type ErrorCode, type ErrorDetail, errorCodes } from '../../shared/errors.ts';

/** The one error type of the server: a code from `shared/errors.ts`, an optional message and details. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: ErrorDetail[] | Record<string, unknown>;
  /** overrides the generic message of the code; give Chinese and English */
  readonly text?: { zh: string; en: string };

  constructor(
    code: ErrorCode,
    text?: { zh: string; en: string },
    details?: ErrorDetail[] | Record<string, unknown>,
  ) {
    super(text?.en ?? errorCodes[code].en);
    this.code = code;
    this.text = text;
    this.details = details;
  }

  get status(): number {
    return errorCodes[this.code].status;
  }
}

export const notFound = (what?: { zh: string; en: string }) => new AppError('NOT_FOUND', what);

/** A field error in both languages: the field is named in both. */
export function fieldError(field: string, zh: string, en: string): AppError {
  return new AppError('VALIDATION_FAILED', undefined, [{ field, message: zh, messageEn: en }]);
}

/**
 * 404 naming the field of a write that references a record the caller may not use — another street's
 * account, an org outside their scope —, worded exactly as for an unknown id.
 */
export function notFoundField(field: string, what: { zh: string; en: string }): AppError {
  return new AppError('NOT_FOUND', { zh: `找不到该${what.zh}`, en: `No such ${what.en}` }, [
    {
      field,
      message: `找不到该${what.zh}，或其不在您的管辖范围内`,
      messageEn: `No such ${what.en} within your scope`,
    },
  ]);
}
