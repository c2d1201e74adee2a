import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../testing/harness.js';
import { startSurveyPath, type SurveyPathOptions } from '../testing/survey-path.js';
import { ACCOUNT_SID, PUBLIC } from '../testing/twilio-app.js';

type Path = Awaited<ReturnType<typeof startSurveyPath>>;
type Desk = Awaited<ReturnType<Path['deskOf']>>;

const BILLING = 2;
const BEN = 2;

/**
 * The post-call survey of a transferred call: asked once, when the last Agent leaves, by the last
 * Interaction's CallQueue, and recorded on that Interaction (its queue and Agent in the satisfaction
 * report). Ana (Support) hands the caller to Ben; signed webhooks against the stateful Twilio fake.
 */
describe('the post-call survey after a transfer', () => {
  let path: Path;
  let ben: Desk | undefined;
  afterEach(async () => {
    ben?.socket.disconnect();
    ben = undefined;
    await path?.close();
  });

  const updatesOf = (callSid: string) =>
    path.fake.requests
      .filter((r) => r.method === 'POST' && r.path.endsWith(`/Calls/${callSid}.json`))
      .map((r) => r.form);
  const partOf = (parentId: number) =>
    (
      path.db.prepare('SELECT id FROM interactions WHERE parent_interaction_id = ?').get(parentId) as {
        id: number;
      }
    ).id;

  /**
   * Twilio asking the action of the `<Dial>` the caller left when the server moved their call to
   * new TwiML: it asks, and ignores the answer. The fake does not model this request.
   */
  const movedDialAction = (interactionId: number, callSid: string) =>
    path.webhook(`/twilio/survey-start?interactionId=${interactionId}`, {
      AccountSid: ACCOUNT_SID,
      CallSid: callSid,
      CallStatus: 'in-progress',
      DialCallStatus: 'completed',
    });
  const HANG_UP = '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>';

  /** Ana's caller, in `language`, with ben's desk open. */
  async function start(options: SurveyPathOptions, language: 'en-US' | 'zh-CN' = 'en-US') {
    path = await startSurveyPath(options);
    ben = await path.deskOf('ben');
    return path.connectedCall(language);
  }

  /** Ana transfers her caller to Billing blind; ben takes them there. */
  async function blindToBilling(call: Awaited<ReturnType<Path['connectedCall']>>) {
    expect(
      await path.desk.command('call:transfer', {
        interactionId: call.id,
        to: { kind: 'queue', queueId: BILLING },
      }),
    ).toEqual({ ok: true });
    const partId = partOf(call.id);
    await ben!.command('agent:set-status', { status: 'available' });
    await until(() => ben!.last().offer?.interactionId === partId, "ben's offer");
    await ben!.command('offer:accept', { reservationId: ben!.last().offer!.reservationId });
    const benLeg = path.legTo('ben');
    path.fake.answer(benLeg.sid);
    await path.legStatus(partId, 'agent', benLeg.sid, 'in-progress');
    await until(() => ben!.last().call?.answeredAt != null, 'ben talking');
    return { partId, benLeg };
  }

  /** Ana consults ben, who answers, and hands the caller to him; her phone hangs up. */
  async function warmToBen(call: Awaited<ReturnType<Path['connectedCall']>>) {
    await ben!.command('agent:set-status', { status: 'available' });
    expect(
      await path.desk.command('call:consult', {
        interactionId: call.id,
        to: { kind: 'agent', agentId: BEN },
      }),
    ).toEqual({ ok: true });
    const partId = partOf(call.id);
    const benLeg = path.legTo('ben');
    path.fake.answer(benLeg.sid);
    await path.legStatus(call.id, 'transfer', benLeg.sid, 'in-progress');
    await until(() => ben!.last().call?.answeredAt != null, 'ben talking');
    expect(await path.desk.command('call:consult-complete', { interactionId: call.id })).toEqual({
      ok: true,
    });
    await path.legStatus(call.id, 'agent', call.agentLegSid);
    expect(path.fake.calls.get(call.callerSid)!.status).toBe('in-progress');
    return { partId, benLeg };
  }

  it("blind to a queue with the survey on: ben's hang-up asks it in Mandarin, recorded for Billing and Ben", async () => {
    const call = await start({ surveyEnabled: false, billing: { surveyEnabled: true } }, 'zh-CN');
    expect(call.parked).not.toContain('action=');
    const { partId, benLeg } = await blindToBilling(call);
    // The caller's new waiting room carries the destination queue's survey.
    expect(updatesOf(call.callerSid)[0]!.Twiml).toContain(
      `<Dial action="${PUBLIC}/twilio/survey-start?interactionId=${partId}" method="POST">`,
    );

    path.fake.endCall(benLeg.sid);
    await path.legStatus(partId, 'agent', benLeg.sid);
    const first = await path.dialAction(call.callerSid);
    expect(first.body).toContain('<Say language="cmn-CN" voice="Polly.Zhiyu">请为本次通话打分，1到5。</Say>');
    const second = await path.answer(first.body, call.callerSid, { Digits: '5' });
    const last = await path.answer(second.body, call.callerSid, { SpeechResult: '解决了' });
    expect(last.body).toContain('>谢谢，再见。</Say><Hangup/>');
    path.fake.endCall(call.callerSid);
    await path.ended(call.callerSid);

    expect(path.survey(partId)).toMatchObject({
      status: 'completed',
      score: 5,
      resolved: 1,
      language: 'zh-CN',
      queue_id: BILLING,
      agent_id: BEN,
    });
    expect(path.survey(call.id)).toBeUndefined();
    expect(path.events(call.id)).toEqual([]);
    expect(await path.satisfaction('queue')).toMatchObject({
      groups: [{ key: String(BILLING), name: 'Billing', offered: 1, averageScore: 5 }],
    });
    expect(await path.satisfaction('agent')).toMatchObject({
      groups: [{ key: String(BEN), name: 'Ben Okafor', offered: 1 }],
    });
  });

  it('blind to a queue with the survey off: nobody is asked, though the first queue has it on', async () => {
    const call = await start({ surveyEnabled: true, billing: { surveyEnabled: false } });
    expect(call.parked).toContain('action=');
    const { partId, benLeg } = await blindToBilling(call);
    expect(updatesOf(call.callerSid)[0]!.Twiml).not.toContain('action=');
    // Leaving Support's waiting room made Twilio ask its <Dial>'s action: Ana's part is no survey's.
    expect((await movedDialAction(call.id, call.callerSid)).body).toBe(HANG_UP);
    expect(path.survey(call.id)).toBeUndefined();
    expect(path.interaction(call.id)).toMatchObject({ outcome: 'transferred' });
    path.fake.endCall(benLeg.sid);
    expect(path.fake.calls.get(call.callerSid)!.status).toBe('completed');
    await path.legStatus(partId, 'agent', benLeg.sid);
    await path.ended(call.callerSid);
    await until(() => path.interaction(partId).state === 'wrap_up', "ben's wrap-up");
    expect(path.survey(partId)).toBeUndefined();
    expect(path.survey(call.id)).toBeUndefined();
  });

  it("warm to an agent, then his desk's Hang up: the caller is asked once, for Ben's part, and stays through his leg's end", async () => {
    const call = await start({ surveyEnabled: true, billing: { surveyEnabled: false } });
    const { partId, benLeg } = await warmToBen(call);

    expect(await ben!.command('call:hangup', { interactionId: partId })).toEqual({ ok: true });
    expect(updatesOf(call.callerSid).at(-1)).toEqual({
      Url: `${PUBLIC}/twilio/survey-start?interactionId=${partId}`,
      Method: 'POST',
    });
    await until(() => ben!.last().wrapUp?.interactionId === partId, "ben's wrap-up");
    // The redirect took the caller out of the <Dial> of Ana's waiting room: Twilio asks its action.
    expect((await movedDialAction(call.id, call.callerSid)).body).toBe(HANG_UP);
    // Ben's leg ended as the caller left the bridge: that is no reason to hang the caller up.
    expect(path.fake.calls.get(benLeg.sid)!.status).toBe('completed');
    const updates = updatesOf(call.callerSid).length;
    await path.legStatus(call.id, 'transfer', benLeg.sid);
    expect(updatesOf(call.callerSid)).toHaveLength(updates);

    const first = await path.redirected(call.callerSid);
    expect(first.body).toContain('>Rate this call from 1 to 5.</Say></Gather>');
    const second = await path.answer(first.body, call.callerSid, { Digits: '4' });
    await path.answer(second.body, call.callerSid, { SpeechResult: 'No.' });
    path.fake.endCall(call.callerSid);
    await path.ended(call.callerSid);
    expect(path.survey(partId)).toMatchObject({
      status: 'completed',
      score: 4,
      resolved: 0,
      queue_id: 1,
      agent_id: BEN,
    });
    expect(path.survey(call.id)).toBeUndefined();
    expect(await path.satisfaction('agent')).toMatchObject({
      groups: [{ key: String(BEN), name: 'Ben Okafor', offered: 1, averageScore: 4 }],
    });
  });

  it('warm to an agent, then he hangs up his phone: the caller is redirected to his survey, not hung up', async () => {
    const call = await start({ surveyEnabled: true, billing: { surveyEnabled: false } });
    const { partId, benLeg } = await warmToBen(call);
    // His leg lost the power to end the bridge in the consultation: the caller stays in it alone.
    path.fake.endCall(benLeg.sid);
    expect(path.fake.calls.get(call.callerSid)!.status).toBe('in-progress');
    await path.legStatus(call.id, 'transfer', benLeg.sid);
    expect(updatesOf(call.callerSid).at(-1)).toEqual({
      Url: `${PUBLIC}/twilio/survey-start?interactionId=${partId}`,
      Method: 'POST',
    });
    const first = await path.redirected(call.callerSid);
    expect(first.body).toContain('language="en-US"');
    path.fake.endCall(call.callerSid);
    await path.ended(call.callerSid);
    expect(path.survey(partId)).toMatchObject({ status: 'hung_up', agent_id: BEN });
    expect(path.survey(call.id)).toBeUndefined();
  });
});
