import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeAgent } from '../testing/factories.js';
import { as, createTestContext, login, type TestContext } from '../testing/harness.js';

const ANA_PHONE = '+14155550111';
const BEN_PHONE = '+14155550122';

describe("agents' personal phone numbers", () => {
  let ctx: TestContext;
  let ids: { ana: number; ben: number };
  const signIn = async (name: string) => as(ctx.app, await login(ctx.app, name, 'test-password'));

  beforeEach(async () => {
    ctx = await createTestContext({
      arrange: async (db) => {
        ids = {
          ana: await makeAgent(db, { username: 'ana', phoneNumber: ANA_PHONE, audioTarget: 'phone' }),
          ben: await makeAgent(db, { username: 'ben', phoneNumber: BEN_PHONE, audioTarget: 'phone' }),
        };
        await makeAgent(db, { username: 'sue', role: 'supervisor' });
        await makeAgent(db, { username: 'root', role: 'admin' });
      },
    });
  });
  afterEach(() => ctx.close());

  const phonesSeenBy = async (name: string) => {
    const api = await signIn(name);
    const list = (await api('GET', '/api/agents')).json<{
      items: { id: number; phoneNumber: string | null }[];
    }>();
    const one = async (id: number) =>
      (await api('GET', `/api/agents/${id}`)).json().phoneNumber as string | null;
    const inList = (id: number) => list.items.find((agent) => agent.id === id)?.phoneNumber;
    return {
      ana: [inList(ids.ana), await one(ids.ana)],
      ben: [inList(ids.ben), await one(ids.ben)],
    };
  };

  it("hides another agent's number, in the list and by id", async () => {
    expect(await phonesSeenBy('ben')).toEqual({ ana: [null, null], ben: [BEN_PHONE, BEN_PHONE] });
  });

  it('shows every number to supervisors and admins', async () => {
    const all = { ana: [ANA_PHONE, ANA_PHONE], ben: [BEN_PHONE, BEN_PHONE] };
    expect(await phonesSeenBy('sue')).toEqual(all);
    expect(await phonesSeenBy('root')).toEqual(all);
  });

  it('keeps numbers out of the transfer targets', async () => {
    const targets = await (await signIn('ben'))('GET', '/api/calls/transfer-targets');
    expect(targets.statusCode).toBe(200);
    expect(targets.body).not.toContain(ANA_PHONE.slice(2));
  });
});
