import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import {
  TelephonyCommandError,
  type AgentAddress,
  type CallTarget,
  type PlacedLeg,
  type TelephonyCommands,
  type TelephonyFailure,
} from '../telephony.port.js';
import { TWILIO_WEBHOOK_PATHS, twilioWebhookUrl } from './twilio-webhook-urls.js';
import { waitingRoomTwiml } from './waiting-room.twiml.js';

/** Where the official client sends REST calls unless `TWILIO_API_BASE_URL` says otherwise. */
export const TWILIO_DEFAULT_API_BASE_URL = 'https://api.twilio.com';

/**
 * The official client's HTTP layer, sending every `https://*.twilio.com/…` request to another base
 * URL (a local fake in tests, an egress proxy in production). Subclassing keeps everything else
 * real: form encoding with repeated keys, Basic auth, JSON parsing, `RestException`. Twilio's
 * `edge`/`region` options cannot do this: they only rewrite the `*.twilio.com` host name.
 */
export class RedirectingRequestClient extends twilio.RequestClient {
  private readonly base: string;

  constructor(apiBaseUrl: URL, options: RequestClient.RequestClientOptions = {}) {
    super(options);
    this.base = apiBaseUrl.origin + apiBaseUrl.pathname.replace(/\/+$/, '');
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const url = new URL(opts.uri);
    const isTwilio = url.hostname === 'twilio.com' || url.hostname.endsWith('.twilio.com');
    return super.request({ ...opts, uri: isTwilio ? this.base + url.pathname + url.search : opts.uri });
  }
}

export interface TwilioClientOptions {
  /** `TWILIO_ACCOUNT_SID`, `AC…`. */
  accountSid: string;
  /** `TWILIO_AUTH_TOKEN`. */
  authToken: string;
  /** `TWILIO_API_BASE_URL`. Default https://api.twilio.com. */
  apiBaseUrl?: URL;
}

/** The official Twilio client, pointed at `apiBaseUrl` when that is not Twilio's own. */
export function createTwilioClient({
  accountSid,
  authToken,
  apiBaseUrl,
}: TwilioClientOptions): twilio.Twilio {
  // Twilio answers 429 when an account exceeds its API concurrency; the client's backoff rides
  // that out instead of failing a hold or a transfer in the middle of a Call.
  const requestOptions = { autoRetry: true };
  const redirect = apiBaseUrl !== undefined && apiBaseUrl.href !== new URL(TWILIO_DEFAULT_API_BASE_URL).href;
  return twilio(accountSid, authToken, {
    ...requestOptions,
    ...(redirect && { httpClient: new RedirectingRequestClient(apiBaseUrl, requestOptions) }),
  });
}

export interface TwilioCommandsOptions {
  client: twilio.Twilio;
  /** `PUBLIC_BASE_URL`: where Twilio sends the status callbacks of the legs we place. */
  publicBaseUrl: URL;
  /** Our Twilio number (E.164), shown as the caller on every leg we place. */
  callerId: string;
  /** How long an Agent's phone rings when `connectAgent` does not say, in seconds. Default 20. */
  ringTimeoutSeconds?: number;
  /** Music or TwiML for a caller on hold. Default: Twilio's stock hold music. */
  holdMusicUrl?: string;
}

/**
 * `TelephonyCommands` over Twilio's REST API, on one conference per Interaction: the
 * caller waits in it (`waitingRoomTwiml`), Agents and transfer destinations are dialled into it as
 * participants, hold is a participant property, and hanging the caller up ends it for everyone.
 *
 * Participants are addressed by the conference SID, which Twilio gives out only when asked, so hold,
 * resume and transfers to a number or an Agent first look the conference up by name (one GET).
 * That keeps the adapter stateless: any server process can send any command.
 *
 * Endings: the caller's leg ends the conference when it leaves; an Agent's leg does too (so an Agent
 * hanging up ends a two-party Call) until a transfer releases it. A transfer destination's leg
 * never does: after a warm transfer the call path hangs up when that leg ends.
 */
