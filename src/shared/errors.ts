// One error vocabulary for server and web. The server maps a code to its HTTP status;
// messages are bilingual so the API answers in the caller's language (Accept-Language).

export const errorCodes = {
  VALIDATION_FAILED: {
    status: 400,
    zh: '输入有误，请检查标出的字段',
    en: 'Invalid input: check the fields listed',
  },
  BAD_REQUEST: { status: 400, zh: '请求格式不正确', en: 'Malformed request' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Please sign in' },
  BAD_CREDENTIALS: { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  CSRF_FAILED: {
    status: 403,
    zh: '页面已过期，请刷新后重试',
    en: 'The page has expired: reload and try again',
  },
  FORBIDDEN: { status: 403, zh: '您没有权限执行此操作', en: 'You are not allowed to do this' },
  NOT_FOUND: { status: 404, zh: '找不到该记录', en: 'Not found' },
  CONFLICT: { status: 409, zh: '与已有数据冲突', en: 'Conflicts with existing data' },
  DUPLICATE: { status: 409, zh: '该记录已存在', en: 'Already exists' },
  UNPROCESSABLE: { status: 422, zh: '数据不符合业务规则', en: 'Breaks a business rule' },
  ACCOUNT_LOCKED: {
    status: 423,
    zh: '密码错误次数过多，账号已锁定 15 分钟',
    en: 'Too many wrong passwords: the account is locked for 15 minutes',
  },
  RATE_LIMITED: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests: try again later' },
  UNAVAILABLE: {
    status: 503,
    zh: '服务暂时不可用，请稍后重试',
    en: 'Service temporarily unavailable: try again shortly',
  },
  INTERNAL: { status: 500, zh: '服务器内部错误，请稍后再试', en: 'Internal server error' },
} as const;

export type ErrorCode = keyof typeof errorCodes;

export interface ErrorDetail {
  /** dotted path of the offending field, e.g. `body.idNumber` or `row 12 · 身份证号` */
  field?: string;
  message: string;
  [key: string]: unknown;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: ErrorDetail[] | Record<string, unknown> };
}

export type Lang = 'zh' | 'en';
