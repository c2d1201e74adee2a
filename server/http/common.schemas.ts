import { Type, type Static, type TSchema } from 'typebox';
import { ERROR_CODES } from '../../contracts/errors.js';
import { Id } from '../../contracts/schema-kit.js';

export { Id, Nullable, Timestamp } from '../../contracts/schema-kit.js';

/**
 * Every 4xx/5xx body. `message` is meant for people (English); `error` is the HTTP reason phrase;
 * `code` is stable (contracts/errors.ts) and, with `params`, lets a console say it in its language.
 */
export const ErrorResponse = Type.Object(
  {
    statusCode: Type.Integer(),
    error: Type.String(),
    message: Type.String(),
    code: Type.Union(ERROR_CODES.map((code) => Type.Literal(code))),
    params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
  },
  { $id: 'ErrorResponse' },
);
export type ErrorResponse = Static<typeof ErrorResponse>;

export const IdParams = Type.Object({ id: Id });
export type IdParams = Static<typeof IdParams>;

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
};

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    total: Type.Integer(),
    limit: Type.Integer(),
    offset: Type.Integer(),
  });

/** Standard error responses, spread into a route's `response`. */
export const errors = (...codes: (400 | 401 | 403 | 404 | 409 | 413 | 429 | 503)[]) =>
  Object.fromEntries(codes.map((code) => [code, ErrorResponse]));
