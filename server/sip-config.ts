import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { ConfigError, integer, url, type Env } from './config-readers.js';

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

/** The SIP edge's settings from `env` (handed over by `loadConfig`), or null while `SIP_SHARED_SECRET` is unset. */
export function loadSipConfig(env: Env, port: number): SipConfig | null {
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
