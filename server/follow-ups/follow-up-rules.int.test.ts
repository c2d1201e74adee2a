import { afterEach, describe, expect, it } from 'vitest';
import { makeAgent, makeCustomer } from '../testing/factories.js';
import { as, login } from '../testing/harness.js';
import { startSurveyPath } from '../testing/survey-path.js';

type Path = Awaited<ReturnType<typeof startSurveyPath>>;

/**
 * Facts of other domains becoming owned work, end to end on the real app: a caller's low survey score
 * through Twilio's signed webhooks, and a high-value customer lost at wrap-up.
 */
describe('follow-up rules', () => {
  let path: Path;
  afterEach(() => path?.close());

  const followUps = () =>
    path.db
      .prepare(
        `SELECT kind, customer_id AS customerId, interaction_id AS interactionId, owner_queue_id AS ownerQueueId,
                owner_agent_id AS ownerAgentId, priority, status, source FROM follow_ups ORDER BY id`,
      )
      .all();

  it('a low score and an unsolved problem put a service recovery in the queue team’s worklist, once', async () => {
    path = await startSurveyPath({ surveyEnabled: true });
    await makeAgent(path.db, { username: 'sam', role: 'supervisor' });
    const olivia = makeCustomer(path.db, { name: 'Olivia Carter', tier: 'gold', lifecycleStage: 'active' });
    const call = await path.connectedCall('en-US');
    path.app.interactions.annotate(call.id, { customerId: olivia });
    path.fake.endCall(call.agentLegSid);
    await path.ended(call.agentLegSid, `?interactionId=${call.id}&leg=agent`);
    const first = await path.dialAction(call.callerSid);
    const second = await path.answer(first.body, call.callerSid, { Digits: '1' });
    // A retried webhook must not make a second follow-up.
    await path.answer(first.body, call.callerSid, { Digits: '1' });
    await path.answer(second.body, call.callerSid, { Digits: '2' });
    path.fake.endCall(call.callerSid);
    await path.ended(call.callerSid);

    expect(path.survey(call.id)).toMatchObject({ status: 'completed', score: 1, resolved: 0 });
    expect(followUps()).toEqual([
      {
        kind: 'service_recovery',
        customerId: olivia,
        interactionId: call.id,
        ownerQueueId: 1,
        ownerAgentId: null,
        priority: 'urgent',
        status: 'open',
        source: 'rule',
      },
    ]);
    // The lifecycle rules read the score at once: a score of 1 puts the customer at risk.
    expect(
      path.db.prepare('SELECT lifecycle_stage AS stage FROM customers WHERE id = ?').get(olivia),
    ).toEqual({
      stage: 'at_risk',
    });
    const supervisor = as(path.app, await login(path.app, 'sam', 'test-password'));
    const team = await supervisor('GET', '/api/follow-ups/team');
    expect(team.statusCode, team.body).toBe(200);
    expect(team.json().items).toMatchObject([
      { kind: 'service_recovery', customer: { id: olivia, name: 'Olivia Carter' } },
    ]);
  });

  it('a satisfied caller makes no follow-up', async () => {
    path = await startSurveyPath({ surveyEnabled: true });
    const olivia = makeCustomer(path.db, { name: 'Olivia Carter' });
    const call = await path.connectedCall('zh-CN');
    path.app.interactions.annotate(call.id, { customerId: olivia });
    path.fake.endCall(call.agentLegSid);
    await path.ended(call.agentLegSid, `?interactionId=${call.id}&leg=agent`);
    const first = await path.dialAction(call.callerSid);
    const second = await path.answer(first.body, call.callerSid, { Digits: '5' });
    await path.answer(second.body, call.callerSid, { Digits: '1' });
    expect(path.survey(call.id)).toMatchObject({ status: 'completed', score: 5, resolved: 1 });
    expect(followUps()).toEqual([]);
  });

  it('a gold customer marked lost gets a win-back for the team of their last queue; a bronze one does not', async () => {
    path = await startSurveyPath({ surveyEnabled: false });
    await makeAgent(path.db, { username: 'sam', role: 'supervisor' });
    const supervisor = as(path.app, await login(path.app, 'sam', 'test-password'));
    const gold = makeCustomer(path.db, { name: 'Gina Gold', tier: 'gold', lifecycleStage: 'active' });
    const bronze = makeCustomer(path.db, { name: 'Bo Bronze', tier: 'bronze', lifecycleStage: 'active' });
    // Gina called Support; Bo never reached a queue (a bronze customer gets none either way).
    const call = await path.connectedCall('en-US');
    path.app.interactions.annotate(call.id, { customerId: gold });
    path.fake.endCall(call.callerSid);
    await path.ended(call.callerSid);
    for (const customerId of [gold, bronze]) {
      const lost = await supervisor('PATCH', `/api/customers/${customerId}`, { lifecycleStage: 'lost' });
      expect(lost.statusCode, lost.body).toBe(200);
    }
    expect(followUps()).toMatchObject([
      { kind: 'win_back', customerId: gold, ownerQueueId: 1, priority: 'high', source: 'rule' },
    ]);
  });
});
