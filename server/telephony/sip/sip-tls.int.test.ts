import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAgent, makeQueue } from '../../testing/factories.js';
import { as, freePort, login, until } from '../../testing/harness.js';
import { startSipEdge } from '../../testing/sip-edge.js';
import { SessionState, SipPhone, SOFTPHONE_SOCKET_OPTIONS } from '../../testing/sip-phone.js';
import { requireSipPeers, sippCall } from '../../testing/sipp.js';

requireSipPeers();

/** Softphones on wss:// straight to Kamailio, with the certificate our config names. */
describe('SIP over secure WebSocket (real Kamailio with TLS)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cti-sip-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  let edge: Awaited<ReturnType<typeof startSipEdge>>;
  let wssPort: number;

  beforeAll(async () => {
    execFileSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost',
      '-keyout',
      key,
      '-out',
      cert,
    ]);
    wssPort = await freePort();
    edge = await startSipEdge({
      secret: 'tls-secret-0123456789abcdefghijklmnopq',
      env: { SIP_DOMAIN: 'localhost', SIP_TLS_CERT: cert, SIP_TLS_KEY: key, SIP_WSS_PORT: String(wssPort) },
      arrange: async (db) => {
        await makeAgent(db, { username: 'ana', sipAddress: 'sip:ana@localhost', autoAccept: true });
        makeQueue(db, 'Support', { acwPolicy: 'none' });
      },
    });
  }, 30_000);

  afterAll(async () => {
    await edge?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** SIP.js opens `new WebSocket(url, 'sip')`: this one trusts our test certificate, as a browser would a real one. */
  async function withTrustedCertificate<T>(work: () => Promise<T>): Promise<T> {
    const ca = readFileSync(cert);
    const global = globalThis as { WebSocket?: unknown };
    const plain = global.WebSocket;
    global.WebSocket = class extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { ...SOFTPHONE_SOCKET_OPTIONS, ca });
      }
    };
    try {
      return await work();
    } finally {
      global.WebSocket = plain;
    }
  }

  it('gives softphones a wss:// address, registers them over TLS and rings them with the call', async () => {
    const { ctx } = edge;
    const cookie = await login(ctx.app, 'ana', 'test-password');
    const credentials = (await as(ctx.app, cookie)('GET', '/api/sip/credentials')).json<{ wsUrl: string }>();
    expect(credentials.wsUrl).toBe(`wss://localhost:${wssPort}`);
    const phone = new SipPhone({ ...(credentials as ConstructorParameters<typeof SipPhone>[0]) });
    try {
      expect(await withTrustedCertificate(() => phone.register())).toBe(200);
      const me = ctx.db.prepare("SELECT id FROM agents WHERE username = 'ana'").pluck().get() as number;
      await ctx.app.calls.setStatus(
        { id: me, username: 'ana', displayName: 'Ana', role: 'agent', uiLanguage: 'en' },
        { status: 'available' },
      );
      const call = sippCall({ scenario: 'callerWaitsForBye', proxy: `127.0.0.1:${edge.sipPort}`, to: '100' });
      await until(
        () => phone.calls.at(-1)?.states.includes(SessionState.Established) ?? false,
        'the softphone on wss answering',
      );
      const interaction = ctx.db.prepare('SELECT id FROM interactions').pluck().get();
      expect(phone.calls.at(-1)!.interactionId).toBe(String(interaction));
      await phone.hangUp();
      expect((await call).code).toBe(0);
      await until(
        () => ctx.db.prepare('SELECT state FROM interactions').pluck().get() === 'completed',
        'the completed interaction',
      );
    } finally {
      await phone.stop();
    }
  });

  it('refuses a wss:// client that does not trust the certificate: no registration', async () => {
    const { ctx } = edge;
    const cookie = await login(ctx.app, 'ana', 'test-password');
    const credentials = (await as(ctx.app, cookie)('GET', '/api/sip/credentials')).json<{ wsUrl: string }>();
    const socket = new WebSocket(credentials.wsUrl, 'sip');
    const error = await new Promise<Error>((resolve) => socket.once('error', resolve));
    expect(error.message).toMatch(/self-signed certificate/);
  });
});
