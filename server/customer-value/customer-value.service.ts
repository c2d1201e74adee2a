import type { Tier } from '../../contracts/glossary.js';
import { auditTrail, type AuditLog } from '../audit/index.js';
import type { Me } from '../auth/auth.schemas.js';
import type { Clock } from '../clock.js';
import type { CustomersService } from '../customers/index.js';
import { badRequest, conflict, notFound } from '../http/errors.js';
import type { CustomerValueRepository, ValueEventRow } from './customer-value.repository.js';
import {
  OVERRIDE_MAX_DAYS,
  type BulkValueEventsBody,
  type BulkValueEventsResult,
  type CustomerValue,
  type RecomputeResult,
  type TierOverrideBody,
  type ValueEventBody,
  type ValueEventPage,
  type ValueEventPageQuery,
  type ValueReason,
} from './customer-value.schemas.js';
import type { PassMessage } from './recompute-passes.js';
import type { Recompute } from './recompute-runner.js';
import { placeOne, scoreOf, type Placement } from './tiering.js';
import { acceptedCurrencies, type ValueModel } from './value-model.js';
import { reasonOf } from './value-reason.js';

export interface CustomerValueServiceDeps {
  repository: CustomerValueRepository;
  customers: CustomersService;
  audit: AuditLog;
  clock: Clock;
  /** The value model in force: it may change while the server runs (an admin's edit). */
  models: { current(): ValueModel };
  /** Runs the full recomputation's passes (on a worker thread in the app). */
  recompute: Recompute;
  /** Asks for the override expiry job at `atMs` (epoch ms); the job restores the computed tier. */
  scheduleExpiry: (customerId: number, atMs: number) => Promise<void>;
}

/** The main thread's side of the recomputation's passes (the lifecycle's announcer of stage changes). */
export interface RecomputeListener {
  /** A message a pass posted, in the order posted. */
  message(message: PassMessage): void;
  /** The run is over, finished or not (its worker may have died). */
  ended(): void;
}

const MS_PER_DAY = 86_400_000;
/** Clocks of the systems sending purchases drift; a purchase a few minutes ahead of ours is not "in the future". */
const FUTURE_SLACK_MS = 5 * 60_000;

