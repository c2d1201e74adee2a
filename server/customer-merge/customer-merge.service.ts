import { auditTrail, type AuditLog } from '../audit/index.js';
import type { Me } from '../auth/auth.schemas.js';
import type { Clock } from '../clock.js';
import { badRequest, conflict, notFound } from '../http/errors.js';
import type { CustomerMergeRepository } from './customer-merge.repository.js';
import {
  MERGE_FIELDS,
  type DismissBody,
  type DuplicateList,
  type DuplicateListQuery,
  type MergeBody,
} from './customer-merge.schemas.js';

export interface CustomerMergeServiceDeps {
  repository: CustomerMergeRepository;
  audit: AuditLog;
  clock: Clock;
  /** Refreshes the customer's search entry (a merged customer leaves the search). */
  reindex: (customerId: number) => void;
  /** The survivor's value and tier from their events now, as after a new purchase. */
  recomputeValue: (customerId: number) => void;
  /** The survivor's lifecycle stage and churn risk from their history now. */
  evaluateLifecycle: (customerId: number) => void;
}

export function createCustomerMergeService(deps: CustomerMergeServiceDeps) {
  const { repository, clock } = deps;
  const audited = auditTrail(deps.audit, 'customer');

  /** A customer a merge or a dismissal may name: known, not erased, not merged already. */
  function active(id: number) {
    const found = repository.candidate(id);
    if (!found) throw notFound('Customer', id);
    if (found.erased) throw conflict(`Customer ${id} was erased and cannot be merged`);
    if (found.mergedInto !== null) {
      throw conflict(`Customer ${id} was already merged into customer ${found.mergedInto}`);
    }
    return found.customer;
  }

  function distinctPair(ids: readonly number[]): [number, number] {
    const [first, second] = ids as [number, number];
    if (first === second) throw badRequest('A customer cannot be merged with or dismissed against itself');
    return first < second ? [first, second] : [second, first];
  }

  return {
    list(query: DuplicateListQuery): DuplicateList {
      const limit = query.limit ?? 20;
      const [afterLow, afterHigh] = (query.after ?? '0-0').split('-').map(Number) as [number, number];
      const found = repository.pairsAfter(afterLow, afterHigh, limit + 1);
      const page = found.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map((pair) => ({
          customers: [active(pair.low), active(pair.high)],
          reasons: pair.reasons,
        })),
        next: found.length > limit && last ? `${last.low}-${last.high}` : null,
      };
    },

    dismiss(actor: Me, body: DismissBody, ip: string): void {
      const [low, high] = distinctPair(body.customerIds);
      active(low);
      active(high);
      repository.dismiss(low, high, actor.id, clock.now().toISOString());
      audited(actor, 'customer.duplicate_dismissed', low, ip, { otherCustomerId: high });
    },

    /** Returns the survivor's id; everything of the merged customer is theirs after one transaction. */
    merge(actor: Me, survivorId: number, body: MergeBody, ip: string): number {
      distinctPair([survivorId, body.mergeId]);
      active(survivorId);
      active(body.mergeId);
      const fromMerged = MERGE_FIELDS.filter((field) => body.keep?.[field] === 'merged');
      repository.merge(survivorId, body.mergeId, fromMerged, clock.now().toISOString(), () => {
        deps.reindex(body.mergeId);
        deps.reindex(survivorId);
        deps.recomputeValue(survivorId);
        deps.evaluateLifecycle(survivorId);
        // Ids and field names only: the audit log is exported and kept longer than personal data.
        audited(actor, 'customer.merge', survivorId, ip, { mergedCustomerId: body.mergeId, fromMerged });
      });
      return survivorId;
    },
  };
}

export type CustomerMergeService = ReturnType<typeof createCustomerMergeService>;
