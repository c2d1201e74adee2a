import fp from 'fastify-plugin';
import type { AppContext } from '../../plugins/app-context.js';
import {
  createTwilioReconciler,
  scheduleTwilioReconciliation,
  type TwilioReconciler,
} from './twilio-reconcile.js';
import { twilioSignaturePlugin } from './twilio-signature.plugin.js';
import { TWILIO_WEBHOOK_PREFIX } from './twilio-webhook-urls.js';
import { twilioWebhooksRoutes } from './twilio-webhooks.routes.js';
import { createCallBinding } from './webhook-binding.js';
import { createWebhookDedupe } from './webhook-dedupe.js';
import { createWebhookSteps } from './webhook-steps.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Replays Twilio callbacks we missed; null without a Twilio account. */
    twilioReconciler: TwilioReconciler | null;
  }
}

/**
 * Twilio's inbound edge: its signed webhooks (the IVR and call events) and the reconciler that
 * catches up with calls whose callbacks we missed, once at start and then periodically.
 */
export const twilioPlugin = fp<AppContext>(
  async (app, { config, clock, callTimers }) => {
    const { callEvents: calls, acd, interactions } = app;
    const twilio = app.telephony.twilio;
    const reconciler =
      twilio &&
      createTwilioReconciler({
        reader: twilio.reader,
        calls,
        acd,
        answered: (interactionId) => interactions.facts(interactionId).answeredAt !== null,
        outsideQueues: () => interactions.outsideQueues('twilio'),
        clock,
        log: app.log,
      });
    app.decorate('twilioReconciler', reconciler);
    if (!twilio || !reconciler || !config.twilio) return;
    const prefix = `${app.callStatePrefix}twilio:`;
    scheduleTwilioReconciliation(app, reconciler, { claimKey: `${prefix}reconcile`, periodic: callTimers });
    const { authToken } = config.twilio;
    await app.register(
      async (scope) => {
        await scope.register(twilioSignaturePlugin, { authToken, publicBaseUrl: config.publicBaseUrl });
        await scope.register(twilioWebhooksRoutes, {
          calls,
          dedupe: createWebhookDedupe({ redis: app.redis, prefix: `${prefix}webhook:` }),
          steps: createWebhookSteps({ redis: app.redis, prefix: `${prefix}step:` }),
          legOfCall: createCallBinding({
            legs: twilio.legs,
            callerLegOf: async (id) => (await calls.session(id))?.providerCallId ?? null,
            interactionOf: (callSid) => calls.interactionOf('twilio', callSid),
          }),
          publicBaseUrl: config.publicBaseUrl,
          surveys: app.surveys,
          handoff: config.handoff,
          hasQueue: (name) => app.callQueues.findByName(name) !== undefined,
          clock,
        });
      },
      { prefix: TWILIO_WEBHOOK_PREFIX },
    );
  },
  {
    name: 'twilio',
    dependencies: [
      'redis',
      'call-state',
      'acd',
      'telephony',
      'interactions',
      'calls',
      'recordings',
      'surveys',
      'call-queues',
    ],
  },
);
