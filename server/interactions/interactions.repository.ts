import type { InteractionEventType } from '../../contracts/interaction-events.js';
import type { Db } from '../../db/connection.js';
import { rollUpInteraction } from '../reports/index.js';
import { createInteractionAccessRepository } from './interaction-access.repository.js';
import { createInteractionCallsRepository } from './interaction-calls.repository.js';
import { createInteractionReadsRepository } from './interaction-reads.repository.js';
import { createInteractionTimeline } from './interaction-timeline.repository.js';
import { createInteractionFacts } from './interaction-facts.repository.js';
import type { InteractionEvent as MachineEvent } from './interaction.machine.js';
import type { BotHandoff, InteractionSummary } from './interactions.schemas.js';

export type { InteractionFilter } from './interaction-reads.repository.js';
export type { ContinuedInteraction, NewInteraction } from './interaction-calls.repository.js';

export function createInteractionsRepository(db: Db) {
  const timeline = createInteractionTimeline(db);
  const live = createInteractionFacts(db);
  const calls = createInteractionCallsRepository(db, timeline);
  const annotations = {
    customerId: db.prepare<[number, number]>('UPDATE interactions SET customer_id = ? WHERE id = ?'),
    ivrAnswers: db.prepare<[string, number]>('UPDATE interactions SET ivr_answers = ? WHERE id = ?'),
    ivr: db.prepare<[string, string, string | null, number]>(
      'UPDATE interactions SET ivr_flow_id = ?, ivr_path = ?, ivr_end = ? WHERE id = ?',
    ),
    addHeldSeconds: db.prepare<[number, number]>(
      'UPDATE interactions SET held_seconds = held_seconds + ? WHERE id = ?',
    ),
    handoff: db.prepare<[string, number]>('UPDATE interactions SET handoff_context = ? WHERE id = ?'),
    recordingRef: db.prepare<[string, number]>('UPDATE interactions SET recording_ref = ? WHERE id = ?'),
  };
  const lateAnswer = db.prepare<[string, number, number, string]>(
    `UPDATE interactions SET answered_at = ?, outcome = 'answered'
     WHERE id = ? AND state = 'completed' AND outcome = 'abandoned' AND answered_at IS NULL
       AND agent_id = ? AND ended_at >= ?`,
  );
  const answeredAfter = db.prepare<[number, string], { answered_at: string }>(
    "SELECT answered_at FROM interactions WHERE id = ? AND state = 'connected' AND answered_at > ?",
  );
  const unanswer = db.prepare<[number]>(
    "UPDATE interactions SET answered_at = NULL, state = 'offered' WHERE id = ?",
  );
  const completedListeners = new Set<(interactionId: number, customerId: number | null) => void>();

  return {
    ...createInteractionAccessRepository(db),
    ...createInteractionReadsRepository(db),
    ...calls,
    facts: live.get,

    setProviderCall(id: number, providerCallId: string): boolean {
      live.forget(id);
      return calls.setProviderCall(id, providerCallId);
    },

    forgetProviderCall(id: number): void {
      live.forget(id);
      calls.forgetProviderCall(id);
    },

    /**
     * Moves the interaction through its state machine and appends the event to its timeline, in one
     * transaction. An illegal event throws IllegalInteractionTransition and changes nothing.
     */
    apply(id: number, event: MachineEvent, at: string, reason?: string): InteractionSummary['state'] {
      live.assertLegal(id, event.type);
      let customerId: number | null = null;
      // Memory may only hold what is committed: a rolled-back transition, or one inside a caller's
      // transaction that may still roll back, is read again from SQLite next time.
      const nested = db.inTransaction;
      const transition = db.transaction(() => {
        const now = live.transition(id, event, at);
        const { type, ...data } = event;
        const agentId = 'agentId' in event ? event.agentId : null;
        timeline.append(id, at, type, agentId, reason ? { ...data, reason } : data);
        if (now.state === 'completed') rollUpInteraction(db, id);
        customerId = now.customerId;
        return now.state;
      });
      let to: InteractionSummary['state'];
      try {
        to = transition();
      } catch (error) {
        live.forget(id);
        throw error;
      }
      if (nested) live.forget(id);
      // After the commit: a listener reads what this close wrote, and its failure cannot undo it.
      if (to === 'completed') for (const listener of completedListeners) listener(id, customerId);
      return to;
    },

    /**
     * Calls `listener` after each interaction is completed, and when a completed one is linked to a
     * customer (the lifecycle re-evaluates its customer). It runs on the call path, synchronously:
     * it must be quick and must not throw.
     */
    onCompleted(listener: (interactionId: number, customerId: number | null) => void): void {
      completedListeners.add(listener);
    },

    /** Facts learned during the call that are not state changes: who the caller is, IVR answers, hold time, recording. */
    annotate(
      id: number,
      facts: {
        customerId?: number;
        ivrAnswers?: Record<string, unknown>;
        addHeldSeconds?: number;
        recordingRef?: string;
        /** The IVR's walk so far: its flow, the nodes entered in order, the outcome kind once it ended. */
        ivr?: { flowId: string; path: readonly string[]; end: string | null };
        handoff?: BotHandoff;
      },
    ): void {
      // The customer's name comes with their id: read again. The other facts are patched in memory.
      if (facts.customerId !== undefined) live.forget(id);
      else
        live.patch(id, (current) => ({
          ...(facts.ivrAnswers !== undefined && { ivrAnswers: facts.ivrAnswers }),
          ...(facts.addHeldSeconds && {
            heldSeconds: current.heldSeconds + Math.max(0, Math.round(facts.addHeldSeconds)),
          }),
          ...(facts.handoff !== undefined && { handoff: facts.handoff }),
          ...(facts.recordingRef !== undefined && { recordingRef: facts.recordingRef }),
        }));
      if (facts.customerId !== undefined) annotations.customerId.run(facts.customerId, id);
      if (facts.ivrAnswers !== undefined) annotations.ivrAnswers.run(JSON.stringify(facts.ivrAnswers), id);
      if (facts.ivr !== undefined) {
        const { flowId, path, end } = facts.ivr;
        annotations.ivr.run(flowId, JSON.stringify(path), end, id);
      }
      if (facts.addHeldSeconds) {
        annotations.addHeldSeconds.run(Math.max(0, Math.round(facts.addHeldSeconds)), id);
      }
      if (facts.handoff !== undefined) annotations.handoff.run(JSON.stringify(facts.handoff), id);
      if (facts.recordingRef !== undefined) annotations.recordingRef.run(facts.recordingRef, id);
      if (facts.customerId !== undefined || facts.addHeldSeconds) rollUpInteraction(db, id);
      // A caller named after their call was completed: their history just gained it.
      if (facts.customerId !== undefined && live.get(id)?.state === 'completed') {
        for (const listener of completedListeners) listener(id, facts.customerId);
      }
    },

    /** A timeline entry that is not a state change (hold, resume, recording, IVR steps). */
    note(
      id: number,
      type: InteractionEventType,
      at: string,
      agentId: number | null,
      data: Record<string, unknown> = {},
    ): void {
      timeline.append(id, at, type, agentId, data);
    },

    /**
     * The agent's phone answered, but the provider told us after the caller's hang-up, which had
     * already closed the call as abandoned. Corrects the outcome and says so on the timeline.
     */
    reconcileLateAnswer(id: number, answeredAt: string, agentId: number): boolean {
      live.forget(id);
      return db.transaction(() => {
        const changed = lateAnswer.run(answeredAt, id, agentId, answeredAt).changes;
        if (changed) timeline.append(id, answeredAt, 'answered', agentId, { agentId, late: true });
        if (changed) rollUpInteraction(db, id);
        return changed > 0;
      })();
    },

    /**
     * The Agent's answer came after the caller had left the bridge: they never talked. Takes the
     * answer back so the caller's end closes the call as unanswered; the timeline keeps both.
     */
    withdrawAnswer(id: number, callerEndedAt: string, agentId: number | null): boolean {
      live.forget(id);
      return db.transaction(() => {
        const answered = answeredAfter.get(id, callerEndedAt);
        if (!answered) return false;
        unanswer.run(id);
        timeline.append(id, callerEndedAt, 'answer_withdrawn', agentId, { answeredAt: answered.answered_at });
        return true;
      })();
    },
  };
}

export type InteractionsRepository = ReturnType<typeof createInteractionsRepository>;
