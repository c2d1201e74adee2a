import { TIERS } from '../../contracts/glossary.js';
import type { ComputedValueRow, RecomputeRepository } from './recompute.repository.js';
import { rankScores, scoreOf, type Ranking, type ValueFacts } from './tiering.js';
import { reasonOf } from './value-reason.js';
import type { ValueModel } from './value-model.js';

const MS_PER_DAY = 86_400_000;

export interface ValuePassOptions {
  /** Customers written per transaction. Default 10,000 (tens of ms of write lock). */
  batchSize?: number;
  /**
   * Pause between two batches, in ms, so that a writer of the server waiting on the lock (its busy
   * handler polls) gets it before the next batch. Default 5.
   */
  pauseMs?: number;
  /** SQLite page cache while writing, in MB. Default 64: the score index of a few million customers. */
  writeCacheMb?: number;
  /**
   * Starts of spend windows to sum per customer in the same read, latest first (ISO-8601): window i
   * runs from its start to the previous one's (the first to now). For a later pass (the lifecycle
   * rules' recent and previous spend, with events and the latest), which then reads no event.
   */
  spendWindows?: readonly string[];
}

/**
 * Each customer's spend per window of `spendWindows`, value events and latest event's time (epoch
 * ms, NaN without events), by position (`positionOf` a customer id).
 */
export interface SpendByWindow {
  positionOf: Int32Array;
  windows: Float64Array[];
  events: Int32Array;
  lastEventAtMs: Float64Array;
}

export interface ValuePassResult {
  customers: number;
  /** Customers whose tier in force changed. */
  changed: number;
  ranking: Ranking;
  /** Time of each phase, in ms: the snapshot's scans, scoring and ranking, the batched writes. */
  phasesMs: { read: number; rank: number; write: number };
  spend: SpendByWindow;
}

const sleep = (ms: number) => {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/**
 * Every customer's value and tier from scratch, with new cut-offs: the full recomputation, on the
 * connection of `repository` (a worker thread's own). Reads are set-based in one snapshot (customers
 * by id, the value events summed per customer by SQLite in one scan of their covering index, contacts
 * grouped by SQLite), facts and ranking live in typed arrays indexed by position, and writes go in
 * batches of customers in id order, each with their tiers in force. A run cut short leaves each customer consistent (value and tier written
 * together) and the previous cut-offs in place; the next run redoes everyone.
 */
export function valuePass(
  repository: RecomputeRepository,
  model: ValueModel,
  now: Date,
  options: ValuePassOptions = {},
): ValuePassResult {
  const { batchSize = 10_000, pauseMs = 5, writeCacheMb = 64, spendWindows = [] } = options;
  const windowCount = spendWindows.length;
  const nowMs = now.getTime();
  const computedAt = now.toISOString();
  const since = new Date(nowMs - model.recentDays * MS_PER_DAY).toISOString();
  const rates: [string, number][] = [[model.currency, 1], ...Object.entries(model.exchangeRates)];

  let phaseStarted = performance.now();
  const lap = () => {
    const now = performance.now();
    const ms = now - phaseStarted;
    phaseStarted = now;
    return ms;
  };
  const { ids, tenureDays, lifetime, recent, contacts, stored, spend } = repository.snapshot(() => {
    const idList: number[] = [];
    const tenure: number[] = [];
    for (const [id, createdAt] of repository.customers()) {
      idList.push(id);
      tenure.push(Math.max(0, (nowMs - Date.parse(createdAt)) / MS_PER_DAY));
    }
    const count = idList.length;
    const ids = Int32Array.from(idList);
    // Position of each customer id in `ids` (−1: erased or unknown), so a scan row finds its slot at once.
    const positionOf = new Int32Array((count ? ids[count - 1]! : 0) + 1).fill(-1);
    for (let k = 0; k < count; k++) positionOf[ids[k]!] = k;
    const lifetime = new Float64Array(count);
    const recent = new Float64Array(count);
    const windows = spendWindows.map(() => new Float64Array(count));
    const events = new Int32Array(count);
    const lastEventAtMs = new Float64Array(count).fill(NaN);
    for (const row of repository.eventTotals(rates, since, spendWindows)) {
      const customerId = row[0];
      const k = customerId < positionOf.length ? positionOf[customerId]! : -1;
      if (k < 0) continue;
      lifetime[k] = row[1] ?? 0;
      recent[k] = row[2] ?? 0;
      for (let w = 0; w < windowCount; w++) windows[w]![k] = (row[3 + w] as number | null) ?? 0;
      events[k] = row[3 + windowCount] as number;
      lastEventAtMs[k] = Date.parse(row[4 + windowCount] as string);
    }
    const stored = new Uint8Array(count);
    for (const customerId of repository.storedIds()) {
      const k = customerId < positionOf.length ? positionOf[customerId]! : -1;
      if (k >= 0) stored[k] = 1;
    }
    const contacts = new Int32Array(count);
    for (const [customerId, n] of repository.contacts(since)) {
      const k = customerId < positionOf.length ? positionOf[customerId]! : -1;
      if (k >= 0) contacts[k] = n;
    }
    return {
      ids,
      tenureDays: Float64Array.from(tenure),
      lifetime,
      recent,
      contacts,
      stored,
      spend: { positionOf, windows, events, lastEventAtMs },
    };
  });

  const read = lap();
  const count = ids.length;
  const scores = new Float64Array(count);
  const facts: ValueFacts = { lifetimeValue: 0, recentSpend: 0, tenureDays: 0, contacts: 0 };
  const factsAt = (k: number) => {
    facts.lifetimeValue = lifetime[k]!;
    facts.recentSpend = recent[k]!;
    facts.tenureDays = tenureDays[k]!;
    facts.contacts = contacts[k]!;
    return facts;
  };
  for (let k = 0; k < count; k++) scores[k] = scoreOf(factsAt(k), model.weights);
  const ranked = rankScores(scores, model.tiers);
  const rank = lap();

  repository.useWriteCache(writeCacheMb);
  repository.markRunning(computedAt);
  let changed = 0;
  for (let start = 0; start < count; start += batchSize) {
    // The rows are built outside the transaction: the lock is held only while SQLite writes.
    const rows: ComputedValueRow[] = [];
    for (let k = start; k < Math.min(count, start + batchSize); k++) {
      const tier = TIERS[ranked.tiers[k]!]!;
      const topPercent = ranked.topPercent[k]!;
      rows.push({
        customerId: ids[k]!,
        score: scores[k]!,
        tier,
        topPercent,
        reason: JSON.stringify(reasonOf(factsAt(k), { tier, topPercent }, model)),
        stored: stored[k] === 1,
      });
    }
    changed += repository.saveBatch(rows, computedAt, computedAt);
    sleep(pauseMs);
  }
  repository.finish(ranked.ranking, computedAt);
  repository.releaseCache();
  return {
    customers: count,
    changed,
    ranking: ranked.ranking,
    phasesMs: { read, rank, write: lap() },
    spend,
  };
}
