/**
 * The one error handler: 4xx name the field and the reason; 5xx never leak their message.
 */
import fp from 'fastify-plugin';
import type { FastifyError } from 'fastify';
import {
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  DisconnectsClientError,
  ErrorReply,
  ReconnectStrategyError,
  SocketClosedUnexpectedlyError,
  SocketTimeoutError,
  TimeoutError,
} from 'redis';

/** Thrown by services when Redis cannot be reached: answered 503, retry later. */
export class StoreUnavailableError extends Error {
  readonly statusCode = 503;
  constructor(cause?: unknown) {
    super('store unavailable, retry later', { cause });
    this.name = 'StoreUnavailableError';
  }
}

/** Values a problem's wording fills in (a limit, a name, a distance). */
export type ProblemParams = Record<string, string | number>;

/**
 * A 4xx with the field it is about. `message` is English, for logs, curl and tools; `code` (with
 * `params`) is what the web words in the user's language. Without a code the error handler sends
 * the status's own (`forbidden`, `not_found`, `conflict` …, see `defaultCode`).
 *
 * @example
 * throw new HttpError(409, 'TM001 already has a shift then', 'body.from', { code: 'shift_overlap', params: { team: 'TM001' } });
 */
export class HttpError extends Error {
  readonly code: string | undefined;
  readonly params: ProblemParams | undefined;
  constructor(
    readonly statusCode: number,
    message: string,
    readonly field?: string,
    detail?: { code?: string; params?: ProblemParams },
  ) {
    super(message);
    this.name = 'HttpError';
    this.code = detail?.code;
    this.params = detail?.params;
  }
}

/** What a socket acknowledgement says when an event is refused: the same fields as an HTTP 4xx body. */
export interface AckProblem {
  message: string;
  field?: string;
  code: string;
  params?: ProblemParams;
}

/** An HttpError as a socket acknowledgement's `error`. */
export function ackProblem(err: HttpError): AckProblem {
  return { message: err.message, ...(err.field ? { field: err.field } : {}), code: err.code ?? defaultCode(err.statusCode), ...(err.params ? { params: err.params } : {}) };
}

/** The code a 4xx without its own carries: what the status means. */
const STATUS_CODE: Record<number, string> = {
  400: 'invalid',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'too_large',
  415: 'unsupported_type',
  422: 'unprocessable',
  429: 'rate_limited',
  503: 'unavailable',
};

export function defaultCode(status: number): string {
  return STATUS_CODE[status] ?? (status >= 500 ? 'server_error' : 'invalid');
}

/** A schema violation as a code the web words, with the limit it broke where there is one. */
export function validationProblem(keyword: string | undefined, params: Record<string, unknown> = {}): { code: string; params?: ProblemParams } {
  const limit = params.limit;
  const withLimit = (code: string) => (typeof limit === 'number' || typeof limit === 'string' ? { code, params: { limit } } : { code });
  switch (keyword) {
    case 'required':
      return { code: 'required' };
    case 'minLength':
    case 'minItems':
      return withLimit(keyword === 'minLength' ? 'too_short' : 'too_few');
    case 'maxLength':
    case 'maxItems':
      return withLimit(keyword === 'maxLength' ? 'too_long' : 'too_many');
    case 'minimum':
    case 'exclusiveMinimum':
      return withLimit('too_small');
    case 'maximum':
    case 'exclusiveMaximum':
      return withLimit('too_big');
    case 'type':
      return { code: 'wrong_type' };
    case 'additionalProperties':
      return { code: 'not_allowed' };
    case 'format':
    case 'pattern':
      return { code: 'bad_format' };
    case 'enum':
    case 'const':
    case 'anyOf':
    case 'oneOf':
      return { code: 'not_one_of' };
    default:
      return { code: 'invalid' };
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/** Turns an Ajv validation error into the offending field's path, e.g. `body.lon`. */
function fieldOf(err: FastifyError): string | undefined {
  const v = err.validation?.[0];
  if (!v) return undefined;
  const base = (err.validationContext ?? '').toString();
  const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const missing = (v.params as { missingProperty?: string }).missingProperty;
  const extra = (v.params as { additionalProperty?: string }).additionalProperty;
  const leaf = [path, missing ?? extra].filter(Boolean).join('.');
  return [base, leaf].filter(Boolean).join('.') || undefined;
}

/** Socket-level failures: Redis went away under a command in flight. */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);
/** node-redis errors meaning "not connected, or stopped answering" (they all keep the name Error). */
const CLIENT_ERRORS = [ClientClosedError, ClientOfflineError, DisconnectsClientError, SocketClosedUnexpectedlyError, ConnectionTimeoutError, SocketTimeoutError, TimeoutError, ReconnectStrategyError];
/**
 * Redis replies that say "the store cannot serve this now, retry": a script running too long
 * (BUSY), the dataset still loading after a restart (LOADING), a replica without its master, a
 * full store refusing writes (OOM under maxmemory noeviction), a failing disk (MISCONF).
 */
const RETRY_REPLIES = /^(BUSY|LOADING|MASTERDOWN|TRYAGAIN|OOM|MISCONF|READONLY)\b/;
const DOWN_MESSAGES = /client is closed|client is offline|offline queue|socket closed|Disconnects client|Connection timeout|ECONNRESET|ECONNREFUSED|EPIPE/i;

/** True when `err` (or an error it wraps) means Redis is down, stalled or refusing for now: answered 503. */
export function isRedisDown(err: unknown): boolean {
  for (let e = err as { name?: string; message?: string; code?: string; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e instanceof StoreUnavailableError) return true;
    if ((e.code && NETWORK_CODES.has(e.code)) || CLIENT_ERRORS.some((c) => e instanceof c)) return true;
    const message = e.message ?? '';
    if ((e instanceof ErrorReply && RETRY_REPLIES.test(message)) || DOWN_MESSAGES.test(message)) return true;
  }
  return false;
}

export default fp(
  async (app) => {
    app.setErrorHandler((err: FastifyError, request, reply) => {
      if (err.validation) {
        const field = fieldOf(err);
        const first = err.validation[0];
        const reason = first?.message ?? 'is invalid';
        const problem = validationProblem(first?.keyword, first?.params as Record<string, unknown> | undefined);
        return reply.status(400).send({
          statusCode: 400,
          error: 'Bad Request',
          message: field ? `${field} ${reason}` : err.message,
          field,
          ...problem,
        });
      }
      if (isRedisDown(err)) {
        // Not logged per request: the Redis plugin logs once when the store goes down and once when it is back.
        request.log.debug({ err: err.message }, 'store unavailable');
        return reply.status(503).send({ statusCode: 503, error: STATUS_TEXT[503], message: 'store unavailable, retry later', code: 'unavailable' });
      }
      const status = err.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        return reply.status(status).send({
          statusCode: status,
          error: STATUS_TEXT[status] ?? 'Client Error',
          message: err.message,
          field: (err as { field?: string }).field,
          code: (err instanceof HttpError && err.code) || defaultCode(status),
          ...(err instanceof HttpError && err.params ? { params: err.params } : {}),
        });
      }
      request.log.error({ err }, 'request failed');
      return reply.status(500).send({ statusCode: 500, error: 'Internal Server Error', message: 'internal error', code: 'server_error' });
    });
  },
  { name: 'errors' },
);
