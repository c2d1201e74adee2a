import formbody from '@fastify/formbody';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { CallEvents } from '../telephony.port.js';
import type { Clock } from '../../clock.js';
import { HANDOFF_MAX_BYTES_LIMIT } from '../../config.js';
import { decodeHandoffContext } from '../../handoff/index.js';
import { errors } from '../../http/common.schemas.js';
import { forbidden, notFound, unauthorized } from '../../http/errors.js';
import { SIP_DIALOG_EVENTS, SIP_HOOK_PATHS, sipAuthorization } from './kamailio-config.js';
import type { SipDialogEvents } from './sip-dialog-events.js';
import { sameSecret, type SipCredentialsIssuer } from './sip-credentials.js';
import { checkTransferUser, isTransferUser } from './sip-transfer.js';
import type { SipWaiting } from './sip-waiting.js';

export interface SipHooksOptions {
  calls: CallEvents;
  dialogEvents: SipDialogEvents;
  waiting: SipWaiting;
  credentials: SipCredentialsIssuer;
  sharedSecret: string;
  /** Largest X-CTI-Context taken, in bytes (HANDOFF_MAX_BYTES). */
  handoffMaxBytes: number;
  /** The CallQueue a dialled number (R-URI user) goes to, or null when none fits. */
  queueFor: (dialled: string) => string | null;
  clock: Clock;
}

// Kamailio escapes every value it sends. SIP sets no limit on a Call-ID or a user part (RFC 3261), and
// a trunk may send long ones legitimately: a refusal here would turn its call away, so the bounds only
// keep absurd input out.
const SIP_VALUE_MAX = 1024;
const CallId = Type.String({ minLength: 1, maxLength: SIP_VALUE_MAX });
const RouteBody = Type.Object({
  callId: CallId,
  from: Type.String({ maxLength: SIP_VALUE_MAX }),
  to: Type.String({ maxLength: SIP_VALUE_MAX }),
  // Form fields are text: Kamailio's transaction index and label, unsigned 32-bit.
  tindex: Type.String({ pattern: '^\\d{1,10}$' }),
  tlabel: Type.String({ pattern: '^\\d{1,10}$' }),
  /** A trusted peer's X-CTI-Context, as sent (route[HANDOFF_CONTEXT]); checked in the handler, never refused here. */
  context: Type.Optional(Type.String({ maxLength: HANDOFF_MAX_BYTES_LIMIT })),
  /** Why Kamailio left an X-CTI-Context out. */
  contextRefused: Type.Optional(Type.Union([Type.Literal('oversize'), Type.Literal('untrusted')])),
});
const RouteAnswer = Type.Union([
  Type.Object({ action: Type.Literal('queue'), interactionId: Type.String() }),
  Type.Object({ action: Type.Literal('reject'), code: Type.Integer(), reason: Type.String() }),
]);
const CredentialsBody = Type.Object({
  username: Type.String({ maxLength: SIP_VALUE_MAX }),
  aor: Type.String({ maxLength: SIP_VALUE_MAX }),
});
const EventBody = Type.Object({
  event: Type.Union(Object.values(SIP_DIALOG_EVENTS).map((event) => Type.Literal(event))),
  callId: CallId,
  interactionId: Type.Optional(Type.String({ maxLength: 20 })),
  code: Type.Optional(Type.String({ maxLength: 10 })),
});

const AgentFailedBody = Type.Object({
  callId: CallId,
  // The final response of the Agent's branch ($T_reply_code).
  code: Type.String({ pattern: '^\\d{1,3}$' }),
  tindex: Type.String({ pattern: '^\\d{1,10}$' }),
  tlabel: Type.String({ pattern: '^\\d{1,10}$' }),
});
const AgentFailedAnswer = Type.Union([
  Type.Object({ action: Type.Literal('queue') }),
  Type.Object({ action: Type.Literal('relay') }),
]);

const reject = (code: number, reason: string) => ({ action: 'reject' as const, code, reason });

/**
 * Kamailio's hooks into the call path, the SIP counterpart of Twilio's webhooks. Every request must
 * carry the shared secret (401 without it, 403 with a wrong one) before anything is parsed or created.
 */
