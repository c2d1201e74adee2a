import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../testing/harness.js';
import { startTwilioCallPath, type TwilioCallPath } from '../testing/twilio-call-path.js';
import { twilioContractViolations } from '../testing/twilio-contract.js';

type Callback = 'agentAnswered' | 'agentJoined' | 'callerEnded';

const ORDERS: Callback[][] = [
  ['agentAnswered', 'agentJoined', 'callerEnded'],
  ['agentAnswered', 'callerEnded', 'agentJoined'],
  ['agentJoined', 'agentAnswered', 'callerEnded'],
  ['agentJoined', 'callerEnded', 'agentAnswered'],
  ['callerEnded', 'agentAnswered', 'agentJoined'],
  ['callerEnded', 'agentJoined', 'agentAnswered'],
];

/** Twilio's times are whole seconds. */
const second = (date: Date) => new Date(Math.floor(date.getTime() / 1000) * 1000);

describe("the Agent's answer, whichever of its callbacks and the caller's end arrives first", () => {
  let path: TwilioCallPath;

  afterEach(async () => {
    const requests = path.fake.requests;
    await path.close();
    expect(requests.flatMap(twilioContractViolations)).toEqual([]);
  });

  it.each(ORDERS)(
    'an answered call is answered, ended at the caller’s end and wrapped up: %s, %s, %s',
    async (...order: Callback[]) => {
      path = await startTwilioCallPath();
      const call = await path.acceptedCall();
      // What happened: ana answered, they talked, Olivia hung up. Then the callbacks come.
      path.fake.answer(call.agentLegSid);
      path.fake.endCall(call.callerSid);
      const callbacks = path.callbacks(call);
      for (const callback of order) expect((await callbacks[callback]()).statusCode).toBe(204);
      // Twilio's last word on the agent leg comes after all of them.
      await callbacks.agentLegEnded();

      const answeredAt = new Date(
        Math.floor(path.fake.calls.get(call.agentLegSid)!.answeredAt!.getTime() / 1000) * 1000,
      );
      const endedAt = new Date(
        Math.floor(path.fake.calls.get(call.callerSid)!.endedAt!.getTime() / 1000) * 1000,
      );
      expect(path.interaction(call.id)).toMatchObject({
        state: 'wrap_up',
        outcome: 'answered',
        agent_id: 1,
        answered_at: answeredAt.toISOString(),
        ended_at: endedAt.toISOString(),
      });
      expect(await path.app.acd.getAgent(1)).toMatchObject({ status: 'wrap_up' });
      const { answer, codeId } = await path.resolveWrapUp(call.id, 'ok');
      expect(answer).toEqual({ ok: true });
      expect(path.interaction(call.id)).toMatchObject({ state: 'completed', wrap_up_code_id: codeId });
      expect(await path.app.acd.checkInvariants()).toEqual([]);
    },
  );

  it('answers on the conference join when the answer callback is late: hold works, the recording starts', async () => {
    path = await startTwilioCallPath({ recordEveryCall: true });
    const call = await path.acceptedCall();
    const callbacks = path.callbacks(call);
    path.fake.answer(call.agentLegSid);
    await callbacks.agentJoined();
    await until(() => path.desk.last().call?.answeredAt != null, 'answered on the desk');
    expect(await path.desk.command('call:hold', { interactionId: call.id })).toEqual({ ok: true });
    expect(await path.desk.command('call:resume', { interactionId: call.id })).toEqual({ ok: true });
    const recording = [...path.fake.recordings.values()].find((r) => r.callSid === call.callerSid);
    expect(recording).toBeDefined();

    path.fake.endCall(call.callerSid);
    await callbacks.callerEnded();
    await callbacks.agentAnswered();
    expect(path.interaction(call.id)).toMatchObject({ state: 'wrap_up', outcome: 'answered' });
    expect(await path.app.acd.getAgent(1)).toMatchObject({ status: 'wrap_up' });
  });

  it('holds the caller’s end while Twilio cannot say whether the agent answered, then ends the call on the answer', async () => {
    path = await startTwilioCallPath();
    const call = await path.acceptedCall();
    path.fake.answer(call.agentLegSid);
    path.fake.endCall(call.callerSid);
    const callbacks = path.callbacks(call);
    path.fake.outage = true;
    await callbacks.callerEnded();
    // Not an abandon: the agent is still on the call, waiting for the answer to be known.
    expect(path.interaction(call.id)).toMatchObject({ state: 'offered', outcome: null });
    expect(await path.app.acd.getAgent(1)).toMatchObject({ status: 'on_call' });
    path.fake.outage = false;
    await callbacks.agentAnswered();
    const endedAt = new Date(
      Math.floor(path.fake.calls.get(call.callerSid)!.endedAt!.getTime() / 1000) * 1000,
    );
    expect(path.interaction(call.id)).toMatchObject({
      state: 'wrap_up',
      outcome: 'answered',
      ended_at: endedAt.toISOString(),
    });
    expect(await path.app.acd.getAgent(1)).toMatchObject({ status: 'wrap_up' });
  });

  it.each(ORDERS)(
    'an agent who answered a second before the caller hung up had a conversation: %s, %s, %s',
    async (...order: Callback[]) => {
      path = await startTwilioCallPath();
      const call = await path.acceptedCall();
      path.fake.answer(call.agentLegSid);
      path.fake.endCall(call.callerSid);
      const endedAt = second(path.fake.calls.get(call.callerSid)!.endedAt!);
      const answeredAt = new Date(endedAt.getTime() - 1000);
      path.fake.calls.get(call.agentLegSid)!.answeredAt = answeredAt;
      const callbacks = path.callbacks(call);
      for (const callback of order) expect((await callbacks[callback]()).statusCode).toBe(204);
      await callbacks.agentLegEnded();

      expect(path.interaction(call.id)).toMatchObject({
        state: 'wrap_up',
        outcome: 'answered',
        answered_at: answeredAt.toISOString(),
        ended_at: endedAt.toISOString(),
      });
      expect(await path.app.acd.getAgent(1)).toMatchObject({ status: 'wrap_up' });
      expect(await path.app.acd.checkInvariants()).toEqual([]);
    },
  );

  it.each(ORDERS)(
    'an agent leg answered a second after the caller hung up is a customer abandon, and is hung up: %s, %s, %s',
    async (...order: Callback[]) => {
      path = await startTwilioCallPath();
      const call = await path.acceptedCall();
      path.fake.endCall(call.callerSid);
      const endedAt = second(path.fake.calls.get(call.callerSid)!.endedAt!);
      // The fake cancels a leg still ringing into a conference that ends; Twilio lets it answer.
      Object.assign(path.fake.calls.get(call.agentLegSid)!, {
        status: 'in-progress',
        answeredAt: new Date(endedAt.getTime() + 1000),
        endedAt: null,
      });
      const callbacks = path.callbacks(call);
      for (const callback of order) expect((await callbacks[callback]()).statusCode).toBe(204);

      expect(path.interaction(call.id)).toMatchObject({
        state: 'completed',
        outcome: 'abandoned',
        answered_at: null,
        ended_at: endedAt.toISOString(),
        wrap_up_code_id: null,
      });
      const hangUps = path.fake.requests.filter(
        (r) => r.method === 'POST' && r.path.endsWith(`/Calls/${call.agentLegSid}.json`) && r.form.Status,
      );
      expect(hangUps).toHaveLength(1);
      expect(path.fake.calls.get(call.agentLegSid)!.status).toBe('completed');
      // No wrap-up for a call that never talked: ana is free at once.
      expect(await path.app.acd.getAgent(1)).toMatchObject({ status: 'available' });
      await until(
        () => path.desk.last().status === 'available' && path.desk.last().call === null,
        'ana free',
      );
      expect(path.desk.last().wrapUp).toBeNull();

      // Twilio's last word on the agent leg changes nothing.
      expect((await callbacks.agentLegEnded()).statusCode).toBe(204);
      expect(path.interaction(call.id)).toMatchObject({ outcome: 'abandoned', answered_at: null });
      expect(await path.app.acd.checkInvariants()).toEqual([]);
    },
  );

  it('an agent leg that answered after the caller hung up and ended before the caller’s end came is an abandon', async () => {
    path = await startTwilioCallPath();
    const call = await path.acceptedCall();
    path.fake.endCall(call.callerSid);
    const endedAt = second(path.fake.calls.get(call.callerSid)!.endedAt!);
    // ana's phone answers a second late into the empty bridge (see above) and she hangs up.
    Object.assign(path.fake.calls.get(call.agentLegSid)!, {
      status: 'completed',
      answeredAt: new Date(endedAt.getTime() + 1000),
      endedAt: new Date(endedAt.getTime() + 3000),
    });
    const callbacks = path.callbacks(call);
    expect((await callbacks.agentLegEnded()).statusCode).toBe(204);
    expect((await callbacks.callerEnded()).statusCode).toBe(204);

    expect(path.interaction(call.id)).toMatchObject({
      state: 'completed',
      outcome: 'abandoned',
      answered_at: null,
      ended_at: endedAt.toISOString(),
    });
    expect(await path.app.acd.getAgent(1)).toMatchObject({ status: 'available' });
    expect(await path.app.acd.checkInvariants()).toEqual([]);
  });

  it('records a caller who hung up while the agent’s phone still rang as abandoned', async () => {
    path = await startTwilioCallPath();
    const call = await path.acceptedCall();
    path.fake.endCall(call.callerSid);
    const callbacks = path.callbacks(call);
    await callbacks.callerEnded();
    await callbacks.agentLegEnded();
    expect(path.interaction(call.id)).toMatchObject({
      state: 'completed',
      outcome: 'abandoned',
      answered_at: null,
    });
  });
});
