import { randomUUID } from 'node:crypto';
import twilio from 'twilio';
import type { FakeContext } from './context.js';
import { rfc2822 } from './params.js';
import type {
  CallbackDelivery,
  DeliveryMode,
  FakeCall,
  FakeCallStatus,
  FakeConference,
  FakeParticipant,
  FakeRecording,
} from './types.js';

/** Which status callback event a call status fires. */
const EVENT_OF: Record<FakeCallStatus, string> = {
  queued: 'initiated',
  ringing: 'ringing',
  'in-progress': 'answered',
  completed: 'completed',
  busy: 'completed',
  failed: 'completed',
  'no-answer': 'completed',
  canceled: 'completed',
};

const CONFERENCE_EVENT: Record<string, string> = {
  start: 'conference-start',
  end: 'conference-end',
  join: 'participant-join',
  leave: 'participant-leave',
};

/**
 * A webhook as Twilio sends it: form-encoded, signed for its URL, with an idempotency token that a
 * retry repeats.
 */
export function signedWebhook(
  authToken: string,
  url: string,
  params: Record<string, string>,
  token: string = randomUUID(),
): { headers: Record<string, string>; body: string } {
  return {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'TwilioProxy/1.1',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, url, params),
      'i-twilio-idempotency-token': token,
    },
    body: new URLSearchParams(params).toString(),
  };
}

/** Posts one callback and answers the receiver's status; like Twilio, it gives up after 15 s. */
export async function postCallback(request: {
  url: string;
  headers: Record<string, string>;
  body: string;
}): Promise<number> {
  const response = await fetch(request.url, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.timeout(15_000),
  });
  await response.arrayBuffer();
  return response.status;
}

export type Callbacks = ReturnType<typeof createCallbacks>;