export const sipHooksRoutes: FastifyPluginAsyncTypebox<SipHooksOptions> = async (
  app,
  { calls, dialogEvents, waiting, credentials, sharedSecret, handoffMaxBytes, queueFor, clock },
) => {
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(formbody);
  const expected = sipAuthorization(sharedSecret);
  app.addHook('onRequest', async (request) => {
    const presented = request.headers.authorization;
    if (!presented) throw unauthorized('Kamailio hooks need the shared secret');
    if (!sameSecret(presented, expected)) throw forbidden('Wrong shared secret');
  });

  app.post(
    SIP_HOOK_PATHS.route,
    {
      schema: {
        hide: true,
        body: RouteBody,
        response: { 200: RouteAnswer, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const { callId, from, to, tindex, tlabel } = request.body;
      const invite = { tindex: Number(tindex), tlabel: Number(tlabel), callId };
      if (isTransferUser(to)) {
        // A caller's side following an Agent's REFER: the transfer already made its Interaction and
        // queues it once the caller is here (see SipCommands' transfer).
        const checked = checkTransferUser(sharedSecret, to, clock.now());
        if ('refused' in checked) {
          request.log.warn({ callId, refused: checked.refused }, 'transfer INVITE refused');
          return checked.refused === 'expired' ? reject(410, 'Transfer Expired') : reject(403, 'Forbidden');
        }
        if (!calls.transferredCallArrived(checked.interactionId, 'sip', callId))
          return reject(404, 'No Such Transfer');
        await waiting.put(checked.interactionId, invite);
        return { action: 'queue' as const, interactionId: String(checked.interactionId) };
      }
      const queueName = queueFor(to);
      // Checked before anything is created, so a wrong number leaves no Interaction behind.
      if (!queueName) return reject(404, 'No Such Number');
      const { interactionId, created } = await calls.arrive({
        provider: 'sip',
        providerCallId: callId,
        from,
        to,
      });
      // The same Call-ID again is a looped or forked INVITE: the first one is the call.
      if (!created) return reject(482, 'Loop Detected');
      const { context, contextRefused } = request.body;
      if (context !== undefined)
        calls.handedOff(interactionId, 'sip', decodeHandoffContext(context, handoffMaxBytes));
      else if (contextRefused !== undefined)
        calls.handedOff(interactionId, 'sip', { refused: contextRefused });
      // Stored before the call joins the ACD, so an Agent who accepts at once finds it.
      await waiting.put(interactionId, invite);
      await calls.enqueue(interactionId, { queueName, priorityBoostSeconds: 0, ivrAnswers: {} });
      setImmediate(
        () => void calls.dispatch().catch((err: unknown) => app.log.error({ err }, 'dispatch failed')),
      );
      return { action: 'queue' as const, interactionId: String(interactionId) };
    },
  );

  // The Agent's softphone failed the call they accepted (failure_route[AGENT_FAILED]). 'queue': the
  // call is back at its place and Kamailio holds the INVITE again; 'relay': the failure goes on to
  // the caller (the call was answered, ended, or is not ours).
  app.post(
    SIP_HOOK_PATHS.agentFailed,
    {
      schema: {
        hide: true,
        body: AgentFailedBody,
        response: { 200: AgentFailedAnswer, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const { callId, code, tindex, tlabel } = request.body;
      const owner = calls.ownerOfCall('sip', callId);
      if (!owner || owner.moved) return { action: 'relay' as const };
      // Stored first, so an Agent who accepts the call at once finds the INVITE.
      await waiting.put(owner.id, { tindex: Number(tindex), tlabel: Number(tlabel), callId });
      if (!(await calls.agentLegFailed(owner.id, code))) {
        await waiting.take(owner.id);
        return { action: 'relay' as const };
      }
      // After our answer: the INVITE is held again only once Kamailio has it.
      setImmediate(
        () => void calls.dispatch().catch((err: unknown) => app.log.error({ err }, 'dispatch failed')),
      );
      return { action: 'queue' as const };
    },
  );

  app.post(
    SIP_HOOK_PATHS.credentials,
    {
      schema: {
        hide: true,
        body: CredentialsBody,
        response: { 200: Type.String(), ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const ha1 = credentials.ha1For(request.body.username, request.body.aor, clock.now());
      if (!ha1) throw forbidden('Unknown, expired or foreign SIP credentials');
      return reply.type('text/plain').send(ha1);
    },
  );

  app.post(
    SIP_HOOK_PATHS.events,
    {
      schema: { hide: true, body: EventBody, response: { 204: {}, ...errors(400, 401, 403, 404) } },
    },
    async (request, reply) => {
      if ((await dialogEvents.take(request.body, 'http')) === 'unknown')
        throw notFound('SIP call', request.body.callId);
      return reply.code(204).send();
    },
  );
};
