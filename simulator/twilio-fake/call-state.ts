import type { Callbacks } from './callbacks.js';
import { emit, later, type FakeContext } from './context.js';
import { ENDED, sidOf, unescapeXml } from './params.js';
import type {
  AutoAnswerOptions,
  FakeCall,
  FakeCallStatus,
  FakeConference,
  FakeParticipant,
  JoinConferenceOptions,
} from './types.js';

export type CallState = ReturnType<typeof createCallState>;

/**
 * How calls and conferences change, as Twilio's side sees it: statuses, joins and leaves, the end of
 * a conference hanging its legs up. Each change posts its callbacks and tells the listeners.
 */
export function createCallState(context: FakeContext, callbacks: Callbacks) {
  const { calls, conferences, recordings, options } = context;
  const autoAnswer: Required<AutoAnswerOptions> | null =
    options.autoAnswer === undefined || options.autoAnswer === false
      ? null
      : {
          afterMs: 300,
          decide: () => 'answer',
          ...(options.autoAnswer === true ? {} : options.autoAnswer),
        };

  function setStatus(call: FakeCall, status: FakeCallStatus): void {
    if (call.status === status || ENDED.has(call.status)) return;
    call.status = status;
    call.updatedAt = new Date();
    if (status === 'in-progress') call.answeredAt = call.updatedAt;
    if (ENDED.has(status)) call.endedAt = call.updatedAt;
    callbacks.callStatus(call);
    emit(context, { type: 'call-status', call });
    if (ENDED.has(status)) {
      if (call.conferenceSid) leave(call.conferenceSid, call.sid);
      for (const recording of recordings.values()) {
        if (recording.callSid !== call.sid) continue;
        if (recording.status === 'in-progress' || recording.status === 'paused') {
          recording.status = 'completed';
          callbacks.recording(recording, 'completed');
        }
      }
    }
  }

  /** A leg whose conference is gone has no TwiML left after its `<Dial>`: it hangs up. */
  function hangUpLeg(call: FakeCall): void {
    setStatus(call, call.status === 'in-progress' ? 'completed' : 'canceled');
  }

  function conferenceNamed(friendlyName: string): FakeConference {
    for (const conference of conferences.values()) {
      if (conference.friendlyName === friendlyName && conference.status !== 'completed') return conference;
    }
    const conference: FakeConference = {
      sid: sidOf('CF'),
      friendlyName,
      status: 'init',
      participants: new Map(),
      createdAt: new Date(),
      statusCallback: null,
      statusCallbackEvents: [],
      sequence: 0,
    };
    conferences.set(conference.sid, conference);
    return conference;
  }

  /** The first participant bringing a status callback sets the conference's. */
  function subscribe(conference: FakeConference, statusCallback?: string, events?: string[]): void {
    if (conference.statusCallback !== null || statusCallback === undefined) return;
    conference.statusCallback = statusCallback;
    conference.statusCallbackEvents = events?.length ? events : ['start', 'end'];
  }

  function join(
    conference: FakeConference,
    call: FakeCall,
    participant: Omit<FakeParticipant, 'callSid'>,
  ): void {
    call.conferenceSid = conference.sid;
    conference.participants.set(call.sid, { callSid: call.sid, ...participant });
    if (participant.status === 'connected') connected(conference, call.sid);
  }

  function connected(conference: FakeConference, callSid: string): void {
    const participant = conference.participants.get(callSid);
    if (!participant) return;
    participant.status = 'connected';
    callbacks.participant(conference, 'join', participant);
    if (conference.status === 'init' && participant.startConferenceOnEnter) {
      conference.status = 'in-progress';
      callbacks.conference(conference, 'start');
    }
    emit(context, { type: 'participant-connected', conference, callSid });
  }

  function leave(conferenceSid: string, callSid: string): void {
    const conference = conferences.get(conferenceSid);
    const call = calls.get(callSid);
    if (call) call.conferenceSid = null;
    const participant = conference?.participants.get(callSid);
    if (!conference || !participant) return;
    conference.participants.delete(callSid);
    if (participant.status === 'connected') callbacks.participant(conference, 'leave', participant);
    emit(context, { type: 'participant-left', conference, callSid });
    const endedByExit = participant.endConferenceOnExit && participant.status === 'connected';
    if (endedByExit || conference.participants.size === 0) {
      endConference(conference, {
        ReasonConferenceEnded: endedByExit
          ? 'participant-with-end-conference-on-exit-left'
          : 'last-participant-left',
        CallSidEndingConference: callSid,
      });
    }
  }

  /** Ends the conference; every leg in it has no TwiML left after its `<Dial>` and hangs up. */
  function endConference(
    conference: FakeConference,
    reason: Record<string, string> = { ReasonConferenceEnded: 'conference-ended-via-api' },
  ): void {
    if (conference.status === 'completed') return;
    conference.status = 'completed';
    const remaining = [...conference.participants.values()];
    conference.participants.clear();
    for (const participant of remaining) {
      if (participant.status === 'connected') callbacks.participant(conference, 'leave', participant);
      emit(context, { type: 'participant-left', conference, callSid: participant.callSid });
    }
    callbacks.conference(conference, 'end', reason);
    emit(context, { type: 'conference-ended', conference });
    for (const { callSid } of remaining) {
      const call = calls.get(callSid);
      if (!call) continue;
      call.conferenceSid = null;
      // A <Dial> with an action hands a call still up back to its TwiML instead of hanging it up.
      if (call.dialAction !== null && call.status === 'in-progress') {
        const action = call.dialAction;
        call.dialAction = null;
        call.pendingDialAction = action;
        emit(context, { type: 'dial-ended', call, action });
        continue;
      }
      hangUpLeg(call);
    }
  }

  function newCall(
    fields: Pick<FakeCall, 'from' | 'to' | 'direction' | 'status'> & Partial<FakeCall>,
  ): FakeCall {
    const call: FakeCall = {
      sid: sidOf('CA'),
      conferenceSid: null,
      twiml: null,
      url: null,
      statusCallback: null,
      statusCallbackEvents: ['completed'],
      sequence: 0,
      createdAt: new Date(),
      answeredAt: null,
      endedAt: null,
      updatedAt: new Date(),
      delivery: null,
      dialAction: null,
      pendingDialAction: null,
      ...fields,
    };
    calls.set(call.sid, call);
    return call;
  }

  function joinConference(
    call: FakeCall,
    friendlyName: string,
    joining: JoinConferenceOptions = {},
  ): FakeConference {
    const current = call.conferenceSid ? conferences.get(call.conferenceSid) : undefined;
    if (current?.friendlyName === friendlyName && current.status !== 'completed') return current;
    if (current) leave(current.sid, call.sid);
    const conference = conferenceNamed(friendlyName);
    call.dialAction = joining.dialAction ?? null;
    call.pendingDialAction = null;
    subscribe(conference, joining.statusCallback, joining.statusCallbackEvents);
    join(conference, call, {
      label: joining.label ?? null,
      status: 'connected',
      hold: false,
      holdUrl: null,
      muted: false,
      startConferenceOnEnter: joining.startConferenceOnEnter ?? true,
      endConferenceOnExit: joining.endConferenceOnExit ?? false,
    });
    return conference;
  }

  /** Runs the part of new TwiML the fake understands: `<Dial><Conference>`. */
  function runTwiml(call: FakeCall, twiml: string): void {
    const match = /<Conference\b([^>]*)>([^<]+)<\/Conference>/.exec(twiml);
    if (!match) return;
    const attributes: Record<string, string> = {};
    for (const [, name = '', value = ''] of (match[1] ?? '').matchAll(/(\w+)="([^"]*)"/g))
      attributes[name] = unescapeXml(value);
    const dialAction = /<Dial\b[^>]*\baction="([^"]*)"/.exec(twiml)?.[1];
    joinConference(call, unescapeXml(match[2] ?? ''), {
      ...conferenceOptionsOf(attributes),
      ...(dialAction !== undefined && { dialAction: unescapeXml(dialAction) }),
    });
  }

  /** The far end rings, then picks up: the leg joins its conference (if any) for real. */
  function answer(call: FakeCall): void {
    if (call.status === 'queued') setStatus(call, 'ringing');
    setStatus(call, 'in-progress');
    const conference = call.conferenceSid ? conferences.get(call.conferenceSid) : undefined;
    if (conference?.participants.get(call.sid)?.status === 'queued') connected(conference, call.sid);
  }

  function endCall(call: FakeCall, status: 'completed' | 'busy' | 'no-answer' | 'failed'): void {
    if (status !== 'completed' && call.status === 'queued') setStatus(call, 'ringing');
    setStatus(call, status === 'completed' && call.status !== 'in-progress' ? 'canceled' : status);
  }

  /** A leg the server placed: with `autoAnswer`, its far end answers (or not) by itself. */
  function placed(call: FakeCall): void {
    callbacks.callStatus(call);
    if (!autoAnswer) return;
    const decision = autoAnswer.decide(call);
    if (decision === 'manual') return;
    later(context, autoAnswer.afterMs, () => {
      if (call.status !== 'queued' && call.status !== 'ringing') return;
      if (decision === 'answer') answer(call);
      else endCall(call, decision);
    });
  }

  return {
    setStatus,
    hangUpLeg,
    conferenceNamed,
    subscribe,
    join,
    leave,
    endConference,
    newCall,
    joinConference,
    runTwiml,
    answer,
    endCall,
    placed,
  };
}

/**
 * The options of a `<Conference>` noun from its TwiML attributes, as Twilio reads them (events
 * space-separated; the caller simulator also accepts commas).
 */
export function conferenceOptionsOf(attributes: Record<string, string>): JoinConferenceOptions {
  return {
    ...(attributes.participantLabel !== undefined && { label: attributes.participantLabel }),
    startConferenceOnEnter: attributes.startConferenceOnEnter !== 'false',
    endConferenceOnExit: attributes.endConferenceOnExit === 'true',
    ...(attributes.statusCallback !== undefined && { statusCallback: attributes.statusCallback }),
    ...(attributes.statusCallbackEvent !== undefined && {
      statusCallbackEvents: attributes.statusCallbackEvent.split(/[ ,]+/).filter(Boolean),
    }),
  };
}
