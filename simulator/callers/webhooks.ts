import { randomUUID } from 'node:crypto';
import { postCallback, signedWebhook } from '../twilio-fake/index.js';
import type { CallRun } from './call-run.js';
import type { CallerContext } from './caller-context.js';
import type { WebhookExchange } from './caller-types.js';

/** The webhook failed in a way Twilio would end the call for. */
export class CallFailed extends Error {}

/** Where a URL is POSTed: the server's listening origin in place of its public one. */
function toServer(url: string, publicOrigin: string, serverOrigin: string): string {
  const parsed = new URL(url);
  return parsed.origin === publicOrigin ? serverOrigin + parsed.pathname + parsed.search : url;
}

export function standardParams(
  context: CallerContext,
  run: CallRun,
  callStatus: string,
): Record<string, string> {
  const { call } = run;
  const fromCountry = countryOf(call.from);
  const toCountry = countryOf(call.to);
  return {
    AccountSid: context.accountSid,
    ApiVersion: '2010-04-01',
    CallSid: call.sid,
    CallStatus: callStatus,
    Called: call.to,
    CalledCity: '',
    CalledCountry: toCountry,
    CalledState: '',
    CalledZip: '',
    Caller: call.from,
    CallerCity: '',
    CallerCountry: fromCountry,
    CallerState: '',
    CallerZip: '',
    Direction: 'inbound',
    From: call.from,
    FromCity: '',
    FromCountry: fromCountry,
    FromState: '',
    FromZip: '',
    To: call.to,
    ToCity: '',
    ToCountry: toCountry,
    ToState: '',
    ToZip: '',
  };
}

async function send(
  context: CallerContext,
  url: string,
  params: Record<string, string>,
  token: string,
  retry: boolean,
): Promise<WebhookExchange> {
  const started = Date.now();
  const exchange: WebhookExchange = { url, params, status: null, body: '', ms: 0, retry };
  try {
    const response = await fetch(toServer(url, context.publicOrigin, context.serverOrigin), {
      method: 'POST',
      ...signedWebhook(context.authToken, url, params, token),
      signal: AbortSignal.timeout(context.behaviour.requestTimeoutMs),
    });
    exchange.status = response.status;
    exchange.body = await response.text();
  } catch (error) {
    exchange.error = error instanceof Error ? error.message : String(error);
  }
  exchange.ms = Date.now() - started;
  return exchange;
}

/** POSTs a signed webhook (twice, as a retry, at `duplicateWebhooks`); returns the first answer. */
async function webhook(
  context: CallerContext,
  run: CallRun,
  url: string,
  params: Record<string, string>,
): Promise<WebhookExchange> {
  run.requests += 1;
  if (run.requests > context.behaviour.maxRequests) {
    throw new CallFailed(`more than ${context.behaviour.maxRequests} webhooks: the TwiML loops`);
  }
  const token = randomUUID();
  const first = await send(context, url, params, token, false);
  run.transcript.webhooks.push(first);
  run.log({ kind: 'webhook', exchange: first });
  const duplicate = run.script.duplicateWebhooks ?? 0;
  if (duplicate > 0 && Math.random() < duplicate) {
    const again = await send(context, url, params, token, true);
    run.transcript.webhooks.push(again);
    run.log({ kind: 'webhook', exchange: again });
  }
  return first;
}

/** A webhook that must answer TwiML, as Twilio needs to go on with the call. */
export async function fetchTwiml(
  context: CallerContext,
  run: CallRun,
  url: string,
  params: Record<string, string>,
): Promise<string> {
  const exchange = await webhook(context, run, url, params);
  if (exchange.error !== undefined) throw new CallFailed(`POST ${url}: ${exchange.error}`);
  if (exchange.status !== 200) {
    throw new CallFailed(`POST ${url}: ${exchange.status} ${exchange.body.slice(0, 300)}`);
  }
  return exchange.body;
}

/** A callback whose answer does not steer the call (a recording's status). */
export async function notify(
  context: CallerContext,
  run: CallRun,
  url: string,
  params: Record<string, string>,
): Promise<void> {
  const exchange = await webhook(context, run, url, params);
  if (exchange.error !== undefined || exchange.status === null || exchange.status >= 400) {
    run.transcript.errors.push(
      `POST ${url}: ${exchange.error ?? `${exchange.status} ${exchange.body.slice(0, 200)}`}`,
    );
  }
}

/** Twilio's `FromCountry`: the ISO country of a number, for the few we simulate. */
function countryOf(number: string): string {
  if (number.startsWith('+1')) return 'US';
  if (number.startsWith('+86')) return 'CN';
  if (number.startsWith('+44')) return 'GB';
  return '';
}

/**
 * The fake's `deliver` for a server whose public origin is not where it listens (behind a proxy, or
 * a test server on a random port): callbacks signed for `publicBaseUrl` are POSTed to `serverBaseUrl`.
 */
export function deliverVia(
  serverBaseUrl: string,
  publicBaseUrl: string,
): (request: { url: string; headers: Record<string, string>; body: string }) => Promise<number> {
  const publicOrigin = new URL(publicBaseUrl).origin;
  const serverOrigin = new URL(serverBaseUrl).origin;
  return (request) => postCallback({ ...request, url: toServer(request.url, publicOrigin, serverOrigin) });
}
