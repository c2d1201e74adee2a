import { describe, expect, it } from 'vitest';
import { makeAgent, makeQueue } from '../../testing/factories.js';
import { as, useTestContext, login, until } from '../../testing/harness.js';
import { createSipCredentials } from './sip-credentials.js';
import { transferUser } from './sip-transfer.js';

const SECRET = 'hook-test-secret-0123456789abcdefghijkl';
const AUTH = { authorization: `Bearer ${SECRET}` };

/** Kamailio's side of the hooks, without Kamailio: the same form posts its config makes. */
describe('the SIP hooks Kamailio calls', () => {
  const ctx = useTestContext({
    env: { SIP_SHARED_SECRET: SECRET, SIP_DOMAIN: 'cti.test', SIP_QUEUE_BY_NUMBER: '200=Sales' },
    app: { callTimers: false },
    arrange: async (db) => {
      makeQueue(db, 'Support');
      await makeAgent(db, { username: 'ana', sipAddress: 'sip:ana@cti.test' });
      await makeAgent(db, { username: 'bo' });
    },
  });

  const post = (path: string, form: Record<string, string>, headers: Record<string, string> = AUTH) =>
    ctx.app.inject({
      method: 'POST',
      url: `/sip${path}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: new URLSearchParams(form).toString(),
    });
  const invite = { callId: 'abc@10.0.0.1', from: '+14155550123', to: '100', tindex: '12', tlabel: '345' };
  const interactionCount = () =>
    (ctx.db.prepare('SELECT COUNT(*) AS n FROM interactions').get() as { n: number }).n;

  it('refuses unsigned (401) and wrongly signed (403) requests before creating anything', async () => {
    expect((await post('/route', invite, {})).statusCode).toBe(401);
    expect(
      (await post('/route', invite, { authorization: `Bearer ${SECRET.slice(0, -1)}x` })).statusCode,
    ).toBe(403);
    expect((await post('/route', invite, { authorization: SECRET })).statusCode).toBe(403);
    expect((await post('/events', { event: 'ended', callId: 'abc' }, {})).statusCode).toBe(401);
    expect(interactionCount()).toBe(0);
    expect(ctx.logs()).not.toContain(SECRET);
  });

  it('refuses a malformed routing request with a clear 400 and creates nothing', async () => {
    const response = await post('/route', { ...invite, tindex: 'x1' });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/tindex/);
    expect((await post('/route', { ...invite, callId: '' })).statusCode).toBe(400);
    expect((await post('/route', { ...invite, from: 'x'.repeat(1025) })).statusCode).toBe(400);
    expect(interactionCount()).toBe(0);
  });

  it('takes long but legal Call-IDs and From users, which a trunk may send', async () => {
    const long = { ...invite, callId: `${'c'.repeat(900)}@10.0.0.1`, from: `+1${'5'.repeat(900)}` };
    expect((await post('/route', long)).json()).toMatchObject({ action: 'queue' });
    expect((await post('/events', { event: 'failed', callId: long.callId, code: '487' })).statusCode).toBe(
      204,
    );
    // A failure is applied after the hook answers.
    await until(
      () => ctx.db.prepare('SELECT state FROM interactions').pluck().get() === 'completed',
      'ended',
    );
    expect(ctx.db.prepare('SELECT outcome FROM interactions').pluck().get()).toBe('abandoned');
  });

  it("relays an agent's failure for a call it cannot take back, and refuses malformed reports", async () => {
    const failure = { callId: 'nobody@10.0.0.1', code: '486', tindex: '1', tlabel: '2' };
    expect((await post('/agent-failed', failure)).json()).toEqual({ action: 'relay' });
    expect((await post('/agent-failed', { ...failure, code: '0486' })).statusCode).toBe(400);
    expect((await post('/agent-failed', { ...failure, tindex: '' })).statusCode).toBe(400);
    expect((await post('/agent-failed', failure, {})).statusCode).toBe(401);
    // A call still waiting in its queue was never the agent's to fail.
    await post('/route', invite);
    expect((await post('/agent-failed', { ...failure, callId: invite.callId })).json()).toEqual({
      action: 'relay',
    });
    expect(ctx.db.prepare('SELECT state FROM interactions').pluck().get()).toBe('queued');
  });

  it('queues a new call, answers a repeated Call-ID as a loop, and refuses a number without a queue', async () => {
    const first = await post('/route', invite);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ action: 'queue', interactionId: expect.stringMatching(/^\d+$/) });
    expect((await post('/route', invite)).json()).toEqual({
      action: 'reject',
      code: 482,
      reason: 'Loop Detected',
    });
    expect((await post('/route', { ...invite, callId: 'other@10.0.0.1', to: '200' })).json()).toEqual({
      action: 'reject',
      code: 404,
      reason: 'No Such Number',
    });
    expect(interactionCount()).toBe(1);
    const row = ctx.db.prepare('SELECT provider, caller_number, state FROM interactions').get();
    expect(row).toEqual({ provider: 'sip', caller_number: '+14155550123', state: 'queued' });
  });

  it('takes odd characters in SIP users as data', async () => {
    const odd = { ...invite, callId: 'odd"id;x=<y>@host', from: `o'brien"<sip:x>;$ru%00` };
    expect((await post('/route', odd)).json()).toMatchObject({ action: 'queue' });
    expect(ctx.db.prepare('SELECT provider_call_id, caller_number FROM interactions').get()).toEqual({
      provider_call_id: odd.callId,
      caller_number: odd.from,
    });
  });

  it("refuses a transfer's INVITE that is forged, expired, or for an Interaction no transfer waits on", async () => {
    const first = await post('/route', invite);
    const callerId = Number(first.json().interactionId);
    const later = (seconds: number) => new Date(ctx.clock.now().getTime() + seconds * 1000);
    const transferTo = (user: string, callId: string) => post('/route', { ...invite, callId, to: user });

    const forged = transferUser(`${SECRET.slice(0, -1)}x`, callerId, later(10));
    expect((await transferTo(forged, 'forged@10.0.0.1')).json()).toEqual({
      action: 'reject',
      code: 403,
      reason: 'Forbidden',
    });
    expect((await transferTo('transfer-1-x', 'malformed@10.0.0.1')).json()).toMatchObject({ code: 403 });
    expect((await transferTo(transferUser(SECRET, callerId, later(-1)), 'late@10.0.0.1')).json()).toEqual({
      action: 'reject',
      code: 410,
      reason: 'Transfer Expired',
    });
    // Well signed, but the Interaction is a caller's own, not one a transfer started.
    expect((await transferTo(transferUser(SECRET, callerId, later(10)), 'own@10.0.0.1')).json()).toEqual({
      action: 'reject',
      code: 404,
      reason: 'No Such Transfer',
    });
    expect((await transferTo(transferUser(SECRET, 999, later(10)), 'none@10.0.0.1')).json()).toMatchObject({
      code: 404,
    });
    expect(interactionCount()).toBe(1);
    expect(ctx.db.prepare('SELECT provider_call_id FROM interactions').pluck().get()).toBe(invite.callId);
  });

  it('answers 404 to events of a dialog it does not know, and 400 to unknown events', async () => {
    const unknown = await post('/events', { event: 'ended', callId: 'nobody@10.0.0.1' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toMatch(/SIP call nobody@10.0.0.1 does not exist/);
    expect((await post('/events', { event: 'exploded', callId: 'abc@10.0.0.1' })).statusCode).toBe(400);
  });

  it('tells a console to start its softphone only for an Agent with a SIP address', async () => {
    const me = async (username: string) =>
      (await as(ctx.app, await login(ctx.app, username, 'test-password'))('GET', '/api/auth/me')).json();
    expect(await me('ana')).toMatchObject({ username: 'ana', softphone: true });
    expect(await me('bo')).toMatchObject({ username: 'bo', softphone: false });
  });

  it('gives Kamailio the HA1 of credentials we issued, and nothing for foreign or forged ones', async () => {
    const cookie = await login(ctx.app, 'ana', 'test-password');
    const issued = (await as(ctx.app, cookie)('GET', '/api/sip/credentials')).json();
    const ha1 = await post('/credentials', { username: issued.username, aor: 'ana' });
    expect(ha1.statusCode).toBe(200);
    expect(ha1.body).toMatch(/^[0-9a-f]{32}$/);
    expect(ha1.body).toBe(
      createSipCredentials({ sharedSecret: SECRET, domain: 'cti.test', ttlHours: 12 }).ha1For(
        issued.username,
        'ana',
        ctx.clock.now(),
      ),
    );
    expect((await post('/credentials', { username: issued.username, aor: 'ben' })).statusCode).toBe(403);
    expect((await post('/credentials', { username: `1:ana`, aor: 'ana' })).statusCode).toBe(403);
    expect(ctx.logs()).not.toContain(issued.password);
  });
});
