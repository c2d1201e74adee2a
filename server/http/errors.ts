import type { ErrorCode, ErrorParams } from '../../contracts/errors.js';
import type { AckRefusal } from '../../contracts/socket.js';

export type { ErrorCode, ErrorParams } from '../../contracts/errors.js';

type RefusalStatus = 400 | 401 | 403 | 404 | 409 | 429;

/** The code of a refusal that has none of its own. */
export const STATUS_CODES: Record<RefusalStatus, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  429: 'too_many_requests',
};

/** A refusal's stable code and what fills its words, for consoles that translate it. */
export interface Coded {
  code: ErrorCode;
  params?: ErrorParams;
}

/**
 * Errors a service throws for a caller's mistake; the app's error handler turns them into 4xx replies
 * with `message` in English and `code` (with `params`) for consoles that say it in their language.
 */
export class RequestError extends Error {
  readonly code: ErrorCode;
  readonly params: ErrorParams | undefined;

  constructor(
    readonly statusCode: RefusalStatus,
    message: string,
    coded?: Coded,
  ) {
    super(message);
    this.name = 'RequestError';
    this.code = coded?.code ?? STATUS_CODES[statusCode];
    this.params = coded?.params;
  }

  /** The refusal as a socket event acknowledges it: the same message, code and params as over HTTP. */
  toAck(): AckRefusal {
    return { ok: false, error: this.message, code: this.code, ...(this.params && { params: this.params }) };
  }
}

export const badRequest = (message: string, coded?: Coded) => new RequestError(400, message, coded);
export const unauthorized = (message: string, coded?: Coded) => new RequestError(401, message, coded);
export const forbidden = (message: string, coded?: Coded) => new RequestError(403, message, coded);
export const notFound = (what: string, id: number | string) =>
  new RequestError(404, `${what} ${id} does not exist`, { code: 'not_found', params: { what, id } });
export const conflict = (message: string, coded?: Coded) => new RequestError(409, message, coded);
export const tooManyRequests = (message: string, coded?: Coded) => new RequestError(429, message, coded);

/** The refusal for a role that may not do this, in one wording for routes and socket events. */
export const roleRequired = (roles: readonly string[], role: string) =>
  forbidden(`This needs the role ${roles.join(' or ')}; you are ${role}`, {
    code: 'role_required',
    params: { roles: roles.join(', '), role },
  });

/** What a client is told when a request or socket event failed on our side; the details go to the log only. */
export const SERVER_ERROR = 'Something went wrong on our side';

/** A phone number libphonenumber cannot read as one of the region's or an international one. */
export const invalidPhone = (number: string) =>
  badRequest(`"${number}" is not a valid phone number`, { code: 'invalid_phone', params: { number } });

export const unknownBreakReason = (reason: string) =>
  badRequest(`Unknown break reason "${reason}"`, { code: 'unknown_break_reason', params: { reason } });

/** A call command that needs the agent's own leg connected, before it is. */
export const phoneNotAnswered = () =>
  conflict('Your phone has not answered the call yet', { code: 'phone_not_answered' });
