import type { TwilioFake } from '../twilio-fake/index.js';
import type { CallRun } from './call-run.js';
import type { CallerBehaviour } from './caller-types.js';

/** What the parts of the caller engine share. */
export interface CallerContext {
  fake: TwilioFake;
  accountSid: string;
  authToken: string;
  /** Webhook URLs are signed for this origin, the server's public one. */
  publicOrigin: string;
  /** Where the server listens: webhooks are POSTed here. */
  serverOrigin: string;
  behaviour: Required<CallerBehaviour>;
  /** The call waiting in each conference, by conference SID, to tell it when an Agent joins. */
  byConference: Map<string, CallRun>;
}

/** Simulated seconds (patience, talk, voicemail) as milliseconds of real time. */
export const scaled = (context: CallerContext, seconds: number) =>
  seconds * 1000 * context.behaviour.timeScale;
