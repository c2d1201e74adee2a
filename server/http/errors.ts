/** Errors a service throws for a caller's mistake; the app's error handler turns them into 4xx replies. */
export class RequestError extends Error {
  constructor(
    readonly statusCode: 400 | 401 | 403 | 404 | 409 | 429,
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

export const badRequest = (message: string) => new RequestError(400, message);
export const unauthorized = (message: string) => new RequestError(401, message);
export const forbidden = (message: string) => new RequestError(403, message);
export const notFound = (what: string, id: number | string) =>
  new RequestError(404, `${what} ${id} does not exist`);
export const conflict = (message: string) => new RequestError(409, message);
export const tooManyRequests = (message: string) => new RequestError(429, message);

/** What a client is told when a request or socket event failed on our side; the details go to the log only. */
export const SERVER_ERROR = 'Something went wrong on our side';
