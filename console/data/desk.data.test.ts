import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents } from '../../contracts/socket.js';
import type { DeskState } from '../../contracts/desk.js';
import { onSessionExpired } from './api.js';
import { createDeskClient, DeskCommandError, type DeskClient, type DeskSnapshot } from './desk.data.js';
import { serverNow } from './server-clock.js';

/**
 * The desk client against a real socket.io server speaking the contract's events, so reconnection,
 * acknowledgement timeouts and refused handshakes behave as they will in the browser.
 */

type PeerSocket = ServerSocket<ClientToServerEvents, ServerToClientEvents>;

function deskState(overrides: Partial<DeskState> = {}): DeskState {
  return {
    serverTime: new Date().toISOString(),
    status: 'available',
    reason: null,
    since: '2026-11-22T10:00:00.000Z',
    breakReasons: ['lunch', 'training'],
    nextReason: null,
    offer: null,
    call: null,
    wrapUp: null,
    ...overrides,
  };
}

describe('desk client', () => {
  let http: HttpServer;
  let server: Server<ClientToServerEvents, ServerToClientEvents>;
  let url: string;
  let peers: PeerSocket[];
  /** The answer the fake server gives to the handshake: null accepts it. */
  let refuse: string | null;
  const clients: DeskClient[] = [];

  beforeEach(async () => {
    peers = [];
    refuse = null;
    http = createServer();
    server = new Server(http, { transports: ['websocket', 'polling'] });
    server.use((_socket, next) => (refuse ? next(new Error(refuse)) : next()));
    server.on('connection', (socket) => {
      peers.push(socket);
      socket.emit('desk:state', deskState());
      socket.on('agent:set-status', (payload, ack) =>
        payload.status === 'break' && !payload.reason
          ? ack({ ok: false, error: 'A break needs a reason' })
          : ack({ ok: true }),
      );
      socket.on('offer:accept', (_payload, ack) => ack({ ok: true }));
      // Never answers: the client's timeout has to end the wait.
      socket.on('call:hangup', () => undefined);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    clients.splice(0).forEach((client) => client.disconnect());
    await server.close();
  });

  function client(): DeskClient {
    const created = createDeskClient({
      url,
      ackTimeoutMs: 300,
      socketOptions: { reconnectionDelay: 50, reconnectionDelayMax: 100 },
    });
    clients.push(created);
    return created;
  }

  function until(desk: DeskClient, test: (snapshot: DeskSnapshot) => boolean): Promise<DeskSnapshot> {
    if (test(desk.snapshot)) return Promise.resolve(desk.snapshot);
    return new Promise((resolve) => {
      const stop = desk.subscribe((snapshot) => {
        if (!test(snapshot)) return;
        stop();
        resolve(snapshot);
      });
    });
  }

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) =>
        error instanceof DeskCommandError ? { reason: error.reason, message: error.message } : error,
    );

  it('connects, and keeps the whole state the server sends each time it changes', async () => {
    const desk = client();
    expect(desk.snapshot.connection).toBe('offline');
    desk.connect();
    expect(desk.snapshot.connection).toBe('connecting');
    const ready = await until(desk, (s) => s.connection === 'connected' && s.state !== null);
    expect(ready.state?.status).toBe('available');

    peers[0]!.emit('desk:state', deskState({ status: 'break', reason: 'lunch' }));
    const next = await until(desk, (s) => s.state?.status === 'break');
    expect(next.state?.reason).toBe('lunch');

    desk.connect();
    expect(peers).toHaveLength(1);
  });

  it("runs the console's timers on the server's clock, however far the agent's PC is off", async () => {
    const desk = client();
    desk.connect();
    await until(desk, (s) => s.state !== null);
    const ahead = Date.now() + 90_000;
    peers[0]!.emit('desk:state', deskState({ serverTime: new Date(ahead).toISOString(), status: 'break' }));
    await until(desk, (s) => s.state?.status === 'break');
    expect(Math.abs(serverNow() - ahead)).toBeLessThan(1000);
    peers[0]!.emit('desk:state', deskState({ status: 'available' }));
    await until(desk, (s) => s.state?.status === 'available');
    expect(Math.abs(serverNow() - Date.now())).toBeLessThan(1000);
  });

  it('resolves commands the server acknowledges and rejects with its reason, a timeout or offline', async () => {
    const desk = client();
    expect(await failure(desk.acceptOffer(1))).toEqual({ reason: 'offline', message: '' });

    desk.connect();
    await until(desk, (s) => s.connection === 'connected');
    expect(await failure(desk.acceptOffer(1))).toBeNull();
    expect(await failure(desk.setStatus('break', 'lunch'))).toBeNull();
    expect(await failure(desk.setStatus('break'))).toEqual({
      reason: 'refused',
      message: 'A break needs a reason',
    });
    expect(await failure(desk.hangUp(7))).toMatchObject({ reason: 'timeout' });
  });

  it('shows a dropped connection as reconnecting, keeps the last state, and recovers by itself', async () => {
    const desk = client();
    desk.connect();
    await until(desk, (s) => s.connection === 'connected' && s.state !== null);

    peers[0]!.conn.close();
    const dropped = await until(desk, (s) => s.connection === 'reconnecting');
    expect(dropped.state?.status).toBe('available');
    expect(await failure(desk.acceptOffer(1))).toMatchObject({ reason: 'offline' });

    await until(desk, (s) => s.connection === 'connected');
    expect(peers).toHaveLength(2);
  });

  it('goes to sign-in when the server ends the session', async () => {
    let expired = 0;
    const stop = onSessionExpired(() => (expired += 1));
    try {
      const desk = client();
      desk.connect();
      await until(desk, (s) => s.connection === 'connected' && s.state !== null);
      peers[0]!.emit('session:ended');
      const ended = await until(desk, (s) => s.connection === 'offline');
      expect(ended.state).toBeNull();
      expect(expired).toBe(1);
    } finally {
      stop();
    }
  });

  it('goes to sign-in when the handshake is refused for want of a session, and says why otherwise', async () => {
    let expired = 0;
    const stop = onSessionExpired(() => (expired += 1));
    try {
      refuse = 'Sign in first: no session, or it has expired';
      const desk = client();
      desk.connect();
      await until(desk, (s) => s.connection === 'offline');
      expect(expired).toBe(1);

      refuse = 'Cross-origin connection refused';
      desk.connect();
      const refused = await until(desk, (s) => s.problem !== null);
      expect(refused).toMatchObject({ connection: 'offline', problem: 'Cross-origin connection refused' });
      expect(expired).toBe(1);

      refuse = null;
      desk.connect();
      await until(desk, (s) => s.connection === 'connected');
    } finally {
      stop();
    }
  });

  it('disconnects on sign-out and forgets the state', async () => {
    const desk = client();
    desk.connect();
    await until(desk, (s) => s.connection === 'connected' && s.state !== null);
    const left = new Promise<void>((resolve) => peers[0]!.on('disconnect', () => resolve()));
    desk.disconnect();
    expect(desk.snapshot).toEqual({ connection: 'offline', state: null, problem: null, backlog: [] });
    await left;
  });
  it("answers the server's softphone requests with the page's softphone, or says there is none", async () => {
    const desk = client();
    desk.connect();
    await until(desk, (s) => s.connection === 'connected');
    const ask = <E extends 'softphone:hold' | 'softphone:mute' | 'softphone:refer'>(
      event: E,
      request: Parameters<ServerToClientEvents[E]>[0],
    ) =>
      new Promise((resolve) =>
        (peers[0]!.emit as (e: string, r: unknown, ack: (answer: unknown) => void) => void)(
          event,
          request,
          resolve,
        ),
      );
    expect(await ask('softphone:hold', { interactionId: 7, onHold: true })).toEqual({
      ok: false,
      error: 'No softphone on this page',
    });
    const refer = { interactionId: 7, callId: 'c@h', referTo: 'sip:transfer@edge' };
    expect(await ask('softphone:refer', refer)).toBeNull();
    const asked: string[] = [];
    const stop = desk.answerSoftphone({
      hold: async (request) => {
        asked.push(`hold ${request.interactionId} ${request.onHold}`);
        return { ok: true };
      },
      mute: async (request) => {
        asked.push(`mute ${request.interactionId} ${request.muted}`);
        return { ok: false, error: 'This softphone does not have the call' };
      },
      refer: async (request) => {
        asked.push(`refer ${request.callId} ${request.referTo}`);
        return { ok: false, reason: '603 Declined' };
      },
    });
    expect(await ask('softphone:hold', { interactionId: 7, onHold: true })).toEqual({ ok: true });
    expect(await ask('softphone:mute', { interactionId: 7, muted: true })).toEqual({
      ok: false,
      error: 'This softphone does not have the call',
    });
    expect(await ask('softphone:refer', refer)).toEqual({ ok: false, reason: '603 Declined' });
    expect(asked).toEqual(['hold 7 true', 'mute 7 true', 'refer c@h sip:transfer@edge']);
    stop();
    expect(await ask('softphone:mute', { interactionId: 7, muted: false })).toEqual({
      ok: false,
      error: 'No softphone on this page',
    });
  });
});
