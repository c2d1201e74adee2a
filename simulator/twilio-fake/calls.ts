import type { CallState } from './call-state.js';
import { emit, type FakeContext, type Routes } from './context.js';
import {
  ENDED,
  TwilioError,
  callbackOf,
  invalidStatus,
  missing,
  notFound,
  one,
  required,
  rfc2822,
  throwing,
  wholeSecond,
} from './params.js';
import type { FakeCall } from './types.js';

/** `Calls`: place a call, read it, hang it up or give it new instructions. */
export function callRoutes(context: FakeContext, state: CallState): Routes {
  const { accountSid, accountPath } = context;
  const callOf = (sid: string) => context.calls.get(sid) ?? throwing(notFound());

  const callJson = (call: FakeCall) => ({
    sid: call.sid,
    account_sid: accountSid,
    from: call.from,
    to: call.to,
    direction: call.direction,
    status: call.status,
    parent_call_sid: null,
    api_version: '2010-04-01',
    date_created: rfc2822(call.createdAt),
    date_updated: rfc2822(call.updatedAt),
    start_time: call.answeredAt ? rfc2822(call.answeredAt) : null,
    // Twilio gives an end time and a duration (seconds from the answer) to answered calls only.
    end_time: call.status === 'completed' && call.endedAt ? rfc2822(call.endedAt) : null,
    duration:
      call.status === 'completed' && call.answeredAt && call.endedAt
        ? String(wholeSecond(call.endedAt) - wholeSecond(call.answeredAt))
        : null,
    uri: `${accountPath}/Calls/${call.sid}.json`,
  });

  return {
    'POST Calls': ({ form }) => {
      const to = required(form, 'To');
      const from = required(form, 'From');
      const twiml = one(form, 'Twiml');
      const url = one(form, 'Url');
      if (twiml === undefined && url === undefined && one(form, 'ApplicationSid') === undefined)
        throw missing('Url');
      const call = state.newCall({
        from,
        to,
        direction: 'outbound-api',
        status: 'queued',
        twiml: twiml ?? null,
        url: url ?? null,
        ...callbackOf(form),
      });
      state.placed(call);
      return [201, callJson(call)];
    },
    'GET Calls/*': ({ ids: [sid = ''] }) => [200, callJson(callOf(sid))],
    'POST Calls/*': ({ ids: [sid = ''], form }) => {
      const call = callOf(sid);
      const status = one(form, 'Status');
      const twiml = one(form, 'Twiml');
      const url = one(form, 'Url');
      if (status !== undefined) {
        if (status !== 'completed' && status !== 'canceled') throw invalidStatus(status);
        state.setStatus(
          call,
          status === 'canceled' && call.status !== 'in-progress' ? 'canceled' : 'completed',
        );
      } else if (twiml !== undefined || url !== undefined) {
        if (ENDED.has(call.status))
          throw new TwilioError(400, 21220, 'Call is not in-progress. Cannot redirect.');
        // New instructions replace the current ones: the call leaves its conference first.
        if (call.conferenceSid) state.leave(call.conferenceSid, call.sid);
        call.twiml = twiml ?? null;
        call.url = url ?? null;
        if (twiml !== undefined) state.runTwiml(call, twiml);
        emit(context, { type: 'call-redirected', call, twiml: call.twiml, url: call.url });
      }
      return [200, callJson(call)];
    },
  };
}