export function createTwilioCommands({
  client,
  publicBaseUrl,
  callerId,
  ringTimeoutSeconds: defaultRingTimeoutSeconds = 20,
  holdMusicUrl,
}: TwilioCommandsOptions): TelephonyCommands {
  /** Dials `to` into the conference; resolves with the new leg's CallSid. */
  async function dialIn(
    target: CallTarget,
    to: string,
    leg: 'agent' | 'transfer' | 'caller',
    ringTimeoutSeconds: number,
  ): Promise<PlacedLeg> {
    const participant = await client.conferences(target.conferenceName).participants.create({
      from: callerId,
      to,
      timeout: ringTimeoutSeconds,
      // The first leg we place stops the caller's wait music and starts the bridge.
      startConferenceOnEnter: true,
      endConferenceOnExit: leg !== 'transfer',
      beep: 'false',
      statusCallback: twilioWebhookUrl(publicBaseUrl, TWILIO_WEBHOOK_PATHS.callStatus, {
        interactionId: target.interactionId,
        leg,
      }),
      statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
      // Used only if this leg creates the conference; the caller's waiting room normally has.
      conferenceStatusCallback: twilioWebhookUrl(publicBaseUrl, TWILIO_WEBHOOK_PATHS.conferenceStatus, {
        interactionId: target.interactionId,
      }),
      conferenceStatusCallbackEvent: ['start', 'end', 'join', 'leave', 'hold'],
    });
    return { providerCallId: participant.callSid };
  }

  async function holdCaller(conferenceSid: string, target: CallTarget, hold: boolean): Promise<void> {
    await client
      .conferences(conferenceSid)
      .participants(target.providerCallId)
      .update({ hold, ...(hold && holdMusicUrl !== undefined && { holdUrl: holdMusicUrl }) });
  }

  /** Every leg but the caller's and `keep` stops ending the conference; with `remove`, also leaves it. */
  async function releaseOtherLegs(
    conferenceSid: string,
    target: CallTarget,
    { keep, remove }: { keep?: string; remove: boolean },
  ): Promise<void> {
    const participants = await client.conferences(conferenceSid).participants.list();
    for (const participant of participants) {
      if (participant.callSid === target.providerCallId || participant.callSid === keep) continue;
      const leg = client.conferences(conferenceSid).participants(participant.callSid);
      // Removing a leg that ends the conference on exit would end it for the caller too.
      if (participant.endConferenceOnExit) await leg.update({ endConferenceOnExit: false });
      if (remove) await leg.remove();
    }
  }

  return {
    // A phone number or a SIP address Twilio dials: nothing here can tell whether it will answer.
    canRing: async () => true,
    connectAgent: (input) =>
      typed('connectAgent', () =>
        dialIn(
          input,
          addressOf(input.agent, input.interactionId),
          'agent',
          input.ringTimeoutSeconds ?? defaultRingTimeoutSeconds,
        ),
      ),

    dialCustomer: (input) =>
      typed('dialCustomer', () =>
        dialIn(input, input.phoneNumber, 'caller', input.ringTimeoutSeconds ?? defaultRingTimeoutSeconds),
      ),

    muteAgent: (target, muted) =>
      typed('muteAgent', async () => {
        await client
          .conferences(await conferenceSidOf(client, target))
          .participants(target.agentLegId)
          .update({ muted });
      }),

    hold: (target) =>
      typed('hold', async () => holdCaller(await conferenceSidOf(client, target), target, true)),

    resume: (target) =>
      typed('resume', async () => holdCaller(await conferenceSidOf(client, target), target, false)),

    transfer: ({ to, mode, ...target }) =>
      typed('transfer', async () => {
        if (to.kind === 'queue') {
          if (mode === 'warm') {
            throw new TelephonyCommandError(
              'unsupported',
              'twilio',
              'A transfer to a CallQueue is always blind',
            );
          }
          // The caller moves to the new Interaction's waiting room; leaving the old conference ends
          // it, which drops the Agent's leg with it.
          await client.calls(target.providerCallId).update({
            twiml: waitingRoomTwiml({
              interactionId: to.interactionId,
              conferenceName: to.conferenceName,
              publicBaseUrl,
              survey: to.survey ?? false,
            }),
          });
          return null;
        }
        const conferenceSid = await conferenceSidOf(client, target);
        const address = to.kind === 'agent' ? addressOf(to.agent, to.interactionId) : to.phoneNumber;
        if (mode === 'warm') {
          // The caller waits on hold while the Agent consults the destination; the Agent may then
          // hang up without ending the conference.
          await holdCaller(conferenceSid, target, true);
          await releaseOtherLegs(conferenceSid, target, { remove: false });
          return dialIn(target, address, 'transfer', defaultRingTimeoutSeconds);
        }
        const placed = await dialIn(target, address, 'transfer', defaultRingTimeoutSeconds);
        await releaseOtherLegs(conferenceSid, target, { keep: placed.providerCallId, remove: true });
        return placed;
      }),

    // Redirecting the caller's call takes it out of the conference (which ends it, with nobody
    // else in it) and runs our max-wait TwiML instead.
    offerAlternative: (target, alternative) =>
      typed('offerAlternative', async () => {
        await client.calls(target.providerCallId).update({
          url: twilioWebhookUrl(publicBaseUrl, TWILIO_WEBHOOK_PATHS.maxWait, {
            interactionId: target.interactionId,
            alternative,
          }),
          method: 'POST',
        });
      }),

    hangUp: (target) =>
      typed('hangUp', async () => {
        // The caller's leg ends the conference on exit, so every bridged leg ends with it.
        await client.calls(target.providerCallId).update({ status: 'completed' });
      }),

    // Redirecting the caller's call takes it out of the conference, which ends with them (they have
    // endConferenceOnExit), so every Agent leg hangs up; Twilio does not run their <Dial>'s action.
    startSurvey: (target) =>
      typed('startSurvey', async () => {
        await client.calls(target.providerCallId).update({
          url: twilioWebhookUrl(publicBaseUrl, TWILIO_WEBHOOK_PATHS.surveyStart, {
            interactionId: target.interactionId,
          }),
          method: 'POST',
        });
      }),

    startRecording: (target) =>
      typed('startRecording', async () => {
        const recording = await client.calls(target.providerCallId).recordings.create({
          // One channel for the caller, one for what they hear: the Agent's words stay separable.
          recordingChannels: 'dual',
          recordingStatusCallback: twilioWebhookUrl(publicBaseUrl, TWILIO_WEBHOOK_PATHS.recordingStatus, {
            interactionId: target.interactionId,
          }),
          recordingStatusCallbackEvent: ['in-progress', 'completed', 'absent'],
        });
        return { recordingRef: recording.sid };
      }),

    // `Twilio.CURRENT` names the call's active recording, so no recording SID has to be kept. The
    // default pause behaviour, silence, keeps the audio aligned with the Interaction's timeline.
    pauseRecording: (target) =>
      typed('pauseRecording', async () => {
        await client.calls(target.providerCallId).recordings('Twilio.CURRENT').update({ status: 'paused' });
      }),

    resumeRecording: (target) =>
      typed('resumeRecording', async () => {
        await client
          .calls(target.providerCallId)
          .recordings('Twilio.CURRENT')
          .update({ status: 'in-progress' });
      }),

    stopRecording: (target) =>
      typed('stopRecording', async () => {
        await client.calls(target.providerCallId).recordings('Twilio.CURRENT').update({ status: 'stopped' });
      }),
  };
}

