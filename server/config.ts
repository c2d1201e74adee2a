import { isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { isTimeZone } from './supervision/local-day.js';

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
  /** Trust X-Forwarded-* from a reverse proxy. `TRUST_PROXY` (1/0), default 0. */
  trustProxy: boolean;
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
  /** IANA time zone where agents' "today" starts (calls handled, occupancy). `SUPERVISION_TIME_ZONE`, default UTC. */
  supervisionTimeZone: string;
  /**
   * Where supervision alerts are POSTed, signed with HMAC-SHA256 of the shared secret:
   * `ALERT_WEBHOOK_URL` (http or https) and `ALERT_WEBHOOK_SECRET` (16+ characters), both or neither.
   */
  alertWebhook: { url: URL; secret: string } | null;
  /** The SIP edge (Kamailio in front of trunks and softphones), when `SIP_SHARED_SECRET` is set; see {@link SipConfig}. */
  sip: SipConfig | null;
}

/** The SIP edge: what our Kamailio template is rendered from and how the two sides reach each other. */
export interface SipConfig {
  /** Shared secret on every HTTP request between Kamailio and our server, and the key our SIP credentials derive from. `SIP_SHARED_SECRET`, 32+ characters of letters, digits, `-` `_` `.` `~`. */
  sharedSecret: string;
  /** SIP domain and digest realm of agents' softphones. `SIP_DOMAIN`, default the listen address. */
  domain: string;
  /** Address Kamailio listens on for trunks and softphones. `SIP_LISTEN_ADDRESS`, default 127.0.0.1. */
  listenAddress: string;
  /** Public address put in Via and Record-Route when Kamailio is behind NAT. `SIP_ADVERTISED_ADDRESS`, default none. */
  advertisedAddress: string | null;
  /** UDP and TCP port for trunks and PBXs. `SIP_PORT`, default 5060. */
  sipPort: number;
  /** WebSocket port for softphones (put TLS in front of it for wss). `SIP_WS_PORT`, default 8088. */
  wsPort: number;
  /** The WebSocket URL softphones are given. `SIP_WS_URL`, default ws://<advertised or listen address>:<SIP_WS_PORT> (wss:// behind a TLS proxy). */
  wsUrl: string;
  /** Loopback port of Kamailio's JSON-RPC and call control. `SIP_CONTROL_PORT`, default 5090. */
  controlPort: number;
  /** Where Kamailio reaches our server's /sip hooks. `SIP_CTI_URL`, default http://127.0.0.1:PORT. */
  ctiUrl: URL;
  /** Call queue of SIP calls whose dialled number is not in `queueByNumber`. `SIP_DEFAULT_QUEUE`, default `Support`. */
  defaultQueue: string;
  /** Dialled number (R-URI user) → call queue name. `SIP_QUEUE_BY_NUMBER`, e.g. `100=Support,200=Sales`. */
  queueByNumber: Record<string, string>;
  /** Longest a SIP caller waits queued before Kamailio gives up with 408, in seconds. `SIP_MAX_WAIT_SECONDS`, default 1800. */
  maxWaitSeconds: number;
  /**
   * STUN/TURN servers the console's softphone gathers ICE candidates from. `SIP_ICE_SERVERS`,
   * comma-separated `stun:`/`turn:` URLs, default none: the browser offers only its own addresses and
   * contacts no third party on each call.
   */
  iceServers: string[];
  /** Lifetime of the SIP credentials issued to an agent's softphone, in hours. `SIP_CREDENTIAL_TTL_HOURS`, default 12. */
  credentialTtlHours: number;
  /**
   * New SIP requests (calls, registrations) one source address may send per second before
   * Kamailio answers it 503 for a while: a flood of INVITEs never reaches our server. `SIP_FLOOD_LIMIT`,
   * default 50; 0 turns the check off (a trunk that carries more from one address).
   */
  floodLimitPerSecond: number;
  /**
   * Kamailio's SIP worker processes per listener. Each routing hook and dialog event holds one for its
   * HTTP round trip to our server, so this bounds the calls set up at once. `SIP_WORKERS`, default 8.
   */
  workers: number;
  /**
   * Where a SIP call transferred to an outside number is sent: the caller's side is told (REFER) to
   * call `sip:<number>@<this>`. `SIP_TRANSFER_TRUNK`, host[:port], default none (such transfers are
   * refused as unsupported).
   */
  transferTrunk: string | null;
  /**
   * Sources (CIDRs; a bare address means just it) whose INVITEs carrying `X-CTI-Interaction` go
   * straight to the registered Agent: legs our server placed through Twilio to an Agent's SIP
   * address. The same INVITE from anywhere else is refused 403. `SIP_TRUSTED_PEERS`, comma-separated,
   * default none.
   */
  trustedPeers: string[];
  /**
   * Loopback port of Kamailio's evapi, a push channel for dialog events that Kamailio uses instead
   * of the HTTP hook while our server is connected; our server connects to it and reconnects on its
   * own. `SIP_EVAPI_PORT`, default none (off: every event by the HTTP hook).
   */
  evapiPort: number | null;
  /**
   * Secure WebSocket (wss://) for softphones straight on Kamailio, or null (the default: plain ws://,
   * with a TLS proxy in front in production). `SIP_TLS_CERT` and `SIP_TLS_KEY`: absolute paths of a
   * PEM certificate (chain) for the SIP domain and its key, both or neither; `SIP_WSS_PORT`, default 8443.
   */
  tls: { certFile: string; keyFile: string; wssPort: number } | null;
  /**
   * The media relay between plain-RTP trunks and WebRTC softphones, or null (the default: off, media
   * goes end to end and only WebRTC peers can talk to softphones). `SIP_RTPENGINE`: rtpengine's
   * ng control address as `udp:HOST:PORT`, e.g. `udp:127.0.0.1:22222`; see {@link RtpengineConfig}.
   */
  rtpengine: RtpengineConfig | null;
}

