import { createHash } from 'node:crypto';
import twilio from 'twilio';
import type { Role } from '../../server/auth/auth.schemas.js';
import { SESSION_COOKIE } from '../../server/plugins/auth.plugin.js';
import { TWILIO_WEBHOOK_PREFIX } from '../../server/telephony/twilio/twilio-webhook-urls.js';
import type { FuzzRequest } from './http.js';
import type { Rng } from './prng.js';
import type { FuzzRoute, RouteCatalog } from './routes.js';
import { ROLES } from './sessions.js';
import { mutate, nastyString, nastyValue, validValue } from './values.js';
import { formFieldsFor, QUERY_FIELDS, SIP_HOOK_PREFIX } from './vocabulary.js';

export interface RequestContext {
  catalog: RouteCatalog;
  /** PUBLIC_BASE_URL: our Origin, and the URL Twilio signs. */
  publicOrigin: string;
  twilioAuthToken: string;
  sipAuthorization: string;
  cookie: (role: Role) => string | null;
  /** BODY_LIMIT_BYTES. */
  bodyLimit: number;
}

type Form = Record<string, string | string[]>;

const NASTY_PATH_SEGMENTS = [
  '0',
  '-1',
  '1.5',
  '99999999999999999999',
  '%00',
  '%E0%A4%A',
  'abc',
  '..%2F..',
  '%2e%2e',
  ' ',
];

const NASTY_QUERIES = [
  '%',
  '%E0%A4%A',
  'q=%00',
  'a=1&a=2&a=3',
  '__proto__[x]=1',
  'limit=-1&offset=1e999',
  '&&&=',
  'x'.repeat(5000),
];

const CONTENT_TYPES = [
  'text/plain',
  'application/json; charset=utf-16',
  'application/x-www-form-urlencoded; charset=latin1',
  'multipart/form-data; boundary=x',
  'application/xml',
  '*/*',
  ';;;',
];

// A lone surrogate cannot be percent-encoded; it goes as U+FFFD, as a browser sends it.
const encode = (value: unknown) =>
  encodeURIComponent(
    (typeof value === 'string' ? value : String(JSON.stringify(value))).replace(
      /[\uD800-\uDFFF]/gu,
      '\uFFFD',
    ),
  );

function fillPath(route: FuzzRoute, rng: Rng, refs: RouteCatalog['refs']): string {
  return route.path.replace(/:(\w+)|\*/g, (_match, name: string | undefined) => {
    if (rng.chance(0.15)) return rng.pick(NASTY_PATH_SEGMENTS);
    if (name === undefined) return rng.pick(['json', 'static/x.js', 'a/b/c', '%2e%2e/%2e%2e/etc/passwd']);
    return encode(validValue(route.params[name] ?? { type: 'integer', minimum: 1 }, rng, refs));
  });
}

function queryOf(route: FuzzRoute, rng: Rng, refs: RouteCatalog['refs']): string {
  if (rng.chance(0.1)) return rng.pick(NASTY_QUERIES);
  const described = Object.keys(route.query).length > 0;
  const pairs: [string, unknown][] = [];
  if (described) {
    const valid = validValue({ type: 'object', properties: route.query }, rng, refs);
    const values = rng.chance(0.6) ? mutate(valid, rng) : valid;
    if (values && typeof values === 'object' && !Array.isArray(values)) pairs.push(...Object.entries(values));
  } else if (route.body === null) {
    for (const [name, make] of Object.entries(QUERY_FIELDS)) {
      if (rng.chance(0.6)) pairs.push([name, rng.chance(0.15) ? nastyString(rng) : make(rng)]);
    }
  }
  if (rng.chance(0.1)) pairs.push([rng.pick([...Object.keys(route.query), 'extra']), nastyValue(rng)]);
  return pairs.map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&');
}

function formOf(path: string, rng: Rng): Form {
  const form: Form = {};
  for (const [name, make] of Object.entries(formFieldsFor(path))) {
    if (!rng.chance(0.8)) continue;
    const value = rng.chance(0.1) ? nastyString(rng) : make(rng);
    // Repeated keys: the form parser gives an array where a handler may expect text.
    form[name] = rng.chance(0.01) ? [value, make(rng)] : value;
  }
  if (rng.chance(0.05)) form[nastyString(rng)] = nastyString(rng);
  return form;
}

const formText = (form: Form) => {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) {
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, item);
  }
  return search.toString();
};

function garbageBody(rng: Rng, bodyLimit: number): string {
  return rng.pick([
    '{',
    '[]',
    'null',
    '"text"',
    '{"a":1}{',
    '{"__proto__":{"admin":true}}',
    '%E0%A4%A=1',
    'a=1&a=2&a',
    '\u0000\u0001\u0002',
    'x'.repeat(bodyLimit + 1),
    `{"deep":${'['.repeat(5000)}${']'.repeat(5000)}}`,
  ]);
}