/**
 * The Twilio `To` of an Agent. A SIP address carries the Interaction in an `X-CTI-Interaction`
 * header (Twilio turns `?X-…=` URI parameters into SIP headers), as our SIP edge does, so the
 * softphone can match the INVITE to its Reservation.
 */
function addressOf(agent: AgentAddress, interactionId: number): string {
  if ('phoneNumber' in agent) return agent.phoneNumber;
  const separator = agent.sipAddress.includes('?') ? '&' : '?';
  return `${agent.sipAddress}${separator}X-CTI-Interaction=${interactionId}`;
}

/** Runs a command so that it rejects with `TelephonyCommandError` only, Twilio's error kept as `cause`. */
async function typed<T>(command: string, run: () => Promise<T>): Promise<T> {
  try {
    // The client checks required parameters synchronously; inside this async function a throw
    // becomes a rejection like the others.
    return await run();
  } catch (error) {
    throw toCommandError(command, error);
  }
}

/** The conference in progress named `conferenceName`, if any: participants are updated by its SID. */
export async function conferenceInProgress(client: twilio.Twilio, conferenceName: string) {
  const [conference] = await client.conferences.list({
    friendlyName: conferenceName,
    status: 'in-progress',
    limit: 1,
  });
  return conference;
}

/** The SID of the Interaction's conference in progress; none is a `not_found` command error. */
export async function conferenceSidOf(
  client: twilio.Twilio,
  target: Pick<CallTarget, 'conferenceName' | 'interactionId'>,
): Promise<string> {
  const conference = await conferenceInProgress(client, target.conferenceName);
  if (!conference) {
    throw new TelephonyCommandError(
      'not_found',
      'twilio',
      `Interaction ${target.interactionId} has no conference in progress (${target.conferenceName})`,
    );
  }
  return conference.sid;
}

function toCommandError(command: string, error: unknown): TelephonyCommandError {
  if (error instanceof TelephonyCommandError) return error;
  if (error instanceof twilio.RestException) {
    const failure: TelephonyFailure =
      error.status === 404
        ? 'not_found'
        : error.status === 401 || error.status === 403
          ? 'unauthorized'
          : error.status === 429 || error.status >= 500
            ? 'unavailable'
            : 'rejected';
    return new TelephonyCommandError(
      failure,
      'twilio',
      `${command}: Twilio answered ${error.status}${error.code === undefined ? '' : ` (error ${error.code})`}: ${error.message}`,
      { cause: error },
    );
  }
  // Axios flags transport failures (refused, reset, timed out); anything else is the client
  // refusing our input before sending it, which retrying will not fix.
  const transport = typeof error === 'object' && error !== null && 'isAxiosError' in error;
  const message = error instanceof Error ? error.message : String(error);
  return new TelephonyCommandError(
    transport ? 'unavailable' : 'rejected',
    'twilio',
    `${command}: ${message}`,
    {
      cause: error,
    },
  );
}

// For the supervisor adapter (twilio-supervisor.ts): the same addressing and error mapping.
export { addressOf, typed };