/** rtpengine as the SIP edge's media relay: what Kamailio asks and what `npm run sip` starts. */
export interface RtpengineConfig {
  /** ng control address (UDP, loopback or an admin network). From `SIP_RTPENGINE`. */
  ngHost: string;
  ngPort: number;
  /** First and last UDP port for media. `SIP_RTP_PORTS`, default `30000-30999`. */
  portMin: number;
  portMax: number;
}

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

/** Kamailio's own TLS for softphones: both files or neither, each an existing absolute path. */
function sipTls(env: Env, taken: number[]): SipConfig['tls'] {
  const certFile = env.SIP_TLS_CERT ?? '';
  const keyFile = env.SIP_TLS_KEY ?? '';
  if (!certFile && !keyFile) return null;
  for (const [name, file] of [
    ['SIP_TLS_CERT', certFile],
    ['SIP_TLS_KEY', keyFile],
  ] as const) {
    if (!file) throw new ConfigError(name, 'must be set too: SIP_TLS_CERT and SIP_TLS_KEY go together');
    if (!isAbsolute(file) || /["\s\\]/.test(file))
      throw new ConfigError(name, `must be an absolute path without spaces or quotes, got "${file}"`);
    if (!existsSync(file)) throw new ConfigError(name, `names a file that does not exist: ${file}`);
  }
  const wssPort = integer(env, 'SIP_WSS_PORT', 8443, 1, 65535);
  if (taken.includes(wssPort))
    throw new ConfigError('SIP_WSS_PORT', 'must differ from SIP_PORT, SIP_WS_PORT and SIP_CONTROL_PORT');
  return { certFile, keyFile, wssPort };
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `must be 1 or 0, got "${raw}"`);
}

function url(name: string, raw: string, protocols: string[]): URL {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL, got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return parsed;
}

/** Break reasons only the ACD sets (queues/agent-status.machine.ts). */
const SYSTEM_BREAK_REASONS = ['login', 'rona', 'declined'];

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

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

  const logLevel = env.LOG_LEVEL || 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
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
    if (SYSTEM_BREAK_REASONS.includes(reason)) {
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
    demo: flag(env, 'DEMO', !publicBaseUrlSet),
    defaultPhoneRegion: region,
    sessionTtlHours: integer(env, 'SESSION_TTL_HOURS', 12, 1, 24 * 30),
    loginRateLimitPerMinute: integer(env, 'LOGIN_RATE_LIMIT_PER_MINUTE', 10, 1, 10_000),
    loginFreeAttempts: integer(env, 'LOGIN_ACCOUNT_ATTEMPTS', 5, 1, 1000),
    breakReasons: [...new Set(breakReasons)],
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 65_536, 1024, 10 * 1024 * 1024),
    requestTimeoutSeconds: integer(env, 'REQUEST_TIMEOUT_SECONDS', 30, 1, 600),
    logLevel: logLevel as Config['logLevel'],
    trustProxy: flag(env, 'TRUST_PROXY', false),
    bootstrapAdminPassword,
    twilio: accountSid && authToken && callerId ? { accountSid, authToken, apiBaseUrl, callerId } : null,
    simulate: flag(env, 'SIMULATE', true),
    shortAbandonSeconds: integer(env, 'SHORT_ABANDON_SECONDS', 5, 0, 600),
    supervisionTimeZone,
    alertWebhook,
    sip: loadSipConfig(env, port),
  };
}

