import type { Db } from '../../db/connection.js';
import { factsOf, SELECT, type DetailRow } from './interaction-reads.repository.js';
import {
  IllegalInteractionTransition,
  nextInteractionState,
  outcomeOfEnd,
  type InteractionEvent as MachineEvent,
} from './interaction.machine.js';
import type { InteractionFacts, InteractionSummary } from './interactions.schemas.js';

type EventType = MachineEvent['type'];
type State = InteractionSummary['state'];

/** Columns each event sets besides `state`; the first time wins for timestamps a retry could repeat. */
function columnsFor(event: MachineEvent, from: State, at: string): Record<string, unknown> {
  switch (event.type) {
    case 'ivr_left':
      return { ivr_left_at: at };
    case 'queued':
      return { queued_at: at, queue_id: event.queueId };
    case 'offered':
      return { offered_at: at, agent_id: event.agentId };
    case 'offer_declined':
      return { agent_id: null };
    case 'answered':
      return { answered_at: at, agent_id: event.agentId };
    case 'ended':
      return { ended_at: at, outcome: outcomeOfEnd(from, event.outcome) };
    case 'wrap_up_submitted':
      return { wrap_up_ended_at: at, wrap_up_code_id: event.wrapUpCodeId, notes: event.notes };
  }
}

/** The columns of `columnsFor` by event, so that each event's UPDATE is prepared once. */
const COLUMNS: { [Type in EventType]: readonly string[] } = {
  ivr_left: ['ivr_left_at'],
  queued: ['queued_at', 'queue_id'],
  offered: ['offered_at', 'agent_id'],
  offer_declined: ['agent_id'],
  answered: ['answered_at', 'agent_id'],
  ended: ['ended_at', 'outcome'],
  wrap_up_submitted: ['wrap_up_ended_at', 'wrap_up_code_id', 'notes'],
};

const KEEP_FIRST = new Set(['ivr_left_at', 'queued_at']);

/** The names SELECT joins, for a RETURNING clause (which cannot join). */
const RETURNING = `RETURNING *,
  (SELECT name FROM customers WHERE id = interactions.customer_id) AS customer_name,
  (SELECT name FROM call_queues WHERE id = interactions.queue_id) AS queue_name,
  (SELECT display_name FROM agents WHERE id = interactions.agent_id) AS agent_name,
  (SELECT code FROM wrap_up_codes WHERE id = interactions.wrap_up_code_id) AS wrap_up_code,
  (SELECT label FROM wrap_up_codes WHERE id = interactions.wrap_up_code_id) AS wrap_up_label`;

/** How many live Interactions stay in memory at most: far above the calls one process carries. */
const MAX_LIVE = 10_000;

/**
 * The facts of the Interactions not completed yet, kept in memory and written through: the call
 * path reads them at every step and every desk push, and only this module's transitions and the
 * repository's writes (which `forget` the Interaction) change them. A transition is a compare-and-set
 * on the state it started from, so a stale entry (another process moved the call) is read again,
 * never written over.
 */
export function createInteractionFacts(db: Db) {
  const read = db.prepare<[number], DetailRow>(`${SELECT} WHERE i.id = ?`);
  const transitions = Object.fromEntries(
    Object.entries(COLUMNS).map(([type, columns]) => {
      const assignments = [...columns, 'state'].map((column) =>
        KEEP_FIRST.has(column) ? `${column} = coalesce(${column}, @${column})` : `${column} = @${column}`,
      );
      return [
        type,
        db.prepare<[Record<string, unknown>], DetailRow>(
          `UPDATE interactions SET ${assignments.join(', ')} WHERE id = @id AND state = @from ${RETURNING}`,
        ),
      ];
    }),
  ) as Record<EventType, ReturnType<typeof db.prepare<[Record<string, unknown>], DetailRow>>>;
  const live = new Map<number, InteractionFacts>();

  function remember(facts: InteractionFacts): InteractionFacts {
    live.delete(facts.id);
    if (facts.state === 'completed') return facts;
    if (live.size >= MAX_LIVE) live.delete(live.keys().next().value!);
    live.set(facts.id, facts);
    return facts;
  }

  function fresh(id: number): InteractionFacts | null {
    const row = read.get(id);
    return row ? remember(factsOf(row)) : null;
  }

  /** The update of `event` from `from`, or undefined when the Interaction is no longer in `from`. */
  function attempt(id: number, event: MachineEvent, from: State, at: string) {
    const state = nextInteractionState(from, event.type);
    return transitions[event.type].get({ ...columnsFor(event, from, at), state, from, id });
  }

  return {
    /** An Interaction's facts, from memory while it is live. */
    get: (id: number): InteractionFacts | null => live.get(id) ?? fresh(id),

    /** Changes what memory holds of an Interaction as a write of `change(current)` just did in SQLite. */
    patch(id: number, change: (current: InteractionFacts) => Partial<InteractionFacts>): void {
      const current = live.get(id);
      if (current) live.set(id, { ...current, ...change(current) });
    },

    /** Drops what memory holds of an Interaction another write just changed. */
    forget: (id: number) => void live.delete(id),

    /**
     * Throws IllegalInteractionTransition when `type` is illegal in the stored state, before any
     * transaction: a repeated or late callback is refused by one read, or by none when memory holds
     * the Interaction in a state that allows it.
     */
    assertLegal(id: number, type: EventType): void {
      const cached = live.get(id);
      if (!cached) return;
      try {
        nextInteractionState(cached.state, type);
      } catch (error) {
        if (!(error instanceof IllegalInteractionTransition)) throw error;
        const current = fresh(id);
        if (current) nextInteractionState(current.state, type);
      }
    },

    /**
     * Moves the Interaction through its state machine; call it inside the transaction that appends
     * the event. Throws IllegalInteractionTransition, changing nothing, when the event is illegal in
     * the stored state. Returns the facts as they are now.
     */
    transition(id: number, event: MachineEvent, at: string): InteractionFacts {
      const cached = live.get(id);
      if (cached) {
        try {
          const row = attempt(id, event, cached.state, at);
          if (row) return remember(factsOf(row));
        } catch (error) {
          if (!(error instanceof IllegalInteractionTransition)) throw error;
        }
      }
      const current = fresh(id);
      if (!current) throw new Error(`Interaction ${id} does not exist`);
      const row = attempt(id, event, current.state, at);
      // Read and written in one transaction: nothing else can have moved it in between.
      if (!row) throw new Error(`Interaction ${id} changed during its own transition`);
      return remember(factsOf(row));
    },
  };
}

export type InteractionFactsStore = ReturnType<typeof createInteractionFacts>;
