import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeAgent, makeCustomer, makeInteraction, makeQueue } from '../testing/factories.js';
import { as, createTestContext, login, type TestContext } from '../testing/harness.js';

const AT = '2026-11-20T09:00:00.000Z';
const RECORDING = 'RE0123456789abcdef0123456789abcdef';

/** Who may read what (README): two agents, a supervisor, known and unknown callers. */
describe('interaction read access', () => {
  let ctx: TestContext;
  let ana: ReturnType<typeof as>;
  let ben: ReturnType<typeof as>;
  let sue: ReturnType<typeof as>;
  let ids: {
    customersCall: number;
    unknownCall: number;
    declinedByBen: number;
    beforeTransfer: number;
    afterTransfer: number;
  };
  let customerId: number;

  beforeEach(async () => {
    ctx = await createTestContext({
      arrange: async (db) => {
        const anaId = await makeAgent(db, { username: 'ana' });
        const benId = await makeAgent(db, { username: 'ben' });
        await makeAgent(db, { username: 'sue', role: 'supervisor' });
        const queueId = makeQueue(db, 'Support');
        customerId = makeCustomer(db, { name: 'Olivia Carter', phones: ['+14155550123'] });
        const recorded = (agentId: number) => [
          { type: 'answered', at: AT, agentId },
          { type: 'recording_ready', at: AT, data: { recordingRef: RECORDING } },
        ];
        const unknownCaller = { customerId: null, queueId, arrivedAt: AT, callerNumber: '+12125550142' };
        ids = {
          customersCall: makeInteraction(db, {
            customerId,
            queueId,
            agentId: anaId,
            arrivedAt: AT,
            notes: 'Wants a refund',
            recordingRef: RECORDING,
            events: recorded(anaId),
          }),
          unknownCall: makeInteraction(db, {
            ...unknownCaller,
            agentId: anaId,
            notes: 'Private matter',
            recordingRef: RECORDING,
            events: recorded(anaId),
          }),
          declinedByBen: makeInteraction(db, {
            ...unknownCaller,
            outcome: 'abandoned',
            events: [
              { type: 'offered', at: AT, agentId: benId },
              { type: 'offer_declined', at: AT, agentId: benId },
            ],
          }),
          beforeTransfer: 0,
          afterTransfer: 0,
        };
        ids.beforeTransfer = makeInteraction(db, {
          ...unknownCaller,
          agentId: anaId,
          outcome: 'transferred',
          recordingRef: RECORDING,
          events: recorded(anaId),
        });
        ids.afterTransfer = makeInteraction(db, {
          ...unknownCaller,
          agentId: benId,
          transferredFrom: ids.beforeTransfer,
          events: [{ type: 'answered', at: AT, agentId: benId }],
        });
      },
    });
    const signIn = async (name: string) => as(ctx.app, await login(ctx.app, name, 'test-password'));
    ana = await signIn('ana');
    ben = await signIn('ben');
    sue = await signIn('sue');
  });
  afterEach(() => ctx.close());

  const detail = async (api: typeof ana, id: number) => {
    const response = await api('GET', `/api/interactions/${id}`);
    return { status: response.statusCode, body: response.json(), raw: response.body };
  };

  it("answers another agent's unknown caller as if the interaction did not exist", async () => {
    const forbidden = await detail(ben, ids.unknownCall);
    const missing = await detail(ben, 424242);
    expect(forbidden.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(forbidden.raw).not.toMatch(/2125550142|Private matter|RE0123/);
    expect(forbidden.body.message).toBe(`Interaction ${ids.unknownCall} does not exist`);
  });

  it('lets the agent who handled an unknown caller read it, recording included', async () => {
    const own = await detail(ana, ids.unknownCall);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ callerNumber: '+12125550142', notes: 'Private matter' });
    expect(own.body.recordingRef).toBe(RECORDING);
  });

  it('does not count an offer the agent declined as handling the call', async () => {
    expect((await detail(ben, ids.declinedByBen)).status).toBe(404);
    expect((await detail(sue, ids.declinedByBen)).status).toBe(200);
  });

  it("lets any agent read a customer's call but hear only their own recordings", async () => {
    const other = await detail(ben, ids.customersCall);
    expect(other.status).toBe(200);
    expect(other.body.notes).toBe('Wants a refund');
    expect(other.body.recordingRef).toBeNull();
    expect(other.raw).not.toContain(RECORDING);
    expect(other.body.events.map((e: { type: string }) => e.type)).toEqual(['answered', 'recording_ready']);

    const own = await detail(ana, ids.customersCall);
    expect(own.body.recordingRef).toBe(RECORDING);
    expect(own.body.events[1].data).toEqual({ recordingRef: RECORDING });
  });

  it('lets both agents of a transferred unknown caller read the call, each hearing only their part', async () => {
    const before = await detail(ben, ids.beforeTransfer);
    expect(before.status).toBe(200);
    expect(before.raw).not.toContain(RECORDING);
    expect((await detail(ana, ids.afterTransfer)).status).toBe(200);
    expect((await detail(ana, ids.beforeTransfer)).body.recordingRef).toBe(RECORDING);
  });

  it('lets supervisors read everything, recordings included', async () => {
    for (const id of Object.values(ids)) {
      expect((await detail(sue, id)).status, String(id)).toBe(200);
    }
    expect((await detail(sue, ids.unknownCall)).body.recordingRef).toBe(RECORDING);
  });

  it("keeps another agent's unknown callers out of every list an agent can ask for", async () => {
    expect((await ben('GET', '/api/interactions')).statusCode).toBe(403);
    const anaId = (await ana('GET', '/api/auth/me')).json().id as number;
    expect((await ben('GET', `/api/interactions?agentId=${anaId}`)).statusCode).toBe(403);
    const own = (
      await ben('GET', `/api/interactions?agentId=${(await ben('GET', '/api/auth/me')).json().id}`)
    ).json();
    expect(own.items.map((i: { id: number }) => i.id)).toEqual([ids.afterTransfer]);
    const customers = (await ben('GET', `/api/interactions?customerId=${customerId}`)).json();
    expect(customers.items.map((i: { id: number }) => i.id)).toEqual([ids.customersCall]);
  });

  it("refuses to link another agent's unknown caller as a 404, changing nothing", async () => {
    const response = await ben('POST', `/api/interactions/${ids.unknownCall}/customer`, { customerId });
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('2125550142');
    expect(ctx.db.prepare('SELECT customer_id FROM interactions WHERE id = ?').get(ids.unknownCall)).toEqual({
      customer_id: null,
    });
  });
});
