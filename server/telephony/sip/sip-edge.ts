import type { SurveyCalls } from '../survey.port.js';
import type { FastifyPluginAsync } from 'fastify';
import type { Acd } from '../../../queues/index.js';
import type { Redis } from 'ioredis';
import type { Clock } from '../../clock.js';
import type { SipConfig } from '../../config.js';
import { SIP_HOOK_PREFIX } from './kamailio-config.js';
import { createKamailioControl, type KamailioControl } from './kamailio-control.js';
import { createSipCommands } from './sip-commands.js';
import { sipCredentialsRoutes } from './sip-credentials.routes.js';
import { createSipCredentials, sipUserOf, type SipCredentialsIssuer } from './sip-credentials.js';
import { createSipDialogEvents } from './sip-dialog-events.js';
import { createSipEvapiClient } from './sip-evapi.js';
import { sipHooksRoutes } from './sip-hooks.routes.js';
import { createSipReconciler } from './sip-reconcile.js';
import { releaseRtpengineCall } from './rtpengine-ng.js';
import { createSipWaiting, type SipWaiting } from './sip-waiting.js';
import type { SoftphoneControl } from './softphone-control.js';
import type { CallEvents, TelephonyCommands } from '../telephony.port.js';

export interface SipAdapter {
  commands: TelephonyCommands;
  /** Where the adapter keeps its shared records (Redis, under `prefix`). */
  redis: Redis;
  prefix: string;
  control: KamailioControl;
  waiting: SipWaiting;
  credentials: SipCredentialsIssuer;
}

/** The SIP adapter's parts, built from our configuration. */
export function createSipAdapter(options: {
  sip: SipConfig;
  redis: Redis;
  prefix: string;
  /** The Agent's softphone: hold, mute and the REFER of a blind transfer. */
  softphone: SoftphoneControl;
  clock: Clock;
}): SipAdapter {
  const { sip } = options;
  const control = createKamailioControl({
    controlUrl: new URL(`http://127.0.0.1:${sip.controlPort}`),
    sharedSecret: sip.sharedSecret,
  });
  const waiting = createSipWaiting({
    redis: options.redis,
    prefix: options.prefix,
    ttlSeconds: sip.maxWaitSeconds + 60,
  });
  const credentials = createSipCredentials({
    sharedSecret: sip.sharedSecret,
    domain: sip.domain,
    ttlHours: sip.credentialTtlHours,
  });
  const commands = createSipCommands({
    control,
    waiting,
    softphone: options.softphone,
    transfer: {
      refer: (request) => options.softphone.refer(request),
      sharedSecret: sip.sharedSecret,
      edgeAddress: `${sip.advertisedAddress ?? sip.listenAddress}:${sip.sipPort}`,
      trunk: sip.transferTrunk,
      clock: options.clock,
    },
  });
  return { commands, redis: options.redis, prefix: options.prefix, control, waiting, credentials };
}

export interface SipRoutesOptions {
  sip: SipConfig;
  adapter: SipAdapter;
  calls: CallEvents;
  /** Records the post-call survey as not offered: SIP has no media server to play it. */
  surveys?: Pick<SurveyCalls, 'sipConversationEnded'>;
  acd: Acd;
  /**
   * How often to compare the ACD's SIP calls with Kamailio's dialogs, ending those whose end event
   * was lost; also once when the server is ready. Seconds; default 15; 0 only at start.
   */
  reconcileEverySeconds?: number;
  /** Largest X-CTI-Context taken from a trusted peer, in bytes (HANDOFF_MAX_BYTES). */
  handoffMaxBytes: number;
  /** Whether a CallQueue of this name exists (case-insensitive). */
  queueExists: (name: string) => boolean;
  /** An Agent's SIP address, or null. */
  sipAddressOf: (agentId: number) => string | null;
  clock: Clock;
}

/** Kamailio's hooks under /sip and the Agents' credentials route under /api. */
export const sipRoutes: FastifyPluginAsync<SipRoutesOptions> = async (app, options) => {
  const { sip, adapter, calls, clock } = options;
  const dialogEvents = createSipDialogEvents({
    calls,
    ...(options.surveys && { surveys: options.surveys }),
    waiting: adapter.waiting,
    redis: adapter.redis,
    prefix: adapter.prefix,
    log: app.log,
  });
  if (sip.evapiPort !== null) {
    const evapi = createSipEvapiClient({
      port: sip.evapiPort,
      sharedSecret: sip.sharedSecret,
      onEvent: (event) => dialogEvents.take(event, 'evapi'),
      log: app.log,
    });
    app.addHook('onReady', async () => evapi.start());
    app.addHook('preClose', () => evapi.close());
  }
  app.addHook('preClose', () => dialogEvents.settled());
  await app.register(sipHooksRoutes, {
    prefix: SIP_HOOK_PREFIX,
    calls,
    dialogEvents,
    waiting: adapter.waiting,
    credentials: adapter.credentials,
    sharedSecret: sip.sharedSecret,
    handoffMaxBytes: options.handoffMaxBytes,
    queueFor: (dialled) => {
      const name = sip.queueByNumber[dialled] ?? sip.defaultQueue;
      return options.queueExists(name) ? name : null;
    },
    clock,
  });
  const reconcile = createSipReconciler({
    control: adapter.control,
    waiting: adapter.waiting,
    calls,
    acd: options.acd,
    log: app.log,
    lastSeen: { redis: adapter.redis, prefix: `${adapter.prefix}reconcile:` },
    ...(sip.rtpengine && { releaseMedia: releaseRtpengineCall(sip.rtpengine) }),
    clock,
  });
  const reconcileSafely = () =>
    reconcile().catch((err: unknown) => app.log.warn({ err }, 'SIP reconciliation failed'));
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    void reconcileSafely();
    const every = options.reconcileEverySeconds ?? 15;
    if (every > 0) timer = setInterval(() => void reconcileSafely(), every * 1000);
  });
  app.addHook('preClose', async () => clearInterval(timer));
  await app.register(sipCredentialsRoutes, {
    prefix: '/api',
    credentials: adapter.credentials,
    sipUserOf: (agentId) => {
      const address = options.sipAddressOf(agentId);
      return address === null ? null : sipUserOf(address);
    },
    wsUrl: sip.wsUrl,
    iceServers: sip.iceServers,
    clock,
  });
};
