import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HandoffContext } from '../../contracts/handoff.js';
import { makeAgent, makeQueue } from '../testing/factories.js';
import { as, login, until, useTestContext } from '../testing/harness.js';
import { interactionEventTypes } from '../testing/rows.js';
import { inboundCall, startTwilioApp, SUPPORT_FLOW, type TwilioApp } from '../testing/twilio-app.js';
import { encodeHandoffContext, signHandoff } from './handoff.js';

const SECRET = 'handoff-test-secret-0123456789abcdef';
const CONTEXT: HandoffContext = {
  bot: 'Ava',
  intent: 'billing_dispute',
  fields: { orderId: 'A-1042', verified: true },
  summary: 'Charged twice for order A-1042; wants a refund.',
  transcript: [
    { role: 'bot', text: 'How can I help?' },
    { role: 'caller', text: 'I was charged twice.' },
  ],
  queue: 'Billing',
};

describe('a bot hands its caller over through Twilio', () => {
  let twilioApp: TwilioApp;

  beforeEach(async () => {
    twilioApp = await startTwilioApp({
      flows: { test: SUPPORT_FLOW },
      env: { HANDOFF_SECRET: SECRET, HANDOFF_MAX_BYTES: '1024' },
      arrange: async (db) => {
        await makeAgent(db, { username: 'ana', sipAddress: 'sip:ana@cti.local' });
        makeQueue(db, 'Support');
        makeQueue(db, 'Billing');
      },
    });
    expect(await twilioApp.desk.command('agent:set-status', { status: 'available' })).toEqual({ ok: true });
  });

  afterEach(() => twilioApp.close());

  /** The redirect a bot's TwiML makes: `<Redirect>` to this path and query, signed with our secret. */
  function handoffPath(context: string, options: { ts?: number; secret?: string } = {}) {
    const ts = options.ts ?? Math.floor(twilioApp.ctx.clock.now().getTime() / 1000);
    const sig = signHandoff(context, ts, options.secret ?? SECRET);
    return `/twilio/handoff?${new URLSearchParams({ context, ts: String(ts), sig }).toString()}`;
  }
  const idOf = (callSid: string) =>
    twilioApp.ctx.db
      .prepare('SELECT id FROM interactions WHERE provider_call_id = ?')
      .pluck()
      .get(callSid) as number;

  it('puts the caller in the queue the context names and shows the context in the offer and the timeline', async () => {
    const { callSid, form } = inboundCall(twilioApp.fake, '+14155550123');

    const response = await twilioApp.webhook(handoffPath(encodeHandoffContext(CONTEXT)), form);

    expect(response.statusCode).toBe(200);
    // The waiting room, not the IVR's prompt: the bot already asked what the IVR would.
    expect(response.body).toContain('<Conference');
    expect(response.body).not.toContain('Connecting you to support');
    await until(() => twilioApp.desk.last().offer !== null, 'the offer');
    const offer = twilioApp.desk.last().offer!;
    expect(offer.queue?.name).toBe('Billing');
    expect(offer.handoff).toEqual({ source: 'twilio', context: CONTEXT });

    const interactionId = idOf(callSid);
    expect(interactionEventTypes(twilioApp.ctx.db, interactionId)).toContain('bot_handoff');
    const cookie = await login(twilioApp.app, 'ana', 'test-password');
    const detail = (await as(twilioApp.app, cookie)('GET', `/api/interactions/${interactionId}`)).json();
    expect(detail.handoff).toEqual({ source: 'twilio', context: CONTEXT });
    expect(detail.events.find((event: { type: string }) => event.type === 'bot_handoff').data).toMatchObject({
      intent: 'billing_dispute',
      summary: CONTEXT.summary,
    });
    expect(twilioApp.ctx.logs()).not.toContain('A-1042');
  });

  it('takes the caller without a context that is forged, stale or oversize, noting why, through the IVR', async () => {
    const encoded = encodeHandoffContext(CONTEXT);
    const cases = [
      { path: handoffPath(encoded, { secret: 'x'.repeat(36) }), reason: 'bad_signature' },
      { path: handoffPath(encoded, { ts: 1_000_000 }), reason: 'expired' },
      {
        path: handoffPath(encodeHandoffContext({ ...CONTEXT, summary: 'long '.repeat(300) })),
        reason: 'oversize',
      },
      { path: handoffPath('bm90IGpzb24'), reason: 'malformed' },
    ];
    for (const { path, reason } of cases) {
      const { callSid, form } = inboundCall(twilioApp.fake, '+14155550123');
      const response = await twilioApp.webhook(path, form);
      expect(response.statusCode, reason).toBe(200);
      expect(response.body, reason).toContain('Connecting you to support');
      const id = idOf(callSid);
      const row = twilioApp.ctx.db
        .prepare(
          "SELECT data FROM interaction_events WHERE interaction_id = ? AND type = 'bot_handoff_ignored'",
        )
        .pluck()
        .get(id) as string;
      expect(JSON.parse(row), reason).toEqual({ source: 'twilio', reason });
      expect(
        twilioApp.ctx.db.prepare('SELECT handoff_context FROM interactions WHERE id = ?').pluck().get(id),
      ).toBeNull();
    }
    expect(twilioApp.ctx.logs()).toContain('bot handoff context ignored');
    expect(twilioApp.ctx.logs()).not.toContain('A-1042');
  });

  it('still checks the Twilio signature first: an unsigned redirect changes nothing', async () => {
    const { form } = inboundCall(twilioApp.fake, '+14155550123');
    const response = await twilioApp.app.inject({
      method: 'POST',
      url: handoffPath(encodeHandoffContext(CONTEXT)),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(form).toString(),
    });
    expect(response.statusCode).toBe(403);
    expect(twilioApp.ctx.db.prepare('SELECT COUNT(*) FROM interactions').pluck().get()).toBe(0);
  });
});

