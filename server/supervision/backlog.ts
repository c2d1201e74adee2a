import type { FastifyBaseLogger } from 'fastify';
import type { AgentsService } from '../agents/agents.service.js';
import type { CallQueuesService } from '../call-queues/call-queues.service.js';
import type { RealtimeServer } from '../realtime/realtime.plugin.js';
import { agentRoom, backlogRoom, type QueueBacklog } from '../realtime/realtime.events.js';
import type { QueuesLive } from './supervision.schemas.js';

/** Every CallQueue's backlog at one instant: the live view the desks' messages are cut from. */
export interface DeskBacklog {
  at: string;
  queues: QueueBacklog[];
}

/** The queues view without the callers: counts and the longest wait only. */
export function backlogOf(live: QueuesLive): DeskBacklog {
  return {
    at: live.at,
    queues: live.queues.map((queue) => ({
      queueId: queue.queueId,
      name: queue.name,
      waiting: queue.waiting.length,
      oldestWaitingSince: queue.waiting.reduce<string | null>(
        (oldest, call) =>
          oldest === null || Date.parse(call.waitingSince) < Date.parse(oldest) ? call.waitingSince : oldest,
        null,
      ),
    })),
  };
}

export interface DeskBacklogDeps {
  io: RealtimeServer;
  /** The CallQueues an agent qualifies for (their teams). */
  queueIdsOf: (agentId: number) => number[];
  agents: Pick<AgentsService, 'list'>;
  callQueues: Pick<CallQueuesService, 'list'>;
  /** The backlog viewers last got (computed when none was published yet). */
  latest: () => Promise<DeskBacklog>;
  log: FastifyBaseLogger;
}

/**
 * The backlog of each Agent's own CallQueues on their desk. A room per CallQueue holds the sockets of
 * the Agents qualified for it, so a change costs one message per queue, whatever the number of
 * agents; membership is set on connecting and moved when an Agent's or a CallQueue's skills change.
 */
export function attachDeskBacklog({ io, queueIdsOf, agents, callQueues, latest, log }: DeskBacklogDeps) {
  /** The complete list for one socket or an agent's sockets: it replaces what the desk showed. */
  async function sendAll(target: { emit: RealtimeServer['emit'] }, queueIds: number[]): Promise<void> {
    const { queues } = await latest();
    target.emit('desk:backlog', {
      complete: true,
      queues: queues.filter((queue) => queueIds.includes(queue.queueId)),
    });
  }

  io.on('connection', (socket) => {
    const queueIds = queueIdsOf(socket.data.agent.id);
    void (async () => {
      await socket.join(queueIds.map(backlogRoom));
      await sendAll(socket, queueIds);
    })().catch((error: unknown) => log.error({ err: error }, 'desk backlog join failed'));
  });

  /** Moves an agent's sockets (on every process) into the rooms of the queues they qualify for now. */
  async function follow(agentId: number): Promise<void> {
    const queueIds = queueIdsOf(agentId);
    const sockets = io.in(agentRoom(agentId));
    sockets.socketsLeave(callQueues.list().map((queue) => backlogRoom(queue.id)));
    sockets.socketsJoin(queueIds.map(backlogRoom));
    await sendAll(io.to(agentRoom(agentId)), queueIds);
  }

  return {
    /** Sends each queue's backlog to the agents qualified for it. */
    emit(backlog: DeskBacklog): void {
      for (const queue of backlog.queues) {
        io.to(backlogRoom(queue.queueId)).emit('desk:backlog', { complete: false, queues: [queue] });
      }
    },
    /** An agent's skills changed. */
    agentChanged: follow,
    /** A queue's skills changed (or it was created): every agent may have joined or left it. */
    async queuesChanged(): Promise<void> {
      await Promise.all(agents.list().map((agent) => follow(agent.id)));
    },
  };
}

export type DeskBacklogRooms = ReturnType<typeof attachDeskBacklog>;
