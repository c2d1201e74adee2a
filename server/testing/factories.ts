import type { Db } from '../../db/connection.js';
import { createAgentsRepository } from '../agents/index.js';
import type { Agent } from '../agents/agents.schemas.js';
import { hashPassword } from '../auth/index.js';
import type { Role } from '../auth/auth.schemas.js';
import { createCallQueuesRepository } from '../call-queues/index.js';
import type { CallQueue, WrapUpCode } from '../call-queues/call-queues.schemas.js';
import { createCustomersRepository } from '../customers/index.js';
import type { FollowUp, LifecycleStage, Tier } from '../customers/customers.schemas.js';

/**
 * Small builders for test data: each test makes exactly the rows it talks about, through the
 * repositories the app itself writes with, so a test never spells a column name.
 */

const NOW = '2026-11-22T10:00:00.000Z';

/** A looked-up id, or a failure naming what the test expected to exist. */
function found(id: number | null, what: string): number {
  if (id === null) throw new Error(`no ${what}`);
  return id;
}
let passwordHashOfTest: Promise<string> | undefined;

/** An Agent signing in with `test-password` unless told; `skills` maps a skill name to its proficiency (1–5). */
export async function makeAgent(
  db: Db,
  fields: {
    username: string;
    role?: Role;
    password?: string;
    displayName?: string;
    sipAddress?: string;
    phoneNumber?: string;
    audioTarget?: Agent['audioTarget'];
    autoAccept?: boolean;
    active?: boolean;
    skills?: Record<string, number>;
    languages?: string[];
  },
) {
  const passwordHash =
    fields.password === undefined
      ? await (passwordHashOfTest ??= hashPassword('test-password'))
      : await hashPassword(fields.password);
  return createAgentsRepository(db).create(
    {
      username: fields.username,
      displayName: fields.displayName ?? fields.username,
      role: fields.role ?? 'agent',
      passwordHash,
      sipAddress: fields.sipAddress ?? null,
      phoneNumber: fields.phoneNumber ?? null,
      audioTarget: fields.audioTarget ?? 'sip',
      autoAccept: fields.autoAccept ?? false,
      uiLanguage: 'en',
      active: fields.active ?? true,
      skills: Object.entries(fields.skills ?? {}).map(([skill, proficiency]) => ({ skill, proficiency })),
      languages: fields.languages ?? [],
    },
    NOW,
  );
}

/** Changes an Agent made earlier, e.g. after the app started. */
export function setAgent(
  db: Db,
  id: number,
  fields: Partial<Pick<Agent, 'sipAddress' | 'phoneNumber' | 'audioTarget' | 'autoAccept' | 'active'>>,
) {
  createAgentsRepository(db).update(id, fields, {}, NOW);
}

export function agentIdOf(db: Db, username: string): number {
  return found(createAgentsRepository(db).idByUsername(username), `agent ${username}`);
}

export function makeCustomer(
  db: Db,
  fields: {
    name: string;
    company?: string;
    tier?: Tier;
    lifecycleStage?: LifecycleStage;
    attributes?: Record<string, unknown>;
    phones?: string[];
    emails?: string[];
    doNotCall?: boolean;
    /** Erased under the right to erasure: the row stays, its data does not. */
    erased?: boolean;
  },
) {
  const customers = createCustomersRepository(db);
  const id = customers.create(
    {
      name: fields.name,
      company: fields.company ?? null,
      tier: fields.tier ?? 'bronze',
      lifecycleStage: fields.lifecycleStage ?? 'new',
      language: 'en-US',
      tags: [],
      attributes: fields.attributes ?? {},
      phones: (fields.phones ?? []).map((e164) => ({ e164, label: 'mobile' })),
      emails: (fields.emails ?? []).map((email) => ({ email, label: 'work' })),
    },
    NOW,
  );
  if (fields.doNotCall) customers.update(id, { doNotCall: true }, NOW);
  if (fields.erased) {
    // Marked only: a test of what reads erased customers needs no erasure run (server/customer-data).
    db.prepare('UPDATE customers SET erased_at = ? WHERE id = ?').run(NOW, id);
    customers.reindexAll();
  }
  return id;
}

