import { createAdapter } from '@socket.io/redis-adapter';
import fp from 'fastify-plugin';
import { Server } from 'socket.io';
import type { Role } from '../auth/auth.schemas.js';
import { SESSION_COOKIE } from '../plugins/auth.plugin.js';
import { agentRoom, roleRoom } from './realtime.events.js';
import { SERVER_ERROR } from '../http/errors.js';
import { createSocketSessions, type RealtimeServer } from './socket-sessions.js';

export type { RealtimeServer } from './socket-sessions.js';

declare module 'fastify' {
  interface FastifyInstance {
    io: RealtimeServer;
    /** Tells the agent's open consoles, in every server process, that their session ended, and drops them. */
    endAgentSockets: (agentId: number) => Promise<void>;
    /** The agent's role changed: their open consoles, in every server process, lose what it no longer allows. */
    agentRoleChanged: (agentId: number, role: Role) => Promise<void>;
  }
}

export interface RealtimePluginOptions {
  /** Prefix of the Redis adapter's channels, so installations sharing a Redis stay apart. */
  redisPrefix: string;
  /** Largest message a client may send, in bytes (as BODY_LIMIT_BYTES for REST; socket.io's default is 1 MB). */
  maxMessageBytes: number;
  /** Called for each message a console sends or is sent, when benchmarks count them. */
  onMessage?: (direction: 'in' | 'out') => void;
}

/** The part of an engine.io socket the message counter uses (engine.io is socket.io's, not ours). */
interface EngineSocket {
  on(event: 'packet' | 'packetCreate', listener: (packet: { type: string }) => void): unknown;
}

/** How often quiet sockets are checked for an expired session, in milliseconds. */
export const SESSION_SWEEP_MS = 30_000;

/**
 * socket.io on the Fastify server. The handshake is authenticated from the session cookie and its
 * Origin checked (a browser sends cookies with cross-site WebSocket handshakes, so the Origin check
 * is what keeps other sites out). Each socket joins its agent's room and its role's room. Events fan
 * out through the Redis adapter, so any server process can reach any agent.
 */
export const realtimePlugin = fp<RealtimePluginOptions>(
  async (app, { redisPrefix, maxMessageBytes, onMessage }) => {
    const { auth, originAllowed } = app;
    const io: RealtimeServer = new Server(app.server, {
      serveClient: false,
      transports: ['websocket', 'polling'],
      maxHttpBufferSize: maxMessageBytes,
    });
    const pub = app.redis.duplicate();
    const sub = app.redis.duplicate();
    io.adapter(createAdapter(pub, sub, { key: `${redisPrefix}socket.io` }));
    const sessions = createSocketSessions({ io, auth, log: app.log });
    if (onMessage) {
      // Engine.io packets, so a broadcast counts once per socket it reaches; pings are not messages.
      io.engine.on('connection', (socket: EngineSocket) => {
        socket.on('packetCreate', (packet) => packet.type === 'message' && onMessage('out'));
        socket.on('packet', (packet) => packet.type === 'message' && onMessage('in'));
      });
    }

    // The handshake runs outside any request handler: an error here must refuse this connection only.
    io.use((socket, next) => {
      try {
        const { origin, cookie } = socket.handshake.headers;
        if (!originAllowed(origin)) {
          return next(new Error('Cross-origin connection refused'));
        }
        // The same tolerant parser as REST requests: bad percent-encoding is kept as is, not thrown.
        const token = cookie ? app.parseCookie(cookie)[SESSION_COOKIE] : undefined;
        const agent = token ? auth.resolve(token) : null;
        if (!token || !agent) return next(new Error('Sign in first: no session, or it has expired'));
        socket.data.agent = agent;
        sessions.admit(socket, token);
        next();
      } catch (error) {
        app.log.error({ err: error }, 'socket handshake failed');
        next(new Error(SERVER_ERROR));
      }
    });

    io.on('connection', (socket) => {
      void Promise.resolve(
        socket.join([agentRoom(socket.data.agent.id), roleRoom(socket.data.agent.role)]),
      ).catch((error: unknown) => app.log.error({ err: error }, 'socket join failed'));
    });

    app.decorate('io', io);
    app.decorate('endAgentSockets', async (agentId: number) => sessions.endAgent(agentId));
    app.decorate('agentRoleChanged', async (agentId: number, role: Role) =>
      sessions.roleChanged(agentId, role),
    );
    let sweeper: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      sweeper = setInterval(() => sessions.sweep(), SESSION_SWEEP_MS);
    });
    app.addHook('onClose', async () => {
      clearInterval(sweeper);
      await io.close();
      // quit, not disconnect: it lets the adapter's pending (p)subscribe replies arrive first.
      await Promise.all([pub.quit(), sub.quit()]);
    });
  },
  { name: 'realtime', dependencies: ['redis', '@fastify/cookie', 'auth'] },
);