export function createCustomerValueService(deps: CustomerValueServiceDeps) {
  const { repository, customers, audit, clock, models } = deps;
  const audited = auditTrail(audit, 'customer');
  const ratesOf = (model: ValueModel): [string, number][] => [
    [model.currency, 1],
    ...Object.entries(model.exchangeRates),
  ];
  const storedListeners = new Set<(customerId: number) => void>();
  const valueEventsStored = (customerId: number) =>
    storedListeners.forEach((listener) => listener(customerId));
  const recomputeListeners = new Set<RecomputeListener>();

  /** A customer whose value may change: 404 for an unknown one, 409 for one erased. */
  function existingCustomer(id: number) {
    if (customers.mayCall(id) === null) throw notFound('Customer', id);
    if (customers.tierOf(id) === null) throw conflict(`Customer ${id} was erased and cannot be changed`);
  }

  function storedEvent(reference: string): ValueEventRow {
    const event = repository.eventByReference(reference);
    if (!event) throw new Error(`Value event ${reference} was just stored but cannot be read`);
    return event;
  }

  /** The event as stored, or a 400 naming the field (prefixed, for an item of a bulk request). */
  function normalized(customerId: number, body: ValueEventBody, field = '') {
    const currencies = acceptedCurrencies(models.current());
    if (!currencies.includes(body.currency)) {
      throw badRequest(
        `${field}currency ${body.currency} is not accepted: use one of ${currencies.join(', ')}`,
      );
    }
    const occurredAtMs = Date.parse(body.occurredAt);
    if (occurredAtMs > clock.now().getTime() + FUTURE_SLACK_MS) {
      throw badRequest(`${field}occurredAt must not be in the future`);
    }
    return {
      customerId,
      reference: body.reference,
      amount: body.amount,
      currency: body.currency,
      occurredAt: new Date(occurredAtMs).toISOString(),
    };
  }

  const sameContent = (stored: ValueEventRow, event: ReturnType<typeof normalized>) =>
    stored.customerId === event.customerId &&
    stored.amount === event.amount &&
    stored.currency === event.currency &&
    stored.occurredAt === event.occurredAt;

  function effectiveTier(customerId: number, computed: Tier): Tier {
    const override = repository.override(customerId);
    return override && Date.parse(override.expiresAt) > clock.now().getTime() ? override.tier : computed;
  }

  /**
   * One customer at once, between full recomputations: their score now, placed with the cut-offs of
   * the last full run, so other customers' tiers do not move until the night.
   */
  function recomputeOne(customerId: number): void {
    const now = clock.now();
    const model = models.current();
    const facts = repository.facts(ratesOf(model), now, model.recentDays, customerId)[0];
    if (!facts) return;
    const score = scoreOf(facts, model.weights);
    const placement: Placement = { customerId, score, ...placeOne(score, repository.ranking()) };
    const { tier } = placement;
    repository.saveValue({
      customerId,
      score,
      tier,
      topPercent: placement.topPercent,
      reason: JSON.stringify(reasonOf(facts, placement, model)),
      computedAt: now.toISOString(),
    });
    customers.setTiers([{ customerId, tier: effectiveTier(customerId, tier) }]);
  }

  /** Restores the computed tier of customers whose override has expired. */
  function expireOverrides(): number {
    const now = clock.now().toISOString();
    const expired = repository.expiredOverrides(now);
    for (const override of expired) {
      repository.deleteOverride(override.customerId);
      audit.record({
        actorAgentId: null,
        action: 'customer.tier_override_expired',
        entityType: 'customer',
        entityId: override.customerId,
        details: { tier: override.tier, expiresAt: override.expiresAt },
      });
      const computed = repository.value(override.customerId)?.tier ?? 'bronze';
      customers.setTiers([{ customerId: override.customerId, tier: computed }]);
    }
    return expired.length;
  }

  function valueOf(customerId: number): CustomerValue {
    if (customers.mayCall(customerId) === null) throw notFound('Customer', customerId);
    const stored = repository.value(customerId);
    const override = repository.override(customerId);
    // An expired override no longer counts, even before the job that clears it has run.
    const active = override && Date.parse(override.expiresAt) > clock.now().getTime() ? override : null;
    const computed = stored
      ? {
          tier: stored.tier,
          score: stored.score,
          topPercent: stored.topPercent,
          reason: JSON.parse(stored.reason) as ValueReason,
          computedAt: stored.computedAt,
        }
      : null;
    return {
      customerId,
      tier: active?.tier ?? computed?.tier ?? customers.tierOf(customerId) ?? 'bronze',
      computed,
      override: active,
    };
  }

  return {
    valueOf,
    recomputeOne,
    /** Calls `listener` with the customer after new value events of theirs are stored (the lifecycle's won back). */
    onValueEventsStored: (listener: (customerId: number) => void) => void storedListeners.add(listener),
    /** Hears what the recomputation's passes post while they run, and the end of each run. */
    onRecompute: (listener: RecomputeListener) => void recomputeListeners.add(listener),
    expireOverrides,

    listEvents(customerId: number, query: ValueEventPageQuery): ValueEventPage {
      if (customers.mayCall(customerId) === null) throw notFound('Customer', customerId);
      return repository.events(customerId, query.limit ?? 20, query.offset ?? 0);
    },

    /** Stores a purchase once per reference: the same again is answered with the stored one, a different one is a conflict. */
    recordEvent(actor: Me, customerId: number, body: ValueEventBody, ip: string) {
      existingCustomer(customerId);
      const event = normalized(customerId, body);
      const stored = repository.eventByReference(event.reference);
      if (stored) {
        if (!sameContent(stored, event)) {
          throw conflict(`reference ${event.reference} is already used by another value event`);
        }
        return { created: false, event: stored };
      }
      repository.insertEvent({
        ...event,
        createdAt: clock.now().toISOString(),
        createdBy: actor.id,
      });
      audited(actor, 'customer.value_event', customerId, ip, { reference: event.reference });
      recomputeOne(customerId);
      valueEventsStored(customerId);
      return { created: true, event: storedEvent(event.reference) };
    },

    /** Stores a batch all or nothing: any bad item refuses the whole request, naming the item. */
    recordEvents(actor: Me, body: BulkValueEventsBody, ip: string): BulkValueEventsResult {
      const seen = new Map<string, ReturnType<typeof normalized>>();
      const fresh: ReturnType<typeof normalized>[] = [];
      let unchanged = 0;
      body.events.forEach((item, index) => {
        const field = `events[${index}].`;
        if (customers.mayCall(item.customerId) === null || customers.tierOf(item.customerId) === null) {
          throw badRequest(`${field}customerId ${item.customerId} is not a customer we can change`);
        }
        const event = normalized(item.customerId, item, field);
        const twin = seen.get(event.reference);
        if (twin) {
          if (JSON.stringify(twin) !== JSON.stringify(event)) {
            throw conflict(
              `${field}reference ${event.reference} is used twice in this request with different content`,
            );
          }
          unchanged++;
          return;
        }
        seen.set(event.reference, event);
        const stored = repository.eventByReference(event.reference);
        if (stored && !sameContent(stored, event)) {
          throw conflict(`${field}reference ${event.reference} is already used by another value event`);
        }
        if (stored) unchanged++;
        else fresh.push(event);
      });
      const createdAt = clock.now().toISOString();
      repository.transaction(() => {
        for (const event of fresh) repository.insertEvent({ ...event, createdAt, createdBy: actor.id });
      });
      const changedCustomers = [...new Set(fresh.map((event) => event.customerId))];
      for (const customerId of changedCustomers) {
        audited(actor, 'customer.value_events_imported', customerId, ip, {
          count: fresh.filter((event) => event.customerId === customerId).length,
        });
        recomputeOne(customerId);
        valueEventsStored(customerId);
      }
      return { created: fresh.length, unchanged };
    },

    async setOverride(
      actor: Me,
      customerId: number,
      body: TierOverrideBody,
      ip: string,
    ): Promise<CustomerValue> {
      existingCustomer(customerId);
      const now = clock.now();
      const expiresAtMs = Date.parse(body.expiresAt);
      if (expiresAtMs <= now.getTime()) throw badRequest('expiresAt must be in the future');
      if (expiresAtMs > now.getTime() + OVERRIDE_MAX_DAYS * MS_PER_DAY) {
        throw badRequest(`expiresAt must be at most ${OVERRIDE_MAX_DAYS} days ahead`);
      }
      const expiresAt = new Date(expiresAtMs).toISOString();
      const reason = body.reason.trim();
      repository.saveOverride({
        customerId,
        tier: body.tier,
        reason,
        expiresAt,
        setBy: actor.id,
        setAt: now.toISOString(),
      });
      audited(actor, 'customer.tier_override', customerId, ip, { tier: body.tier, reason, expiresAt });
      customers.setTiers([{ customerId, tier: body.tier }]);
      await deps.scheduleExpiry(customerId, expiresAtMs);
      return valueOf(customerId);
    },

    clearOverride(actor: Me, customerId: number, ip: string): CustomerValue {
      existingCustomer(customerId);
      if (repository.deleteOverride(customerId)) {
        audited(actor, 'customer.tier_override_cleared', customerId, ip);
        customers.setTiers([{ customerId, tier: repository.value(customerId)?.tier ?? 'bronze' }]);
      }
      return valueOf(customerId);
    },

    /**
     * Every customer's value and tier from scratch, with new cut-offs, then the tiers in force: the
     * passes of recompute-passes.ts, on a worker thread. Expired overrides are cleared first, here,
     * where they are audited.
     */
    async recomputeAll(): Promise<RecomputeResult> {
      const started = performance.now();
      expireOverrides();
      let run;
      try {
        run = await deps.recompute({ nowMs: clock.now().getTime(), model: models.current() }, (message) =>
          recomputeListeners.forEach((listener) => listener.message(message)),
        );
      } finally {
        recomputeListeners.forEach((listener) => listener.ended());
      }
      const { passes, rssMb } = run;
      const value = passes.find((pass) => pass.name === 'value');
      return {
        customers: value?.customers ?? 0,
        changed: value?.changed ?? 0,
        durationMs: performance.now() - started,
        passes,
        rssMb,
      };
    },
  };
}

export type CustomerValueService = ReturnType<typeof createCustomerValueService>;
