// Agents' and supervisors' consoles of a benchmark in a process of their own: socket.io clients
// spread over the server processes, recording when offers and live views reach them.
import type { SupervisionView } from '../../server/realtime/realtime.events.js';
import { serveBenchProcess } from './bench-process.js';
import { consoleSocket, startDeskBots, type ConsoleSocket } from './desk-bots.js';

/** A live view a supervisor received: when, and when the server computed it (ms since the epoch). */
export interface ViewReceived {
  supervisor: number;
  view: SupervisionView;
  atMs: number;
  computedAtMs: number;
}

const sockets: ConsoleSocket[] = [];
const offerAt = new Map<number, number>();
const received: ViewReceived[] = [];

/** The consoles' sockets go to the servers in turn; browsers would show `pageOrigin` as their Origin. */
interface Consoles {
  serverOrigins: string[];
  pageOrigin: string;
  tokens: string[];
}

const serverOf = ({ serverOrigins }: Consoles, index: number) => serverOrigins[index % serverOrigins.length]!;

const handlers = {
  /** Desk bots (see startDeskBots) for `tokens`; resolves when every agent is available. */
  async startAgents(consoles: Consoles) {
    const { serverOrigins, tokens, pageOrigin } = consoles;
    const onOffer = (interactionId: number) => {
      if (!offerAt.has(interactionId)) offerAt.set(interactionId, Date.now());
    };
    const groups = await Promise.all(
      serverOrigins.map((origin, s) =>
        startDeskBots(
          origin,
          tokens.filter((_, i) => i % serverOrigins.length === s),
          onOffer,
          true,
          pageOrigin,
        ),
      ),
    );
    sockets.push(...groups.flat());
  },

  /** Supervisors watching `views`; `first` numbers them across desk processes. */
  async startSupervisors({
    views,
    first,
    ...consoles
  }: Consoles & { views: SupervisionView[]; first: number }) {
    for (const [index, token] of consoles.tokens.entries()) {
      const supervisor = first + index;
      const socket = consoleSocket(serverOf(consoles, supervisor), token, consoles.pageOrigin);
      sockets.push(socket);
      socket.on('supervision:queues', (live) =>
        received.push({ supervisor, view: 'queues', atMs: Date.now(), computedAtMs: Date.parse(live.at) }),
      );
      socket.on('supervision:agents', (live) =>
        received.push({ supervisor, view: 'agents', atMs: Date.now(), computedAtMs: Date.parse(live.at) }),
      );
      await new Promise<void>((resolve) => socket.on('connect', resolve));
      for (const view of views) {
        await new Promise<void>((resolve) => socket.emit('supervision:join', { view }, () => resolve()));
      }
    }
  },

  /** When each Interaction's first offer reached an agent's socket: [interaction id, ms since the epoch]. */
  offers: () => [...offerAt],

  viewsReceived: () => received,

  close: () => sockets.forEach((socket) => socket.disconnect()),
};

export type DeskLoad = typeof handlers;

serveBenchProcess(handlers);
