import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { makeAgent } from '../../testing/factories.js';
import { as, createTestContext, login, type TestContext } from '../../testing/harness.js';

const SECRET = 's'.repeat(32);

describe('the softphone’s ICE servers', () => {
  let ctx: TestContext | undefined;
  afterEach(() => ctx?.close());

  async function credentialsWith(env: Record<string, string>) {
    ctx = await createTestContext({
      env: { SIP_SHARED_SECRET: SECRET, SIP_DOMAIN: 'cti.test', ...env },
      app: { callTimers: false },
      arrange: async (db) => {
        await makeAgent(db, { username: 'ana', sipAddress: 'sip:ana@cti.test' });
      },
    });
    const cookie = await login(ctx.app, 'ana', 'test-password');
    return (await as(ctx.app, cookie)('GET', '/api/sip/credentials')).json<{ iceServers: string[] }>();
  }

  it('are none by default, so no third-party STUN server hears of each call', async () => {
    expect((await credentialsWith({})).iceServers).toEqual([]);
  });

  it('are the configured ones otherwise', async () => {
    const iceServers = 'stun:stun.example.com:3478, turn:turn.example.com:3478?transport=tcp';
    expect((await credentialsWith({ SIP_ICE_SERVERS: iceServers })).iceServers).toEqual([
      'stun:stun.example.com:3478',
      'turn:turn.example.com:3478?transport=tcp',
    ]);
  });

  it('refuses anything but stun: and turn: URLs', () => {
    for (const bad of ['https://stun.example.com', 'stun:a b', 'stun:x"y']) {
      expect(() => loadConfig({ SIP_SHARED_SECRET: SECRET, SIP_ICE_SERVERS: bad })).toThrow(
        /SIP_ICE_SERVERS/,
      );
    }
  });
});
