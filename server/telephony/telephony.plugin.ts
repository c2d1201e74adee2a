import fp from 'fastify-plugin';
import type { AppContext } from '../plugins/app-context.js';
import { createSipAdapter, type SipAdapter } from './sip/sip-edge.js';
import { createSoftphoneControl } from './sip/softphone-control.js';
import type { CallReader, RecordingMedia, SupervisorCommands, TelephonyCommands } from './telephony.port.js';
import { createCallReaderRouter, createTelephonyRouter } from './telephony.router.js';
import { createTwilioCallReader } from './twilio/twilio-call-reader.js';
import { createTwilioRecordingMedia } from './twilio/twilio-recording-media.js';
import { createTwilioClient, createTwilioCommands } from './twilio/twilio-rest.js';
import { createTwilioSupervisorCommands } from './twilio/twilio-supervisor.js';
import { createCallLegs, rememberingPlacedLegs, type CallLegs } from './twilio/webhook-binding.js';

/** The configured providers' outbound side; each part is null when no provider offers it. */
export interface Telephony {
  /** Call control, routed to the provider that carries each call. */
  commands: TelephonyCommands | null;
  /** Asks the provider what became of a call (after a restart). */
  callReader: CallReader | null;
  supervisor: SupervisorCommands | null;
  recordingMedia: RecordingMedia | null;
  /** Twilio's parts that its webhooks and reconciler need too. */
  twilio: { legs: CallLegs; reader: CallReader } | null;
  sip: SipAdapter | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    telephony: Telephony;
  }
}

/**
 * The providers' adapters, outbound: the call path, recordings and supervision command calls through
 * them. Their inbound edges (webhooks, SIP hooks) call the call path and are registered after it.
 */
export const telephonyPlugin = fp<AppContext>(
  async (app, { config, clock }) => {
    const prefix = app.callStatePrefix;
    const client = config.twilio && createTwilioClient(config.twilio);
    // Every leg placed on Twilio is remembered, so its webhooks can be bound to its Interaction.
    const legs = createCallLegs({ redis: app.redis, prefix: `${prefix}twilio:` });
    const reader = client && createTwilioCallReader({ client });
    const twilioCommands =
      client &&
      config.twilio &&
      rememberingPlacedLegs(
        createTwilioCommands({
          client,
          publicBaseUrl: config.publicBaseUrl,
          callerId: config.twilio.callerId,
        }),
        legs,
      );
    const sip = config.sip
      ? createSipAdapter({
          sip: config.sip,
          redis: app.redis,
          prefix: `${prefix}sip:`,
          softphone: createSoftphoneControl({
            io: app.io,
            agentOf: async (interactionId) => (await app.acd.getCall(interactionId))?.agentId ?? null,
          }),
          clock,
        })
      : null;
    app.decorate('telephony', {
      commands:
        twilioCommands || sip ? createTelephonyRouter({ twilio: twilioCommands, sip: sip?.commands }) : null,
      callReader: reader && createCallReaderRouter({ twilio: reader }),
      supervisor:
        client && config.twilio
          ? createTwilioSupervisorCommands({ client, callerId: config.twilio.callerId })
          : null,
      recordingMedia: config.twilio ? createTwilioRecordingMedia(config.twilio) : null,
      twilio: reader && { legs, reader },
      sip,
    });
  },
  { name: 'telephony', dependencies: ['redis', 'call-state', 'acd', 'realtime'] },
);
