import { isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isSystemBreakReason } from '../contracts/glossary.js';
import { ConfigError, flag, integer, oneOf, url, type Env } from './config-readers.js';
import {
  loadCrmLinkTemplate,
  loadCrmLookupConfig,
  loadHandoffConfig,
  type CrmLookupConfig,
  type HandoffConfig,
} from './integrations-config.js';
import { loadSipConfig, type SipConfig } from './sip-config.js';
import { isTimeZone } from './supervision/local-day.js';

export { ConfigError } from './config-readers.js';
export type { RtpengineConfig, SipConfig } from './sip-config.js';
export type { CrmLookupConfig, HandoffConfig } from './integrations-config.js';
export { HANDOFF_MAX_BYTES_LIMIT } from './integrations-config.js';

/** Everything the product reads from its environment, typed and validated. */
export interface Config {
  /** TCP port of the HTTP server. `PORT`, default 3000. */
  port: number;
  /** Interface to listen on. `HOST`, default 127.0.0.1 (set 0.0.0.0 to serve other machines). */
  host: string;
  /** Folder for the SQLite file and a private Redis's data. `DATA_DIR`, default ./data. */
  dataDir: string;
  /** The SQLite file, `<DATA_DIR>/cti.sqlite`. */
  databaseFile: string;
  /** `REDIS_URL`, default redis://127.0.0.1:6379. */
  redisUrl: string;
  /** Prefix of every Redis key and BullMQ queue of this installation. `REDIS_PREFIX`, default `cti:`. */
  redisPrefix: string;
  /** Public origin of the server, used for Origin checks and webhook signatures. `PUBLIC_BASE_URL`, default http://localhost:PORT. */
  publicBaseUrl: URL;
  /**
   * Origins whose browsers may call the API and open the socket (the Origin check against cross-site
   * requests): PUBLIC_BASE_URL's origin plus `ALLOWED_ORIGINS` (comma-separated origins, default
   * none). When PUBLIC_BASE_URL is not set, `loopback` also admits http://localhost and
   * http://127.0.0.1 at the port the server listens on. Never taken from the request's Host header,
   * which a DNS-rebinding page controls.
   */
  allowedOrigins: { list: string[]; loopback: boolean };
  /** Demo mode: demo data and demo logins. `DEMO` (1/0), default 1 unless PUBLIC_BASE_URL is set. */
  demo: boolean;
  /** Region for phone numbers written without a country code (ISO 3166 alpha-2). `DEFAULT_PHONE_REGION`, default US. */
  defaultPhoneRegion: CountryCode;
  /** Session lifetime in hours after login. `SESSION_TTL_HOURS`, default 12. */
  sessionTtlHours: number;
  /** Login attempts allowed per client IP per minute. `LOGIN_RATE_LIMIT_PER_MINUTE`, default 10. */
  loginRateLimitPerMinute: number;
  /**
   * Sign-in attempts on one account, since its last successful sign-in, before each further one
   * waits 1 s, then 2, 4… up to 15 minutes (counted in Redis; per process while Redis is down).
   * `LOGIN_ACCOUNT_ATTEMPTS`, default 5.
   */
  loginFreeAttempts: number;
  /**
   * Break reasons agents pick from, besides those the ACD sets itself (login, rona, declined).
   * `BREAK_REASONS`, comma-separated, default break,lunch,training,meeting.
   */
  breakReasons: string[];
  /** Largest request body accepted, in bytes. `BODY_LIMIT_BYTES`, default 65536. */
  bodyLimitBytes: number;
  /**
   * Longest a client may take to send a whole request (headers and body), in seconds; a slower one
   * gets 408 and its connection closed. `REQUEST_TIMEOUT_SECONDS`, default 30.
   */
  requestTimeoutSeconds: number;
  /** pino level. `LOG_LEVEL`, default info. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * `json`: one JSON line per log entry and per request, for log collectors. `pretty`: a short
   * readable line per entry and no line per request, for a person watching a terminal. `LOG_FORMAT`,
   * default pretty in demo mode, json otherwise.
   */
  logFormat: 'json' | 'pretty';
  /** Trust X-Forwarded-* from a reverse proxy. `TRUST_PROXY` (1/0), default 0. */
  trustProxy: boolean;
  /**
   * Counts every SQLite statement run and every socket.io message sent or received, in /metrics
   * (`cti_sqlite_statements_total`, `cti_socketio_messages_total`), so benchmarks can print them per
   * call. Off by default: it wraps each statement. `BENCH_COUNTERS` (1/0), default 0.
   */
  benchCounters: boolean;
  /** Password for an `admin` account created at start when no admin exists (production bootstrap). `BOOTSTRAP_ADMIN_PASSWORD`, no default. */
  bootstrapAdminPassword: string | undefined;
  /**
   * Twilio account, when calls come through Twilio: `TWILIO_ACCOUNT_SID` and `TWILIO_AUTH_TOKEN` (both or
   * neither), `TWILIO_CALLER_ID` (our number, the caller id of legs we place), `TWILIO_API_BASE_URL`
   * (default https://api.twilio.com; the simulator points it at its fake).
   */
  twilio: { accountSid: string; authToken: string; apiBaseUrl: URL; callerId: string } | null;
  /**
   * In demo mode without a Twilio account: simulated callers and bot agents in-process, through a
   * local fake of Twilio's REST API. `SIMULATE` (1/0), default 1 in demo mode; ignored otherwise.
   */
  simulate: boolean;
  /**
   * Supervision: abandons after a wait shorter than this many seconds are short abandons, kept apart
   * and left out of the service level. `SHORT_ABANDON_SECONDS`, default 5 (0: none is short).
   */
  shortAbandonSeconds: number;
  /**
   * Worker threads that run report queries, each with a read-only connection of its own, so that a
   * long report does not delay calls; requests beyond them wait their turn. `REPORT_WORKERS`, default
   * 1 (0: on the event loop, as a year-long report then holds up the call path for seconds).
   */
  reportWorkers: number;
  /**
   * Customer imports: the largest CSV file accepted, in bytes (`IMPORT_MAX_BYTES`, default 50 MiB),
   * and the rows written per transaction, each with its checkpoint (`IMPORT_BATCH_ROWS`, default 1000).
   */
  customerImport: { maxBytes: number; batchRows: number };
  /** IANA time zone where agents' "today" starts (calls handled, occupancy). `SUPERVISION_TIME_ZONE`, default UTC. */
  supervisionTimeZone: string;
  /**
   * Where supervision alerts are POSTed, signed with HMAC-SHA256 of the shared secret:
   * `ALERT_WEBHOOK_URL` (http or https) and `ALERT_WEBHOOK_SECRET` (16+ characters), both or neither.
   */
  alertWebhook: { url: URL; secret: string } | null;
  /**
   * Event webhooks' deliveries (server/webhooks). `WEBHOOK_TIMEOUT_MS` (default 10000): how long a
   * receiver has to answer. `WEBHOOK_MAX_ATTEMPTS` (default 10): attempts before a delivery fails.
   * `WEBHOOK_RETRY_BASE_MS` (default 1000): wait before the 2nd attempt, doubled each time up to an
   * hour. `WEBHOOK_CONCURRENCY` (default 16): deliveries one process sends at once.
   * `WEBHOOK_ALLOW_PRIVATE_URLS` (default 1 in demo mode, else 0): whether subscriptions may reach
   * loopback, private and link-local addresses.
   */
  webhooks: {
    timeoutMs: number;
    maxAttempts: number;
    retryBaseMs: number;
    concurrency: number;
    allowPrivateUrls: boolean;
  };
  /**
   * The value model (how customer value becomes a tier), a JSON file validated at start.
   * `VALUE_MODEL_FILE`, default config/value-model.json in the repository.
   */
  valueModelFile: string;
  /** The SIP edge (Kamailio in front of trunks and softphones), when `SIP_SHARED_SECRET` is set; see {@link SipConfig}. */
  sip: SipConfig | null;
  /** The external CRM lookup that enriches screen pops, when `CRM_LOOKUP_URL` is set; see {@link CrmLookupConfig}. */
  crmLookup: CrmLookupConfig | null;
  /** The "open in CRM" link on the customer page and the screen pop. `CRM_LINK_TEMPLATE`, default none. */
  crmLinkTemplate: string | null;
  /** Bot handoffs; see {@link HandoffConfig}. */
  handoff: HandoffConfig;
  /**
   * Default days each data type is kept before the nightly retention run removes it (0: forever);
   * admins may override them in the console. `RETENTION_RECORDINGS_DAYS` (default 90),
   * `RETENTION_NOTES_DAYS` (730), `RETENTION_INTERACTIONS_DAYS` (730: interactions' personal fields),
   * `RETENTION_AUDIT_LOG_DAYS` (365), `RETENTION_SESSIONS_DAYS` (30 after a session expired).
   */
  retention: {
    recordingsDays: number;
    notesDays: number;
    interactionsDays: number;
    auditLogDays: number;
    sessionsDays: number;
  };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A hundred years: the most days a retention default may say (0 is forever). */
const MAX_RETENTION_DAYS = 36_500;

/** Every demo login's password (demo mode only; production refuses to start holding demo logins). */
export const DEMO_PASSWORD = 'demo';

/** Reads and validates the configuration. The only place in the product that reads the environment. */
export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const dataDir = resolve(env.DATA_DIR || './data');