const SIP_HOST = /^[A-Za-z0-9.:-]{1,253}$/;

/** A CIDR for Kamailio's is_in_subnet, written into its config: only digits, dots, colons, hex and one slash. */
function cidrOf(value: string): string {
  const [address = '', bits, ...rest] = value.split('/');
  const v4 =
    /^\d{1,3}(\.\d{1,3}){3}$/.test(address) && address.split('.').every((part) => Number(part) <= 255);
  const v6 = !v4 && /^[0-9A-Fa-f:]{2,39}$/.test(address) && address.includes(':');
  const max = v4 ? 32 : 128;
  if (
    (!v4 && !v6) ||
    rest.length > 0 ||
    (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= max))
  )
    throw new ConfigError(
      'SIP_TRUSTED_PEERS',
      `must be IP addresses or CIDRs separated by commas, got "${value}"`,
    );
  return `${address}/${bits ?? max}`;
}

function loadSipConfig(env: Env, port: number): SipConfig | null {
  const sharedSecret = env.SIP_SHARED_SECRET || undefined;
  if (!sharedSecret) return null;
  // It is written into the rendered Kamailio config: a plain token cannot break out of a string there.
  if (!/^[A-Za-z0-9._~-]{32,128}$/.test(sharedSecret)) {
    throw new ConfigError('SIP_SHARED_SECRET', 'must be 32–128 characters of letters, digits, - _ . ~');
  }
  const host = (name: string, fallback: string) => {
    const value = env[name] || fallback;
    if (!SIP_HOST.test(value))
      throw new ConfigError(name, `must be a host name or IP address, got "${value}"`);
    return value;
  };
  const listenAddress = host('SIP_LISTEN_ADDRESS', '127.0.0.1');
  const advertisedAddress = env.SIP_ADVERTISED_ADDRESS ? host('SIP_ADVERTISED_ADDRESS', '') : null;
  const queueByNumber: Record<string, string> = {};
  for (const pair of (env.SIP_QUEUE_BY_NUMBER ?? '').split(',').filter((item) => item.trim())) {
    const match = /^\s*([A-Za-z0-9_.+*#-]{1,64})\s*=\s*([^=,]{1,100}?)\s*$/.exec(pair);
    if (!match) {
      throw new ConfigError(
        'SIP_QUEUE_BY_NUMBER',
        `must be number=queue pairs separated by commas, got "${pair}"`,
      );
    }
    queueByNumber[match[1]!] = match[2]!;
  }
  const ports = {
    sipPort: integer(env, 'SIP_PORT', 5060, 1, 65535),
    wsPort: integer(env, 'SIP_WS_PORT', 8088, 1, 65535),
    controlPort: integer(env, 'SIP_CONTROL_PORT', 5090, 1, 65535),
  };
  if (new Set(Object.values(ports)).size !== 3) {
    throw new ConfigError('SIP_WS_PORT', 'SIP_PORT, SIP_WS_PORT and SIP_CONTROL_PORT must differ');
  }
  const tls = sipTls(env, Object.values(ports));
  const evapiPort = env.SIP_EVAPI_PORT ? integer(env, 'SIP_EVAPI_PORT', 0, 1, 65535) : null;
  if (evapiPort !== null && [...Object.values(ports), tls?.wssPort].includes(evapiPort))
    throw new ConfigError(
      'SIP_EVAPI_PORT',
      'must differ from SIP_PORT, SIP_WS_PORT, SIP_CONTROL_PORT and SIP_WSS_PORT',
    );
  return {
    sharedSecret,
    domain: host('SIP_DOMAIN', listenAddress),
    listenAddress,
    advertisedAddress,
    ...ports,
    tls,
    wsUrl: url(
      'SIP_WS_URL',
      env.SIP_WS_URL ||
        (tls
          ? `wss://${host('SIP_DOMAIN', listenAddress)}:${tls.wssPort}`
          : `ws://${advertisedAddress ?? listenAddress}:${ports.wsPort}`),
      ['ws:', 'wss:'],
    ).href.replace(/\/$/, ''),
    ctiUrl: url('SIP_CTI_URL', env.SIP_CTI_URL || `http://127.0.0.1:${port}`, ['http:', 'https:']),
    defaultQueue: env.SIP_DEFAULT_QUEUE || 'Support',
    queueByNumber,
    maxWaitSeconds: integer(env, 'SIP_MAX_WAIT_SECONDS', 1800, 10, 86_400),
    credentialTtlHours: integer(env, 'SIP_CREDENTIAL_TTL_HOURS', 12, 1, 24 * 30),
    iceServers: (env.SIP_ICE_SERVERS ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)
      .map((item) => {
        if (!/^(stuns?|turns?):[A-Za-z0-9.[\]:-]{1,260}(\?transport=(udp|tcp))?$/.test(item))
          throw new ConfigError(
            'SIP_ICE_SERVERS',
            `must be stun: or turn: URLs separated by commas, got "${item}"`,
          );
        return item;
      }),
    floodLimitPerSecond: integer(env, 'SIP_FLOOD_LIMIT', 50, 0, 100_000),
    workers: integer(env, 'SIP_WORKERS', 8, 1, 64),
    rtpengine: loadRtpengineConfig(env),
    transferTrunk: env.SIP_TRANSFER_TRUNK ? host('SIP_TRANSFER_TRUNK', '') : null,
    trustedPeers: (env.SIP_TRUSTED_PEERS ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)
      .map(cidrOf),
    evapiPort,
  };
}

function loadRtpengineConfig(env: Env): RtpengineConfig | null {
  const socket = env.SIP_RTPENGINE || undefined;
  if (!socket) return null;
  // Kamailio's rtpengine_sock syntax; the value is written into the rendered config.
  const match = /^udp:([A-Za-z0-9.-]{1,253}):(\d{1,5})$/.exec(socket);
  const ngPort = Number(match?.[2]);
  if (!match || ngPort < 1 || ngPort > 65535) {
    throw new ConfigError('SIP_RTPENGINE', `must be udp:HOST:PORT (rtpengine's ng address), got "${socket}"`);
  }
  const ports = /^(\d{1,5})-(\d{1,5})$/.exec(env.SIP_RTP_PORTS || '30000-30999');
  const portMin = Number(ports?.[1]);
  const portMax = Number(ports?.[2]);
  // rtpengine takes two ports per stream (RTP and RTCP) from an even start.
  if (!ports || portMin < 1024 || portMax > 65535 || portMax - portMin < 3) {
    throw new ConfigError(
      'SIP_RTP_PORTS',
      `must be FIRST-LAST within 1024-65535, at least 4 ports, got "${env.SIP_RTP_PORTS}"`,
    );
  }
  return { ngHost: match[1]!, ngPort, portMin, portMax };
}
