import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { ErrorResponse, errors, IdParams } from '../http/common.schemas.js';
import { routeSpec } from '../http/route-spec.js';
import { ALL_ROLES, actorOf } from '../plugins/auth.plugin.js';
import { TelephonyCommandError, type RecordingAudio } from '../telephony/index.js';
import {
  AudioResponse,
  MEDIA_KINDS,
  MediaHeaders,
  RecordingBody,
  RecordingStatus,
} from './recordings.schemas.js';
import type { RecordingsService } from './recordings.service.js';

const callRoute = routeSpec(['calls'], ALL_ROLES);
const interactionRoute = routeSpec(['interactions'], ALL_ROLES);

function sendAudio(reply: FastifyReply, audio: RecordingAudio) {
  reply
    .code(audio.status)
    .type(audio.contentType)
    .header('accept-ranges', 'bytes')
    // Personal data: no shared cache may keep it, and the browser keeps it no longer than the page.
    .header('cache-control', 'private, no-store');
  if (audio.contentLength !== null) reply.header('content-length', audio.contentLength);
  if (audio.contentRange !== null) reply.header('content-range', audio.contentRange);
  if (!audio.body) return reply.send();
  return reply.send(Readable.fromWeb(audio.body as NodeReadableStream<Uint8Array>));
}

/** The provider is down or refuses our credentials: a 502 that says so, not a 500 of ours. */
function providerFailed(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  if (!(error instanceof TelephonyCommandError)) throw error;
  request.log.warn(
    { failure: error.failure, reason: error.message },
    'the phone system failed a recording request',
  );
  return reply.code(502).send({
    statusCode: 502,
    error: 'Bad Gateway',
    message: 'The phone system did not answer; try again later',
    code: 'phone_system_unavailable',
  });
}

export const recordingsRoutes: FastifyPluginAsyncTypebox<{ recordings: RecordingsService }> = async (
  app,
  { recordings },
) => {
  app.post(
    '/interactions/:id/recording',
    callRoute(
      "Pause or resume the recording of the agent's own call; on an on-demand queue also start or stop it",
      {
        params: IdParams,
        body: RecordingBody,
        response: { 200: RecordingStatus, ...errors(400, 401, 403, 404, 409), 502: ErrorResponse },
      },
    ),
    async (request, reply) => {
      try {
        return await recordings.control(actorOf(request), request.params.id, request.body.action, request.ip);
      } catch (error) {
        return providerFailed(request, reply, error);
      }
    },
  );

  for (const kind of MEDIA_KINDS) {
    app.get(
      `/interactions/:id/${kind}`,
      interactionRoute(
        `Listen to the interaction's ${kind} (supervisors, admins and the agent who handled it${kind === 'voicemail' ? "; any agent for a known customer's voicemail" : ''}), streamed through this server; Range supported`,
        {
          params: IdParams,
          headers: MediaHeaders,
          response: { 200: AudioResponse, 206: AudioResponse, ...errors(400, 401, 404), 502: ErrorResponse },
        },
      ),
      async (request, reply) => {
        let audio: RecordingAudio;
        try {
          audio = await recordings.media(
            actorOf(request),
            request.params.id,
            kind,
            request.headers.range,
            request.ip,
          );
        } catch (error) {
          return providerFailed(request, reply, error);
        }
        return sendAudio(reply, audio);
      },
    );
  }
};
