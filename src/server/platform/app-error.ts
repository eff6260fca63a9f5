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
export const forbidden = () => new AppError('FORBIDDEN');

/** A field error in both languages: the field is named in both. */
export function fieldError(field: string, zh: string, en: string): AppError {
  return new AppError('VALIDATION_FAILED', undefined, [{ field, message: zh, messageEn: en }]);
}
