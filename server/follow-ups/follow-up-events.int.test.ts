import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Me } from '../auth/auth.schemas.js';
import { makeAgent, makeCustomer, makeQueue, makeWrapUpCodes } from '../testing/factories.js';
import { as, login, useTestContext } from '../testing/harness.js';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.js';

const OLIVIA = '+14155550123';

const ana: Me = { id: 1, username: 'ana', displayName: 'Ana', role: 'agent', uiLanguage: 'en' };

/**
 * Every way a follow-up is created or completed writes its webhook event with it, once: the
 * callbacks the call path writes itself (a wrap-up code's, the IVR's, a voicemail's) as well as the
 * follow-ups service's own, even when the same fact arrives twice.
 */
describe('follow-up webhook events from every path', () => {
  const ctx = useTestContext({
    app: { callTimers: false },
    env: { WEBHOOK_ALLOW_PRIVATE_URLS: '1' },
    arrange: async (db) => {
      await makeAgent(db, { username: 'ana' });
      await makeAgent(db, { username: 'boss', role: 'admin' });
      const codes = makeWrapUpCodes(db, 'Support codes', [
        {
          code: 'CALL_BACK',
          label: 'Call back',
          action: 'schedule_callback',
          followUp: { kind: 'task', dueInHours: 24, owner: 'agent' },
        },
      ]);
      makeQueue(db, 'Support', { wrapUpCodeSetId: codes, acwPolicy: 'optional' });
      makeCustomer(db, { name: 'Olivia Carter', phones: [OLIVIA] });
    },
  });
  let receiver: WebhookReceiver;
  let callSeq = 0;

  beforeEach(async () => {
    receiver = await startWebhookReceiver();
    const boss = as(ctx.app, await login(ctx.app, 'boss', 'test-password'));
    const subscribed = await boss('POST', '/api/webhooks', {
      name: 'CRM',
      url: receiver.url,
      events: ['followup.created', 'followup.done'],
    });
    expect(subscribed.statusCode).toBe(201);
  });
  afterEach(async () => {
    await receiver.close();
  });

  const events = () =>
    (
      ctx.db.prepare('SELECT type, data FROM webhook_events ORDER BY id').all() as {
        type: string;
        data: string;
      }[]
    ).map((event) => ({ type: event.type, ...(JSON.parse(event.data) as Record<string, unknown>) }));

  const followUps = () =>
    ctx.db
      .prepare('SELECT id, kind, source, owner_agent_id, owner_queue_id FROM follow_ups ORDER BY id')
      .all();

  /** A call from Olivia that arrives and waits in Support. */
  async function queued() {
    callSeq += 1;
    const { interactionId } = await ctx.app.calls.arrive({
      provider: 'twilio',
      providerCallId: `CA${String(callSeq).padStart(32, '0')}`,
      from: OLIVIA,
      to: '+14155550100',
    });
    await ctx.app.calls.enqueue(interactionId, {
      queueName: 'Support',
      priorityBoostSeconds: 0,
      ivrAnswers: {},
    });
    return interactionId;
  }

  /** Ana takes a call and Olivia hangs up: Ana is in wrap-up for it. */
  async function inWrapUp() {
    await ctx.app.calls.setStatus(ana, { status: 'available' });
    const interactionId = await queued();
    await ctx.app.calls.dispatch();
    const { offer } = await ctx.app.calls.deskState(ana.id);
    await ctx.app.calls.accept(ana, offer!.reservationId);
    await ctx.app.calls.agentLegAnswered(interactionId);
    await ctx.app.calls.callerEnded(interactionId);
    return interactionId;
  }

  it('a wrap-up code that schedules a callback publishes it once, even when the wrap-up is sent twice', async () => {
    const interactionId = await inWrapUp();
    const code = (await ctx.app.calls.deskState(ana.id)).wrapUp!.codes.find((c) => c.code === 'CALL_BACK')!;
    const submit = () =>
      ctx.app.calls.submitWrapUp(ana, {
        interactionId,
        wrapUpCodeId: code.id,
        notes: '',
        callbackAt: new Date(ctx.clock.now().getTime() + 3_600_000).toISOString(),
      });
    // The console resends a wrap-up whose answer it did not hear; both reach the server at once.
    const results = await Promise.allSettled([submit(), submit()]);
    expect(results.some((result) => result.status === 'fulfilled')).toBe(true);

    const rows = followUps() as { id: number; kind: string }[];
    expect(rows.map((row) => row.kind)).toEqual(['callback', 'task']);
    expect(events()).toEqual([
      expect.objectContaining({
        type: 'followup.created',
        followUpId: rows[0]!.id,
        kind: 'callback',
        interactionId,
        source: 'wrap_up',
        ownerAgentId: ana.id,
        ownerQueueId: null,
      }),
      expect.objectContaining({ type: 'followup.created', followUpId: rows[1]!.id, kind: 'task' }),
    ]);
  });

  it('a callback asked for in the IVR and a voicemail publish theirs once, however often the provider reports them', async () => {
    const asked = await queued();
    await ctx.app.calls.callbackRequested(asked, {}, 'Support');
    await ctx.app.calls.callbackRequested(asked, {}, 'Support');
    const voicemail = await queued();
    await ctx.app.calls.ivrFinished(voicemail, 'voicemail', {});
    await ctx.app.calls.recordingReady(voicemail, 'RE1');
    await ctx.app.calls.recordingReady(voicemail, 'RE1');

    const rows = followUps() as { id: number; owner_queue_id: number }[];
    expect(rows).toHaveLength(2);
    expect(events()).toEqual(
      rows.map((row, i) =>
        expect.objectContaining({
          type: 'followup.created',
          followUpId: row.id,
          interactionId: [asked, voicemail][i],
          kind: 'callback',
          ownerAgentId: null,
          ownerQueueId: row.owner_queue_id,
        }),
      ),
    );
  });

  it('a callback that reached the customer publishes followup.done once, with the agent', async () => {
    const interactionId = await queued();
    await ctx.app.calls.callbackRequested(interactionId, {}, 'Support');
    const { id } = followUps()[0] as { id: number };
    expect(ctx.app.customers.completeFollowUp(id, ana.id)).toBe(true);
    expect(ctx.app.customers.completeFollowUp(id, ana.id)).toBe(false);
    expect(events().filter((event) => event.type === 'followup.done')).toEqual([
      { type: 'followup.done', followUpId: id, customerId: 1, kind: 'callback', agentId: ana.id },
    ]);
  });

  it('a rule that fires twice (a survey, the lifecycle) publishes one event', () => {
    const rule = {
      kind: 'win_back' as const,
      customerId: 1,
      ownerQueueId: 1,
      priority: 'high' as const,
      dueAt: ctx.clock.now().toISOString(),
      note: 'Lost after three complaints',
      sourceKey: 'lifecycle:lost:1',
    };
    const id = ctx.app.followUps.createByRule(rule);
    expect(ctx.app.followUps.createByRule(rule)).toBeNull();
    expect(events()).toEqual([
      expect.objectContaining({ type: 'followup.created', followUpId: id, kind: 'win_back', source: 'rule' }),
    ]);
  });
});
