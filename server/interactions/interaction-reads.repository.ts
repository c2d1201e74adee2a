import type { Statement } from 'better-sqlite3';
import type { Db } from '../../db/connection.js';
import type {
  BotHandoff,
  InteractionDetail,
  InteractionEvent,
  InteractionFacts,
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

export interface DetailRow extends SummaryRow {
  provider_call_id: string | null;
  ivr_left_at: string | null;
  offered_at: string | null;
  wrap_up_ended_at: string | null;
  ivr_answers: string;
  recording_ref: string | null;
  handoff_context: string | null;
}

/** An Interaction with the names its ids refer to; `i` is the interactions table. */
export const SELECT = `SELECT i.*, c.name AS customer_name, q.name AS queue_name, a.display_name AS agent_name,
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

export function factsOf(row: DetailRow): InteractionFacts {
  return {
    ...toSummary(row),
    providerCallId: row.provider_call_id,
    ivrLeftAt: row.ivr_left_at,
    queuedAt: row.queued_at,
    offeredAt: row.offered_at,
    wrapUpEndedAt: row.wrap_up_ended_at,
    ivrAnswers: JSON.parse(row.ivr_answers) as Record<string, unknown>,
    recordingRef: row.recording_ref,
    handoff: row.handoff_context === null ? null : (JSON.parse(row.handoff_context) as BotHandoff),
  };
}

export type InteractionFilter = Omit<InteractionListQuery, 'limit' | 'offset'>;

interface NameRow {
  id: number;
  name: string;
}

/** Event data fields that hold an Agent's id. */
const AGENT_ID_FIELDS = ['agentId', 'toAgentId'];

/** The integer ids the events' data holds under any of `fields`. */
function idsIn(events: readonly InteractionEvent[], fields: readonly string[]): number[] {
  const ids = new Set<number>();
  for (const event of events) {
    for (const field of fields) {
      const value = event.data[field];
      if (Number.isInteger(value)) ids.add(value as number);
    }
  }
  return [...ids];
}

function namesOf(statement: Statement<[string], NameRow>, ids: number[]): Record<string, string> {
  if (ids.length === 0) return {};
  return Object.fromEntries(statement.all(JSON.stringify(ids)).map((row) => [String(row.id), row.name]));
}

/** Lists, details and figures read from Interactions; nothing here writes. */
export function createInteractionReadsRepository(db: Db) {
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
    agentNames: db.prepare<[string], NameRow>(
      'SELECT a.id, a.display_name AS name FROM agents a WHERE a.id IN (SELECT value FROM json_each(?))',
    ),
    queueNames: db.prepare<[string], NameRow>(
      'SELECT q.id, q.name FROM call_queues q WHERE q.id IN (SELECT value FROM json_each(?))',
    ),
    wrapUpCodeNames: db.prepare<[string], NameRow>(
      'SELECT w.id, w.label AS name FROM wrap_up_codes w WHERE w.id IN (SELECT value FROM json_each(?))',
    ),
    inWrapUpFor: db.prepare<[number], { id: number }>(
      "SELECT id FROM interactions WHERE agent_id = ? AND state = 'wrap_up' ORDER BY id DESC LIMIT 1",
    ),
    averageHandleSeconds: db.prepare<[number, string], { seconds: number | null }>(
      `SELECT avg((julianday(coalesce(wrap_up_ended_at, ended_at)) - julianday(answered_at)) * 86400) AS seconds
       FROM interactions WHERE queue_id = ? AND arrived_at >= ? AND answered_at IS NOT NULL AND ended_at IS NOT NULL`,
    ),
    outsideQueues: db.prepare<[string], { id: number }>(
      `SELECT id FROM interactions
       WHERE provider = ? AND state IN ('ivr', 'queued') AND provider_call_id IS NOT NULL`,
    ),
    recentForCustomer: db.prepare<[number, number], SummaryRow>(
      `${SELECT} WHERE i.customer_id = ? ORDER BY i.arrived_at DESC, i.id DESC LIMIT ?`,
    ),
  };

  return {
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

    /** Mean seconds from answer to the end of wrap-up of a queue's calls since `since`; null without any. */
    averageHandleSeconds(queueId: number, since: string): number | null {
      const row = statements.averageHandleSeconds.get(queueId, since);
      return row?.seconds == null ? null : Math.round(row.seconds);
    },

    /** The interaction an agent is wrapping up, if any. */
    inWrapUpFor: (agentId: number) => statements.inWrapUpFor.get(agentId)?.id ?? null,

    recentForCustomer: (customerId: number, limit: number) =>
      statements.recentForCustomer.all(customerId, limit).map(toSummary),

    /**
     * Calls of `provider` not ended here that the ACD does not hold: callers in the IVR, and those
     * a queue sent on to voicemail or a callback offer. Their end comes by callback only.
     */
    outsideQueues: (provider: string) => statements.outsideQueues.all(provider).map((row) => row.id),

    /** An Interaction's own facts, without its timeline: what the call path reads. */
    facts(id: number): InteractionFacts | null {
      const row = statements.detail.get(id);
      return row ? factsOf(row) : null;
    },

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
        ...factsOf(row),
        events,
        names: {
          agents: namesOf(statements.agentNames, idsIn(events, AGENT_ID_FIELDS)),
          queues: namesOf(statements.queueNames, idsIn(events, ['queueId'])),
          wrapUpCodes: namesOf(statements.wrapUpCodeNames, idsIn(events, ['wrapUpCodeId'])),
        },
      };
    },
  };
}