/** Changes a Customer made earlier, e.g. after the app started. */
export function setCustomer(
  db: Db,
  id: number,
  fields: { doNotCall?: boolean; lifecycleStage?: LifecycleStage },
) {
  createCustomersRepository(db).update(id, fields, NOW);
}

/** A callback or task on a Customer, open and due when told (by default a day after the test's clock). */
export function makeFollowUp(
  db: Db,
  fields: {
    customerId: number;
    kind?: FollowUp['kind'];
    dueAt?: string;
    note?: string;
    interactionId?: number;
    queueId?: number;
    ownerAgentId?: number;
    createdAt?: string;
  },
) {
  const queueId = fields.queueId ?? null;
  const ownerAgentId = fields.ownerAgentId ?? null;
  const interactionId = fields.interactionId ?? null;
  return createCustomersRepository(db).createFollowUp(
    {
      kind: fields.kind ?? 'callback',
      customerId: fields.customerId,
      interactionId,
      queueId,
      ownerAgentId,
      ownerQueueId: ownerAgentId === null ? queueId : null,
      dueAt: fields.dueAt ?? '2026-11-23T10:00:00.000Z',
      note: fields.note ?? null,
      source: interactionId === null ? 'manual' : 'wrap_up',
      sourceKey: null,
    },
    fields.createdAt ?? NOW,
  ).id;
}

type QueueSettings = Partial<Omit<CallQueue, 'id' | 'name' | 'skills'>> & {
  /** Skill name → the least proficiency (1–5) an Agent needs for this queue. */
  skills?: Record<string, number>;
};

const queueFields = ({ skills, ...fields }: QueueSettings) => ({
  ...fields,
  ...(skills && {
    skills: Object.entries(skills).map(([skill, minProficiency]) => ({ skill, minProficiency })),
  }),
});

/** A call queue with the schema's defaults unless told: any policy, its skills, its wrap-up code set. */
export function makeQueue(db: Db, name: string, settings: QueueSettings = {}) {
  return createCallQueuesRepository(db).create({ name, ...queueFields(settings) }, NOW);
}

/** Changes a queue made earlier (by id or name), e.g. a policy a single test needs. */
export function setQueue(db: Db, queue: number | string, settings: QueueSettings) {
  const queues = createCallQueuesRepository(db);
  const id = typeof queue === 'number' ? queue : found(queues.idByName(queue), `queue ${queue}`);
  queues.update(id, queueFields(settings), NOW);
  return id;
}

/** Changes every queue: for suites whose queues all follow one policy. */
export function setEveryQueue(db: Db, settings: QueueSettings) {
  const queues = createCallQueuesRepository(db);
  for (const { id } of queues.list()) queues.update(id, queueFields(settings), NOW);
}

export function queueIdOf(db: Db, name: string): number {
  return found(createCallQueuesRepository(db).idByName(name), `queue ${name}`);
}

/** A wrap-up code set with its codes; returns the set's id for `makeQueue(…, { wrapUpCodeSetId })`. */
export function makeWrapUpCodes(
  db: Db,
  setName: string,
  codes: (Pick<WrapUpCode, 'code' | 'label'> &
    Partial<Pick<WrapUpCode, 'action' | 'actionLifecycleStage' | 'followUp'>>)[],
) {
  const queues = createCallQueuesRepository(db);
  for (const code of codes) {
    const created = queues.createCode({ setName, action: 'none', actionLifecycleStage: null, ...code });
    if (created === 'exists') throw new Error(`wrap-up code ${code.code} exists in ${setName}`);
  }
  return queues.listCodes().find((code) => code.setName === setName)!.setId;
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

/** The Customer who owns this number (E.164). */
export function customerIdOf(db: Db, e164: string): number {
  return found(createCustomersRepository(db).findIdByPhone(e164), `customer with ${e164}`);
}