function cookieHeader(context: RequestContext, rng: Rng): { cookie?: string; label: string } {
  const pick = rng.int(0, 9);
  if (pick <= 5) {
    const role = rng.pick(ROLES);
    const cookie = context.cookie(role);
    return cookie ? { cookie, label: `${role} session` } : { label: `no ${role} session left` };
  }
  if (pick === 6) return { label: 'no session' };
  const garbage = rng.pick([
    `${SESSION_COOKIE}=${nastyString(rng)}`,
    `${SESSION_COOKIE}=${'A'.repeat(43)}`,
    `${SESSION_COOKIE}=`,
    `${SESSION_COOKIE}=a; ${SESSION_COOKIE}=b`,
    `${context.cookie('agent') ?? ''}x`,
    '=;;=; a',
  ]);
  return { cookie: garbage, label: 'garbage session cookie' };
}

/** Twilio's signature over the public URL (and the form), or a wrong one. */
function twilioSignature(context: RequestContext, rng: Rng, path: string, form: Form | null) {
  const url = context.publicOrigin + path;
  if (rng.chance(0.25))
    return { label: 'bad Twilio signature', signature: rng.pick(['', 'x', nastyString(rng)]) };
  if (rng.chance(0.05)) return { label: 'no Twilio signature' };
  const signature = twilio.getExpectedTwilioSignature(context.twilioAuthToken, url, form ?? {});
  return { label: 'signed by Twilio', signature };
}

/** One fuzzed request for `route`: mostly plausible, always a little wrong somewhere. */
export function fuzzRequest(route: FuzzRoute, context: RequestContext, rng: Rng): FuzzRequest {
  const { refs } = context.catalog;
  const method = rng.chance(0.03)
    ? rng.pick(['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'])
    : route.method;
  let path = fillPath(route, rng, refs);
  const headers: Record<string, string> = {};
  const labels: string[] = [];

  const origin = rng.chance(0.85)
    ? context.publicOrigin
    : rng.pick(['', 'null', 'http://evil.example', `${context.publicOrigin}.evil.example`, nastyString(rng)]);
  if (origin) headers.origin = origin;
  const { cookie, label } = cookieHeader(context, rng);
  if (cookie !== undefined) headers.cookie = cookie;
  labels.push(label);

  const isTwilio = route.path.startsWith(`${TWILIO_WEBHOOK_PREFIX}/`);
  const isSip = route.path.startsWith(SIP_HOOK_PREFIX);
  let body: string | undefined;
  let form: Form | null = null;
  if (method !== 'GET' && method !== 'DELETE' && method !== 'OPTIONS') {
    const shape = rng.int(0, 9);
    if (shape === 0) {
      body = garbageBody(rng, context.bodyLimit);
      headers['content-type'] = rng.pick(['application/json', 'application/x-www-form-urlencoded']);
      labels.push('garbage body');
    } else if (route.body || (!isTwilio && !isSip && shape < 5)) {
      const valid = validValue(route.body ?? { type: 'object' }, rng, refs);
      body = JSON.stringify(rng.chance(0.7) ? mutate(valid, rng) : valid);
      headers['content-type'] = 'application/json';
      labels.push('JSON body');
    } else {
      form = formOf(route.path, rng);
      body = formText(form);
      headers['content-type'] = 'application/x-www-form-urlencoded';
      labels.push('form body');
    }
    if (rng.chance(0.05)) {
      headers['content-type'] = rng.pick(CONTENT_TYPES);
      labels.push('odd content type');
    }
  }
  const query = queryOf(route, rng, refs);
  if (query) path += `?${query}`;
  if (isTwilio) {
    // A JSON body is signed through its hash in the query, as Twilio does.
    if (body !== undefined && headers['content-type'] === 'application/json' && rng.chance(0.7)) {
      path += `${path.includes('?') ? '&' : '?'}bodySHA256=${createHash('sha256').update(body).digest('hex')}`;
    }
    const signed = twilioSignature(
      context,
      rng,
      path,
      headers['content-type']?.startsWith('application/x-www-form-urlencoded') ? form : null,
    );
    if (signed.signature !== undefined) headers['x-twilio-signature'] = signed.signature;
    labels.push(signed.label);
  }
  if (isSip) {
    const authorization = rng.chance(0.75)
      ? context.sipAuthorization
      : rng.pick(['', 'Bearer', 'Bearer wrong', nastyString(rng)]);
    if (authorization) headers.authorization = authorization;
    labels.push(authorization === context.sipAuthorization ? 'SIP secret' : 'wrong SIP secret');
  }
  if (rng.chance(0.1)) {
    const name = rng.pick([
      'x-forwarded-for',
      'x-request-id',
      'accept-language',
      'user-agent',
      'accept',
      'host',
    ]);
    headers[name] = nastyString(rng);
    labels.push(`odd ${name}`);
  }
  return { method, path, headers, ...(body !== undefined && { body }), label: labels.join(', ') };
}

/** A request to a path no route has, now and then, so the not-found path is fuzzed too. */
export function strayRequest(context: RequestContext, rng: Rng): FuzzRequest {
  const route: FuzzRoute = {
    method: rng.pick(['GET', 'POST']),
    path: rng.pick([
      '/api/nothing',
      '/twilio/nothing',
      '/sip/nothing',
      '/api/customers/1/nothing',
      '/%E0%A4%A',
      '/..%2f..%2fetc/passwd',
    ]),
    params: {},
    query: {},
    body: null,
  };
  return fuzzRequest(route, context, rng);
}
