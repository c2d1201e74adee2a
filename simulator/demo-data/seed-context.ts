import type { InteractionOutcome } from '../../contracts/glossary.js';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../../db/connection.js';
import type { ArrivalCurve } from './arrival-curve.js';
import type { EmailFactory, PhoneFactory } from './people.js';
import type { Random } from './random.js';
import type { QueueSpec } from './staff.js';
import type { Code, SkillName, Stage, Tier } from './vocabulary.js';

export interface SeededCustomer {
  id: number;
  tier: Tier;
  stage: Stage;
  language: string;
  phones: string[];
  createdAt: number;
  erasedAt: number | null;
  accountNumber: string | null;
}

export interface SeededAgent {
  id: number;
  skills: Partial<Record<SkillName, number>>;
  languages: readonly string[];
  busyUntil: number;
}

export interface SeededCode extends Code {
  id: number;
}

export interface SeededQueue {
  id: number;
  spec: QueueSpec;
  agents: SeededAgent[];
  codes: SeededCode[];
  curve: ArrivalCurve;
}

export interface PlannedCall {
  at: number;
  load: number;
  queue: SeededQueue;
  customer: SeededCustomer | null;
}

/** The demo's calls never fail. */
export type DemoOutcome = Exclude<InteractionOutcome, 'failed'>;

/** What every generator shares: the settings, the one PRNG (the order of draws makes the data), the prepared inserts. */
export interface SeedContext {
  random: Random;
  phones: PhoneFactory;
  emails: EmailFactory;
  sql: ReturnType<typeof prepareStatements>;
  /** Runs an INSERT and answers the new row's id. */
  insert: (statement: Statement<unknown[]>, ...params: unknown[]) => number;
  summary: DemoDataSummary;
  /** End of the history, in ms. */
  now: number;
  days: number;
  customerCount: number;
  interactionsPerDay: number;
  passwordHash: string;
}

export interface DemoDataSummary {
  customers: number;
  phones: number;
  emails: number;
  agents: number;
  queues: number;
  interactions: number;
  events: number;
  followUps: number;
}

export function prepareStatements(db: Db) {
  return {
    skill: db.prepare('INSERT INTO skills (name) VALUES (?)'),
    codeSet: db.prepare('INSERT INTO wrap_up_code_sets (name) VALUES (?)'),
    code: db.prepare(
      'INSERT INTO wrap_up_codes (set_id, code, label, action, action_lifecycle_stage) VALUES (?, ?, ?, ?, ?)',
    ),
    queue: db.prepare(
      `INSERT INTO call_queues (name, time_zone, priority, priority_rules, strategy, sl_target_seconds,
       sl_target_percent, max_wait_seconds, max_wait_action, overflow_after_seconds, overflow_queue_id,
       acw_policy, acw_seconds, wrap_up_code_set_id, recording_policy, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    queueSkill: db.prepare('INSERT INTO queue_skills (queue_id, skill_id, min_proficiency) VALUES (?, ?, ?)'),
    agent: db.prepare(
      `INSERT INTO agents (username, display_name, role, password_hash, sip_address, phone_number, audio_target,
       ui_language, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    agentSkill: db.prepare('INSERT INTO agent_skills (agent_id, skill_id, proficiency) VALUES (?, ?, ?)'),
    agentLanguage: db.prepare('INSERT INTO agent_languages (agent_id, language) VALUES (?, ?)'),
    customer: db.prepare(
      `INSERT INTO customers (name, company, tier, lifecycle_stage, language, tags, attributes, do_not_call,
       created_at, updated_at, erased_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    phone: db.prepare(
      'INSERT INTO customer_phones (customer_id, e164, label, created_at) VALUES (?, ?, ?, ?)',
    ),
    email: db.prepare(
      'INSERT INTO customer_emails (customer_id, email, label, created_at) VALUES (?, ?, ?, ?)',
    ),
    interaction: db.prepare(
      `INSERT INTO interactions (direction, channel, provider, provider_call_id, customer_id, caller_number,
       queue_id, agent_id, state, arrived_at, ivr_left_at, queued_at, offered_at, answered_at, held_seconds,
       ended_at, wrap_up_ended_at, outcome, wrap_up_code_id, notes, ivr_answers)
     VALUES ('inbound', 'voice', 'demo', ?, ?, ?, ?, ?, 'completed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    event: db.prepare(
      'INSERT INTO interaction_events (interaction_id, at, type, agent_id, data) VALUES (?, ?, ?, ?, ?)',
    ),
    followUp: db.prepare(
      `INSERT INTO follow_ups (kind, customer_id, interaction_id, queue_id, owner_agent_id, owner_queue_id, due_at,
       status, note, source, created_at, completed_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'wrap_up', ?, ?, ?)`,
    ),
    doNotCall: db.prepare(
      'UPDATE customers SET do_not_call = 1, updated_at = max(updated_at, ?) WHERE id = ?',
    ),
    valueEvent: db.prepare(
      `INSERT INTO customer_value_events (customer_id, reference, amount, currency, occurred_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    meta: db.prepare(
      'INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
  };
}