  const redisUrl = env.REDIS_URL || 'redis://127.0.0.1:6379';
  url('REDIS_URL', redisUrl, ['redis:', 'rediss:']);

  const redisPrefix = env.REDIS_PREFIX ?? 'cti:';
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(redisPrefix)) {
    throw new ConfigError('REDIS_PREFIX', 'must be 1–64 characters of letters, digits, _ . : -');
  }

  const publicBaseUrlSet = Boolean(env.PUBLIC_BASE_URL);
  const demo = flag(env, 'DEMO', !publicBaseUrlSet);
  const publicBaseUrl = url('PUBLIC_BASE_URL', env.PUBLIC_BASE_URL || `http://localhost:${port}`, [
    'http:',
    'https:',
  ]);
  if (publicBaseUrl.pathname !== '/' || publicBaseUrl.search) {
    throw new ConfigError(
      'PUBLIC_BASE_URL',
      `must be an origin without path or query, got "${env.PUBLIC_BASE_URL}"`,
    );
  }

  const allowedOrigins = [publicBaseUrl.origin];
  for (const item of (env.ALLOWED_ORIGINS ?? '').split(',').map((origin) => origin.trim())) {
    if (!item) continue;
    const origin = url('ALLOWED_ORIGINS', item, ['http:', 'https:']);
    if (origin.pathname !== '/' || origin.search || origin.hash || origin.username) {
      throw new ConfigError('ALLOWED_ORIGINS', `must list origins without path or query, got "${item}"`);
    }
    allowedOrigins.push(origin.origin);
  }

  const region = (env.DEFAULT_PHONE_REGION || 'US').toUpperCase();
  if (!isSupportedCountry(region)) {
    throw new ConfigError(
      'DEFAULT_PHONE_REGION',
      `must be an ISO 3166 country code such as US or CN, got "${region}"`,
    );
  }

  const breakReasons = (env.BREAK_REASONS || 'break,lunch,training,meeting')
    .split(',')
    .map((reason) => reason.trim());
  for (const reason of breakReasons) {
    if (!/^[a-z][a-z0-9_]{0,31}$/.test(reason)) {
      throw new ConfigError(
        'BREAK_REASONS',
        `"${reason}" must be lowercase letters, digits or _ (at most 32)`,
      );
    }
    if (isSystemBreakReason(reason)) {
      throw new ConfigError('BREAK_REASONS', `"${reason}" is set by the ACD itself and cannot be picked`);
    }
  }

  const bootstrapAdminPassword = env.BOOTSTRAP_ADMIN_PASSWORD || undefined;
  if (bootstrapAdminPassword !== undefined && bootstrapAdminPassword.length < 12) {
    throw new ConfigError('BOOTSTRAP_ADMIN_PASSWORD', 'must be at least 12 characters');
  }

  const accountSid = env.TWILIO_ACCOUNT_SID || undefined;
  const authToken = env.TWILIO_AUTH_TOKEN || undefined;
  if (Boolean(accountSid) !== Boolean(authToken)) {
    throw new ConfigError(
      accountSid ? 'TWILIO_AUTH_TOKEN' : 'TWILIO_ACCOUNT_SID',
      'must be set together with the other',
    );
  }
  if (accountSid && !/^AC[0-9a-f]{32}$/.test(accountSid)) {
    throw new ConfigError('TWILIO_ACCOUNT_SID', 'must look like AC followed by 32 hex digits');
  }
  const callerId = env.TWILIO_CALLER_ID || undefined;
  if (accountSid && !callerId)
    throw new ConfigError(
      'TWILIO_CALLER_ID',
      'must be set with TWILIO_ACCOUNT_SID: our Twilio number, E.164',
    );
  if (callerId && !/^\+[1-9]\d{6,14}$/.test(callerId)) {
    throw new ConfigError(
      'TWILIO_CALLER_ID',
      `must be an E.164 number such as +14155550100, got "${callerId}"`,
    );
  }
  // Lets the simulator and tests stand in for Twilio's REST API.
  const apiBaseUrl = url('TWILIO_API_BASE_URL', env.TWILIO_API_BASE_URL || 'https://api.twilio.com', [
    'http:',
    'https:',
  ]);

  const supervisionTimeZone = env.SUPERVISION_TIME_ZONE || 'UTC';
  if (!isTimeZone(supervisionTimeZone)) {
    throw new ConfigError(
      'SUPERVISION_TIME_ZONE',
      `must be an IANA time zone such as Europe/Paris, got "${supervisionTimeZone}"`,
    );
  }

  const webhookUrl = env.ALERT_WEBHOOK_URL || undefined;
  const webhookSecret = env.ALERT_WEBHOOK_SECRET || undefined;
  if (Boolean(webhookUrl) !== Boolean(webhookSecret)) {
    throw new ConfigError(
      webhookUrl ? 'ALERT_WEBHOOK_SECRET' : 'ALERT_WEBHOOK_URL',
      'must be set together with the other',
    );
  }
  if (webhookSecret && webhookSecret.length < 16) {
    throw new ConfigError('ALERT_WEBHOOK_SECRET', 'must be at least 16 characters');
  }
  const alertWebhook =
    webhookUrl && webhookSecret
      ? { url: url('ALERT_WEBHOOK_URL', webhookUrl, ['http:', 'https:']), secret: webhookSecret }
      : null;

  return {
    port,
    host: env.HOST || '127.0.0.1',
    dataDir,
    databaseFile: resolve(dataDir, 'cti.sqlite'),
    redisUrl,
    redisPrefix,
    publicBaseUrl,
    allowedOrigins: { list: [...new Set(allowedOrigins)], loopback: !publicBaseUrlSet },
    demo,
    defaultPhoneRegion: region,
    sessionTtlHours: integer(env, 'SESSION_TTL_HOURS', 12, 1, 24 * 30),
    loginRateLimitPerMinute: integer(env, 'LOGIN_RATE_LIMIT_PER_MINUTE', 10, 1, 10_000),
    loginFreeAttempts: integer(env, 'LOGIN_ACCOUNT_ATTEMPTS', 5, 1, 1000),
    breakReasons: [...new Set(breakReasons)],
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 65_536, 1024, 10 * 1024 * 1024),
    requestTimeoutSeconds: integer(env, 'REQUEST_TIMEOUT_SECONDS', 30, 1, 600),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    logFormat: oneOf(env, 'LOG_FORMAT', ['json', 'pretty'] as const, demo ? 'pretty' : 'json'),
    trustProxy: flag(env, 'TRUST_PROXY', false),
    benchCounters: flag(env, 'BENCH_COUNTERS', false),
    bootstrapAdminPassword,
    twilio: accountSid && authToken && callerId ? { accountSid, authToken, apiBaseUrl, callerId } : null,
    simulate: flag(env, 'SIMULATE', true),
    shortAbandonSeconds: integer(env, 'SHORT_ABANDON_SECONDS', 5, 0, 600),
    reportWorkers: integer(env, 'REPORT_WORKERS', 1, 0, 16),
    customerImport: {
      maxBytes: integer(env, 'IMPORT_MAX_BYTES', 50 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
      batchRows: integer(env, 'IMPORT_BATCH_ROWS', 1000, 1, 100_000),
    },
    supervisionTimeZone,
    alertWebhook,
    webhooks: {
      timeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
      maxAttempts: integer(env, 'WEBHOOK_MAX_ATTEMPTS', 10, 1, 50),
      retryBaseMs: integer(env, 'WEBHOOK_RETRY_BASE_MS', 1000, 10, 3_600_000),
      concurrency: integer(env, 'WEBHOOK_CONCURRENCY', 16, 1, 256),
      allowPrivateUrls: flag(env, 'WEBHOOK_ALLOW_PRIVATE_URLS', demo),
    },
    sip: loadSipConfig(env, port),
    crmLookup: loadCrmLookupConfig(env),
    crmLinkTemplate: loadCrmLinkTemplate(env),
    handoff: loadHandoffConfig(env),
    retention: {
      recordingsDays: integer(env, 'RETENTION_RECORDINGS_DAYS', 90, 0, MAX_RETENTION_DAYS),
      notesDays: integer(env, 'RETENTION_NOTES_DAYS', 730, 0, MAX_RETENTION_DAYS),
      interactionsDays: integer(env, 'RETENTION_INTERACTIONS_DAYS', 730, 0, MAX_RETENTION_DAYS),
      auditLogDays: integer(env, 'RETENTION_AUDIT_LOG_DAYS', 365, 0, MAX_RETENTION_DAYS),
      sessionsDays: integer(env, 'RETENTION_SESSIONS_DAYS', 30, 0, MAX_RETENTION_DAYS),
    },
    valueModelFile: env.VALUE_MODEL_FILE
      ? resolve(env.VALUE_MODEL_FILE)
      : fileURLToPath(new URL('../config/value-model.json', import.meta.url)),
  };
}
