import type { Db } from '../../db/connection.js';
import { hashPassword } from '../auth/index.js';
import type { Role } from '../auth/auth.schemas.js';

/** Small builders for test data: each test makes exactly the rows it talks about. */

const NOW = '2026-11-22T10:00:00.000Z';
let passwordHashOfTest: Promise<string> | undefined;

export async function makeAgent(
  db: Db,
  fields: { username: string; role?: Role; password?: string; displayName?: string },
) {
  const hash =
    fields.password === undefined
      ? await (passwordHashOfTest ??= hashPassword('test-password'))
      : await hashPassword(fields.password);
  const result = db
    .prepare(
      `INSERT INTO agents (username, display_name, role, password_hash, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    )
    .run(fields.username, fields.displayName ?? fields.username, fields.role ?? 'agent', hash, NOW, NOW);
  return Number(result.lastInsertRowid);
}

export function makeCustomer(
  db: Db,
  fields: {
    name: string;
    company?: string;
    tier?: string;
    phones?: string[];
    emails?: string[];
    erased?: boolean;
  },
) {
  const id = Number(
    db
      .prepare(
        `INSERT INTO customers (name, company, tier, created_at, updated_at, erased_at) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(fields.name, fields.company ?? null, fields.tier ?? 'bronze', NOW, NOW, fields.erased ? NOW : null)
      .lastInsertRowid,
  );
  for (const e164 of fields.phones ?? []) {
    db.prepare('INSERT INTO customer_phones (customer_id, e164, created_at) VALUES (?, ?, ?)').run(
      id,
      e164,
      NOW,
    );
  }
  for (const email of fields.emails ?? []) {
    db.prepare('INSERT INTO customer_emails (customer_id, email, created_at) VALUES (?, ?, ?)').run(
      id,
      email,
      NOW,
    );
  }
  return id;
}

export function makeQueue(db: Db, name: string) {
  return Number(
    db.prepare('INSERT INTO call_queues (name, created_at, updated_at) VALUES (?, ?, ?)').run(name, NOW, NOW)
      .lastInsertRowid,
  );
}

export function makeInteraction(
  db: Db,
  fields: {
    customerId: number | null;
    arrivedAt: string;
    queueId?: number;
    agentId?: number;
    outcome?: string;
    notes?: string;
    callerNumber?: string;
    recordingRef?: string;
    /** A transfer: the Interaction this one continues. */
    transferredFrom?: number;
    events?: { type: string; at: string; agentId?: number; data?: Record<string, unknown> }[];
  },
) {
  const id = Number(
    db
      .prepare(
        `INSERT INTO interactions (direction, provider, customer_id, queue_id, agent_id, state, arrived_at, queued_at,
                                   answered_at, ended_at, outcome, notes, caller_number, recording_ref,
                                   parent_interaction_id, origin)
         VALUES ('inbound', 'demo', ?, ?, ?, 'completed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        fields.customerId,
        fields.queueId ?? null,
        fields.agentId ?? null,
        fields.arrivedAt,
        fields.arrivedAt,
        fields.outcome === 'answered' ? fields.arrivedAt : null,
        fields.arrivedAt,
        fields.outcome ?? 'answered',
        fields.notes ?? null,
        fields.callerNumber ?? null,
        fields.recordingRef ?? null,
        fields.transferredFrom ?? null,
        fields.transferredFrom === undefined ? null : 'transfer',
      ).lastInsertRowid,
  );
  for (const event of fields.events ?? []) {
    db.prepare(
      'INSERT INTO interaction_events (interaction_id, at, type, agent_id, data) VALUES (?, ?, ?, ?, ?)',
    ).run(id, event.at, event.type, event.agentId ?? null, JSON.stringify(event.data ?? {}));
  }
  return id;
}
