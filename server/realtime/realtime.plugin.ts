import { createAdapter } from '@socket.io/redis-adapter';
import fp from 'fastify-plugin';
import { Server } from 'socket.io';
import type { AuthService } from '../auth/auth.service.js';
import { SESSION_COOKIE } from '../plugins/auth.plugin.js';
import {
  agentRoom,
  roleRoom,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from './realtime.events.js';
import { SERVER_ERROR } from './socket-commands.js';

export type RealtimeServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

declare module 'fastify' {
  interface FastifyInstance {
    io: RealtimeServer;
    /** Tells the agent's open consoles, in every server process, that their session ended, and drops them. */
    endAgentSockets: (agentId: number) => Promise<void>;
  }
}

export interface RealtimePluginOptions {
  auth: AuthService;
  /** The product's public origin; the request's own host is accepted too, as for REST. */
  publicOrigin: string;
  /** Prefix of the Redis adapter's channels, so installations sharing a Redis stay apart. */
  redisPrefix: string;
}

function allowedOrigin(origin: string | undefined, host: string | undefined, publicOrigin: string): boolean {
  if (!origin) return false;
  if (origin === publicOrigin) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * socket.io on the Fastify server. The handshake is authenticated from the session cookie and its
 * Origin checked (a browser sends cookies with cross-site WebSocket handshakes, so the Origin check
 * is what keeps other sites out). Each socket joins its agent's room and its role's room. Events fan
 * out through the Redis adapter, so any server process can reach any agent.
 */
export const realtimePlugin = fp<RealtimePluginOptions>(
  async (app, { auth, publicOrigin, redisPrefix }) => {
    const io: RealtimeServer = new Server(app.server, {
      serveClient: false,
      transports: ['websocket', 'polling'],
    });
    const pub = app.redis.duplicate();
    const sub = app.redis.duplicate();
    io.adapter(createAdapter(pub, sub, { key: `${redisPrefix}socket.io` }));

    // The handshake runs outside any request handler: an error here must refuse this connection only.
    io.use((socket, next) => {
      try {
        const { origin, host, cookie } = socket.handshake.headers;
        if (!allowedOrigin(origin, host, publicOrigin)) {
          return next(new Error('Cross-origin connection refused'));
        }
        // The same tolerant parser as REST requests: bad percent-encoding is kept as is, not thrown.
        const token = cookie ? app.parseCookie(cookie)[SESSION_COOKIE] : undefined;
        const agent = token ? auth.resolve(token) : null;
        if (!agent) return next(new Error('Sign in first: no session, or it has expired'));
        socket.data.agent = agent;
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
    app.decorate('endAgentSockets', async (agentId: number) => {
      io.to(agentRoom(agentId)).emit('session:ended');
      io.in(agentRoom(agentId)).disconnectSockets(true);
    });
    app.addHook('onClose', async () => {
      await io.close();
      // quit, not disconnect: it lets the adapter's pending (p)subscribe replies arrive first.
      await Promise.all([pub.quit(), sub.quit()]);
    });
  },
  { name: 'realtime', dependencies: ['redis', '@fastify/cookie'] },
);
