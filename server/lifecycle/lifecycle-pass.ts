import type { Db } from '../../db/connection.js';
import { RANGE_SIZE, writeFor, type LifecycleModelInput } from './lifecycle.evaluate.js';
import { createLifecycleRepository, type FactsRow } from './lifecycle.repository.js';
import { createNightlyChangesRepository, type RecordedStageChange } from './nightly-changes.repository.js';

/** A batch of the nightly pass's stage changes, committed, posted to the main thread to announce. */
export interface NightlyStageChanges {
  /** The run's time (ISO-8601), also each change's `at`. */
  runAt: string;
  changes: RecordedStageChange[];
}

/**
 * Each customer's spend in the rules' two windows (see `spendWindows`), value events and latest
 * event's time (epoch ms, NaN without events), from the value pass's one read of the value events,
 * so that this pass reads none. Indexed by position.
 */
export interface EventFacts {
  /** Position of a customer id in the arrays below, −1 when the value pass did not see them. */
  positionOf: Int32Array;
  recent: Float64Array;
  previous: Float64Array;
  events: Int32Array;
  lastEventAtMs: Float64Array;
}

export interface LifecyclePassOptions {
  /** The value pass's facts of the events; without them each range reads the events (slower). */
  events?: EventFacts;
  /** Gets each range's committed stage changes (the worker posts them to the main thread). */
  announce?: (batch: NightlyStageChanges) => void;
  /** Customer ids per range (and write transaction). Default RANGE_SIZE. */
  rangeSize?: number;
}

export interface LifecyclePassResult {
  customers: number;
  /** Stage changes. */
  changed: number;
  /** Customers whose stage or churn score was written. */
  written: number;
  phasesMs: { read: number; write: number };
}

/**
 * The nightly lifecycle pass of the recomputation (after the value pass): every customer in id ranges
 * of RANGE_SIZE, each range's facts read set-based and its evaluations written in a transaction of
 * its own, so the server's writers wait one range at most. A stage change and its history row are
 * written in that transaction, and the run's `lifecycle.unannounced` row is opened before the first:
 * a change committed but never announced (the worker killed before its post reached the main thread)
 * is found there and announced by the main thread's catch-up (lifecycle.service.ts).
 */
export function lifecyclePass(
  db: Db,
  model: LifecycleModelInput,
  now: Date,
  options: LifecyclePassOptions = {},
): LifecyclePassResult {
  const repository = createLifecycleRepository(db, model);
  const nightly = createNightlyChangesRepository(db);
  const runAt = now.toISOString();
  const nowMs = now.getTime();
  const { events, announce, rangeSize = RANGE_SIZE } = options;
  const result = { customers: 0, changed: 0, written: 0, phasesMs: { read: 0, write: 0 } };
  const { low, high } = repository.idRange();
  if (low === null || high === null) return result;
  repository.refreshStatistics();
  nightly.open(runAt);
  for (let lo = low; lo <= high; lo += rangeSize) {
    const hi = Math.min(high, lo + rangeSize - 1);
    let started = performance.now();
    const rows: FactsRow[] = events
      ? repository.facts(lo, hi, nowMs, false).map((row) => withEvents(row, events))
      : repository.facts(lo, hi, nowMs);
    const writes = rows.map((row) => writeFor(row, model.lifecycle, now)).filter((write) => write !== null);
    result.phasesMs.read += performance.now() - started;
    started = performance.now();
    result.customers += rows.length;
    if (writes.length === 0) continue;
    const ids = repository.write(writes);
    result.written += writes.length;
    result.phasesMs.write += performance.now() - started;
    if (ids.length === 0) continue;
    result.changed += ids.length;
    const changes = writes.filter((write) => write.change !== null);
    announce?.({
      runAt,
      changes: changes.map((write, index) => ({
        id: ids[index]!,
        customerId: write.customerId,
        from: write.change!.from,
        to: write.stage,
        reasons: JSON.parse(write.change!.reasons) as RecordedStageChange['reasons'],
        at: write.stageSince,
      })),
    });
  }
  return result;
}

function withEvents(row: FactsRow, events: EventFacts): FactsRow {
  const k = row.customerId < events.positionOf.length ? events.positionOf[row.customerId]! : -1;
  if (k >= 0) {
    row.recentSpend = events.recent[k]!;
    row.previousSpend = events.previous[k]!;
    row.valueEvents = events.events[k]!;
    const lastAtMs = events.lastEventAtMs[k]!;
    // The rules read the time back as epoch ms (factsOf): the same instant as the stored text.
    row.lastValueAt = Number.isNaN(lastAtMs) ? null : new Date(lastAtMs).toISOString();
  }
  return row;
}