const SIP_SECRET = 'handoff-hook-secret-0123456789abcdefghij';

/** Kamailio's side of the routing hook with the context it passes from a trusted peer (route[HANDOFF_CONTEXT]). */
describe('a bot hands its caller over through SIP (X-CTI-Context)', () => {
  const ctx = useTestContext({
    env: { SIP_SHARED_SECRET: SIP_SECRET, SIP_DOMAIN: 'cti.test', HANDOFF_MAX_BYTES: '1024' },
    app: { callTimers: false },
    arrange: (db) => makeQueue(db, 'Support'),
  });
  const route = (form: Record<string, string>) =>
    ctx.app.inject({
      method: 'POST',
      url: '/sip/route',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${SIP_SECRET}` },
      payload: new URLSearchParams({
        from: '+14155550123',
        to: '100',
        tindex: '1',
        tlabel: '2',
        ...form,
      }).toString(),
    });
  const handoffOf = (callId: string) => {
    const value = ctx.db
      .prepare('SELECT handoff_context FROM interactions WHERE provider_call_id = ?')
      .pluck()
      .get(callId) as string | null;
    return value === null ? null : (JSON.parse(value) as unknown);
  };
  const ignoredReason = (callId: string) =>
    ctx.db
      .prepare(
        `SELECT json_extract(e.data, '$.reason') FROM interaction_events e JOIN interactions i ON i.id = e.interaction_id
         WHERE i.provider_call_id = ? AND e.type = 'bot_handoff_ignored'`,
      )
      .pluck()
      .get(callId);

  it('keeps a valid context on the Interaction and queues the call as usual', async () => {
    const response = await route({ callId: 'bot-1@peer', context: encodeHandoffContext(CONTEXT) });
    expect(response.json()).toMatchObject({ action: 'queue' });
    expect(handoffOf('bot-1@peer')).toEqual({ source: 'sip', context: CONTEXT });
  });

  it('queues the call without a context that is malformed, oversize, or that Kamailio left out, noting why', async () => {
    const big = encodeHandoffContext({ summary: 'long '.repeat(300) });
    for (const [callId, form, reason] of [
      ['bad@peer', { context: '%%%' }, 'malformed'],
      ['big@peer', { context: big }, 'oversize'],
      ['stranger@peer', { contextRefused: 'untrusted' }, 'untrusted'],
    ] as const) {
      expect((await route({ callId, ...form })).json(), reason).toMatchObject({ action: 'queue' });
      expect(handoffOf(callId), reason).toBeNull();
      expect(ignoredReason(callId), reason).toBe(reason);
    }
  });
});
