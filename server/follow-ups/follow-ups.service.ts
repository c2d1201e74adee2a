import type { FollowUpCounts, FollowUpReminder } from '../../contracts/follow-up.js';
import type { FollowUpAction, WorkFollowUpKind } from '../../contracts/glossary.js';
import type { AuditLog } from '../audit/index.js';
import type { Me } from '../auth/auth.schemas.js';
import type { Clock } from '../clock.js';
import type { DomainEvents } from '../webhooks/index.js';
import { followUpCreated, followUpDone } from './follow-up-webhook-events.js';
import { badRequest, conflict, forbidden, notFound } from '../http/errors.js';
import { nextFollowUpStatus } from './follow-up.machine.js';
import type {
  FollowUpRecord,
  FollowUpScope,
  FollowUpsRepository,
  NewFollowUp,
  ReminderKind,
} from './follow-ups.repository.js';
import type {
  CountsQuery,
  CreateFollowUpBody,
  CustomerFollowUpsQuery,
  FollowUpPage,
  FollowUpWork,
  ReassignFollowUpBody,
  RuleFollowUp,
  WorklistQuery,
} from './follow-ups.schemas.js';

/** Who a push goes to: agents by id, and whether supervisors and admins (who see every team) too. */
export interface Recipients {
  agentIds: number[];
  supervisors: boolean;
}

/** The teams behind follow-ups owned by a call queue: the agents qualified for it (server/follow-ups/teams.ts). */
export interface Teams {
  /** The call queues whose team the agent is in. */
  queueIdsOf(agentId: number): number[];
  /** The active agents in a call queue's team. */
  membersOf(queueId: number): number[];
  queueExists(queueId: number): boolean;
  /** Every call queue, id and name. */
  queues(): { id: number; name: string }[];
  /** An active agent with this id exists. */
  agentExists(agentId: number): boolean;
}

export interface FollowUpsServiceDeps {
  repository: FollowUpsRepository;
  /** Whether a customer exists and is not erased. */
  customerExists: (customerId: number) => boolean;
  /** Which customer an interaction belongs to; undefined when it does not exist. */
  customerOfInteraction: (interactionId: number) => number | null | undefined;
  teams: Teams;
  audit: AuditLog;
  clock: Clock;
  /** Tells people's consoles, in every server process, that a follow-up changed or needs them now. */
  push: {
    changed(to: Recipients, followUpId: number): void;
    reminder(to: Recipients, reminder: FollowUpReminder): void;
  };
  /** Where `followup.created` and `followup.done` are published, in the transaction of the change. */
  events: DomainEvents;
  /** How long before its due time a follow-up's "due" reminder goes out, in ms. Default 15 minutes. */
  dueReminderLeadMs?: number;
}

/** What a wrap-up code asks for when chosen (contracts/call-queue.ts, `WrapUpCode.followUp`). */
export interface WrapUpFollowUp {
  kind: WorkFollowUpKind;
  dueInHours: number;
  owner: 'agent' | 'queue';
}

const SUPERVISING = new Set<Me['role']>(['supervisor', 'admin']);
const isSupervising = (actor: Me) => SUPERVISING.has(actor.role);

/** Reminders sent per sweep at most; the next sweep takes the rest. */
const REMINDER_BATCH = 200;
/** An overdue reminder later than this is no reminder: it is settled without a push. */
const STALE_REMINDER_MS = 24 * 3_600_000;

const RULE_TITLES: Record<RuleFollowUp['kind'], string> = {
  win_back: 'Win back a lost customer',
  service_recovery: 'Put right a poor experience',
};

/**
 * Follow-ups as work: created by people (the customer 360 page), by wrap-up codes and by rules
 * (surveys, lifecycle), worked through the transition table, owned by an agent or a call queue's
 * team, reminded of once when due and once when overdue. Every change is audited.
 */
