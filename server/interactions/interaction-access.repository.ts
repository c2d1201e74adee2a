import type { Db } from '../../db/connection.js';

/**
 * Timeline entries that make an Agent one who handled an Interaction: they answered it (an offer
 * they let ring out or declined does not count) or they placed it.
 */
const HANDLING_EVENTS = ['answered', 'dialled_by_agent'] as const;

/** Which Interactions of one call an Agent handled, for the read policy (interaction-access.ts). */
export function createInteractionAccessRepository(db: Db) {
  // A call is a chain of Interactions (transfers, callbacks) linked by parent_interaction_id: from
  // the given one up to the first, then down to every continuation of it.
  const handledInChain = db.prepare<{ id: number; agentId: number }, { id: number }>(
    `WITH RECURSIVE up(id, parent) AS (
       SELECT id, parent_interaction_id FROM interactions WHERE id = @id
       UNION SELECT i.id, i.parent_interaction_id FROM interactions i JOIN up ON i.id = up.parent
     ),
     chain(id) AS (
       SELECT id FROM up WHERE parent IS NULL
       UNION SELECT i.id FROM interactions i JOIN chain ON i.parent_interaction_id = chain.id
     )
     SELECT i.id FROM chain JOIN interactions i ON i.id = chain.id
     WHERE i.agent_id = @agentId OR EXISTS (
       SELECT 1 FROM interaction_events e
       WHERE e.interaction_id = i.id AND e.agent_id = @agentId
         AND e.type IN (${HANDLING_EVENTS.map((type) => `'${type}'`).join(', ')})
     )`,
  );

  return {
    /**
     * Whether `agentId` handled Interaction `id` itself, and whether they handled any Interaction of
     * the same call (the part before a transfer, the callback it asked for).
     */
    handledBy(id: number, agentId: number): { self: boolean; call: boolean } {
      const ids = handledInChain.all({ id, agentId }).map((row) => row.id);
      return { self: ids.includes(id), call: ids.length > 0 };
    },
  };
}

export type InteractionAccessRepository = ReturnType<typeof createInteractionAccessRepository>;
