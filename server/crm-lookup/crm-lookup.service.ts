import type { FastifyBaseLogger } from 'fastify';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CrmEnrichment, CrmLookupRequest } from '../../contracts/crm-lookup.js';
import type { Clock } from '../clock.js';
import type { CrmLookupConfig } from '../config.js';
import { createCircuitBreaker, type BreakerState } from './circuit-breaker.js';
import { askCrm, type CrmAnswer } from './crm-lookup.client.js';
import { createTtlCache } from './ttl-cache.js';

export interface CrmLookupDeps {
  config: CrmLookupConfig;
  clock: Clock;
  log: FastifyBaseLogger;
  /** Where the lookup's counters, duration and breaker state are exposed (GET /metrics). */
  registry: Registry;
  /** The request to the CRM. Default: POST to `config.url` (crm-lookup.client.ts). */
  ask?: (request: CrmLookupRequest) => Promise<CrmAnswer>;
}

const BREAKER_GAUGE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

/** Lookups of Interactions kept for the desk's later pushes (the call, the wrap-up): the calls under way at most. */
const INTERACTIONS_KEPT = 5000;

/**
 * The external CRM asked about a caller, to enrich the screen pop. A lookup starts as soon as the
 * call is known (arrival, then queueing) and the offer waits for it at most until its own timeout,
 * so a slow CRM costs an offer no more than `timeoutMs` and a dead one, once the breaker is open,
 * nothing. Answers (a "not found" too) are cached per caller; failures are not, so the next call
 * asks again.
 */
export function createCrmLookup({ config, clock, log, registry, ask }: CrmLookupDeps) {
  const request = ask ?? ((body: CrmLookupRequest) => askCrm(config, body));
  const lookups = new Counter({
    name: 'cti_crm_lookups_total',
    help: 'External CRM lookups by result: ok, not_found, cache_hit, breaker_open, timeout, error_<reason>',
    labelNames: ['result'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'cti_crm_lookup_duration_seconds',
    help: 'Duration of the requests to the external CRM, timeouts included',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1],
    registers: [registry],
  });
  const breakerGauge = new Gauge({
    name: 'cti_crm_lookup_breaker_state',
    help: 'The external CRM lookup circuit breaker: 0 closed, 1 half open, 2 open',
    registers: [registry],
  });
  breakerGauge.set(0);
  const breaker = createCircuitBreaker({
    failures: config.breakerFailures,
    cooldownMs: config.breakerCooldownSeconds * 1000,
    onChange: (state) => {
      breakerGauge.set(BREAKER_GAUGE[state]);
      log.warn({ breaker: state }, 'CRM lookup circuit breaker changed');
    },
  });
  const cache = createTtlCache<CrmEnrichment | null>(config.cacheSize, config.cacheSeconds * 1000);
  const byInteraction = new Map<number, { key: string; result: Promise<CrmEnrichment | null> }>();
  const nowMs = () => clock.now().getTime();

  async function lookUp(body: CrmLookupRequest, key: string): Promise<CrmEnrichment | null> {
    const cached = cache.get(key, nowMs());
    if (cached !== undefined) {
      lookups.inc({ result: 'cache_hit' });
      return cached;
    }
    if (!breaker.allow(nowMs())) {
      lookups.inc({ result: 'breaker_open' });
      return null;
    }
    const stopTimer = duration.startTimer();
    const answer = await request(body);
    stopTimer();
    lookups.inc({ result: answer.kind === 'error' ? `error_${answer.reason}` : answer.kind });
    if (answer.kind === 'ok' || answer.kind === 'not_found') {
      breaker.succeeded();
      const enrichment = answer.kind === 'ok' ? answer.enrichment : null;
      cache.set(key, enrichment, nowMs());
      return enrichment;
    }
    breaker.failed(nowMs());
    // The outcome only: the caller's number and the CRM's answer stay out of the log.
    log.warn(
      { interactionId: body.interactionId, result: answer.kind === 'error' ? answer.reason : answer.kind },
      'CRM lookup failed: the screen pop goes out without it',
    );
    return null;
  }

  function lookupOf(body: CrmLookupRequest): Promise<CrmEnrichment | null> {
    if (body.callerNumber === null && body.customerId === null) return Promise.resolve(null);
    const key = `${body.customerId ?? ''}|${body.callerNumber ?? ''}`;
    const known = byInteraction.get(body.interactionId);
    if (known?.key === key) return known.result;
    const result = lookUp(body, key).catch((error: unknown) => {
      log.error({ err: error, interactionId: body.interactionId }, 'CRM lookup broke');
      return null;
    });
    byInteraction.delete(body.interactionId);
    byInteraction.set(body.interactionId, { key, result });
    if (byInteraction.size > INTERACTIONS_KEPT) {
      const oldest = byInteraction.keys().next().value;
      if (oldest !== undefined) byInteraction.delete(oldest);
    }
    return result;
  }

  return {
    /**
     * Starts the lookup for an Interaction's caller without waiting for it: when the call arrives,
     * and again when it is queued (the IVR may have identified the Customer in between).
     */
    start(body: CrmLookupRequest): void {
      void lookupOf(body);
    },

    /**
     * The CRM's enrichment for the Interaction: the lookup already under way, or a new one. Resolves
     * within the lookup's timeout, to null when the CRM had nothing, failed or was not asked.
     */
    enrichmentFor: lookupOf,

    get breakerState(): BreakerState {
      return breaker.state;
    },
  };
}

export type CrmLookup = ReturnType<typeof createCrmLookup>;
