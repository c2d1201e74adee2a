import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Clock } from '../clock.js';
import { signWebhook } from '../http/webhook-signature.js';
import { TIERS } from '../../contracts/glossary.js';
import type { SupervisionRepository } from './supervision.repository.js';
import type { AgentsLive, Alert, AlertThresholds, QueueLive, QueuesLive } from './supervision.schemas.js';

/** Minutes of calls the service-level alert looks back over. */
export const SL_ALERT_WINDOW_MINUTES = 15;

export interface AlertWebhook {
  /** Where alerts are POSTed as JSON. */
  url: URL;
  /** Shared secret of the HMAC-SHA256 signature. */
  secret: string;
}

/** A queue nobody configured alerts for is told about a service level under its own target and calls nobody can take. */
export function defaultThresholds(queue: Pick<QueueLive, 'slTargetPercent'>): AlertThresholds {
  return {
    serviceLevelPercent: queue.slTargetPercent,
    longestWaitSeconds: null,
    noAgent: true,
    agentStatusSeconds: null,
  };
}

export interface AlertsDeps {
  repository: SupervisionRepository;
  redis: Redis;
  /** Start of the keys that remember raised alerts, shared by every process. */
  prefix: string;
  clock: Clock;
  shortAbandonSeconds: number;
  /** Sends an alert to every signed-in supervisor and admin. */
  notify: (alert: Alert) => void;
  webhook: AlertWebhook | null;
  log: FastifyBaseLogger;
}

/**
 * Checks the live views against each queue's thresholds. An alert is raised once when its condition
 * starts, in whichever process sees it first (a Redis SET NX), and may be raised again once the
 * condition has cleared; an agent's status alert once per status they enter.
 */
