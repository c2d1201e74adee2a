import fp from 'fastify-plugin';
import type { AppContext } from '../../plugins/app-context.js';
import { sipRoutes } from './sip-edge.js';

/** The SIP edge's inbound side: Kamailio's hooks and events, its reconciler, agents' SIP credentials. */
export const sipPlugin = fp<AppContext>(
  async (app, { config, clock }) => {
    const adapter = app.telephony.sip;
    if (!config.sip || !adapter) return;
    await app.register(sipRoutes, {
      sip: config.sip,
      adapter,
      calls: app.callEvents,
      surveys: app.surveys,
      acd: app.acd,
      queueExists: (name) => app.callQueues.findByName(name) !== undefined,
      sipAddressOf: (agentId) => app.agents.get(agentId).sipAddress,
      handoffMaxBytes: config.handoff.maxBytes,
      clock,
    });
  },
  { name: 'sip', dependencies: ['acd', 'telephony', 'calls', 'call-queues', 'agents', 'surveys'] },
);
