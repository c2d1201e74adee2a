import type { CallState } from './call-state.js';
import type { FakeContext, Routes } from './context.js';
import { TwilioError, callbackOf, eventsOf, notFound, one, required, rfc2822, throwing } from './params.js';
import type { FakeConference, FakeParticipant, FormParams } from './types.js';
import type { Callbacks } from './callbacks.js';

/** Twilio's list envelope; the fake answers one page, as long as `PageSize` asks. */
function page(key: string, items: object[], query: FormParams) {
  const pageSize = Number(one(query, 'PageSize') ?? 50);
  const shown = items.slice(0, pageSize);
  return {
    [key]: shown,
    page: 0,
    page_size: pageSize,
    start: 0,
    end: Math.max(shown.length - 1, 0),
    first_page_uri: null,
    next_page_uri: null,
    previous_page_uri: null,
    uri: null,
  };
}

/** Participants are addressed by CallSid or label. */
function participantOf(conference: FakeConference, idOrLabel: string): FakeParticipant {
  const direct = conference.participants.get(idOrLabel);
  if (direct) return direct;
  for (const participant of conference.participants.values())
    if (participant.label === idOrLabel) return participant;
  throw notFound();
}

/** `Conferences` and their `Participants`: list, read, end; add, hold, mute, remove a participant. */
export function conferenceRoutes(context: FakeContext, state: CallState, callbacks: Callbacks): Routes {
  const { accountSid, accountPath, conferences } = context;
  /** Participant paths need the conference SID (Twilio does not resolve names there); create is the exception. */
  const conferenceOf = (sid: string) => conferences.get(sid) ?? throwing(notFound());

  const conferenceJson = (conference: FakeConference) => ({
    sid: conference.sid,
    account_sid: accountSid,
    friendly_name: conference.friendlyName,
    status: conference.status,
    region: 'us1',
    api_version: '2010-04-01',
    date_created: rfc2822(conference.createdAt),
    date_updated: rfc2822(new Date()),
    uri: `${accountPath}/Conferences/${conference.sid}.json`,
  });

  const participantJson = (conference: FakeConference, participant: FakeParticipant) => ({
    account_sid: accountSid,
    call_sid: participant.callSid,
    conference_sid: conference.sid,
    label: participant.label,
    status: participant.status,
    hold: participant.hold,
    muted: participant.muted,
    coaching: false,
    call_sid_to_coach: null,
    start_conference_on_enter: participant.startConferenceOnEnter,
    end_conference_on_exit: participant.endConferenceOnExit,
    uri: `${accountPath}/Conferences/${conference.sid}/Participants/${participant.callSid}.json`,
  });

  return {
    'GET Conferences': ({ query }) => {
      const friendlyName = one(query, 'FriendlyName');
      const status = one(query, 'Status');
      const found = [...conferences.values()]
        .filter(
          (c) =>
            (friendlyName === undefined || c.friendlyName === friendlyName) &&
            (status === undefined || c.status === status),
        )
        .reverse();
      return [200, page('conferences', found.map(conferenceJson), query)];
    },
    'GET Conferences/*': ({ ids: [sid = ''] }) => [200, conferenceJson(conferenceOf(sid))],
    'POST Conferences/*': ({ ids: [sid = ''], form }) => {
      const conference = conferenceOf(sid);
      if (one(form, 'Status') === 'completed') state.endConference(conference);
      return [200, conferenceJson(conference)];
    },
    'POST Conferences/*/Participants': ({ ids: [sidOrName = ''], form }) => {
      const from = required(form, 'From');
      const to = required(form, 'To');
      // Twilio creates the conference when the path names one that does not exist yet.
      const conference = conferences.get(sidOrName) ?? state.conferenceNamed(sidOrName);
      if (conference.status === 'completed') throw notFound();
      state.subscribe(
        conference,
        one(form, 'ConferenceStatusCallback'),
        eventsOf(form, 'ConferenceStatusCallbackEvent'),
      );
      const label = one(form, 'Label') ?? null;
      if (label !== null && [...conference.participants.values()].some((p) => p.label === label)) {
        throw new TwilioError(400, 16025, `Participant label ${label} is already in use`);
      }
      const call = state.newCall({
        from,
        to,
        direction: 'outbound-api',
        status: 'queued',
        ...callbackOf(form),
      });
      state.join(conference, call, {
        label,
        status: 'queued',
        hold: false,
        holdUrl: null,
        muted: one(form, 'Muted') === 'true',
        startConferenceOnEnter: one(form, 'StartConferenceOnEnter') !== 'false',
        endConferenceOnExit: one(form, 'EndConferenceOnExit') === 'true',
      });
      state.placed(call);
      return [201, participantJson(conference, participantOf(conference, call.sid))];
    },
    'GET Conferences/*/Participants': ({ ids: [sid = ''], query }) => {
      const conference = conferenceOf(sid);
      const participants = [...conference.participants.values()].map((p) => participantJson(conference, p));
      return [200, page('participants', participants, query)];
    },
    'GET Conferences/*/Participants/*': ({ ids: [sid = '', participant = ''] }) => {
      const conference = conferenceOf(sid);
      return [200, participantJson(conference, participantOf(conference, participant))];
    },
    'POST Conferences/*/Participants/*': ({ ids: [sid = '', id = ''], form }) => {
      const conference = conferenceOf(sid);
      const participant = participantOf(conference, id);
      const hold = one(form, 'Hold');
      if (hold !== undefined && participant.hold !== (hold === 'true')) {
        participant.hold = hold === 'true';
        participant.holdUrl = participant.hold ? (one(form, 'HoldUrl') ?? null) : null;
        const name = participant.hold ? 'participant-hold' : 'participant-unhold';
        callbacks.participant(conference, 'hold', participant, name);
      }
      const muted = one(form, 'Muted');
      if (muted !== undefined) participant.muted = muted === 'true';
      const endOnExit = one(form, 'EndConferenceOnExit');
      if (endOnExit !== undefined) participant.endConferenceOnExit = endOnExit === 'true';
      return [200, participantJson(conference, participant)];
    },
    'DELETE Conferences/*/Participants/*': ({ ids: [sid = '', id = ''] }) => {
      const conference = conferenceOf(sid);
      const participant = participantOf(conference, id);
      state.leave(conference.sid, participant.callSid);
      // A leg placed by the API has no TwiML after the conference: it hangs up.
      const call = context.calls.get(participant.callSid);
      if (call) state.hangUpLeg(call);
      return [204, null];
    },
  };
}
