import { unknownPlaceholders } from '../contracts/crm-link.js';
import { ConfigError, integer, url, type Env } from './config-readers.js';

/** The external CRM asked for each offered call (server/crm-lookup). */
export interface CrmLookupConfig {
  /** Where the lookup is POSTed (see the README's contract). `CRM_LOOKUP_URL`, http or https. */
  url: URL;
  /** Sent as `Authorization: Bearer <token>` when set. `CRM_LOOKUP_TOKEN`, default none. */
  token: string | null;
  /** The hard limit on one lookup, in ms: the pop goes out without it after this. `CRM_LOOKUP_TIMEOUT_MS`, default 300. */
  timeoutMs: number;
  /** How long an answer is reused for the same caller, in seconds. `CRM_LOOKUP_CACHE_SECONDS`, default 300 (0: no cache). */
  cacheSeconds: number;
  /** Callers whose answers are kept at most. `CRM_LOOKUP_CACHE_SIZE`, default 10000. */
  cacheSize: number;
  /** Failures in a row (errors, timeouts, bad answers) that open the circuit breaker. `CRM_LOOKUP_BREAKER_FAILURES`, default 5. */
  breakerFailures: number;
  /** Seconds the breaker stays open before one lookup tries again. `CRM_LOOKUP_BREAKER_COOLDOWN_SECONDS`, default 30. */
  breakerCooldownSeconds: number;
  /** Largest answer read, in bytes; a longer one counts as a failure. `CRM_LOOKUP_MAX_BYTES`, default 16384. */
  maxResponseBytes: number;
}

/** Bots handing callers to a person (server/handoff). */
export interface HandoffConfig {
  /**
   * Key of the HMAC-SHA256 a bot signs a Twilio handoff's context with. `HANDOFF_SECRET`, 32+
   * characters, default none: Twilio handoffs then carry no context (the caller still gets through).
   */
  secret: string | null;
  /** How old a signed Twilio handoff may be, in seconds. `HANDOFF_MAX_AGE_SECONDS`, default 300. */
  maxAgeSeconds: number;
  /** Largest encoded context accepted, in bytes (the Twilio parameter or the SIP header). `HANDOFF_MAX_BYTES`, default 4096. */
  maxBytes: number;
}

/**
 * The most HANDOFF_MAX_BYTES may be: Kamailio passes an X-CTI-Context up to this size to the routing
 * hook (a larger one is left out there), and our server applies the configured limit.
 */
export const HANDOFF_MAX_BYTES_LIMIT = 8192;

export function loadCrmLookupConfig(env: Env): CrmLookupConfig | null {
  if (!env.CRM_LOOKUP_URL) return null;
  return {
    url: url('CRM_LOOKUP_URL', env.CRM_LOOKUP_URL, ['http:', 'https:']),
    token: env.CRM_LOOKUP_TOKEN || null,
    timeoutMs: integer(env, 'CRM_LOOKUP_TIMEOUT_MS', 300, 10, 10_000),
    cacheSeconds: integer(env, 'CRM_LOOKUP_CACHE_SECONDS', 300, 0, 86_400),
    cacheSize: integer(env, 'CRM_LOOKUP_CACHE_SIZE', 10_000, 1, 1_000_000),
    breakerFailures: integer(env, 'CRM_LOOKUP_BREAKER_FAILURES', 5, 1, 1000),
    breakerCooldownSeconds: integer(env, 'CRM_LOOKUP_BREAKER_COOLDOWN_SECONDS', 30, 1, 3600),
    maxResponseBytes: integer(env, 'CRM_LOOKUP_MAX_BYTES', 16_384, 256, 1_048_576),
  };
}

/** `CRM_LINK_TEMPLATE`: an http(s) URL with `{customerId}`, `{phone}` or `{crmId}` in it; default none. */
export function loadCrmLinkTemplate(env: Env): string | null {
  const template = env.CRM_LINK_TEMPLATE;
  if (!template) return null;
  const unknown = unknownPlaceholders(template);
  if (unknown.length)
    throw new ConfigError(
      'CRM_LINK_TEMPLATE',
      `may use {customerId}, {phone} and {crmId} only, got {${unknown.join('}, {')}}`,
    );
  url('CRM_LINK_TEMPLATE', template.replace(/\{[A-Za-z]+\}/g, 'x'), ['http:', 'https:']);
  return template;
}

export function loadHandoffConfig(env: Env): HandoffConfig {
  const secret = env.HANDOFF_SECRET || null;
  if (secret !== null && secret.length < 32)
    throw new ConfigError('HANDOFF_SECRET', 'must be at least 32 characters');
  return {
    secret,
    maxAgeSeconds: integer(env, 'HANDOFF_MAX_AGE_SECONDS', 300, 10, 86_400),
    maxBytes: integer(env, 'HANDOFF_MAX_BYTES', 4096, 256, HANDOFF_MAX_BYTES_LIMIT),
  };
}
