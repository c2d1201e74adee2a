import { Type, type Static, type TSchema } from 'typebox';

/** Every 4xx/5xx body. `message` is meant for people; `error` is the HTTP reason phrase. */
export const ErrorResponse = Type.Object(
  { statusCode: Type.Integer(), error: Type.String(), message: Type.String() },
  { $id: 'ErrorResponse' },
);
export type ErrorResponse = Static<typeof ErrorResponse>;

/** A row id: a positive integer a JSON number holds exactly, so none reaches SQLite or the ACD as a rounded value. */
export const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

export const IdParams = Type.Object({ id: Id });
export type IdParams = Static<typeof IdParams>;

/**
 * The date-time format admits a leap second (23:59:60), which `Date` cannot read: the code behind a
 * route would meet an Invalid Date, so the schema refuses one.
 */
export const Timestamp = Type.String({
  format: 'date-time',
  pattern: '^(?!\\d{4}-\\d\\d-\\d\\d[Tt\\s]\\d\\d:\\d\\d:60)',
  description: 'ISO-8601, UTC',
});

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

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Standard error responses, spread into a route's `response`. */
export const errors = (...codes: (400 | 401 | 403 | 404 | 409 | 413 | 429)[]) =>
  Object.fromEntries(codes.map((code) => [code, ErrorResponse]));
