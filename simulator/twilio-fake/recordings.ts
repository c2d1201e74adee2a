import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Callbacks } from './callbacks.js';
import type { FakeContext, Routes } from './context.js';
import { FAKE_RECORDING_MP3, sendRecordingMedia } from './media.js';
import { TwilioError, eventsOf, invalidStatus, notFound, one, required, sidOf, throwing } from './params.js';
import type { FakeCall, FakeRecording } from './types.js';

const notInProgress = (what: string) => new TwilioError(400, 21220, what);

/** A call's `Recordings`: start, pause, resume, stop, delete; and their media, as `Recordings/{Sid}.mp3`. */
export function createRecordings(context: FakeContext, callbacks: Callbacks) {
  const { accountSid, accountPath, recordings } = context;
  const callOf = (sid: string) => context.calls.get(sid) ?? throwing(notFound());
  const mediaPath = new RegExp(`^${accountPath}/Recordings/(RE[0-9a-f]{32})\\.mp3$`);

  const recordingJson = (recording: FakeRecording) => ({
    sid: recording.sid,
    account_sid: accountSid,
    call_sid: recording.callSid,
    conference_sid: null,
    status: recording.status,
    channels: recording.channels,
    source: 'StartCallRecordingAPI',
    track: 'both',
    uri: `${accountPath}/Calls/${recording.callSid}/Recordings/${recording.sid}.json`,
  });

  /** `Twilio.CURRENT` names the call's active recording. */
  function recordingOf(call: FakeCall, sid: string): FakeRecording {
    const recording =
      sid === 'Twilio.CURRENT'
        ? [...recordings.values()].find(
            (r) => r.callSid === call.sid && (r.status === 'in-progress' || r.status === 'paused'),
          )
        : recordings.get(sid);
    if (!recording || recording.callSid !== call.sid) throw notFound();
    return recording;
  }

  function add(fields: Omit<FakeRecording, 'sid' | 'startedAt'>): FakeRecording {
    const recording: FakeRecording = { sid: sidOf('RE'), startedAt: new Date(), ...fields };
    recordings.set(recording.sid, recording);
    return recording;
  }

  const routes: Routes = {
    'POST Calls/*/Recordings': ({ ids: [callSid = ''], form }) => {
      const call = callOf(callSid);
      if (call.status !== 'in-progress') throw notInProgress('Call is not in-progress. Cannot record.');
      const recording = add({
        callSid: call.sid,
        status: 'in-progress',
        channels: one(form, 'RecordingChannels') === 'dual' ? 2 : 1,
        statusCallback: one(form, 'RecordingStatusCallback') ?? null,
        statusCallbackEvents: eventsOf(form, 'RecordingStatusCallbackEvent'),
      });
      callbacks.recording(recording, 'in-progress');
      return [201, recordingJson(recording)];
    },
    'GET Calls/*/Recordings/*': ({ ids: [callSid = '', sid = ''] }) => [
      200,
      recordingJson(recordingOf(callOf(callSid), sid)),
    ],
    'POST Calls/*/Recordings/*': ({ ids: [callSid = '', sid = ''], form }) => {
      const recording = recordingOf(callOf(callSid), sid);
      const status = required(form, 'Status');
      if (!['paused', 'in-progress', 'stopped'].includes(status)) throw invalidStatus(status);
      const wasLive = recording.status === 'in-progress' || recording.status === 'paused';
      if (!wasLive) throw notInProgress('The recording is not in progress');
      recording.status = status as FakeRecording['status'];
      if (status === 'stopped') callbacks.recording(recording, 'completed');
      return [200, recordingJson(recording)];
    },
    // Twilio deletes a recording and its media for good: 204, then 404 for the SID.
    'DELETE Recordings/*': ({ ids: [sid = ''] }) => {
      if (!recordings.delete(sid)) throw notFound();
      return [204, null];
    },
  };

  return {
    routes,
    /** The call's `<Record>` (a voicemail) finished: a completed recording of it. */
    leaveRecording(callSid: string): FakeRecording {
      return add({
        callSid: callOf(callSid).sid,
        status: 'completed',
        channels: 1,
        statusCallback: null,
        statusCallbackEvents: [],
      });
    },
    /** Serves a recording's media; false when the request is not for media. */
    serveMedia(request: IncomingMessage, response: ServerResponse, method: string, path: string): boolean {
      const media = mediaPath.exec(path);
      if (method !== 'GET' || !media) return false;
      if (!recordings.has(media[1] ?? '')) throw notFound();
      sendRecordingMedia(request, response, FAKE_RECORDING_MP3);
      return true;
    },
  };
}
