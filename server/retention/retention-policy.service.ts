import type { AuditLog } from '../audit/index.js';
import type { Me } from '../auth/auth.schemas.js';
import type { Clock } from '../clock.js';
import type { RetentionPolicyRepository } from './retention-policy.repository.js';
import { RETENTION_TYPES, type RetentionPolicy, type RetentionPolicyView } from './retention.schemas.js';

export interface RetentionPolicyServiceDeps {
  repository: RetentionPolicyRepository;
  audit: AuditLog;
  clock: Clock;
  /** The defaults, from the environment (server/config.ts). */
  defaults: RetentionPolicy;
}

/** The policy field of each data type, e.g. `notes` → `notesDays`. */
export const daysField = <T extends (typeof RETENTION_TYPES)[number]>(type: T) => `${type}Days` as const;

/** The retention policy in force: an admin's edit saved in the database, else the configured defaults. */
export function createRetentionPolicyService(deps: RetentionPolicyServiceDeps) {
  const { repository, audit, clock, defaults } = deps;

  const current = (): RetentionPolicy => repository.saved()?.policy ?? defaults;

  function view(): RetentionPolicyView {
    const saved = repository.saved();
    return saved
      ? {
          policy: saved.policy,
          source: 'console',
          updatedAt: saved.updatedAt,
          updatedByName: repository.agentName(saved.updatedBy),
        }
      : { policy: defaults, source: 'config', updatedAt: null, updatedByName: null };
  }

  return {
    current,
    view,
    /** Replaces the policy, in force for the next run; the audit row holds each changed type's days. */
    update(actor: Me, policy: RetentionPolicy, ip: string): RetentionPolicyView {
      const before = current();
      const changes = Object.fromEntries(
        RETENTION_TYPES.map(daysField)
          .filter((field) => (before[field] ?? 0) !== (policy[field] ?? 0))
          .map((field) => [field, { from: before[field], to: policy[field] }]),
      );
      repository.save({ policy, updatedAt: clock.now().toISOString(), updatedBy: actor.id });
      audit.record({
        actorAgentId: actor.id,
        action: 'retention.policy.update',
        entityType: 'retention',
        entityId: null,
        ip,
        details: { changes },
      });
      return view();
    },
  };
}

export type RetentionPolicyService = ReturnType<typeof createRetentionPolicyService>;
