import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeskState } from '../../contracts/desk.js';
import { makeAgent, makeCustomer, makeQueue } from '../testing/factories.js';
import { as, login, until } from '../testing/harness.js';
import { OUR_NUMBER, startTwilioApp, SUPPORT_FLOW, type TwilioApp } from '../testing/twilio-app.js';

const OLIVIA = '+14155550123';
const TIMEOUT_MS = 300;
/** What an offer may take beyond the lookup's timeout: the desk push over a local socket. */
const MARGIN_MS = 150;

type Behaviour = 'hang' | 'answer' | 'fail' | 'not_found' | 'oversize';

/** The CRM: answers as the test says, and keeps what it was asked. */
async function startCrm() {
  const crm = {
    behaviour: 'answer' as Behaviour,
    requests: [] as unknown[],
    hanging: [] as ServerResponse[],
  };
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      crm.requests.push({ body: JSON.parse(body) as unknown, authorization: request.headers.authorization });
      switch (crm.behaviour) {
        case 'hang':
          crm.hanging.push(response);
          return;
        case 'fail':
          response.writeHead(500).end();
          return;
        case 'not_found':
          response.writeHead(404).end();
          return;
        case 'oversize':
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ displayName: 'x'.repeat(40_000) }));
          return;
        case 'answer':
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(
            JSON.stringify({
              crmId: 'C-77',
              displayName: 'Olivia Carter (Acme)',
              fields: [{ label: 'Open deals', value: '2', secret: 'dropped' }],
              internalScore: 99,
            }),
          );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    crm,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/lookup`,
    close: async () => {
      for (const response of crm.hanging) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('the external CRM lookup on the screen pop', () => {
  let crmServer: Awaited<ReturnType<typeof startCrm>>;
  let twilioApp: TwilioApp;

  beforeEach(async () => {
    crmServer = await startCrm();
  });

  /** The app, asking the CRM with a timeout of `timeoutMs`: tests of the answer's content allow a cold start. */
  async function start(timeoutMs = TIMEOUT_MS) {
    twilioApp = await startTwilioApp({
      flows: { test: SUPPORT_FLOW },
      env: {
        CRM_LOOKUP_URL: crmServer.url,
        CRM_LOOKUP_TOKEN: 'crm-token',
        CRM_LOOKUP_TIMEOUT_MS: String(timeoutMs),
        CRM_LOOKUP_BREAKER_FAILURES: '2',
        CRM_LOOKUP_BREAKER_COOLDOWN_SECONDS: '30',
        CRM_LINK_TEMPLATE: 'https://crm.example/contacts/{customerId}?phone={phone}',
      },
      arrange: async (db) => {
        await makeAgent(db, { username: 'ana', sipAddress: 'sip:ana@cti.local' });
        makeQueue(db, 'Support');
        makeCustomer(db, { name: 'Olivia Carter', phones: [OLIVIA] });
      },
    });
  }

  afterEach(async () => {
    await twilioApp.close();
    await crmServer.close();
  });

  const crm = () => crmServer.crm;
  const offers = () => twilioApp.desk.states.filter((state) => state.offer !== null);

  /**
   * A caller from `from` reaches Support while Ana is available: resolves with the desk state that
   * offered the call and how long it took from the call's arrival.
   */
  async function offeredCall(from: string): Promise<{ state: DeskState; ms: number; interactionId: number }> {
    const { app, fake, desk } = twilioApp;
    if (desk.last().status !== 'available')
      expect(await desk.command('agent:set-status', { status: 'available' })).toEqual({ ok: true });
    await until(() => desk.last().status === 'available', 'Ana available');
    const before = offers().length;
    // Timed by the socket's own event, not by polling for it.
    let offeredAt = 0;
    const timeOffer = (state: DeskState) => {
      if (state.offer && !offeredAt) offeredAt = performance.now();
    };
    desk.socket.on('desk:state', timeOffer);
    const callSid = fake.arrive({ from, to: OUR_NUMBER }).sid;
    const started = performance.now();
    const { interactionId } = await app.calls.arrive({
      provider: 'twilio',
      providerCallId: callSid,
      from,
      to: OUR_NUMBER,
    });
    await app.calls.enqueue(interactionId, { queueName: 'Support', priorityBoostSeconds: 0, ivrAnswers: {} });
    void app.calls.dispatch();
    await until(() => offers().length > before, 'the offer', 5000);
    desk.socket.off('desk:state', timeOffer);
    const ms = offeredAt - started;
    const state = offers().at(-1)!;
    // The caller gives up: Ana is free for the next call.
    await app.calls.callerEnded(interactionId);
    await until(() => desk.last().status === 'available' && desk.last().offer === null, 'Ana free');
    return { state, ms, interactionId };
  }

  const metric = async (line: RegExp) => {
    const text = (await twilioApp.app.inject({ method: 'GET', url: '/metrics' })).body;
    return text.split('\n').find((row) => line.test(row)) ?? '';
  };

  it('enriches the offer with the CRM answer (only the contract fields), then serves the caller from the cache', async () => {
    await start(5000);
    const first = await offeredCall(OLIVIA);

    expect(first.state.offer!.crm).toEqual({
      crmId: 'C-77',
      displayName: 'Olivia Carter (Acme)',
      fields: [{ label: 'Open deals', value: '2' }],
    });
    expect(crm().requests).toEqual([
      {
        body: { interactionId: first.interactionId, callerNumber: OLIVIA, customerId: expect.any(Number) },
        authorization: 'Bearer crm-token',
      },
    ]);

    const second = await offeredCall(OLIVIA);
    expect(second.state.offer!.crm?.crmId).toBe('C-77');
    expect(crm().requests).toHaveLength(1);
    expect(await metric(/^cti_crm_lookups_total\{result="cache_hit"\}/)).toMatch(/ [1-9]\d*$/);
  });

  it('offers the call without the lookup when the CRM hangs, within the timeout plus a margin', async () => {
    await start();
    crm().behaviour = 'hang';

    const { state, ms } = await offeredCall(OLIVIA);

    expect(state.offer!.crm).toBeNull();
    expect(state.offer!.pop.customer?.name).toBe('Olivia Carter');
    expect(ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
    expect(await metric(/^cti_crm_lookups_total\{result="timeout"\}/)).toMatch(/ 1$/);
    // Neither the number nor the answer reaches the log.
    expect(twilioApp.ctx.logs()).toContain('CRM lookup failed');
    expect(twilioApp.ctx.logs()).not.toContain(OLIVIA);
  });

  it('opens the breaker after consecutive failures, asks nobody while open, and closes after a good trial', async () => {
    await start();
    crm().behaviour = 'fail';
    await offeredCall('+14155550101');
    crm().behaviour = 'hang';
    await offeredCall('+14155550102');
    expect(await metric(/^cti_crm_lookup_breaker_state /)).toBe('cti_crm_lookup_breaker_state 2');

    const whileOpen = await offeredCall('+14155550103');
    expect(crm().requests).toHaveLength(2);
    // Not asked, so not waited for: well under the timeout a hanging CRM costs.
    expect(whileOpen.ms).toBeLessThan(TIMEOUT_MS);
    expect(await metric(/^cti_crm_lookups_total\{result="breaker_open"\}/)).toMatch(/ 1$/);

    // After the cool-down one trial goes out; its success closes the breaker.
    twilioApp.ctx.clock.advance(30_000);
    crm().behaviour = 'answer';
    const trial = await offeredCall('+14155550104');
    expect(crm().requests).toHaveLength(3);
    expect(trial.state.offer!.crm?.crmId).toBe('C-77');
    expect(await metric(/^cti_crm_lookup_breaker_state /)).toBe('cti_crm_lookup_breaker_state 0');
    expect(await metric(/^cti_crm_lookups_total\{result="error_status"\}/)).toMatch(/ 1$/);
  });

  it('counts an oversize answer as a failure and a 404 as "nothing known"', async () => {
    await start(5000);
    crm().behaviour = 'oversize';
    expect((await offeredCall('+14155550105')).state.offer!.crm).toBeNull();
    crm().behaviour = 'not_found';
    expect((await offeredCall('+14155550106')).state.offer!.crm).toBeNull();
    expect(await metric(/^cti_crm_lookups_total\{result="error_oversize"\}/)).toMatch(/ 1$/);
    expect(await metric(/^cti_crm_lookups_total\{result="not_found"\}/)).toMatch(/ 1$/);
  });

  it('gives the console the link template, to signed-in users only', async () => {
    await start();
    const { app } = twilioApp;
    expect((await app.inject({ method: 'GET', url: '/api/crm/settings' })).statusCode).toBe(401);
    const cookie = await login(app, 'ana', 'test-password');
    const response = await as(app, cookie)('GET', '/api/crm/settings');
    expect(response.json()).toEqual({
      linkTemplate: 'https://crm.example/contacts/{customerId}?phone={phone}',
      lookup: true,
    });
  });
});
