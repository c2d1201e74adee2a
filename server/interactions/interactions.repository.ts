import type { Db } from '../../db/connection.js';
import { rollUpInteraction } from '../reports/index.js';
import { createInteractionAccessRepository } from './interaction-access.repository.js';
import {
  nextInteractionState,
  outcomeOfEnd,
  type InteractionEvent as MachineEvent,
} from './interaction.machine.js';
import type {
  InteractionDetail,
  InteractionEvent,
  InteractionListQuery,
  InteractionSummary,
} from './interactions.schemas.js';

interface SummaryRow {
  id: number;
  direction: InteractionSummary['direction'];
  channel: 'voice';
  provider: InteractionSummary['provider'];
  state: InteractionSummary['state'];
  customer_id: number | null;
  customer_name: string | null;
  caller_number: string | null;
  queue_id: number | null;
  queue_name: string | null;
  agent_id: number | null;
  agent_name: string | null;
  arrived_at: string;
  queued_at: string | null;
  answered_at: string | null;
  ended_at: string | null;
  held_seconds: number;
  outcome: InteractionSummary['outcome'];
  wrap_up_code_id: number | null;
  wrap_up_code: string | null;
  wrap_up_label: string | null;
  notes: string | null;
  parent_interaction_id: number | null;
  origin: InteractionSummary['origin'];
}

interface DetailRow extends SummaryRow {
  provider_call_id: string | null;
  ivr_left_at: string | null;
  offered_at: string | null;
  wrap_up_ended_at: string | null;
  ivr_answers: string;
  recording_ref: string | null;
}

const SELECT = `SELECT i.*, c.name AS customer_name, q.name AS queue_name, a.display_name AS agent_name,
    w.code AS wrap_up_code, w.label AS wrap_up_label
  FROM interactions i
  LEFT JOIN customers c ON c.id = i.customer_id
  LEFT JOIN call_queues q ON q.id = i.queue_id
  LEFT JOIN agents a ON a.id = i.agent_id
  LEFT JOIN wrap_up_codes w ON w.id = i.wrap_up_code_id`;

const seconds = (from: string | null, to: string | null) =>
  from && to ? Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000)) : null;

function toSummary(row: SummaryRow): InteractionSummary {
  return {
    id: row.id,
    direction: row.direction,
    channel: row.channel,
    provider: row.provider,
    state: row.state,
    customerId: row.customer_id,
    customerName: row.customer_name,
    callerNumber: row.caller_number,
    queueId: row.queue_id,
    queueName: row.queue_name,
    agentId: row.agent_id,
    agentName: row.agent_name,
    arrivedAt: row.arrived_at,
    answeredAt: row.answered_at,
    endedAt: row.ended_at,
    waitSeconds: seconds(row.queued_at, row.answered_at ?? row.ended_at),
    talkSeconds: seconds(row.answered_at, row.ended_at),
    heldSeconds: row.held_seconds,
    outcome: row.outcome,
    wrapUpCode:
      row.wrap_up_code_id !== null && row.wrap_up_code !== null && row.wrap_up_label !== null
        ? { id: row.wrap_up_code_id, code: row.wrap_up_code, label: row.wrap_up_label }
        : null,
    notes: row.notes,
    parentInteractionId: row.parent_interaction_id,
    origin: row.origin,
  };
}

export type InteractionFilter = Omit<InteractionListQuery, 'limit' | 'offset'>;

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