/** The status callbacks the fake posts for calls, conferences and recordings, and their delivery. */
export function createCallbacks(context: FakeContext) {
  const { options, accountSid, accountPath } = context;
  const deliveries: CallbackDelivery[] = [];
  const pending = new Set<Promise<void>>();
  /** Deliveries not finished yet, per call, conference or recording SID. */
  const pendingOf = new Map<string, Set<Promise<void>>>();
  /** The last delivery queued per call, conference or recording: the next one waits for it. */
  const chains = new Map<string, Promise<void>>();
  const random = options.random ?? Math.random;

  const deliver = options.deliver ?? postCallback;

  function track(chain: string, delivery: Promise<void>): void {
    pending.add(delivery);
    const ofChain = pendingOf.get(chain) ?? new Set<Promise<void>>();
    ofChain.add(delivery);
    pendingOf.set(chain, ofChain);
    void delivery.finally(() => {
      pending.delete(delivery);
      ofChain.delete(delivery);
      if (ofChain.size === 0 && pendingOf.get(chain) === ofChain) pendingOf.delete(chain);
    });
  }

  /**
   * Signs and posts one callback. Callbacks of one `chain` (a call, conference or recording) go one
   * after another; a late one skips the queue and lands after those queued behind it.
   */
  function post(chain: string, url: string, params: Record<string, string>, mode: DeliveryMode | null): void {
    const { duplicate = 0, reorder = 0, lateMs = 250 } = mode ?? context.delivery;
    const { headers, body } = signedWebhook(options.authToken, url, params);
    const late = reorder > 0 && random() < reorder;
    const retried = duplicate > 0 && random() < duplicate;
    const send = async (retry: boolean) => {
      const result = await deliver({ url, headers, body }).then(
        (status) => ({ status }),
        (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }),
      );
      deliveries.push({ url, params, headers, result, retry, late });
    };
    const run = async () => {
      await send(false);
      if (retried) await send(true);
    };
    if (late) {
      track(chain, new Promise<void>((resolve) => setTimeout(resolve, lateMs)).then(run));
      return;
    }
    const delivery = (chains.get(chain) ?? Promise.resolve()).then(run);
    chains.set(chain, delivery);
    void delivery.finally(() => {
      if (chains.get(chain) === delivery) chains.delete(chain);
    });
    track(chain, delivery);
  }

  function callStatus(call: FakeCall): void {
    const event = EVENT_OF[call.status];
    if (!options.statusCallbacks || !call.statusCallback || !call.statusCallbackEvents.includes(event))
      return;
    const now = new Date();
    const params: Record<string, string> = {
      AccountSid: accountSid,
      ApiVersion: '2010-04-01',
      CallSid: call.sid,
      CallStatus: call.status,
      CallbackSource: 'call-progress-events',
      Called: call.to,
      Caller: call.from,
      Direction: call.direction,
      From: call.from,
      SequenceNumber: String(call.sequence++),
      Timestamp: rfc2822(now),
      To: call.to,
    };
    if (event === 'completed') {
      const seconds = call.answeredAt ? Math.round((now.getTime() - call.answeredAt.getTime()) / 1000) : 0;
      params.CallDuration = String(seconds);
      params.Duration = String(Math.ceil(seconds / 60));
    }
    post(call.sid, call.statusCallback, params, call.delivery);
  }

  /** `event` is what one subscribes to (`join`); `name` what Twilio reports (`participant-join`). */
  function conference(
    conference: FakeConference,
    event: 'start' | 'end' | 'join' | 'leave' | 'hold',
    extra: Record<string, string> = {},
    name = CONFERENCE_EVENT[event] ?? event,
  ): void {
    if (
      !options.conferenceCallbacks ||
      !conference.statusCallback ||
      !conference.statusCallbackEvents.includes(event)
    )
      return;
    const params: Record<string, string> = {
      AccountSid: accountSid,
      ConferenceSid: conference.sid,
      FriendlyName: conference.friendlyName,
      SequenceNumber: String(conference.sequence++),
      StatusCallbackEvent: name,
      Timestamp: rfc2822(new Date()),
      ...extra,
    };
    post(conference.sid, conference.statusCallback, params, null);
  }

  /** A participant's join, leave or hold. */
  function participant(
    of: FakeConference,
    event: 'join' | 'leave' | 'hold',
    participant: FakeParticipant,
    name?: string,
  ): void {
    conference(
      of,
      event,
      {
        CallSid: participant.callSid,
        Coaching: 'false',
        EndConferenceOnExit: String(participant.endConferenceOnExit),
        Hold: String(participant.hold),
        Muted: String(participant.muted),
        StartConferenceOnEnter: String(participant.startConferenceOnEnter),
        ...(participant.label !== null && { ParticipantLabel: participant.label }),
      },
      name,
    );
  }

  function recording(recording: FakeRecording, status: 'in-progress' | 'completed'): void {
    const wanted = recording.statusCallbackEvents.length > 0 ? recording.statusCallbackEvents : ['completed'];
    if (!options.statusCallbacks || !recording.statusCallback || !wanted.includes(status)) return;
    const seconds = Math.round((Date.now() - recording.startedAt.getTime()) / 1000);
    const params: Record<string, string> = {
      AccountSid: accountSid,
      CallSid: recording.callSid,
      RecordingChannels: String(recording.channels),
      RecordingSid: recording.sid,
      RecordingSource: 'StartCallRecordingAPI',
      RecordingStartTime: rfc2822(recording.startedAt),
      RecordingStatus: status,
      RecordingTrack: 'both',
      RecordingUrl: `https://api.twilio.com${accountPath}/Recordings/${recording.sid}`,
      ...(status === 'completed' && { RecordingDuration: String(seconds), ErrorCode: '0' }),
    };
    post(recording.sid, recording.statusCallback, params, null);
  }

  /** Resolves when every callback sent so far (of one SID, if given) has been delivered or failed. */
  async function settled(sid?: string): Promise<void> {
    if (sid !== undefined) {
      for (let of = pendingOf.get(sid); of; of = pendingOf.get(sid)) await Promise.all(of);
      return;
    }
    while (pending.size > 0) await Promise.all(pending);
  }

  return { deliveries, callStatus, conference, participant, recording, settled };
}
