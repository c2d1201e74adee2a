import { Type, type TLiteral, type TSchema, type TUnion } from 'typebox';

/** A row id: a positive integer a JSON number holds exactly, so none reaches SQLite or the ACD as a rounded value. */
export const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

/**
 * The date-time format admits a leap second (23:59:60), which `Date` cannot read: the code behind a
 * route would meet an Invalid Date, so the schema refuses one.
 */
export const Timestamp = Type.String({
  format: 'date-time',
  pattern: '^(?!\\d{4}-\\d\\d-\\d\\d[Tt\\s]\\d\\d:\\d\\d:60)',
  description: 'ISO-8601, UTC',
});

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

type LiteralsOf<T extends readonly string[]> = { -readonly [K in keyof T]: TLiteral<T[K]> };

/**
 * A union of literals built from a glossary list, so the list stays the one definition of the type.
 * The same JSON Schema as a hand-written `Type.Union([Type.Literal(…), …])`.
 */
export const Literals = <const T extends readonly string[]>(values: T): TUnion<LiteralsOf<T>> =>
  Type.Union(values.map((value) => Type.Literal(value))) as unknown as TUnion<LiteralsOf<T>>;
