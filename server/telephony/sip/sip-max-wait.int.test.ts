import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeQueue } from '../../testing/factories.js';
import { createTestContext, freePort, type TestContext } from '../../testing/harness.js';
import { missingSipPeers, sippCall } from '../../testing/sipp.js';
import { renderKamailioConfig } from './kamailio-config.js';
import { startKamailio, type RunningKamailio } from './kamailio-process.js';

const missing = missingSipPeers();

/** Kamailio's own limit on a queued caller's wait: the safety net when our server never decides. */
describe.skipIf(missing !== null)('a SIP caller nobody takes within SIP_MAX_WAIT_SECONDS', () => {
  let ctx: TestContext;
  let kamailio: RunningKamailio;
  let sipPort: number;

  beforeAll(async () => {
    const appPort = await freePort();
    sipPort = await freePort();
    const controlPort = await freePort();
    ctx = await createTestContext({
      env: {
        SIP_SHARED_SECRET: 'max-wait-secret-0123456789abcdefghijkl',
        SIP_PORT: String(sipPort),
        SIP_WS_PORT: String(await freePort()),
        SIP_CONTROL_PORT: String(controlPort),
        SIP_CTI_URL: `http://127.0.0.1:${appPort}`,
        SIP_MAX_WAIT_SECONDS: '10',
      },
      clock: 'system',
      app: { callTimers: false },
      arrange: (db) => makeQueue(db, 'Support'),
    });
    await ctx.app.listen({ port: appPort, host: '127.0.0.1' });
    kamailio = await startKamailio({
      config: renderKamailioConfig(ctx.config.sip!, { children: 2 }),
      controlPort,
      sharedSecret: ctx.config.sip!.sharedSecret,
    });
  }, 30_000);

  afterAll(async () => {
    await kamailio?.stop();
    await ctx?.close();
  });

  it('is answered 408 by Kamailio, and the Interaction ends as abandoned', async () => {
    const sipp = await sippCall({ scenario: 'callerRefused', proxy: `127.0.0.1:${sipPort}`, to: '100' });
    expect(sipp.code).toBe(0);
    expect(sipp.responses).toEqual(['SIP/2.0 182 Queued', 'SIP/2.0 408 Request Timeout']);
    const row = () => ctx.db.prepare('SELECT state, outcome FROM interactions').get();
    for (let i = 0; i < 100 && (row() as { state: string }).state !== 'completed'; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(row()).toEqual({ state: 'completed', outcome: 'abandoned' });
    expect((await ctx.app.acd.snapshot()).waiting).toEqual([]);
  }, 30_000);
});
