import type { InteractionEventType } from '../../contracts/interaction-events.js';
import type { Db } from '../../db/connection.js';

/** Appends entries to an Interaction's timeline; every writer of Interactions shares one. */
export function createInteractionTimeline(db: Db) {
  const insert = db.prepare(
    'INSERT INTO interaction_events (interaction_id, at, type, agent_id, data) VALUES (?, ?, ?, ?, ?)',
  );
  return {
    append(
      id: number,
      at: string,
      type: InteractionEventType,
      agentId: number | null,
      data: Record<string, unknown>,
    ): void {
      insert.run(id, at, type, agentId, JSON.stringify(data));
    },
  };
}

export type InteractionTimeline = ReturnType<typeof createInteractionTimeline>;
