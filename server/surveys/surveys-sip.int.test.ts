import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { SIP_DIALOG_EVENTS } from '../telephony/sip/kamailio-config.js';
import { createSipDialogEvents } from '../telephony/sip/sip-dialog-events.js';
import type { SipWaiting } from '../telephony/sip/sip-waiting.js';
import { makeAgent, makeInteraction, makeQueue } from '../testing/factories.js';
import { createTestContext, type TestContext } from '../testing/harness.js';
import { useTestRedis } from '../testing/redis.js';

/**
 * A SIP call has no media server to play the survey: when its conversation ends, a queue with the
 * survey on records it as not offered (sip_no_media). Real SQLite and Redis; the call path is a stand-in.
 */
describe('the post-call survey on SIP calls', () => {
  const store = useTestRedis('survey-sip:');
  let ctx: TestContext;
  let withSurvey: number;
  let withoutSurvey: number;

  beforeEach(async () => {
    ctx = await createTestContext({
      arrange: async (db: Db) => {
        const ana = await makeAgent(db, { username: 'ana' });
        const sipCall = (queueId: number) => {
          const id = makeInteraction(db, {
            customerId: null,
            arrivedAt: '2026-11-22T08:00:00.000Z',
            queueId,
            agentId: ana,
            outcome: 'answered',
          });
          db.prepare("UPDATE interactions SET provider = 'sip', provider_call_id = ? WHERE id = ?").run(
            `call-${id}`,
            id,
          );
          return id;
        };
        withSurvey = sipCall(makeQueue(db, 'Support', { surveyEnabled: true }));
        withoutSurvey = sipCall(makeQueue(db, 'Sales', { surveyEnabled: false }));
      },
    });
  });
  afterEach(() => ctx.close());

  function dialogEvents() {
    const calls = {
      ownerOfCall: (_provider: string, callId: string) => ({
        id: Number(callId.slice(5)),
        moved: false,
        answered: true,
      }),
      agentLegAnswered: async () => {},
      callerEnded: async () => {},
      providerHoldChanged: async () => {},
    };
    return createSipDialogEvents({
      calls,
      surveys: ctx.app.surveys,
      waiting: { take: async () => null } as unknown as SipWaiting,
      redis: store.redis,
      prefix: store.prefix,
      log: pino({ level: 'silent' }),
    });
  }

  const surveyOf = (id: number) =>
    ctx.db
      .prepare('SELECT status, not_offered_reason FROM interaction_surveys WHERE interaction_id = ?')
      .get(id);

  it('records not_offered with reason sip_no_media when the queue has the survey on', async () => {
    const events = dialogEvents();
    await events.take({ event: SIP_DIALOG_EVENTS.ended, callId: `call-${withSurvey}` }, 'evapi');
    await events.take({ event: SIP_DIALOG_EVENTS.ended, callId: `call-${withoutSurvey}` }, 'evapi');
    await events.settled();
    expect(surveyOf(withSurvey)).toEqual({ status: 'not_offered', not_offered_reason: 'sip_no_media' });
    expect(surveyOf(withoutSurvey)).toBeUndefined();
    const timeline = ctx.db
      .prepare("SELECT type, data FROM interaction_events WHERE interaction_id = ? AND type LIKE 'survey%'")
      .all(withSurvey);
    expect(timeline).toEqual([{ type: 'survey_not_offered', data: '{"reason":"sip_no_media"}' }]);
  });

  it('is not offered on Twilio for SIP: the waiting room keeps no caller', () => {
    expect(ctx.app.surveys.offersSurvey(withSurvey)).toBe(false);
  });
});
