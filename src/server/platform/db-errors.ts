import { inspect } from 'node:util';
import { DrizzleQueryError } from 'drizzle-orm';

/**
 * What went wrong in the database, read from the error a driver (pg, PGlite) or drizzle threw, and
 * what may be written about it. Drizzle wraps a driver's error in a DrizzleQueryError whose message
 * carries the statement's parameters — an elder's ID number, phones — so a failed query is logged
 * from the fields below only, never from its message or its `params`.
 */
export interface DbErrorFacts {
  /** SQLSTATE (`23505`) or a Node socket code (`ECONNRESET`) */
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  /** the statement's text, with $1… placeholders, without the values */
  query?: string;
}

type Raw = {
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
  column?: unknown;
  query?: unknown;
  cause?: unknown;
  message?: unknown;
};

/** The innermost driver error under drizzle's wrapper (or the error itself). */
function driverError(err: unknown): Raw | undefined {
  let e = err as Raw | undefined;
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    if (typeof e.code === 'string') return e;
    e = e.cause as Raw | undefined;
  }
  return undefined;
}

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

export function dbErrorFacts(err: unknown): DbErrorFacts | undefined {
  const d = driverError(err);
  const query = str((err as Raw | undefined)?.query);
  if (!d && !query) return undefined;
  return {
    code: str(d?.code),
    constraint: str(d?.constraint),
    table: str(d?.table),
    column: str(d?.column),
    query,
  };
}

// The connection, not the statement, failed: the server went away (restart, failover, an
// administrator's pg_terminate_backend), refused new sessions, or could not be reached. The request
// may be sent again (writes that must not repeat carry an idempotency key).
const lostConnectionMessages = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'timeout exceeded when trying to connect',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
];
const lostConnectionCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown (pg_terminate_backend, a fast shutdown)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, in recovery)
  '53300', // too_many_connections
  '40001', // serialization_failure: nothing was written, the same request may run again
  '40P01', // deadlock_detected: likewise
]);

export function isConnectionLost(err: unknown): boolean {
  let e = err as Raw | undefined;
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    const code = str(e.code);
    if (code && (lostConnectionCodes.has(code) || code.startsWith('08'))) return true;
    const msg = str(e.message);
    if (msg && lostConnectionMessages.some((m) => msg.startsWith(m))) return true;
    e = e.cause as Raw | undefined;
  }
  return false;
}

/**
 * A statement the database refused because of the data it was given (class 22, data exception: a
 * number out of range, a NUL byte, a malformed date): the request's fault, a 400, not a server error.
 */
export function isBadData(err: unknown): boolean {
  const code = str(driverError(err)?.code);
  return !!code && code.startsWith('22');
}

export function dbErrorCode(err: unknown): string | undefined {
  return str(driverError(err)?.code);
}

/** SQLSTATE classes whose driver messages may quote a value of the statement (22 data, 23 constraints). */
const quotesValues = (code?: string) => !!code && (code.startsWith('22') || code.startsWith('23'));

/**
 * An error as it may be logged: for a failed statement its SQLSTATE, constraint, table and column and
 * the statement's text, never its parameters (nor a driver message that may quote one); the stack
 * frames without the message line. Other errors are returned as they are.
 */
export function loggableError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const facts = dbErrorFacts(err);
  if (!facts?.query && !(err instanceof DrizzleQueryError)) return err;
  const driver = driverError(err);
  return {
    type: err.name === 'Error' ? 'DrizzleQueryError' : err.name,
    message: `failed query${facts?.code ? ` (SQLSTATE ${facts.code})` : ''}; parameters not logged`,
    ...facts,
    ...(quotesValues(facts?.code) ? {} : { driverMessage: str(driver?.message) }),
    stack: (err.stack ?? '')
      .split('\n')
      .filter((l) => l.trimStart().startsWith('at '))
      .join('\n'),
  };
}

// console.error(err) and util.inspect print an error's message (which for drizzle's wrapper lists the
// parameters) and its own properties (`params`): every failed statement is printed through
// `loggableError`, wherever a module logs it. JSON.stringify likewise.
const redacted = DrizzleQueryError.prototype as unknown as Record<PropertyKey, unknown>;
redacted[inspect.custom] = function (this: Error, _depth: number, options: object) {
  return inspect(loggableError(this), options);
};
redacted.toJSON = function (this: Error) {
  return loggableError(this);
};
