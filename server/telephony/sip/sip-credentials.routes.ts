import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Clock } from '../../clock.js';
import { SipCredentialsResponse } from '../../../contracts/softphone.js';
import { errors } from '../../http/common.schemas.js';
import { conflict } from '../../http/errors.js';
import { ALL_ROLES, actorOf } from '../../plugins/auth.plugin.js';
import type { SipCredentialsIssuer } from './sip-credentials.js';

export interface SipCredentialsRoutesOptions {
  credentials: SipCredentialsIssuer;
  /** The SIP user of an Agent's softphone (from their SIP address), or null when they have none. */
  sipUserOf: (agentId: number) => string | null;
  /** Where softphones connect, e.g. wss://sip.example.com. */
  wsUrl: string;
  /** STUN/TURN URLs for the softphone's ICE (SIP_ICE_SERVERS); empty for none. */
  iceServers: string[];
  clock: Clock;
}

export type { SipCredentialsResponse } from '../../../contracts/softphone.js';

/** Issues the signed-in Agent's softphone its SIP credentials. */
export const sipCredentialsRoutes: FastifyPluginAsyncTypebox<SipCredentialsRoutesOptions> = async (
  app,
  { credentials, sipUserOf, wsUrl, iceServers, clock },
) => {
  app.get(
    '/sip/credentials',
    {
      schema: {
        tags: ['telephony'],
        summary: "The signed-in Agent's SIP credentials for the softphone (short-lived; do not store)",
        response: { 200: SipCredentialsResponse, ...errors(401, 403, 409) },
      },
      config: { roles: ALL_ROLES },
    },
    async (request, reply) => {
      const user = sipUserOf(actorOf(request).id);
      if (!user) throw conflict('You have no SIP address to register: ask an admin to set one');
      const issued = credentials.issue(user, clock.now());
      void reply.header('cache-control', 'no-store');
      return { ...issued, expiresAt: issued.expiresAt.toISOString(), wsUrl, iceServers };
    },
  );
};
