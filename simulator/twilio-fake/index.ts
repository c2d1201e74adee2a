import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCallState } from './call-state.js';
import { createCallbacks } from './callbacks.js';
import { callRoutes } from './calls.js';
import { conferenceRoutes } from './conferences.js';
import type { FakeContext, Routes } from './context.js';
import { ENDED, TwilioError, formOf, notFound, throwing } from './params.js';
import { createRecordings } from './recordings.js';
import type { RecordedRequest, TwilioFake, TwilioFakeOptions } from './types.js';

export type * from './types.js';
export { postCallback, signedWebhook } from './callbacks.js';
export { conferenceOptionsOf } from './call-state.js';
export { ENDED as ENDED_STATUSES } from './params.js';

/**
 * A stateful stand-in for the part of Twilio's REST API (2010-04-01) the console uses: calls,
 * conferences and their participants, call recordings. No real peer can run offline (no local
 * Twilio exists), and Prism serving Twilio's OpenAPI spec checks shapes but keeps no state.
 *
 * It answers like Twilio: snake_case JSON, `{ code, message, more_info, status }` errors (404
 * 20404 for unknown SIDs, 401 20003 for bad credentials), form bodies with repeated keys kept as
 * arrays. Error codes for missing parameters are the fake's own; assert the status, not the code.
 * Reach it through `RedirectingRequestClient` so the official client and its encoding stay real.
 *
 * With `statusCallbacks` it also plays Twilio's side of the call: signed call, recording and (with
 * `conferenceCallbacks`) conference status callbacks, delivered in order per call unless a
 * `delivery` mode asks for retries or reordering; with `autoAnswer` the legs the server places ring
 * and answer by themselves. `on` tells a caller simulator what happens to its call.
 */
export async function startTwilioFake(options: TwilioFakeOptions): Promise<TwilioFake> {
  const { accountSid, authToken } = options;
  const expectedAuthorization = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const context: FakeContext = {
    options,
    accountSid,
    accountPath: `/2010-04-01/Accounts/${accountSid}`,
    calls: new Map(),
    conferences: new Map(),
    recordings: new Map(),
    listeners: new Set(),
    timers: new Set(),
    delivery: options.delivery ?? {},
    closed: false,
  };
  const { accountPath } = context;
  const requests: RecordedRequest[] = [];
  let outage = false;
  const callbacks = createCallbacks(context);
  const state = createCallState(context, callbacks);
  const recordings = createRecordings(context, callbacks);
  const routes: Routes = {
    ...callRoutes(context, state),
    ...conferenceRoutes(context, state, callbacks),
    ...recordings.routes,
  };
  const callOf = (sid: string) => context.calls.get(sid) ?? throwing(notFound());

  /** Finds the handler by method and resources, each SID in the path standing as `*`. */
  function route(recorded: RecordedRequest): [number, unknown] {
    if (!recorded.path.startsWith(`${accountPath}/`)) throw notFound();
    const parts = recorded.path
      .slice(accountPath.length + 1)
      .replace(/\.json$/, '')
      .split('/')
      .map(decodeURIComponent);
    const at = `${recorded.method} ${parts.map((part, i) => (i % 2 === 0 ? part : '*')).join('/')}`;
    const handler = routes[at] ?? throwing(notFound());
    return handler({
      ids: parts.filter((_, i) => i % 2 === 1),
      query: recorded.query,
      form: recorded.form,
    });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: formOf(url.searchParams),
      form: formOf(new URLSearchParams(body)),
      headers: request.headers,
    };
    requests.push(recorded);

    let status: number;
    let payload: unknown;
    try {
      if (outage) throw new TwilioError(503, 20503, 'Service unavailable');
      if (request.headers.authorization !== expectedAuthorization) {
        throw new TwilioError(401, 20003, 'Authenticate');
      }
      if (recordings.serveMedia(request, response, recorded.method, recorded.path)) return;
      [status, payload] = route(recorded);
    } catch (error) {
      if (!(error instanceof TwilioError)) throw error;
      status = error.status;
      payload = {
        code: error.code,
        message: error.message,
        more_info: `https://www.twilio.com/docs/errors/${error.code}`,
        status: error.status,
      };
    }
    if (payload === null) {
      response.writeHead(status).end();
      return;
    }
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response
        .writeHead(500, { 'content-type': 'application/json' })
        .end(JSON.stringify({ code: 20500, message: `fake: ${String(error)}`, status: 500 }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    baseUrl: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`,
    requests,
    calls: context.calls,
    conferences: context.conferences,
    recordings: context.recordings,
    deliveries: callbacks.deliveries,
    get delivery() {
      return context.delivery;
    },
    set delivery(mode) {
      context.delivery = mode;
    },
    get outage() {
      return outage;
    },
    set outage(down) {
      outage = down;
    },
    arrive({ from, to, conferenceName, statusCallback, statusCallbackEvents, delivery }) {
      const call = state.newCall({
        from,
        to,
        direction: 'inbound',
        status: 'in-progress',
        answeredAt: new Date(),
        statusCallback: statusCallback ?? null,
        statusCallbackEvents: statusCallbackEvents?.length ? statusCallbackEvents : ['completed'],
        delivery: delivery ?? null,
      });
      if (conferenceName !== undefined) {
        state.joinConference(call, conferenceName, {
          startConferenceOnEnter: false,
          endConferenceOnExit: true,
        });
      }
      return call;
    },
    joinConference(callSid, conferenceName, joining) {
      const call = callOf(callSid);
      if (ENDED.has(call.status)) throw new Error(`fake: call ${callSid} has ended (${call.status})`);
      return state.joinConference(call, conferenceName, joining);
    },
    on(listener) {
      context.listeners.add(listener);
      return () => void context.listeners.delete(listener);
    },
    answer(callSid) {
      state.answer(callOf(callSid));
    },
    leaveRecording: (callSid) => recordings.leaveRecording(callSid),
    endCall(callSid, status = 'completed') {
      state.endCall(callOf(callSid), status);
    },
    settled: callbacks.settled,
    async close() {
      context.closed = true;
      for (const timer of context.timers) clearTimeout(timer);
      context.timers.clear();
      context.listeners.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
