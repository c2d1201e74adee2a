import type { Rng } from './prng.js';

/** The subset of JSON Schema the generator reads (what TypeBox and the OpenAPI document carry). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  $ref?: string;
  [key: string]: unknown;
}

/**
 * Inputs that broke or nearly broke servers like ours: encodings, control characters, numbers at
 * the edges, prototype keys, injection text, sizes at and past the limits.
 */
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '%',
  '%E0%A4%A',
  '%00',
  '%zz',
  '\uD800',
  '\uFEFFbom',
  '😀👨‍👩‍👧',
  '\u202Eevil',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e999',
  '9007199254740993',
  '0x10',
  '1.5',
  'true',
  '__proto__',
  'constructor',
  'hasOwnProperty',
  "' OR 1=1 --",
  '"; DROP TABLE customers; --',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '${7*7}',
  '2026-13-45T99:99:99Z',
  '2026-11-22T10:00:00.000Z',
  '+15005550006',
  '+1 (555) 010-0100',
  '*',
  '\\',
  'line\r\nbreak',
  '\t',
];

export function nastyString(rng: Rng): string {
  if (rng.chance(0.1)) return rng.pick(['a', 'é', '7', '%', '\u0000']).repeat(rng.pick([41, 129, 257, 5001]));
  return rng.pick(NASTY_STRINGS);
}

function deepNest(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = i % 2 ? [value] : { a: value };
  return value;
}

/** A value of any type, chosen to be awkward. */
export function nastyValue(rng: Rng): unknown {
  switch (rng.int(0, 9)) {
    case 0:
      return rng.pick([-1, 0, 1, 2 ** 31, 2 ** 53, -(2 ** 53), 1.5, 1e308, -0]);
    case 1:
      return rng.pick([true, false, null]);
    case 2:
      return [];
    case 3:
      return {};
    case 4:
      return JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}') as unknown;
    case 5:
      return deepNest(rng.pick([20, 200]));
    case 6:
      return [nastyString(rng), nastyString(rng)];
    default:
      return nastyString(rng);
  }
}

const resolveRef = (schema: JsonSchema, refs: Record<string, JsonSchema>): JsonSchema =>
  schema.$ref ? (refs[schema.$ref.replace(/^.*\//, '')] ?? {}) : schema;

function validString(schema: JsonSchema, rng: Rng): string {
  switch (schema.format) {
    case 'date-time':
      return new Date(Date.UTC(2026, 10, rng.int(1, 30), rng.int(0, 23))).toISOString();
    case 'date':
      return `2026-11-${String(rng.int(10, 28))}`;
    case 'email':
      return `fuzz${rng.int(0, 999)}@example.com`;
    default:
      break;
  }
  if (schema.pattern?.includes('\\d')) return String(rng.int(0, 99999));
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? 24, min + 24);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 +-';
  let text = '';
  const length = rng.int(Math.max(min, 1), Math.max(max, 1));
  for (let i = 0; i < length; i += 1) text += alphabet[rng.int(0, alphabet.length - 1)];
  return text.slice(0, schema.maxLength ?? text.length);
}

/**
 * A value the schema accepts, more or less: ids stay small so they hit rows that exist, and the
 * caller mutates the result to find the edges.
 */
export function validValue(
  schema: JsonSchema,
  rng: Rng,
  refs: Record<string, JsonSchema> = {},
  depth = 0,
): unknown {
  const s = resolveRef(schema, refs);
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return rng.pick(s.enum);
  const variants = s.anyOf ?? s.oneOf;
  if (variants?.length) return validValue(rng.pick(variants), rng, refs, depth + 1);
  if (s.allOf?.length) return validValue(s.allOf[0]!, rng, refs, depth + 1);
  const type = Array.isArray(s.type) ? rng.pick(s.type) : s.type;
  switch (type) {
    case 'integer':
    case 'number': {
      const min = s.minimum ?? 0;
      const max = Math.min(s.maximum ?? min + 6, min + 6);
      return rng.int(Math.ceil(min), Math.floor(max));
    }
    case 'boolean':
      return rng.chance(0.5);
    case 'null':
      return null;
    case 'array': {
      if (depth > 4 || !s.items) return [];
      const count = rng.int(s.minItems ?? 0, Math.min(s.maxItems ?? 3, (s.minItems ?? 0) + 3));
      return Array.from({ length: count }, () => validValue(s.items!, rng, refs, depth + 1));
    }
    case 'object': {
      const result: Record<string, unknown> = {};
      if (depth > 4) return result;
      for (const [name, property] of Object.entries(s.properties ?? {})) {
        if (s.required?.includes(name) || rng.chance(0.6))
          result[name] = validValue(property, rng, refs, depth + 1);
      }
      return result;
    }
    case 'string':
      return validString(s, rng);
    default:
      return rng.chance(0.5) ? validString({}, rng) : rng.int(0, 5);
  }
}

// An own property even for `__proto__`, so JSON.stringify sends it as a client could.
const setOwn = (target: Record<string, unknown>, key: string, value: unknown) =>
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });

/** Spoils a valid value a little: one field wrong, missing or extra, or the whole thing. */
export function mutate(value: unknown, rng: Rng): unknown {
  if (rng.chance(0.15)) return nastyValue(rng);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    if (typeof value === 'string' && rng.chance(0.5)) return nastyString(rng);
    return rng.chance(0.5) ? nastyValue(rng) : value;
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  const edits = rng.int(1, 2);
  for (let i = 0; i < edits; i += 1) {
    const action = rng.int(0, 3);
    if (action === 0 && keys.length) delete copy[rng.pick(keys)];
    else if (action === 1) setOwn(copy, rng.pick([...keys, 'extra', '__proto__', 'id']), nastyValue(rng));
    else if (keys.length) {
      const key = rng.pick(keys);
      setOwn(copy, key, mutate(copy[key], rng));
    }
  }
  return copy;
}
