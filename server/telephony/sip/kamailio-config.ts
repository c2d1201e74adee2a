import { readFileSync } from 'node:fs';
import { HANDOFF_MAX_BYTES_LIMIT, type SipConfig } from '../../config.js';

/** The shipped template; `renderKamailioConfig` fills it in. */
export const KAMAILIO_TEMPLATE = new URL('./kamailio/kamailio.cfg.tmpl', import.meta.url);

/** Where Debian's kamailio packages put the modules. */
export const DEBIAN_KAMAILIO_MODULES = '/usr/lib/x86_64-linux-gnu/kamailio/modules/';

/** Where Kamailio reaches our server; the paths are written into the rendered config. */
export const SIP_HOOK_PREFIX = '/sip';
export const SIP_HOOK_PATHS = {
  route: '/route',
  credentials: '/credentials',
  events: '/events',
  agentFailed: '/agent-failed',
} as const;

/**
 * The dialog events Kamailio sends: answered, ended and failed from event_route[dialog:start|end|failed];
 * held and resumed from a re-INVITE answered 2xx (route[HOLD_OFFER], by the offer's SDP direction).
 */
export const SIP_DIALOG_EVENTS = {
  answered: 'answered',
  ended: 'ended',
  failed: 'failed',
  held: 'held',
  resumed: 'resumed',
} as const;

/** What our server sends first on an evapi connection; Kamailio tags the connection if it is right. */
export const evapiAuthMessage = (sharedSecret: string) => `auth:${sharedSecret}`;
/** What Kamailio pushes to authenticated evapi connections when one more is accepted. */
export const EVAPI_READY = 'ready';

/** Bearer scheme on every HTTP request between Kamailio and our server. */
export const sipAuthorization = (sharedSecret: string) => `Bearer ${sharedSecret}`;

export interface KamailioRenderOptions {
  /** Kamailio module folder. Default: Debian's. */
  modulesPath?: string;
  /** SIP worker processes per listener. Default `sip.workers` (`SIP_WORKERS`). */
  children?: number;
  /** Kamailio `debug` level: -1 (alert) … 3 (debug). Default 1 (warnings and errors). */
  logLevel?: number;
  /** How long a routing hook may take before Kamailio answers 503, in seconds. Default 3. */
  hookTimeoutSeconds?: number;
  /**
   * Ring the dialled user's softphone without asking our server: the baseline of `npm run bench:sip`,
   * never a production setting. Default false.
   */
  directRouting?: boolean;
}

/**
 * The Kamailio configuration for `sip`: the shipped template with every `{{ name }}` replaced. Fails
 * on a placeholder it has no value for, so a template change cannot ship half-rendered. The values
 * come from `loadConfig`, which already refused anything that could break out of a Kamailio string.
 */
export function renderKamailioConfig(sip: SipConfig, options: KamailioRenderOptions = {}): string {
  const advertise = sip.advertisedAddress ? ` advertise ${sip.advertisedAddress}` : '';
  const listen = [
    `listen=udp:${sip.listenAddress}:${sip.sipPort}${advertise}`,
    `listen=tcp:${sip.listenAddress}:${sip.sipPort}${advertise}`,
    `listen=tcp:${sip.listenAddress}:${sip.wsPort}${advertise}`,
    `listen=tcp:127.0.0.1:${sip.controlPort}`,
    ...(sip.tls ? [`listen=tls:${sip.listenAddress}:${sip.tls.wssPort}${advertise}`] : []),
  ].join('\n');
  const values: Record<string, string | number> = {
    defines: [
      options.directRouting ? '#!define DIRECT_ROUTING' : '',
      sip.rtpengine ? '#!define WITH_RTPENGINE' : '',
      sip.trustedPeers.length > 0 ? '#!define TRUSTED_PEERS' : '',
      sip.evapiPort !== null ? '#!define EVAPI' : '',
      sip.tls ? '#!define WITH_TLS' : '',
    ]
      .filter(Boolean)
      .join('\n'),
    rtpengineSocket: sip.rtpengine ? `udp:${sip.rtpengine.ngHost}:${sip.rtpengine.ngPort}` : '',
    trustedPeers: sip.trustedPeers.join(','),
    evapiPort: sip.evapiPort ?? 0,
    evapiAuth: evapiAuthMessage(sip.sharedSecret),
    evapiReady: EVAPI_READY,
    listen,
    logLevel: options.logLevel ?? 1,
    children: options.children ?? sip.workers,
    modulesPath: options.modulesPath ?? DEBIAN_KAMAILIO_MODULES,
    listenAddress: sip.listenAddress,
    wsPort: sip.wsPort,
    // Without TLS the secure port is the plain one: the handshake check stays one comparison.
    wssPort: sip.tls?.wssPort ?? sip.wsPort,
    tlsCert: sip.tls?.certFile ?? '',
    tlsKey: sip.tls?.keyFile ?? '',
    sipPort: sip.sipPort,
    controlPort: sip.controlPort,
    domain: sip.domain,
    routeHookUrl: `${sip.ctiUrl.origin}${SIP_HOOK_PREFIX}${SIP_HOOK_PATHS.route}`,
    credentialsHookUrl: `${sip.ctiUrl.origin}${SIP_HOOK_PREFIX}${SIP_HOOK_PATHS.credentials}`,
    eventsHookUrl: `${sip.ctiUrl.origin}${SIP_HOOK_PREFIX}${SIP_HOOK_PATHS.events}`,
    agentFailedHookUrl: `${sip.ctiUrl.origin}${SIP_HOOK_PREFIX}${SIP_HOOK_PATHS.agentFailed}`,
    ctiUrl: sip.ctiUrl.origin,
    answeredEvent: SIP_DIALOG_EVENTS.answered,
    endedEvent: SIP_DIALOG_EVENTS.ended,
    failedEvent: SIP_DIALOG_EVENTS.failed,
    heldEvent: SIP_DIALOG_EVENTS.held,
    resumedEvent: SIP_DIALOG_EVENTS.resumed,
    secret: sip.sharedSecret,
    hookHeaders: `Content-Type: application/x-www-form-urlencoded\\r\\nAuthorization: ${sipAuthorization(sip.sharedSecret)}`,
    hookTimeoutSeconds: options.hookTimeoutSeconds ?? 3,
    maxWaitMs: sip.maxWaitSeconds * 1000,
    handoffMaxBytes: HANDOFF_MAX_BYTES_LIMIT,
    // The hook's query holds the context url-encoded (up to three bytes each) beside the call's fields.
    pvBufferBytes: HANDOFF_MAX_BYTES_LIMIT * 3 + 8192,
    // pike counts per two-second unit; off is a limit no source reaches.
    floodRequestsPerUnit: sip.floodLimitPerSecond === 0 ? 100_000_000 : sip.floodLimitPerSecond * 2,
    // A call may last far longer than its wait; tm must not end the transaction under it.
    maxInviteLifetimeMs: (sip.maxWaitSeconds + 300) * 1000,
  };
  return readFileSync(KAMAILIO_TEMPLATE, 'utf8').replace(/\{\{ (\w+) \}\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`The Kamailio template names an unknown value "${name}"`);
    return String(value);
  });
}
