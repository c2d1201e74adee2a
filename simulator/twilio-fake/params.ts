import { randomBytes } from 'node:crypto';
import type { FakeCall, FakeCallStatus, FormParams } from './types.js';

/** An error Twilio's API answers with: its HTTP status and its own error code. */
export class TwilioError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = () => new TwilioError(404, 20404, 'The requested resource was not found');
export const missing = (name: string) =>
  new TwilioError(400, 21201, `Missing required parameter ${name} in the post body`);
export const invalidStatus = (status: string) =>
  new TwilioError(400, 21218, `Invalid value ${status} for parameter Status`);

export function throwing(error: Error): never {
  throw error;
}

export const ENDED: ReadonlySet<FakeCallStatus> = new Set([
  'completed',
  'busy',
  'failed',
  'no-answer',
  'canceled',
]);

export const sidOf = (prefix: string) => prefix + randomBytes(16).toString('hex');
/** Twilio's times have whole seconds: a duration is the difference of two of them. */
export const wholeSecond = (date: Date) => Math.floor(date.getTime() / 1000);
/** Twilio's 2010 API writes dates in RFC 2822. */
export const rfc2822 = (date: Date) => date.toUTCString().replace('GMT', '+0000');

export function formOf(params: URLSearchParams): FormParams {
  const form: FormParams = {};
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    form[name] = values.length > 1 ? values : (values[0] ?? '');
  }
  return form;
}

export function one(form: FormParams, name: string): string | undefined {
  const value = form[name];
  return Array.isArray(value) ? value[value.length - 1] : value;
}

function many(form: FormParams, name: string): string[] {
  const value = form[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Callback events come repeated, space-separated, or both (`StatusCallbackEvent=initiated ringing`). */
export function eventsOf(form: FormParams, name: string): string[] {
  return many(form, name).flatMap((event) => event.split(' '));
}

export function required(form: FormParams, name: string): string {
  const value = one(form, name);
  if (value === undefined || value === '') throw missing(name);
  return value;
}

/** A call's `StatusCallback` and its events (Twilio sends `completed` only unless told). */
export function callbackOf(form: FormParams): Pick<FakeCall, 'statusCallback' | 'statusCallbackEvents'> {
  const events = eventsOf(form, 'StatusCallbackEvent');
  return {
    statusCallback: one(form, 'StatusCallback') ?? null,
    statusCallbackEvents: events.length > 0 ? events : ['completed'],
  };
}

export function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
