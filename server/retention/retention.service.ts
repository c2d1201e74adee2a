import type { FastifyBaseLogger } from 'fastify';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { AuditLog } from '../audit/index.js';
import type { Me } from '../auth/auth.schemas.js';
import type { Clock } from '../clock.js';
import { daysField, type RetentionPolicyService } from './retention-policy.service.js';
import type { RetentionPass } from './retention.repository.js';
import type { RetentionPreview, RetentionRunResult } from './retention.schemas.js';

const DAY_MS = 86_400_000;

export interface RetentionServiceDeps {
  passes: RetentionPass[];
  policies: RetentionPolicyService;
  /** Queues the provider deletions written to the erasure's ledger (its retried job); returns how many. */
  queueRecordingDeletions(): Promise<number>;
  audit: AuditLog;
  clock: Clock;
  log: FastifyBaseLogger;
  /**
   * Rows per transaction. Default 500: a batch holds the write lock for milliseconds, and the event
   * loop turns between batches, so calls and the console never wait on a long purge.
   */
  batchSize?: number;
}

/** Who started a run: an admin in the console, or the nightly schedule. */
export type RetentionTrigger = { actor: Me; ip: string } | 'schedule';

/**
 * Retention: per data type, what is older than its days goes. The dry run lists it; the run removes
 * it in small transactions, oldest first. Interactions stay as rows without their personal fields,
 * so reports keep their totals; recordings go through the erasure's retried provider deletion.
 */
export function createRetentionService(deps: RetentionServiceDeps) {
  const { passes, policies, clock, log } = deps;
  const batchSize = deps.batchSize ?? 500;

  /** The passes the policy keeps data for, each with its cutoff; a type kept forever has none. */
  function plan(now: Date) {
    const policy = policies.current();
    const due = passes.flatMap((pass) => {
      const days = policy[daysField(pass.type)];
      return days ? [{ pass, before: new Date(now.getTime() - days * DAY_MS).toISOString() }] : [];
    });
    return { policy, due };
  }

  return {
    /** What a run now would remove, changing nothing. */
    preview(): RetentionPreview {
      const now = clock.now();
      const { policy, due } = plan(now);
      return {
        asOf: now.toISOString(),
        policy,
        items: due.map(({ pass, before }) => ({
          type: pass.type,
          table: pass.table,
          before,
          ...pass.candidates(before),
        })),
      };
    },

    /** Removes what the policy no longer keeps; logged and audited with counts only. */
    async run(trigger: RetentionTrigger): Promise<RetentionRunResult> {
      const now = clock.now();
      const asOf = now.toISOString();
      const { policy, due } = plan(now);
      const items: RetentionRunResult['items'] = [];
      let recordings = 0;
      for (const { pass, before } of due) {
        let count = 0;
        for (;;) {
          const batch = pass.purgeBatch(before, batchSize, asOf);
          count += batch.removed;
          recordings += batch.recordingRefs.length;
          if (batch.removed < batchSize) break;
          await nextTurn();
        }
        items.push({ type: pass.type, table: pass.table, before, count });
      }
      let queued = 0;
      if (recordings > 0) {
        try {
          queued = await deps.queueRecordingDeletions();
        } catch (error) {
          // They are in the ledger already: the hourly sweep queues them.
          log.warn({ err: error }, 'could not queue recording deletions; the sweep will');
        }
      }
      const removed = Object.fromEntries(items.map((item) => [`${item.type}.${item.table}`, item.count]));
      log.info({ trigger: trigger === 'schedule' ? 'schedule' : 'admin', removed }, 'retention run');
      deps.audit.record({
        actorAgentId: trigger === 'schedule' ? null : trigger.actor.id,
        action: 'retention.run',
        entityType: 'retention',
        entityId: null,
        ip: trigger === 'schedule' ? null : trigger.ip,
        details: { removed, policy },
      });
      return { asOf, policy, items, recordingDeletionsQueued: queued };
    },
  };
}

export type RetentionService = ReturnType<typeof createRetentionService>;
