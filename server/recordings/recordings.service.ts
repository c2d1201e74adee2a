import type { FastifyBaseLogger } from 'fastify';
import type { AuditLog } from '../audit/index.js';
import type { Me } from '../auth/auth.schemas.js';
import type { CallQueuesService } from '../call-queues/index.js';
import type { CallsService } from '../calls/index.js';
import type { Clock } from '../clock.js';
import { conflict, phoneNotAnswered, RequestError } from '../http/errors.js';
import { SUPERVISORS } from '../plugins/auth.plugin.js';
import type { InteractionsService } from '../interactions/index.js';
import type { RecordingAction, RecordingState } from '../realtime/realtime.events.js';
import {
  TelephonyCommandError,
  type CallTarget,
  type RecordingAudio,
  type RecordingMedia,
  type TelephonyCommands,
} from '../telephony/index.js';
import { RECORDING_EVENTS } from './recording-events.js';
import type { MediaKind, RecordingStatus } from './recordings.schemas.js';

export interface RecordingsServiceDeps {
  calls: CallsService;
  callQueues: CallQueuesService;
  interactions: InteractionsService;
  /** Null when no provider is configured. */
  telephony: TelephonyCommands | null;
  /** Null when no provider keeps recordings (no Twilio account configured). */
  media: RecordingMedia | null;
  audit: AuditLog;
  clock: Clock;
  log: FastifyBaseLogger;
}

interface Transition {
  /** States the action applies to. */
  from: readonly RecordingState[];
  to: RecordingState;
  /** Only where the queue records on demand: a queue that records every call may pause, never stop. */
  onDemandOnly: boolean;
  refused: string;
}

const TRANSITIONS: Record<RecordingAction, Transition> = {
  pause: {
    from: ['recording'],
    to: 'paused',
    onDemandOnly: false,
    refused: 'The call is not being recorded',
  },
  resume: { from: ['paused'], to: 'recording', onDemandOnly: false, refused: 'The recording is not paused' },
  start: {
    from: ['off'],
    to: 'recording',
    onDemandOnly: true,
    refused: 'This call is already recorded (one recording per call)',
  },
  stop: {
    from: ['recording', 'paused'],
    to: 'stopped',
    onDemandOnly: true,
    refused: 'The call is not being recorded',
  },
};

/**
 * The recording of a live Call (pause, resume, and on `on_demand` queues start and stop, from the
 * Agent's desk), the automatic pause while an IVR step asks for sensitive digits (PCI), and playback
 * of recordings and voicemails through our server.
 */
