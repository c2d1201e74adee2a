import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeAgent, makeQueue } from '../testing/factories.js';
import { as, login } from '../testing/harness.js';
import { PUBLIC, inboundCall, startTwilioApp, type TwilioApp } from '../testing/twilio-app.js';

/** A greeting, a menu (1: support's queue, 2 or nothing: goodbye), and the two ends. */
const FLOW = `
id: main
version: 1
language: en-US
start: welcome
nodes:
  welcome:
    type: say
    text:
      en-US: Welcome.
    next: menu
  menu:
    type: menu
    prompt:
      en-US: For support press 1, to hang up press 2.
    options:
      - digit: 1
        value: support
        next: support
      - digit: 2
        value: bye
        next: bye
    noInput: bye
    noMatch: bye
  support:
    type: route_to_queue
    queue: Support
  bye:
    type: hangup
    text:
      en-US: Goodbye.
`;

/** The test clock's day, 22 November 2026. */
const RANGE = 'from=2026-11-22T00:00:00Z&to=2026-11-23T00:00:00Z';

describe('IVR report', () => {
  let twilio: TwilioApp;

  beforeEach(async () => {
    twilio = await startTwilioApp({
      flows: { main: FLOW },
      numbers: 'default: main\n',
      desk: false,
      arrange: async (db) => {
        await makeAgent(db, { username: 'ana', role: 'agent' });
        await makeAgent(db, { username: 'sue', role: 'supervisor' });
        makeQueue(db, 'Support');
      },
    });
  });
  afterEach(() => twilio.close());

  /** A caller walks the flow, keying `digits` at the menu (none: hangs up at it), then the call ends. */
  async function call(n: number, digits: string | null) {
    const { form } = inboundCall(twilio.fake, `+1415555020${n}`);
    const menu = await twilio.webhook('/twilio/voice', { ...form, CallStatus: 'ringing' });
    if (digits !== null) {
      const action = /<Gather[^>]*action="([^"]+)"/
        .exec(menu.body)![1]!
        .replace(/&amp;/g, '&')
        .replace(PUBLIC, '');
      await twilio.webhook(action, { ...form, CallStatus: 'in-progress', Digits: digits });
    }
    await twilio.webhook('/twilio/call-status', {
      ...form,
      CallStatus: 'completed',
      SequenceNumber: '9',
      CallDuration: '30',
    });
  }

  it('counts entries, continuations, drop-offs, containment and routing per node by hand', async () => {
    await call(1, null); // hangs up at the menu: a drop-off there
    await call(2, '2'); // goodbye: contained at bye
    await call(3, '2'); // goodbye: contained at bye
    await call(4, '1'); // queued for support, hangs up waiting: routed at support
    await call(5, '9'); // no such option: asked again, hangs up: another drop-off at the menu
    const sue = as(twilio.app, await login(twilio.app, 'sue', 'test-password'));
    const response = await sue('GET', `/api/reports/ivr?${RANGE}`);
    expect(response.statusCode).toBe(200);
    const node = (flowId: string, nodeId: string, counts: number[]) => {
      const [entered, continued, droppedOff, contained, routed] = counts as [
        number,
        number,
        number,
        number,
        number,
      ];
      return {
        flowId,
        nodeId,
        entered,
        continued,
        droppedOff,
        contained,
        routed,
        dropOffPercent: Math.round((droppedOff / entered) * 1000) / 10,
      };
    };
    expect(response.json()).toEqual({
      calls: 5,
      nodes: [
        // entered, continued, dropped off, contained, routed
        node('main', 'menu', [5, 3, 2, 0, 0]),
        node('main', 'welcome', [5, 5, 0, 0, 0]),
        node('main', 'bye', [2, 0, 0, 2, 0]),
        node('main', 'support', [1, 0, 0, 0, 1]),
      ],
    });
    // Contained and dropped off together are the rollups' IVR containment: 4 of 5 new calls.
    const summary = (await sue('GET', `/api/reports/summary?${RANGE}`)).json();
    expect(summary.totals.ivrContainmentPercent).toBe(80);

    const other = (await sue('GET', `/api/reports/ivr?${RANGE}&flowId=other`)).json();
    expect(other).toEqual({ calls: 0, nodes: [] });
  });

  it('is for supervisors and admins, checks the range and zone as every report does, and is documented', async () => {
    const ana = as(twilio.app, await login(twilio.app, 'ana', 'test-password'));
    expect((await ana('GET', `/api/reports/ivr?${RANGE}`)).statusCode).toBe(403);
    expect((await twilio.app.inject({ method: 'GET', url: `/api/reports/ivr?${RANGE}` })).statusCode).toBe(
      401,
    );
    const sue = as(twilio.app, await login(twilio.app, 'sue', 'test-password'));
    const bad = async (query: string) => (await sue('GET', `/api/reports/ivr?${query}`)).json().message;
    expect(await bad(`${RANGE}&timeZone=Mars/Olympus`)).toMatch(/Unknown time zone/);
    expect(await bad('from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z')).toMatch(/from must be before to/);
    expect(await bad('from=2026-11-01T00:05:00Z&to=2026-11-02T00:00:00Z')).toMatch(/quarter hour/);
    expect((await sue('GET', `/api/reports/ivr?${RANGE}&flowId=../x`)).statusCode).toBe(400);
    const spec = (await twilio.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(spec.paths['/api/reports/ivr'].get.tags).toEqual(['reports']);
  });
});
