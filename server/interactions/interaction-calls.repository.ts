import type { Db } from '../../db/connection.js';
import type { InteractionTimeline } from './interaction-timeline.repository.js';
import type { InteractionSummary } from './interactions.schemas.js';

export interface NewInteraction {
  direction: InteractionSummary['direction'];
  provider: InteractionSummary['provider'];
  providerCallId: string;
  callerNumber: string | null;
  customerId: number | null;
  arrivedAt: string;
}

/** An Interaction that continues another: a transfer on the same provider call, or a callback. */
export interface ContinuedInteraction {
  parentId: number;
  origin: NonNullable<InteractionSummary['origin']>;
  direction: InteractionSummary['direction'];
  provider: InteractionSummary['provider'];
  /** Null for a transfer (the call stays the parent's) and for a callback not dialled yet. */
  providerCallId: string | null;
  callerNumber: string | null;
  customerId: number | null;
  arrivedAt: string;
}

/**
 * How Interactions start (an arrival, a continuation, an agent's own call) and which provider call
 * belongs to which of them.
 */
export function createInteractionCallsRepository(db: Db, timeline: InteractionTimeline) {
  const statements = {
    insertArrival: db.prepare<[string, string, string, string | null, number | null, string], { id: number }>(
      `INSERT INTO interactions (direction, provider, provider_call_id, caller_number, customer_id, arrived_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (provider, provider_call_id) DO NOTHING RETURNING id`,
    ),
    byProviderCall: db.prepare<[string, string], { id: number }>(
      'SELECT id FROM interactions WHERE provider = ? AND provider_call_id = ?',
    ),
    // A transferred call keeps its provider id but lives on in the newest Interaction of its chain.
    ownerOfProviderCall: db.prepare<[string, string], { id: number; moved: number; answered: number }>(
      `SELECT i.id, i.answered_at IS NOT NULL AS answered, EXISTS (
         SELECT 1 FROM interactions c
         WHERE c.parent_interaction_id = i.id AND c.origin = 'transfer' AND c.provider_call_id IS NOT NULL
           AND c.outcome IS NOT 'failed'
       ) AS moved
       FROM interactions i WHERE i.provider = ? AND i.provider_call_id = ?`,
    ),
    setProviderCall: db.prepare<[string, number]>(
      'UPDATE interactions SET provider_call_id = ? WHERE id = ? AND provider_call_id IS NULL',
    ),
    forgetProviderCall: db.prepare<[number]>('UPDATE interactions SET provider_call_id = NULL WHERE id = ?'),
    currentOfProviderCall: db.prepare<[string, string], { id: number | null }>(
      `WITH RECURSIVE chain(id) AS (
         SELECT id FROM interactions WHERE provider = ? AND provider_call_id = ?
         UNION ALL
         SELECT i.id FROM interactions i JOIN chain ON i.parent_interaction_id = chain.id
         WHERE i.origin = 'transfer'
       )
       SELECT max(id) AS id FROM chain`,
    ),
    insertContinued: db.prepare<
      [number, string, string, string, string | null, string | null, number | null, string, number],
      { id: number }
    >(
      `INSERT INTO interactions (parent_interaction_id, origin, direction, provider, provider_call_id,
         caller_number, customer_id, arrived_at, ivr_answers, handoff_context)
       SELECT ?, ?, ?, ?, ?, ?, ?, ?, ivr_answers, handoff_context FROM interactions WHERE id = ? RETURNING id`,
    ),
  };

  return {
    /**
     * Records a call's arrival once: providers retry webhooks, so a second arrival of the same
     * provider call returns the existing interaction with `created: false`.
     */
    recordArrival(call: NewInteraction): { id: number; created: boolean } {
      return db.transaction(() => {
        const inserted = statements.insertArrival.get(
          call.direction,
          call.provider,
          call.providerCallId,
          call.callerNumber,
          call.customerId,
          call.arrivedAt,
        );
        if (inserted) {
          timeline.append(inserted.id, call.arrivedAt, 'arrived', null, { provider: call.provider });
          return { id: inserted.id, created: true };
        }
        return { id: statements.byProviderCall.get(call.provider, call.providerCallId)!.id, created: false };
      })();
    },

    /** The live Interaction of a provider call: after transfers, the newest of its chain. */
    findByProviderCall: (provider: string, providerCallId: string) =>
      statements.currentOfProviderCall.get(provider, providerCallId)?.id ?? null,

    /**
     * The Interaction whose own call `providerCallId` is, whether it was answered, and whether a
     * transfer has moved its caller to another call of the provider's (a SIP REFER gives the caller a
     * new dialog; Twilio keeps one).
     */
    ownerOfProviderCall(
      provider: string,
      providerCallId: string,
    ): { id: number; moved: boolean; answered: boolean } | null {
      const row = statements.ownerOfProviderCall.get(provider, providerCallId);
      return row ? { id: row.id, moved: row.moved === 1, answered: row.answered === 1 } : null;
    },

    /**
     * Starts an Interaction that continues `parentId`, carrying over its IVR answers so the next
     * agent's screen pop still shows them.
     */
    recordContinued(call: ContinuedInteraction): number {
      return db.transaction(() => {
        const inserted = statements.insertContinued.get(
          call.parentId,
          call.origin,
          call.direction,
          call.provider,
          call.providerCallId,
          call.callerNumber,
          call.customerId,
          call.arrivedAt,
          call.parentId,
        );
        if (!inserted) throw new Error(`Interaction ${call.parentId} does not exist`);
        timeline.append(inserted.id, call.arrivedAt, 'arrived', null, {
          provider: call.provider,
          origin: call.origin,
          parentInteractionId: call.parentId,
        });
        return inserted.id;
      })();
    },

    /** The Interaction that continues `parentId` this way, if one was started. */
    continuationOf: (parentId: number, origin: NonNullable<InteractionSummary['origin']>) =>
      db
        .prepare<[number, string], { id: number }>(
          'SELECT id FROM interactions WHERE parent_interaction_id = ? AND origin = ? ORDER BY id LIMIT 1',
        )
        .get(parentId, origin)?.id ?? null,

    /**
     * A call an agent places: it starts offered to them (their phone rings first), in `queueId` for
     * its wrap-up codes and reports. It never waited in a queue: no IVR or queue times.
     */
    recordOutbound(call: {
      provider: InteractionSummary['provider'];
      number: string;
      customerId: number | null;
      queueId: number;
      agentId: number;
      at: string;
    }): number {
      return db.transaction(() => {
        const { id } = db
          .prepare<[typeof call], { id: number }>(
            `INSERT INTO interactions (direction, provider, caller_number, customer_id, queue_id, agent_id, state,
               arrived_at, offered_at)
             VALUES ('outbound', @provider, @number, @customerId, @queueId, @agentId, 'offered', @at, @at)
             RETURNING id`,
          )
          .get(call)!;
        timeline.append(id, call.at, 'dialled_by_agent', call.agentId, {
          provider: call.provider,
          number: call.number,
        });
        return id;
      })();
    },

    /**
     * The provider's id of a call we placed for an Interaction (a callback), or of the call a
     * transferred caller made to reach it (a SIP REFER), once it is known. Set once: false when the
     * Interaction already has one.
     */
    setProviderCall(id: number, providerCallId: string): boolean {
      return statements.setProviderCall.run(providerCallId, id).changes === 1;
    },

    /**
     * A transfer that failed after the caller's new call reached its Interaction: the call is no
     * longer that Interaction's, so the caller's first call is not taken as moved (`ownerOfProviderCall`).
     */
    forgetProviderCall(id: number): void {
      statements.forgetProviderCall.run(id);
    },
  };
}