export function createFollowUpsService(deps: FollowUpsServiceDeps) {
  const { repository, teams, audit, clock, push } = deps;
  const dueReminderLeadMs = deps.dueReminderLeadMs ?? 15 * 60_000;
  const nowIso = () => clock.now().toISOString();

  const record = (
    actorAgentId: number | null,
    action: string,
    id: number,
    ip: string | null,
    details?: Record<string, unknown>,
  ) =>
    audit.record({
      actorAgentId,
      action,
      entityType: 'follow_up',
      entityId: id,
      ip,
      ...(details && { details }),
    });

  /** Whose consoles show a follow-up of this owner in a worklist. */
  function recipientsOf(owner: { ownerAgentId: number | null; ownerQueueId: number | null }): Recipients {
    if (owner.ownerAgentId !== null) return { agentIds: [owner.ownerAgentId], supervisors: false };
    if (owner.ownerQueueId !== null)
      return { agentIds: teams.membersOf(owner.ownerQueueId), supervisors: true };
    return { agentIds: [], supervisors: true };
  }

  function changed(followUp: { id: number; ownerAgentId: number | null; ownerQueueId: number | null }) {
    push.changed(recipientsOf(followUp), followUp.id);
  }

  function existing(id: number): FollowUpRecord {
    const followUp = repository.getRecord(id);
    if (!followUp) throw notFound('Follow-up', id);
    return followUp;
  }

  function work(id: number): FollowUpWork {
    const followUp = repository.getWork(id, nowIso());
    if (!followUp) throw notFound('Follow-up', id);
    return followUp;
  }

  /** Exactly one owner from a request's two optional fields. */
  function ownerOf(body: { ownerAgentId?: number | undefined; ownerQueueId?: number | undefined }) {
    if (body.ownerAgentId !== undefined && body.ownerQueueId !== undefined) {
      throw badRequest('Give ownerAgentId or ownerQueueId, not both');
    }
    if (body.ownerAgentId !== undefined && !teams.agentExists(body.ownerAgentId)) {
      throw badRequest(`Agent ${body.ownerAgentId} does not exist or is disabled`);
    }
    if (body.ownerQueueId !== undefined && !teams.queueExists(body.ownerQueueId)) {
      throw badRequest(`Call queue ${body.ownerQueueId} does not exist`);
    }
    return { ownerAgentId: body.ownerAgentId ?? null, ownerQueueId: body.ownerQueueId ?? null };
  }

  /** Agents work their own follow-ups, their teams' and unowned ones; supervisors and admins any. */
  function assertMayWork(actor: Me, followUp: FollowUpRecord) {
    if (isSupervising(actor)) return;
    if (followUp.ownerAgentId !== null && followUp.ownerAgentId !== actor.id) {
      throw forbidden(`Follow-up ${followUp.id} belongs to another agent`);
    }
    if (followUp.ownerQueueId !== null && !teams.queueIdsOf(actor.id).includes(followUp.ownerQueueId)) {
      throw forbidden(`Follow-up ${followUp.id} belongs to a team you are not in`);
    }
  }

  function teamScope(actor: Me): FollowUpScope {
    return isSupervising(actor) ? { allTeams: true } : { ownerQueueIds: teams.queueIdsOf(actor.id) };
  }

  function page(scope: FollowUpScope, query: WorklistQuery | CustomerFollowUpsQuery): FollowUpPage {
    const limit = query.limit ?? 20;
    const offset = query.offset ?? 0;
    return { ...repository.list(scope, query, { limit, offset }, nowIso()), limit, offset };
  }

  function insert(followUp: NewFollowUp): number | null {
    const id = repository.inTransaction(() => {
      const id = repository.insert(followUp, nowIso());
      if (id !== null) deps.events.publish(followUpCreated(id, followUp));
      return id;
    });
    if (id !== null) changed({ id, ...followUp });
    return id;
  }

  /** Sends one reminder unless another process (or an earlier sweep) already claimed it. */
  function remind(id: number, reminder: ReminderKind): boolean {
    if (!repository.claimReminder(id, reminder, nowIso())) return false;
    const followUp = repository.getWork(id, nowIso());
    const owner = repository.getRecord(id);
    if (!followUp || !owner) return false;
    const to = recipientsOf(owner);
    // A team's reminder goes to its members; supervisors see every team but are not reminded of each.
    if (to.agentIds.length === 0) return false;
    push.reminder(
      { agentIds: to.agentIds, supervisors: false },
      {
        followUpId: id,
        reminder,
        kind: followUp.kind,
        title: followUp.title,
        customerId: followUp.customer.id,
        customerName: followUp.customer.name,
        dueAt: followUp.dueAt,
      },
    );
    return true;
  }

  return {
    get: (_actor: Me, id: number): FollowUpWork => work(id),

    create(actor: Me, body: CreateFollowUpBody, ip: string): FollowUpWork {
      const owner = ownerOf(body);
      if (owner.ownerAgentId === null && owner.ownerQueueId === null) owner.ownerAgentId = actor.id;
      if (!isSupervising(actor)) {
        if (owner.ownerAgentId !== null && owner.ownerAgentId !== actor.id) {
          throw forbidden('Agents create follow-ups for themselves or their teams');
        }
        if (owner.ownerQueueId !== null && !teams.queueIdsOf(actor.id).includes(owner.ownerQueueId)) {
          throw forbidden(`You are not in the team of call queue ${owner.ownerQueueId}`);
        }
      }
      if (!deps.customerExists(body.customerId)) throw notFound('Customer', body.customerId);
      if (
        body.interactionId !== undefined &&
        deps.customerOfInteraction(body.interactionId) !== body.customerId
      ) {
        throw badRequest(`Interaction ${body.interactionId} is not one of customer ${body.customerId}`);
      }
      const id = insert({
        kind: body.kind,
        customerId: body.customerId,
        interactionId: body.interactionId ?? null,
        queueId: null,
        ...owner,
        title: body.title.trim(),
        priority: body.priority ?? 'normal',
        dueAt: new Date(body.dueAt).toISOString(),
        note: body.note?.trim() || null,
        source: 'manual',
        sourceKey: null,
        createdBy: actor.id,
      })!;
      record(actor.id, 'follow_up.create', id, ip, {
        kind: body.kind,
        customerId: body.customerId,
        ...owner,
      });
      return work(id);
    },

    /** The call queues whose teams `actor` may give a follow-up to: their own (supervisors and admins: every one). */
    teamsFor(actor: Me): { id: number; name: string }[] {
      const queues = teams.queues();
      if (isSupervising(actor)) return queues;
      const own = new Set(teams.queueIdsOf(actor.id));
      return queues.filter((queue) => own.has(queue.id));
    },

    mine: (actor: Me, query: WorklistQuery) => page({ ownerAgentId: actor.id }, query),
    team: (actor: Me, query: WorklistQuery) => page(teamScope(actor), query),
    ofCustomer(_actor: Me, customerId: number, query: CustomerFollowUpsQuery): FollowUpPage {
      if (!deps.customerExists(customerId)) throw notFound('Customer', customerId);
      return page({ customerId }, query);
    },

    counts(actor: Me, query: CountsQuery): FollowUpCounts {
      const now = clock.now();
      const todayEndsAt =
        query.todayEndsAt !== undefined
          ? new Date(query.todayEndsAt).toISOString()
          : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)).toISOString();
      return {
        mine: repository.counts({ ownerAgentId: actor.id }, now.toISOString(), todayEndsAt),
        team: repository.counts(teamScope(actor), now.toISOString(), todayEndsAt),
      };
    },

    transition(actor: Me, id: number, action: FollowUpAction, ip: string): FollowUpWork {
      const followUp = existing(id);
      assertMayWork(actor, followUp);
      const to = nextFollowUpStatus(followUp.status, action);
      const moved = repository.inTransaction(() => {
        if (!repository.transition(id, followUp.status, to, nowIso())) return false;
        if (to === 'done') {
          deps.events.publish(followUpDone(followUp, actor.id));
        }
        return true;
      });
      if (!moved) throw conflict(`Follow-up ${id} changed meanwhile; reload it`);
      record(actor.id, `follow_up.${action}`, id, ip, { from: followUp.status, to });
      changed(followUp);
      return work(id);
    },

    reassign(actor: Me, id: number, body: ReassignFollowUpBody, ip: string): FollowUpWork {
      if (!isSupervising(actor)) throw forbidden('Only supervisors and admins reassign follow-ups');
      const followUp = existing(id);
      const owner = ownerOf(body);
      repository.reassign(id, owner, nowIso());
      record(actor.id, 'follow_up.reassign', id, ip, {
        from: { ownerAgentId: followUp.ownerAgentId, ownerQueueId: followUp.ownerQueueId },
        to: owner,
      });
      changed(followUp);
      changed({ id, ...owner });
      return work(id);
    },

    /** The call queue of the customer's latest queued call, for a rule choosing a team. */
    lastQueueOf: (customerId: number) => repository.lastQueueOf(customerId),

    /**
     * For other domains' rules (a low survey score, a lost high-value customer): creates the
     * follow-up once per `sourceKey`. Returns its id, or null when one with that key exists already
     * (the rule fired before). Without an owner it belongs to nobody and shows in no worklist, so
     * give `ownerQueueId` (the queue's team) or `ownerAgentId`. Audited with no actor.
     */
    createByRule(rule: RuleFollowUp): number | null {
      if (rule.ownerAgentId != null && rule.ownerQueueId != null) {
        throw new Error('createByRule: give ownerQueueId or ownerAgentId, not both');
      }
      if (!deps.customerExists(rule.customerId))
        throw new Error(`createByRule: no customer ${rule.customerId}`);
      const id = insert({
        kind: rule.kind,
        customerId: rule.customerId,
        interactionId: rule.interactionId ?? null,
        queueId: null,
        ownerAgentId: rule.ownerAgentId ?? null,
        ownerQueueId: rule.ownerQueueId ?? null,
        title: rule.title ?? RULE_TITLES[rule.kind],
        priority: rule.priority,
        dueAt: new Date(rule.dueAt).toISOString(),
        note: rule.note,
        source: 'rule',
        sourceKey: rule.sourceKey,
        createdBy: null,
      });
      if (id !== null)
        record(null, 'follow_up.create', id, null, { kind: rule.kind, sourceKey: rule.sourceKey });
      return id;
    },

    /**
     * The follow-up a WrapUpCode asks for, created when the agent submits the wrap-up: owned by them,
     * or by the team of the call's queue (the agent's own when the call had none). Once per interaction.
     */
    createFromWrapUp(
      agentId: number,
      ask: WrapUpFollowUp & { title: string; code: string },
      call: { interactionId: number; customerId: number; queueId: number | null },
    ): number | null {
      const byQueue = ask.owner === 'queue' && call.queueId !== null;
      const id = insert({
        kind: ask.kind,
        customerId: call.customerId,
        interactionId: call.interactionId,
        queueId: null,
        ownerAgentId: byQueue ? null : agentId,
        ownerQueueId: byQueue ? call.queueId : null,
        title: ask.title,
        priority: 'normal',
        dueAt: new Date(clock.now().getTime() + ask.dueInHours * 3_600_000).toISOString(),
        note: `Wrap-up code ${ask.code}`,
        source: 'wrap_up',
        sourceKey: `wrap_up:${call.interactionId}`,
        createdBy: agentId,
      });
      if (id !== null) {
        record(agentId, 'follow_up.create', id, null, { kind: ask.kind, interactionId: call.interactionId });
      }
      return id;
    },

    /**
     * Sends the reminders that are due: "due" `dueReminderLeadMs` before the due time, "overdue" once
     * past it (callbacks are dialled by the ACD and need no reminder); one overdue by more than a day
     * when first seen gets none. Safe to run in every server
     * process at once: each reminder is claimed in the database first. Returns how many were sent.
     */
    sweepReminders(): number {
      let sent = 0;
      for (const { id, reminder } of repository.toRemind(
        clock.now(),
        dueReminderLeadMs,
        STALE_REMINDER_MS,
        REMINDER_BATCH,
      )) {
        if (remind(id, reminder)) sent++;
      }
      return sent;
    },
  };
}

export type FollowUpsService = ReturnType<typeof createFollowUpsService>;
