import type { Db } from '../../db/connection.js';
import type { LifecycleStage } from '../../contracts/glossary.js';
import type { LifecycleReason } from '../../contracts/lifecycle.js';
import type { LifecycleModel } from './lifecycle-model.js';
import {
  createLifecycleRepository,
  currentOf,
  factsOf,
  type EvaluationWrite,
  type FactsRow,
  type LifecycleRepository,
} from './lifecycle.repository.js';
import { decide } from './lifecycle.rules.js';

/** A stage change as the listeners of `onStageChanged` get it. */
export interface StageChange {
  customerId: number;
  from: LifecycleStage;
  to: LifecycleStage;
  reasons: LifecycleReason[];
  /** ISO-8601, UTC. */
  at: string;
}

/** What the evaluation needs from the value model: its currency and rates, and its lifecycle section. */
export interface LifecycleModelInput {
  currency: string;
  exchangeRates: Record<string, number>;
  lifecycle: LifecycleModel;
}

/**
 * Customers per range of the nightly pass: big enough that each range is a few set-based reads, small
 * enough that a range's facts and writes stay a few megabytes and one write transaction is short.
 */
export const RANGE_SIZE = 20_000;

/** The write for one customer when the verdict differs from what is stored; null when nothing changed. */
export function writeFor(row: FactsRow, model: LifecycleModel, now: Date): EvaluationWrite | null {
  const nowMs = now.getTime();
  const verdict = decide(factsOf(row), model, nowMs, currentOf(row));
  const churnReasons = JSON.stringify(verdict.churnReasons);
  const stageChanged = verdict.stage !== row.stage || row.stageSince === null;
  if (!stageChanged && verdict.churnScore === row.churnScore && churnReasons === row.churnReasons)
    return null;
  const at = now.toISOString();
  return {
    customerId: row.customerId,
    stage: verdict.stage,
    stageSince: stageChanged ? at : row.stageSince!,
    stageSource: stageChanged ? 'rules' : row.stageSource!,
    churnScore: verdict.churnScore,
    churnReasons,
    evaluatedAt: at,
    // The first evaluation of a customer whose stage already agrees records no change: nothing moved.
    change:
      verdict.stage !== row.stage
        ? {
            from: row.stage,
            reasons: JSON.stringify(verdict.stageReasons),
            interactionId: null,
            agentId: null,
          }
        : null,
  };
}

const changeOf = (write: EvaluationWrite): StageChange | null =>
  write.change && {
    customerId: write.customerId,
    from: write.change.from,
    to: write.stage,
    reasons: JSON.parse(write.change.reasons) as LifecycleReason[],
    at: write.stageSince,
  };

/** Evaluates customers lo…hi and stores what changed; returns the stage changes. */
export function evaluateRange(
  repository: LifecycleRepository,
  model: LifecycleModel,
  now: Date,
  lo: number,
  hi: number,
): { evaluated: number; written: number; changes: StageChange[] } {
  const rows = repository.facts(lo, hi, now.getTime());
  const writes = rows.map((row) => writeFor(row, model, now)).filter((write) => write !== null);
  if (writes.length > 0) repository.write(writes);
  return {
    evaluated: rows.length,
    written: writes.length,
    changes: writes.map(changeOf).filter((change) => change !== null),
  };
}

export interface EvaluateAllResult {
  customers: number;
  /** Customers whose stage or churn score changed. */
  written: number;
  stageChanges: number;
  durationMs: number;
}

/**
 * Every customer's stage and churn-risk score, the nightly pass: customers in id ranges of
 * RANGE_SIZE, each range's facts read by a few set-based aggregates and its changes written in one
 * transaction. A plain function of a connection, so it may run on a worker thread with a connection
 * of its own; `onChange` gets each stage change after its range is committed (on a worker thread,
 * post them to the main thread, where the service's listeners are).
 */
export function evaluateAll(
  db: Db,
  model: LifecycleModelInput,
  now: Date,
  onChange?: (change: StageChange) => void,
): EvaluateAllResult {
  const started = performance.now();
  const repository = createLifecycleRepository(db, model);
  const { low, high } = repository.idRange();
  const result = { customers: 0, written: 0, stageChanges: 0 };
  if (low !== null && high !== null) {
    for (let lo = low; lo <= high; lo += RANGE_SIZE) {
      const range = evaluateRange(repository, model.lifecycle, now, lo, Math.min(high, lo + RANGE_SIZE - 1));
      result.customers += range.evaluated;
      result.written += range.written;
      result.stageChanges += range.changes.length;
      if (onChange) range.changes.forEach(onChange);
    }
  }
  return { ...result, durationMs: performance.now() - started };
}