/** Columns each event sets besides `state`; the first time wins for timestamps a retry could repeat. */
function columnsFor(
  event: MachineEvent,
  from: InteractionSummary['state'],
  at: string,
): Record<string, unknown> {
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

const KEEP_FIRST = new Set(['ivr_left_at', 'queued_at']);

export function createInteractionsRepository(db: Db) {
  const statements = {
    detail: db.prepare<[number], DetailRow>(`${SELECT} WHERE i.id = ?`),
    events: db.prepare<
      [number],
      { id: number; at: string; type: string; agent_name: string | null; data: string }
    >(
      `SELECT e.id, e.at, e.type, a.display_name AS agent_name, e.data
       FROM interaction_events e LEFT JOIN agents a ON a.id = e.agent_id
       WHERE e.interaction_id = ? ORDER BY e.at, e.id`,
    ),
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
         caller_number, customer_id, arrived_at, ivr_answers)
       SELECT ?, ?, ?, ?, ?, ?, ?, ?, ivr_answers FROM interactions WHERE id = ? RETURNING id`,
    ),
    state: db.prepare<[number], { state: InteractionSummary['state'] }>(
      'SELECT state FROM interactions WHERE id = ?',
    ),
    appendEvent: db.prepare(
      'INSERT INTO interaction_events (interaction_id, at, type, agent_id, data) VALUES (?, ?, ?, ?, ?)',
    ),
    recentForCustomer: db.prepare<[number, number], SummaryRow>(
      `${SELECT} WHERE i.customer_id = ? ORDER BY i.arrived_at DESC, i.id DESC LIMIT ?`,
    ),
  };

  return {
    ...createInteractionAccessRepository(db),

    /** Newest first. `total` counts every match, not just this page. */
    list(
      filter: InteractionFilter,
      limit: number,
      offset: number,
    ): { items: InteractionSummary[]; total: number } {
      const where: string[] = [];
      const params: (string | number)[] = [];
      const add = (clause: string, value: string | number | undefined) => {
        if (value === undefined) return;
        where.push(clause);
        params.push(value);
      };
      add('i.customer_id = ?', filter.customerId);
      add('i.agent_id = ?', filter.agentId);
      add('i.queue_id = ?', filter.queueId);
      add('i.outcome = ?', filter.outcome);
      add('i.arrived_at >= ?', filter.from && new Date(filter.from).toISOString());
      add('i.arrived_at < ?', filter.to && new Date(filter.to).toISOString());
      const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const total = db
        .prepare<(string | number)[], { n: number }>(`SELECT count(*) AS n FROM interactions i ${whereSql}`)
        .get(...params)!.n;
      const items = db
        .prepare<(string | number)[], SummaryRow>(
          `${SELECT} ${whereSql} ORDER BY i.arrived_at DESC, i.id DESC LIMIT ? OFFSET ?`,
        )
        .all(...params, limit, offset)
        .map(toSummary);
      return { items, total };
    },

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
          statements.appendEvent.run(
            inserted.id,
            call.arrivedAt,
            'arrived',
            null,
            JSON.stringify({ provider: call.provider }),
          );
          return { id: inserted.id, created: true };
        }
        return { id: statements.byProviderCall.get(call.provider, call.providerCallId)!.id, created: false };
      })();
    },

    /**
     * Moves the interaction through its state machine and appends the event to its timeline, in one
     * transaction. An illegal event throws IllegalInteractionTransition and changes nothing.
     */
    apply(id: number, event: MachineEvent, at: string, reason?: string): InteractionSummary['state'] {
      return db.transaction(() => {
        const current = statements.state.get(id);
        if (!current) throw new Error(`Interaction ${id} does not exist`);
        const to = nextInteractionState(current.state, event.type);
        const columns = { ...columnsFor(event, current.state, at), state: to };
        const assignments = Object.keys(columns).map((column) =>
          KEEP_FIRST.has(column) ? `${column} = coalesce(${column}, @${column})` : `${column} = @${column}`,
        );
        db.prepare(`UPDATE interactions SET ${assignments.join(', ')} WHERE id = @id`).run({
          ...columns,
          id,
        });
        const { type, ...data } = event;
        const agentId = 'agentId' in event ? event.agentId : null;
        statements.appendEvent.run(
          id,
          at,
          type,
          agentId,
          JSON.stringify(reason ? { ...data, reason } : data),
        );
        if (to === 'completed') rollUpInteraction(db, id);
        return to;
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
        statements.appendEvent.run(
          inserted.id,
          call.arrivedAt,
          'arrived',
          null,
          JSON.stringify({
            provider: call.provider,
            origin: call.origin,
            parentInteractionId: call.parentId,
          }),
        );
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
        statements.appendEvent.run(
          id,
          call.at,
          'dialled_by_agent',
          call.agentId,
          JSON.stringify({ provider: call.provider, number: call.number }),
        );
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

    /** Facts learned during the call that are not state changes: who the caller is, IVR answers, hold time, recording. */
    annotate(
      id: number,
      facts: {
        customerId?: number;
        ivrAnswers?: Record<string, unknown>;
        addHeldSeconds?: number;
        recordingRef?: string;
      },
    ): void {
      if (facts.customerId !== undefined) {
        db.prepare('UPDATE interactions SET customer_id = ? WHERE id = ?').run(facts.customerId, id);
      }
      if (facts.ivrAnswers !== undefined) {
        db.prepare('UPDATE interactions SET ivr_answers = ? WHERE id = ?').run(
          JSON.stringify(facts.ivrAnswers),
          id,
        );
      }
      if (facts.addHeldSeconds) {
        db.prepare('UPDATE interactions SET held_seconds = held_seconds + ? WHERE id = ?').run(
          Math.max(0, Math.round(facts.addHeldSeconds)),
          id,
        );
      }
      if (facts.recordingRef !== undefined) {
        db.prepare('UPDATE interactions SET recording_ref = ? WHERE id = ?').run(facts.recordingRef, id);
      }
      if (facts.customerId !== undefined || facts.addHeldSeconds) rollUpInteraction(db, id);
    },

    /** A timeline entry that is not a state change (hold, resume, recording, IVR steps). */
    note(
      id: number,
      type: string,
      at: string,
      agentId: number | null,
      data: Record<string, unknown> = {},
    ): void {
      statements.appendEvent.run(id, at, type, agentId, JSON.stringify(data));
    },

    /**
     * The agent's phone answered, but the provider told us after the caller's hang-up, which had
     * already closed the call as abandoned. Corrects the outcome and says so on the timeline.
     */
    reconcileLateAnswer(id: number, answeredAt: string, agentId: number): boolean {
      return db.transaction(() => {
        const changed = db
          .prepare(
            `UPDATE interactions SET answered_at = ?, outcome = 'answered'
             WHERE id = ? AND state = 'completed' AND outcome = 'abandoned' AND answered_at IS NULL
               AND agent_id = ? AND ended_at >= ?`,
          )
          .run(answeredAt, id, agentId, answeredAt).changes;
        if (changed)
          statements.appendEvent.run(
            id,
            answeredAt,
            'answered',
            agentId,
            JSON.stringify({ agentId, late: true }),
          );
        if (changed) rollUpInteraction(db, id);
        return changed > 0;
      })();
    },

    /**
     * The Agent's answer came after the caller had left the bridge: they never talked. Takes the
     * answer back so the caller's end closes the call as unanswered; the timeline keeps both.
     */
    withdrawAnswer(id: number, callerEndedAt: string, agentId: number | null): boolean {
      return db.transaction(() => {
        const answered = db
          .prepare<[number, string], { answered_at: string }>(
            "SELECT answered_at FROM interactions WHERE id = ? AND state = 'connected' AND answered_at > ?",
          )
          .get(id, callerEndedAt);
        if (!answered) return false;
        db.prepare("UPDATE interactions SET answered_at = NULL, state = 'offered' WHERE id = ?").run(id);
        statements.appendEvent.run(
          id,
          callerEndedAt,
          'answer_withdrawn',
          agentId,
          JSON.stringify({ answeredAt: answered.answered_at }),
        );
        return true;
      })();
    },

    /** Mean seconds from answer to the end of wrap-up of a queue's calls since `since`; null without any. */
    averageHandleSeconds(queueId: number, since: string): number | null {
      const row = db
        .prepare<[number, string], { seconds: number | null }>(
          `SELECT avg((julianday(coalesce(wrap_up_ended_at, ended_at)) - julianday(answered_at)) * 86400) AS seconds
           FROM interactions WHERE queue_id = ? AND arrived_at >= ? AND answered_at IS NOT NULL AND ended_at IS NOT NULL`,
        )
        .get(queueId, since);
      return row?.seconds == null ? null : Math.round(row.seconds);
    },

    /** The interaction an agent is wrapping up, if any. */
    inWrapUpFor: (agentId: number) =>
      (
        db
          .prepare<[number], { id: number }>(
            "SELECT id FROM interactions WHERE agent_id = ? AND state = 'wrap_up' ORDER BY id DESC LIMIT 1",
          )
          .get(agentId) ?? null
      )?.id ?? null,

    recentForCustomer: (customerId: number, limit: number) =>
      statements.recentForCustomer.all(customerId, limit).map(toSummary),

    /**
     * Calls of `provider` not ended here that the ACD does not hold: callers in the IVR, and those
     * a queue sent on to voicemail or a callback offer. Their end comes by callback only.
     */
    outsideQueues: (provider: string) =>
      db
        .prepare<[string], { id: number }>(
          `SELECT id FROM interactions
           WHERE provider = ? AND state IN ('ivr', 'queued') AND provider_call_id IS NOT NULL`,
        )
        .all(provider)
        .map((row) => row.id),

    get(id: number): InteractionDetail | null {
      const row = statements.detail.get(id);
      if (!row) return null;
      const events: InteractionEvent[] = statements.events.all(id).map((event) => ({
        id: event.id,
        at: event.at,
        type: event.type,
        agentName: event.agent_name,
        data: JSON.parse(event.data) as Record<string, unknown>,
      }));
      return {
        ...toSummary(row),
        providerCallId: row.provider_call_id,
        ivrLeftAt: row.ivr_left_at,
        queuedAt: row.queued_at,
        offeredAt: row.offered_at,
        wrapUpEndedAt: row.wrap_up_ended_at,
        ivrAnswers: JSON.parse(row.ivr_answers) as Record<string, unknown>,
        recordingRef: row.recording_ref,
        events,
      };
    },
  };
}

export type InteractionsRepository = ReturnType<typeof createInteractionsRepository>;
