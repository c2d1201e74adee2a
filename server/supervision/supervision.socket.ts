import type { FastifyBaseLogger } from 'fastify';
import { Value } from 'typebox/value';
import { roleRequired } from '../http/errors.js';
import { SUPERVISORS } from '../plugins/auth.plugin.js';
import type { RealtimeServer } from '../realtime/realtime.plugin.js';
import {
  SUPERVISION_EVENTS,
  SupervisionViewPayload,
  supervisionRoom,
  type SupervisionView,
} from '../realtime/realtime.events.js';
import { guarded } from '../realtime/socket-commands.js';
import type { DeskBacklog } from './backlog.js';
import type { LivePublisher } from './live-publisher.js';
import type { AgentsLive, QueuesLive } from './supervision.schemas.js';

/** The live views by name: the supervisors' two, and the desks' backlog cut from the queues view. */
// A type alias, not an interface: the publisher's views are an index signature, which interfaces lack.
export type SupervisionViews = {
  queues: QueuesLive;
  agents: AgentsLive;
  backlog: DeskBacklog;
};

export type SupervisionLive = LivePublisher<SupervisionViews>;

/** Sends a live view to a room or socket; the event is the view's, so payload and event always match. */
export function emitView(
  target: { emit: RealtimeServer['emit'] },
  view: SupervisionView,
  payload: QueuesLive | AgentsLive,
): void {
  // The event map cannot tie a computed event name to its payload type; SUPERVISION_EVENTS does.
  const emit = target.emit.bind(target) as (event: string, payload: unknown) => boolean;
  emit(SUPERVISION_EVENTS[view], payload);
}

/**
 * Supervisors' live views over socket.io. Joining a view's room is checked here, on the server: an
 * agent's console asking for it is refused and never joins. The joiner gets the view's current
 * payload at once, then what the publisher pushes to the room.
 */
export function attachSupervision(io: RealtimeServer, live: SupervisionLive, log: FastifyBaseLogger): void {
  io.on('connection', (socket) => {
    // Read at each event, not at connection: a demoted supervisor's role changes under an open socket.
    const handle = (run: (view: SupervisionView) => Promise<void>) =>
      guarded(log, { agentId: socket.data.agent.id }, async (payload, reply) => {
        const { role } = socket.data.agent;
        if (!SUPERVISORS.includes(role)) {
          reply(roleRequired(SUPERVISORS, role).toAck());
          return;
        }
        if (!Value.Check(SupervisionViewPayload, payload)) {
          reply({
            ok: false,
            error: `Invalid request: view must be one of ${Object.keys(SUPERVISION_EVENTS).join(', ')}`,
          });
          return;
        }
        await run(payload.view);
        reply({ ok: true });
      });

    socket.on(
      'supervision:join',
      handle(async (view) => {
        await socket.join(supervisionRoom(view));
        emitView(socket, view, await live.latest(view));
      }),
    );
    socket.on(
      'supervision:leave',
      handle(async (view) => socket.leave(supervisionRoom(view))),
    );
  });
}