export function createRecordingsService(deps: RecordingsServiceDeps) {
  const { calls, callQueues, interactions, audit, clock, log } = deps;
  const nowIso = () => clock.now().toISOString();

  function telephony(): TelephonyCommands {
    if (!deps.telephony) throw conflict('No telephony provider is configured: calls cannot be recorded');
    return deps.telephony;
  }

  async function send(action: RecordingAction, target: CallTarget): Promise<string | null> {
    const commands = telephony();
    switch (action) {
      case 'start':
        return (await commands.startRecording(target)).recordingRef;
      case 'pause':
        await commands.pauseRecording(target);
        return null;
      case 'resume':
        await commands.resumeRecording(target);
        return null;
      case 'stop':
        await commands.stopRecording(target);
        return null;
    }
  }

  /** A provider's refusal in the Agent's words; a provider that is down stays a TelephonyCommandError (REST: 502). */
  function refusal(error: unknown): unknown {
    if (!(error instanceof TelephonyCommandError)) return error;
    switch (error.failure) {
      case 'unsupported':
        return conflict(`Recording is not available on this call: ${error.message}`);
      case 'not_found':
        return conflict('The call has ended or has no recording running');
      case 'rejected':
        return conflict(`The phone system refused: ${error.message}`);
      default:
        return error;
    }
  }

  /** May `actor` hear this Interaction's audio? The policy is the README's (Recordings). */
  function mayListen(
    actor: Me,
    interaction: ReturnType<InteractionsService['get']>,
    kind: MediaKind,
  ): boolean {
    if (SUPERVISORS.includes(actor.role)) return true;
    if (interaction.agentId === actor.id) return true;
    // A voicemail becomes a callback task any agent may pick up from the customer's record.
    return kind === 'voicemail' && interaction.customerId !== null;
  }

  return {
    /** The Agent changes the recording of their own connected Call; audited and on its timeline. */
    async control(
      actor: Me,
      interactionId: number,
      action: RecordingAction,
      ip: string,
    ): Promise<RecordingStatus> {
      const session = await calls.ownCall(actor, interactionId);
      const interaction = interactions.get(interactionId);
      if (!interaction.answeredAt) throw phoneNotAnswered();
      const transition = TRANSITIONS[action];
      const policy =
        interaction.queueId === null ? 'none' : callQueues.get(interaction.queueId).recordingPolicy;
      if (transition.onDemandOnly && policy !== 'on_demand') {
        throw conflict(
          policy === 'all'
            ? 'This queue records every call: pause the recording instead'
            : 'This queue does not record calls on demand',
        );
      }
      const current = session.recording ?? 'off';
      if (!transition.from.includes(current)) throw conflict(transition.refused);
      let recordingRef: string | null;
      try {
        recordingRef = await send(action, calls.callTarget(session));
      } catch (error) {
        throw refusal(error);
      }
      const latest = (await calls.session(interactionId)) ?? session;
      await calls.saveSession({ ...latest, recording: transition.to });
      interactions.note(
        interactionId,
        RECORDING_EVENTS[action],
        nowIso(),
        actor.id,
        recordingRef === null ? {} : { recordingRef },
      );
      audit.record({
        actorAgentId: actor.id,
        action: `recording.${action}`,
        entityType: 'interaction',
        entityId: interactionId,
        ip,
      });
      await calls.push(actor.id);
      return { state: transition.to };
    },

    /**
     * The caller enters (or leaves) an IVR step marked `sensitive`: whatever records the call (a
     * number recorded from its first ring, a recording already started) is paused until they leave,
     * so card numbers and PINs never reach a recording. No recording running is the usual case and
     * not an error; a pause that failed otherwise goes on the timeline for whoever audits PCI.
     */
    async sensitiveStep(interactionId: number, sensitive: boolean): Promise<void> {
      if (!deps.telephony) return;
      const session = await calls.session(interactionId);
      if (!session) return;
      const target = calls.callTarget(session);
      try {
        if (sensitive) await deps.telephony.pauseRecording(target);
        else await deps.telephony.resumeRecording(target);
      } catch (error) {
        if (!(error instanceof TelephonyCommandError)) throw error;
        if (error.failure === 'not_found' || error.failure === 'unsupported') return;
        log.warn(
          { interactionId, failure: error.failure },
          'could not change the recording for a sensitive IVR step',
        );
        interactions.note(
          interactionId,
          sensitive ? RECORDING_EVENTS.pauseFailed : RECORDING_EVENTS.resumeFailed,
          nowIso(),
          null,
          { reason: 'ivr_sensitive', failure: error.failure },
        );
        return;
      }
      interactions.note(
        interactionId,
        sensitive ? RECORDING_EVENTS.pause : RECORDING_EVENTS.resume,
        nowIso(),
        null,
        {
          reason: 'ivr_sensitive',
        },
      );
    },

    /**
     * The audio of an Interaction's recording or voicemail, fetched from the provider. Anyone not
     * allowed to hear it gets the same 404 as for audio that does not exist: ids are sequential,
     * and a 403 would confirm which ones hold a recording.
     */
    async media(
      actor: Me,
      interactionId: number,
      kind: MediaKind,
      range: string | undefined,
      ip: string,
    ): Promise<RecordingAudio> {
      const missing = new RequestError(404, `Interaction ${interactionId} has no ${kind} you may hear`);
      let interaction: ReturnType<InteractionsService['get']>;
      try {
        interaction = interactions.get(interactionId);
      } catch {
        throw missing;
      }
      const isVoicemail = interaction.outcome === 'voicemail';
      const ref = interaction.recordingRef;
      if (ref === null || isVoicemail !== (kind === 'voicemail') || !mayListen(actor, interaction, kind))
        throw missing;
      if (!deps.media) throw missing;
      let audio: RecordingAudio | null;
      try {
        audio = await deps.media.fetch(ref, range);
      } catch (error) {
        // Twilio refusing a range it cannot serve is the listener's request, not our failure.
        if (error instanceof TelephonyCommandError && error.failure === 'rejected') throw missing;
        throw error;
      }
      if (!audio) throw missing;
      // A player asks for many ranges while it plays; one listening is one entry.
      if (range === undefined || /^bytes=0-/.test(range)) {
        audit.record({
          actorAgentId: actor.id,
          action: `${kind}.play`,
          entityType: 'interaction',
          entityId: interactionId,
          ip,
        });
      }
      return audio;
    },
  };
}

export type RecordingsService = ReturnType<typeof createRecordingsService>;
