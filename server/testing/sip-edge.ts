import { renderKamailioConfig } from '../telephony/sip/kamailio-config.js';
import { startKamailio, type RunningKamailio } from '../telephony/sip/kamailio-process.js';
import type { Db } from '../../db/connection.js';
import { createTestContext, freePort, type TestContext } from './harness.js';

/**
 * Our server listening on a free port with the SIP edge configured, and a Kamailio rendered from that
 * configuration in front of it. `env` adds settings (SIP_* limits); `arrange` fills the database.
 */
export async function startSipEdge(options: {
  secret: string;
  env?: Record<string, string>;
  arrange?: (db: Db) => unknown;
}): Promise<{ ctx: TestContext; kamailio: RunningKamailio; sipPort: number; close: () => Promise<void> }> {
  const appPort = await freePort();
  const sipPort = await freePort();
  const controlPort = await freePort();
  const ctx = await createTestContext({
    env: {
      SIP_SHARED_SECRET: options.secret,
      SIP_PORT: String(sipPort),
      SIP_WS_PORT: String(await freePort()),
      SIP_CONTROL_PORT: String(controlPort),
      SIP_CTI_URL: `http://127.0.0.1:${appPort}`,
      ...options.env,
    },
    clock: 'system',
    app: { callTimers: false },
    ...(options.arrange && { arrange: options.arrange }),
  });
  await ctx.app.listen({ port: appPort, host: '127.0.0.1' });
  const kamailio = await startKamailio({
    config: renderKamailioConfig(ctx.config.sip!, { children: 2 }),
    controlPort,
    sharedSecret: ctx.config.sip!.sharedSecret,
  });
  return {
    ctx,
    kamailio,
    sipPort,
    close: async () => {
      await kamailio.stop();
      await ctx.close();
    },
  };
}
