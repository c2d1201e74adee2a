import { afterEach, describe, expect, it } from 'vitest';
import { as, login, until } from '../../testing/harness.js';
import { startTwilioCallPath, type TwilioCallPath } from '../../testing/twilio-call-path.js';
import { twilioContractViolations } from '../../testing/twilio-contract.js';

/** Twilio's times have whole seconds. */
const toSecond = (date: Date) => new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString();

describe('Twilio callbacks missed while no server listened: reconciled with its REST API', () => {
  let path: TwilioCallPath;

  afterEach(async () => {
    const requests = path.fake.requests;
    await path.close();
    expect(requests.flatMap(twilioContractViolations)).toEqual([]);
  });

  const fakeCall = (sid: string) => path.fake.calls.get(sid)!;

  it('ends a call whose caller hung up during a restart, at Twilio’s end time, and takes the agent to wrap-up', async () => {
    path = await startTwilioCallPath();
    const call = await path.acceptedCall();
    path.fake.answer(call.agentLegSid);
    await path.callbacks(call).agentAnswered();

    // Olivia hangs up while no server listens: her end callback is lost.
    await path.restart(() => path.fake.endCall(call.callerSid));

    await until(() => path.interaction(call.id).state === 'wrap_up', 'the call ended by the start pass');
    expect(path.interaction(call.id)).toMatchObject({
      outcome: 'answered',
      ended_at: toSecond(fakeCall(call.callerSid).endedAt!),
    });
    expect(await path.app.acd.getAgent(1)).toMatchObject({ status: 'wrap_up' });
    await until(() => path.desk.last().wrapUp?.interactionId === call.id, 'the wrap-up on the desk');
    expect(await path.app.acd.checkInvariants()).toEqual([]);
  });

  it('ends a call whose caller hung up in the IVR during a restart, at Twilio’s end time', async () => {
    path = await startTwilioCallPath();
    const { callerSid } = await path.callInIvr();
    const id = Number(
      (
        path.db.prepare('SELECT id FROM interactions WHERE provider_call_id = ?').get(callerSid) as {
          id: number;
        }
      ).id,
    );
    expect(path.interaction(id)).toMatchObject({ state: 'ivr' });

    await path.restart(() => path.fake.endCall(callerSid));

    await until(() => path.interaction(id).state === 'completed', 'the call ended by the start pass');
    expect(path.interaction(id)).toMatchObject({
      outcome: 'abandoned',
      ended_at: toSecond(fakeCall(callerSid).endedAt!),
    });
  });

  it('records a conversation answered and ended during a restart as answered, with its wrap-up', async () => {
    path = await startTwilioCallPath();
    const call = await path.acceptedCall();

    await path.restart(() => {
      path.fake.answer(call.agentLegSid);
      path.fake.endCall(call.callerSid);
    });

    await until(() => path.interaction(call.id).state === 'wrap_up', 'the call ended by the start pass');
    expect(path.interaction(call.id)).toMatchObject({
      outcome: 'answered',
      answered_at: toSecond(fakeCall(call.agentLegSid).answeredAt!),
      ended_at: toSecond(fakeCall(call.callerSid).endedAt!),
    });
    const { answer, codeId } = await path.resolveWrapUp(call.id, '');
    expect(answer).toEqual({ ok: true });
    expect(path.interaction(call.id)).toMatchObject({ state: 'completed', wrap_up_code_id: codeId });
  });

  it('records an answer missed during a restart while the call goes on: the desk can hold it', async () => {
    path = await startTwilioCallPath();
    const call = await path.acceptedCall();

    await path.restart(() => path.fake.answer(call.agentLegSid));

    await until(() => path.desk.last().call?.answeredAt != null, 'answered on the desk');
    expect(path.interaction(call.id)).toMatchObject({
      state: 'connected',
      answered_at: toSecond(fakeCall(call.agentLegSid).answeredAt!),
    });
    expect(await path.desk.command('call:hold', { interactionId: call.id })).toEqual({ ok: true });
  });

  it('names a call Twilio has ended in the invariant check, until the periodic pass ends it here', async () => {
    path = await startTwilioCallPath();
    const call = await path.acceptedCall();
    path.fake.answer(call.agentLegSid);
    await path.callbacks(call).agentAnswered();
    // The end callback and Twilio's one retry are lost while this server runs.
    path.fake.endCall(call.callerSid);

    const admin = as(path.app, await login(path.app, 'admin', 'test-password'));
    const before = (await admin('GET', '/api/acd/invariants')).json<{ ok: boolean; violations: string[] }>();
    expect(before.ok).toBe(false);
    expect(before.violations).toEqual([
      expect.stringContaining(`interaction ${call.id}: Twilio ended the caller's leg`),
    ]);

    expect(await path.app.twilioReconciler!.reconcile()).toEqual([call.id]);
    expect(path.interaction(call.id)).toMatchObject({
      state: 'wrap_up',
      ended_at: toSecond(fakeCall(call.callerSid).endedAt!),
    });
    expect((await admin('GET', '/api/acd/invariants')).json()).toEqual({ ok: true, violations: [] });
  });

  it('replays a consulted number’s answer and end whose callbacks were lost: the agent is back with the caller', async () => {
    path = await startTwilioCallPath();
    const call = await path.acceptedCall();
    path.fake.answer(call.agentLegSid);
    await path.callbacks(call).agentAnswered();
    expect(
      await path.desk.command('call:consult', {
        interactionId: call.id,
        to: { kind: 'number', number: '(212) 555-0199' },
      }),
    ).toEqual({ ok: true });
    const expert = [...path.fake.calls.values()].find((c) => c.to === '+12125550199')!;

    path.fake.answer(expert.sid);
    expect(await path.app.twilioReconciler!.reconcile()).toEqual([call.id]);
    await until(() => path.desk.last().call?.consult?.answered === true, 'the consulted number answered');

    path.fake.endCall(expert.sid);
    expect(await path.app.twilioReconciler!.reconcile()).toEqual([call.id]);
    await until(() => path.desk.last().call?.consult === null, 'the consultation over on the desk');
    expect(path.interaction(call.id)).toMatchObject({ state: 'connected' });
  });

  it('dials the customer of a call the agent placed when the agent’s answer was lost in a restart', async () => {
    path = await startTwilioCallPath();
    await path.desk.command('agent:set-status', { status: 'available' });
    const ana = as(path.app, await login(path.app, 'ana', 'test-password'));
    const placed = await ana('POST', '/api/calls/outbound', { number: '+12125550177' });
    expect(placed.statusCode).toBe(201);
    const id = placed.json<{ interactionId: number }>().interactionId;
    const agentLeg = [...path.fake.calls.values()].find((c) => c.to.startsWith('sip:ana@'))!;

    await path.restart(() => path.fake.answer(agentLeg.sid));

    await until(
      () => [...path.fake.calls.values()].some((c) => c.to === '+12125550177'),
      'the customer dialled by the start pass',
    );
    const customer = [...path.fake.calls.values()].find((c) => c.to === '+12125550177')!;
    // The start pass dials the customer before it returns: a pass asked for meanwhile joins it rather
    // than run again, so it has to end before the customer's answer is there to be found.
    await path.app.twilioReconciler!.reconcile();
    path.fake.answer(customer.sid);
    expect(await path.app.twilioReconciler!.reconcile()).toEqual([id]);
    expect(path.interaction(id)).toMatchObject({ state: 'connected', provider_call_id: customer.sid });
    expect(path.interaction(id).answered_at).not.toBeNull();
  });

  it("ends the call when the agent hangs up from the desk after the caller's end callback was lost", async () => {
    path = await startTwilioCallPath();
    const call = await path.acceptedCall();
    path.fake.answer(call.agentLegSid);
    await path.callbacks(call).agentAnswered();
    path.fake.endCall(call.callerSid);

    expect(await path.desk.command('call:hangup', { interactionId: call.id })).toEqual({ ok: true });
    expect(path.interaction(call.id)).toMatchObject({
      state: 'wrap_up',
      outcome: 'answered',
      ended_at: toSecond(fakeCall(call.callerSid).endedAt!),
    });
    await until(() => path.desk.last().wrapUp?.interactionId === call.id, 'the wrap-up on the desk');
  });
});
