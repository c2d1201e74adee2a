import type { LifecycleReason } from '../../contracts/lifecycle.js';
import type { Clock } from '../clock.js';
import type { StageSetByHand } from '../customers/index.js';
import { notFound } from '../http/errors.js';
import type { LifecycleModel } from './lifecycle-model.js';
import type { NightlyStageChanges } from './lifecycle-pass.js';
import { evaluateRange, type EvaluateAllResult, type StageChange } from './lifecycle.evaluate.js';
import type { LifecycleRepository } from './lifecycle.repository.js';
import type { NightlyChangesRepository } from './nightly-changes.repository.js';
import type { CustomerLifecycle } from './lifecycle.schemas.js';

export type { StageChange } from './lifecycle.evaluate.js';
export type { StageSetByHand } from '../customers/index.js';

export interface LifecycleServiceDeps {
  repository: LifecycleRepository;
  model: LifecycleModel;
  clock: Clock;
  /** Whether the customer exists (erased ones too): the API's 404. */
  customerExists: (customerId: number) => boolean;
  /** The nightly run now (the recomputation on its worker thread); its changes come by `announceNightly`. */
  evaluateAll: () => Promise<EvaluateAllResult>;
  /** Where the nightly pass's unannounced stage changes are recorded. */
  nightly: NightlyChangesRepository;
  /** Where a listener's failure is reported: it must not undo the change or stop the others. */
  logError: (error: unknown, message: string) => void;
}

/** Changes shown on the customer's lifecycle timeline; older ones stay in the table. */
const HISTORY_SHOWN = 50;

export function createLifecycleService(deps: LifecycleServiceDeps) {
  const { repository, model, clock } = deps;
  const listeners = new Set<(change: StageChange) => void>();

  function emit(change: StageChange) {
    for (const listener of listeners) {
      try {
        listener(change);
      } catch (error) {
        deps.logError(error, 'a lifecycle stage listener failed');
      }
    }
  }

  /** Evaluation beside another write (a close, a purchase) must not fail that write: logged, caught up nightly. */
  function safely(work: () => unknown, when: string) {
    try {
      work();
    } catch (error) {
      deps.logError(error, `lifecycle evaluation ${when} failed`);
    }
  }

  /** One customer, now: their facts read in one set-based pass over their own rows. */
  function evaluateCustomer(customerId: number): StageChange[] {
    const { changes } = evaluateRange(repository, model, clock.now(), customerId, customerId);
    changes.forEach(emit);
    return changes;
  }

  function recordSetByHand(change: StageSetByHand): void {
    const at = clock.now().toISOString();
    const stored = repository.stored(change.customerId);
    const reasons: LifecycleReason[] = [
      { code: 'set_by_hand', days: 0, ...(change.wrapUpCode && { wrapUpCode: change.wrapUpCode }) },
    ];
    repository.write([
      {
        customerId: change.customerId,
        stage: change.to,
        stageSince: at,
        stageSource: change.source,
        churnScore: stored?.churnScore ?? 0,
        churnReasons: stored?.churnReasons ?? '[]',
        evaluatedAt: at,
        change: {
          from: change.from,
          reasons: JSON.stringify(reasons),
          interactionId: change.interactionId,
          agentId: change.agentId,
        },
      },
    ]);
    emit({ customerId: change.customerId, from: change.from, to: change.to, reasons, at });
    // The churn score follows the evidence, not the hand: refresh it (the stage holds).
    evaluateCustomer(change.customerId);
  }

  return {
    /**
     * Calls `listener` once for each stage change, whatever made it (an interaction closing, a value
     * event, the nightly pass, a wrap-up code or an edit), after it is stored. Listeners run
     * synchronously on the path that made the change (an interaction's close among them), so they
     * must be quick and queue any slow work (e.g. a win-back follow-up as a job); a listener that
     * throws is logged and the others still run. Returns a function that removes the listener.
     */
    onStageChanged(listener: (change: StageChange) => void): () => void {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },

    evaluateCustomer,

    /**
     * An interaction of the customer was completed: their stage and churn score now. Never throws
     * into the call path: a failure is logged and the nightly pass catches up.
     */
    afterInteractionCompleted(customerId: number | null): void {
      if (customerId !== null) safely(() => evaluateCustomer(customerId), 'after an interaction');
    },

    /** New value events of the customer were stored (a lost customer who buys is won back). */
    afterValueEventsStored(customerId: number): void {
      safely(() => evaluateCustomer(customerId), 'after value events');
    },

    /** A survey of the customer ended: a low score may put them at risk. */
    afterSurveyCompleted(customerId: number): void {
      safely(() => evaluateCustomer(customerId), 'after a survey');
    },

    /** The score at or below which a survey answer counts as low (the model's `lifecycle.lowScore`). */
    lowScore: model.lowScore,

    /** Records a stage set by hand, which holds against the rules for `manualHoldDays`. */
    recordSetByHand(change: StageSetByHand): void {
      safely(() => recordSetByHand(change), 'of a stage set by hand');
    },

    /** The stage, churn-risk score with its reasons, and the stage changes, latest first. */
    lifecycleOf(customerId: number): CustomerLifecycle {
      const stored = repository.stored(customerId);
      if (!stored || !deps.customerExists(customerId)) throw notFound('Customer', customerId);
      return {
        customerId,
        stage: stored.stage,
        since: stored.stageSince,
        source: stored.stageSource,
        churn:
          stored.churnScore === null || stored.evaluatedAt === null
            ? null
            : {
                score: stored.churnScore,
                reasons: JSON.parse(stored.churnReasons ?? '[]') as LifecycleReason[],
                evaluatedAt: stored.evaluatedAt,
              },
        history: repository.changes(customerId, HISTORY_SHOWN),
      };
    },

    /** Every customer now, as the nightly run does (an admin's request). */
    evaluateAll: (): Promise<EvaluateAllResult> => deps.evaluateAll(),

    /**
     * A batch of stage changes the nightly pass committed on its worker thread: each to the
     * listeners, then recorded as announced. A process killed in between announces the batch again
     * at its next start: listeners must take a change twice (the win-back follow-up's key is the
     * customer and the change's time, so it is made once).
     */
    announceNightly(batch: NightlyStageChanges): void {
      for (const { id: _id, ...change } of batch.changes) emit(change);
      const last = batch.changes.at(-1);
      if (last) deps.nightly.advance(batch.runAt, last.id);
    },

    /**
     * Announces what no listener heard of the nightly runs' committed changes (a worker or process
     * killed mid-run: its last batches never reached the main thread), and closes those runs. After
     * each run, finished or not, and at start.
     */
    catchUpNightly(): number {
      let announced = 0;
      for (const { runAt, announcedThrough } of deps.nightly.pending()) {
        for (const { id: _id, ...change } of deps.nightly.unannounced(runAt, announcedThrough)) {
          emit(change);
          announced += 1;
        }
        deps.nightly.close(runAt);
      }
      return announced;
    },
  };
}

export type LifecycleService = ReturnType<typeof createLifecycleService>;
