import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { conferenceNameOf, type CallEvents } from '../telephony.port.js';
import { timestampOf, type TwilioWebhooksOptions } from './twilio-webhook-context.js';
import {
  callbackResponses,
  CallStatusBody,
  CallStatusQuery,
  ConferenceStatusBody,
  ConferenceStatusQuery,
  InteractionQuery,
  RecordingStatusBody,
  type LegKind,
} from './twilio-webhooks.schemas.js';
import { dedupeKeyOf } from './webhook-dedupe.js';

const ENDED_STATUSES = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

interface LegReports {
  answered: (id: number, at: Date | undefined, callSid: string | undefined) => Promise<void>;
  ended: (id: number, status: string) => Promise<void>;
}

// The legs we place carry `leg` and `interactionId` in their callback URL: what their answer and
// their end mean to the call path. The caller's own leg comes without them, found by CallSid.
const reportsOfPlacedLegs = (calls: CallEvents) =>
  new Map<LegKind, LegReports>([
    [
      'agent',
      {
        answered: (id, at, callSid) => calls.agentLegAnswered(id, at, callSid),
        ended: (id, s) => calls.agentLegEnded(id, s),
      },
    ],
    // A number or agent the agent transferred the caller to, or consults.
    [
      'transfer',
      {
        answered: (id, at) => calls.transferLegAnswered(id, at),
        ended: (id, s) => calls.transferLegEnded(id, s),
      },
    ],
    // A customer we dialled (a callback, click-to-call): their answer starts the conversation.
    [
      'caller',
      { answered: (id, at) => calls.customerAnswered(id, at), ended: (id, s) => calls.callerEnded(id, s) },
    ],
  ]);

/**
 * Twilio's status callbacks: the legs' progress, the bridge's joins, finished recordings. Each is
 * deduplicated on its signed parameters and answers 204 so Twilio stops retrying, also for calls we
 * do not know; a failure forgets the claim so Twilio's retry is handled rather than swallowed.
 */
export const twilioStatusRoutes: FastifyPluginAsyncTypebox<TwilioWebhooksOptions> = async (
  app,
  { calls, dedupe, legOfCall, surveys },
) => {
  const placedLegs = reportsOfPlacedLegs(calls);

  app.post(
    '/call-status',
    { schema: { querystring: CallStatusQuery, body: CallStatusBody, response: callbackResponses } },
    async (request, reply) => {
      const { CallSid, CallStatus } = request.body;
      const { leg } = request.query;
      const interactionId = request.query.interactionId ?? calls.interactionOf('twilio', CallSid);
      if (interactionId === null) {
        request.log.info('status callback for an unknown call');
        return reply.code(204).send();
      }
      if (leg !== undefined && (await legOfCall(interactionId, CallSid)) !== leg) {
        request.log.warn({ interactionId, leg }, 'ignored a status callback of a call that is not this leg');
        return reply.code(204).send();
      }
      const key = dedupeKeyOf('call-status', request.body);
      if (!(await dedupe.firstTime(key))) return reply.code(204).send();
      try {
        const placed = leg === undefined ? undefined : placedLegs.get(leg);
        if (placed) {
          if (CallStatus === 'in-progress')
            await placed.answered(interactionId, timestampOf(request.body), CallSid);
          else if (ENDED_STATUSES.has(CallStatus)) await placed.ended(interactionId, CallStatus);
          return reply.code(204).send();
        }
        if (ENDED_STATUSES.has(CallStatus)) {
          await calls.callerEnded(interactionId, CallStatus, timestampOf(request.body));
          // A survey under way ends with what was answered; one never reached is not offered.
          surveys?.callerLeft(interactionId);
        }
        return reply.code(204).send();
      } catch (error) {
        await dedupe.forget(key);
        throw error;
      }
    },
  );

  app.post(
    '/conference-status',
    {
      schema: { querystring: ConferenceStatusQuery, body: ConferenceStatusBody, response: callbackResponses },
    },
    async (request, reply) => {
      const { interactionId } = request.query;
      const { FriendlyName } = request.body;
      if (interactionId !== undefined && FriendlyName !== undefined) {
        const session = await calls.session(interactionId);
        if (FriendlyName !== (session?.conferenceName ?? conferenceNameOf(interactionId))) {
          request.log.warn({ interactionId }, 'ignored a conference callback of another conference');
          return reply.code(204).send();
        }
      }
      const key = dedupeKeyOf('conference-status', request.body);
      if (!(await dedupe.firstTime(key))) return reply.code(204).send();
      const { CallSid, StatusCallbackEvent } = request.body;
      try {
        // A leg joining the bridge answered: the Agent's answer must not rest on its own callback.
        if (StatusCallbackEvent === 'participant-join' && CallSid && interactionId !== undefined)
          await calls.legJoined(interactionId, CallSid, timestampOf(request.body));
      } catch (error) {
        await dedupe.forget(key);
        throw error;
      }
      return reply.code(204).send();
    },
  );

  app.post(
    '/recording-status',
    { schema: { querystring: InteractionQuery, body: RecordingStatusBody, response: callbackResponses } },
    async (request, reply) => {
      const { interactionId } = request.query;
      const { CallSid, RecordingSid, RecordingStatus } = request.body;
      // Recordings are of the caller's leg (Twilio names the parent call): one signed for another
      // Interaction, or for one we do not know, changes nothing.
      if ((await legOfCall(interactionId, CallSid)) !== 'caller') {
        request.log.warn({ interactionId }, 'ignored a recording callback of a call that is not this one');
        return reply.code(204).send();
      }
      const key = dedupeKeyOf('recording-status', request.body);
      if (!(await dedupe.firstTime(key))) return reply.code(204).send();
      try {
        if (RecordingStatus === 'completed') await calls.recordingReady(interactionId, RecordingSid);
        return reply.code(204).send();
      } catch (error) {
        await dedupe.forget(key);
        throw error;
      }
    },
  );
};
