/**
 * The console's only fetch wrapper: same-origin cookie session, JSON in and out, errors as `ApiError`.
 * A 401 on an authenticated call means the session ended (expired, or signed out in another tab); it is
 * announced through `onSessionExpired` so the app can show the login page from wherever it happened.
 */
import type { ErrorCode, ErrorParams } from '../../contracts/errors.js';
import type { ErrorResponse } from '../../server/http/common.schemas.js';

export class ApiError extends Error {
  /**
   * @param status HTTP status, or 0 when the server could not be reached.
   * @param message The server's human-readable message; empty when there is none.
   * @param coded The server's stable code and its params, when it sent them.
   */
  constructor(
    readonly status: number,
    message: string,
    readonly coded: { code: ErrorCode; params?: ErrorParams } | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  query?: Readonly<Record<string, QueryValue>>;
  body?: unknown;
  /** A file sent as the raw body (e.g. a CSV upload), instead of a JSON `body`. */
  file?: { data: Blob; contentType: string };
  signal?: AbortSignal;
  /** Set for calls where 401 is an expected answer (login, session probe, logout), not an expired session. */
  anonymous?: boolean;
}

const sessionExpiredListeners = new Set<() => void>();

export function onSessionExpired(listener: () => void): () => void {
  sessionExpiredListeners.add(listener);
  return () => sessionExpiredListeners.delete(listener);
}

/** Tells the app the session ended, for channels other than fetch (the desk's socket). */
export function notifySessionExpired(): void {
  for (const listener of sessionExpiredListeners) listener();
}

/** True for the rejection of a request cancelled through its AbortSignal: not an error to show. */
export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** `path` with the defined query values appended; null and undefined values are left out. */
export function withQuery(path: string, query?: Readonly<Record<string, QueryValue>>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) params.set(name, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

function isErrorResponse(value: unknown): value is ErrorResponse {
  return typeof value === 'object' && value !== null && typeof (value as ErrorResponse).message === 'string';
}

async function apiError(response: Response): Promise<ApiError> {
  try {
    const body: unknown = await response.json();
    if (!isErrorResponse(body)) return new ApiError(response.status, '');
    const coded =
      typeof body.code === 'string' ? { code: body.code, ...(body.params && { params: body.params }) } : null;
    return new ApiError(response.status, body.message, coded);
  } catch {
    // A proxy's HTML error page, or an empty body: the status alone has to do.
    return new ApiError(response.status, '');
  }
}

export async function request<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const init: RequestInit = { method, credentials: 'same-origin', headers, signal: options.signal ?? null };
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  } else if (options.file) {
    headers['content-type'] = options.file.contentType;
    init.body = options.file.data;
  }

  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), init);
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw new ApiError(0, '');
  }

  if (!response.ok) {
    if (response.status === 401 && !options.anonymous) notifySessionExpired();
    throw await apiError(response);
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}