export function createAlerts(deps: AlertsDeps) {
  const { repository, redis, prefix, clock, log } = deps;

  /** Posts the alert; the live views do not wait for the receiver, and a failure is only logged. */
  async function post(webhook: AlertWebhook, alert: Alert): Promise<void> {
    const body = JSON.stringify(alert);
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: signWebhook(webhook.secret, body, Math.floor(clock.now().getTime() / 1000)),
        body,
        signal: AbortSignal.timeout(5000),
      });
      if (!response.ok) log.warn({ status: response.status, kind: alert.kind }, 'alert webhook refused');
    } catch (error) {
      log.warn({ err: error, kind: alert.kind }, 'alert webhook failed');
    }
  }

  function deliver(alert: Alert): void {
    deps.notify(alert);
    if (deps.webhook) void post(deps.webhook, alert);
  }

  interface Condition {
    key: string;
    active: boolean;
    alert: () => Alert;
  }

  /**
   * Raises each alert that is `active` and not raised yet, and forgets those inactive so they can
   * come back; one round trip to Redis for every condition of a check.
   */
  async function settle(conditions: Condition[]): Promise<void> {
    if (conditions.length === 0) return;
    const batch = redis.pipeline();
    for (const c of conditions) {
      if (c.active) batch.set(`${prefix}${c.key}`, '1', 'EX', 86_400, 'NX');
      else batch.del(`${prefix}${c.key}`);
    }
    const results = (await batch.exec()) ?? [];
    conditions.forEach((c, index) => {
      const [error, reply] = results[index] ?? [null, null];
      if (error) throw error;
      if (c.active && reply === 'OK') deliver(c.alert());
    });
  }

  const base = (queue: QueueLive) => ({
    queueId: queue.queueId,
    queueName: queue.name,
    agentId: null,
    agentName: null,
    at: clock.now().toISOString(),
  });

  return {
    async checkQueues(live: QueuesLive): Promise<void> {
      const configured = repository.alertThresholds();
      const now = clock.now();
      const conditions: Condition[] = [];
      const condition = (key: string, active: boolean, alert: () => Alert) =>
        conditions.push({ key, active, alert });
      for (const queue of live.queues) {
        const t = configured.get(queue.queueId) ?? defaultThresholds(queue);
        const window =
          t.serviceLevelPercent === null
            ? null
            : repository.queueToday(
                queue.queueId,
                new Date(now.getTime() - SL_ALERT_WINDOW_MINUTES * 60_000),
                queue,
                deps.shortAbandonSeconds,
              );
        const sl = window?.today.serviceLevelPercent ?? null;
        condition(
          `service_level:${queue.queueId}`,
          sl !== null && t.serviceLevelPercent !== null && sl < t.serviceLevelPercent,
          () => ({
            ...base(queue),
            kind: 'service_level',
            value: sl!,
            threshold: t.serviceLevelPercent!,
            message: `${queue.name}: service level ${sl}% over the last ${SL_ALERT_WINDOW_MINUTES} minutes is below ${t.serviceLevelPercent}%`,
          }),
        );
        // Each tier the queue holds to its own target alerts below that target's percent, apart; with
        // service-level alerts off its condition is inactive, so turning them on again starts afresh.
        for (const tier of TIERS.filter((x) => queue.tierTargets[x])) {
          const figures = window?.byTier.find((f) => f.tier === tier);
          const tierSl = figures?.serviceLevelPercent ?? null;
          condition(
            `service_level:${queue.queueId}:${tier}`,
            figures !== undefined && tierSl !== null && tierSl < figures.slTargetPercent,
            () => ({
              ...base(queue),
              kind: 'service_level',
              tier,
              value: tierSl!,
              threshold: figures!.slTargetPercent,
              message: `${queue.name}: ${tier} service level ${tierSl}% over the last ${SL_ALERT_WINDOW_MINUTES} minutes is below ${figures!.slTargetPercent}%`,
            }),
          );
        }
        const longest = Math.max(
          0,
          ...queue.waiting.map((c) => Math.floor((now.getTime() - Date.parse(c.waitingSince)) / 1000)),
        );
        condition(
          `longest_wait:${queue.queueId}`,
          t.longestWaitSeconds !== null && longest > t.longestWaitSeconds,
          () => ({
            ...base(queue),
            kind: 'longest_wait',
            value: longest,
            threshold: t.longestWaitSeconds!,
            message: `${queue.name}: a caller has waited ${longest} s, over the ${t.longestWaitSeconds} s limit`,
          }),
        );
        condition(
          `no_agent:${queue.queueId}`,
          t.noAgent && queue.waiting.length > 0 && queue.agents.available === 0,
          () => ({
            ...base(queue),
            kind: 'no_agent',
            value: queue.waiting.length,
            threshold: 0,
            message: `${queue.name}: ${queue.waiting.length} waiting, no agent available`,
          }),
        );
      }
      await settle(conditions);
    },

    async checkAgents(live: AgentsLive, queues: QueuesLive): Promise<void> {
      const configured = repository.alertThresholds();
      const now = clock.now().getTime();
      const conditions: Condition[] = [];
      for (const agent of live.agents) {
        if (agent.status === 'offline') continue;
        // The strictest limit among the agent's queues.
        const limits = queues.queues
          .filter((q) => agent.queueIds.includes(q.queueId))
          .map((q) => ({
            queue: q,
            limit: (configured.get(q.queueId) ?? defaultThresholds(q)).agentStatusSeconds,
          }))
          .filter((x): x is { queue: QueueLive; limit: number } => x.limit !== null)
          .sort((a, b) => a.limit - b.limit);
        const strictest = limits[0];
        if (!strictest) continue;
        const seconds = Math.floor((now - Date.parse(agent.statusSince)) / 1000);
        if (seconds <= strictest.limit) continue;
        conditions.push({
          key: `agent_status:${agent.agentId}:${Date.parse(agent.statusSince)}`,
          active: true,
          alert: () => ({
            ...base(strictest.queue),
            agentId: agent.agentId,
            agentName: agent.displayName,
            kind: 'agent_status',
            value: seconds,
            threshold: strictest.limit,
            message: `${agent.displayName} has been ${agent.status} for ${seconds} s, over the ${strictest.limit} s limit of ${strictest.queue.name}`,
          }),
        });
      }
      await settle(conditions);
    },
  };
}

export type Alerts = ReturnType<typeof createAlerts>;

/**
 * The computations behind the live views, with the alerts checked on each: whichever process
 * computes the views checks them, once per computation, without holding the view up. Agents are
 * checked against the queues computed last.
 */
export function liveViewsWithAlerts(
  views: { queuesLive: () => Promise<QueuesLive>; agentsLive: () => Promise<AgentsLive> },
  alerts: Alerts,
  log: FastifyBaseLogger,
) {
  let queues: QueuesLive | null = null;
  const check = (work: Promise<void>) =>
    void work.catch((error: unknown) => log.error({ err: error }, 'alert check failed'));
  return {
    queues: async () => {
      queues = await views.queuesLive();
      check(alerts.checkQueues(queues));
      return queues;
    },
    agents: async () => {
      const agents = await views.agentsLive();
      if (queues) check(alerts.checkAgents(agents, queues));
      return agents;
    },
  };
}
