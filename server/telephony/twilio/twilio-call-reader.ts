import type twilio from 'twilio';
import { TelephonyCommandError, type CallReader, type LegReport } from '../telephony.port.js';
import { conferenceInProgress, typed } from './twilio-rest.js';

/** The client parses RFC 2822 dates and hands back what it cannot parse (null, '') unchanged. */
function dateOf(value: unknown): Date | null {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value : null;
}

/**
 * A Call resource in our words. Twilio's `completed` is the only end status of an answered call.
 * `Duration` counts from the answer, so an ended call's answer is `EndTime − Duration`; a live one
 * has no duration yet, and its `StartTime` is the best Twilio says.
 */
export function legReportOf(call: {
  status: string;
  startTime?: unknown;
  endTime?: unknown;
  duration?: string | null;
  dateUpdated?: unknown;
}): LegReport {
  const startTime = dateOf(call.startTime);
  const endTime = dateOf(call.endTime);
  switch (call.status) {
    case 'queued':
    case 'ringing':
      return { status: 'pending', answered: false, answeredAt: null, endedAt: null, endStatus: null };
    case 'in-progress':
      return { status: 'answered', answered: true, answeredAt: startTime, endedAt: null, endStatus: null };
    default: {
      const endedAt = endTime ?? dateOf(call.dateUpdated);
      const answered = call.status === 'completed';
      const seconds = Number(call.duration);
      const answeredAt =
        answered && endedAt && call.duration != null && Number.isFinite(seconds)
          ? new Date(endedAt.getTime() - seconds * 1000)
          : answered
            ? startTime
            : null;
      return { status: 'ended', answered, answeredAt, endedAt, endStatus: call.status };
    }
  }
}

/** `CallReader` over Twilio's REST API: `GET Calls/{Sid}`, and the participants of the Call's conference. */
export function createTwilioCallReader({ client }: { client: twilio.Twilio }): CallReader {
  return {
    leg: (_target, providerCallId) =>
      typed('readLeg', async () => legReportOf(await client.calls(providerCallId).fetch())).catch(
        (error: unknown) => {
          if (error instanceof TelephonyCommandError && error.failure === 'not_found') return null;
          throw error;
        },
      ),

    bridgeLegs: (target) =>
      typed('readBridge', async () => {
        const conference = await conferenceInProgress(client, target.conferenceName);
        if (!conference) return [];
        const participants = await client.conferences(conference.sid).participants.list();
        return participants.map((participant) => participant.callSid);
      }),
  };
}
