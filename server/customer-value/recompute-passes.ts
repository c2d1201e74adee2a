import type { Db } from '../../db/connection.js';
import { lifecyclePass, spendWindows, type NightlyStageChanges } from '../lifecycle/index.js';
import { createRecomputeRepository } from './recompute.repository.js';
import { valuePass, type SpendByWindow } from './value-pass.js';
import type { ValueModel } from './value-model.js';

/** What the server sends a recomputation: the models in force and its clock's time. */
export interface RecomputeJob {
  /** The app clock's now, epoch ms: a test's manual clock holds in the worker too. */
  nowMs: number;
  /** The value model, with the lifecycle rules in its `lifecycle` section. */
  model: ValueModel;
}

/** What a pass tells the server when it is done (logged, and answered by the route). */
export interface PassResult {
  name: string;
  durationMs: number;
  /** Customers the pass went through, and those it changed (tier in force, or stage). */
  customers: number;
  changed: number;
  /** Customers whose rows it rewrote, when it skips the unchanged (lifecycle: stage or churn score). */
  written?: number;
  /** The pass's own phases, in ms, when it times them. */
  phasesMs?: Record<string, number>;
}

/** What a pass posts to the main thread while it runs: the lifecycle's committed stage changes. */
export type PassMessage = { kind: 'stage-changes'; batch: NightlyStageChanges };

/** What one run's passes share: the main thread's mailbox, and what an earlier pass left for a later. */
export interface PassContext {
  post(message: PassMessage): void;
  /** The value pass's per-customer spend in the lifecycle rules' windows, events and latest event. */
  spend?: SpendByWindow;
}

export interface RecomputePass {
  name: string;
  /** Runs on the worker's own connection; may take long, writes in short transactions. */
  run(db: Db, job: RecomputeJob, context: PassContext): Omit<PassResult, 'name' | 'durationMs'>;
}

/**
 * The nightly recomputation: passes run one after the other on the worker thread's connection, each
 * over every customer. The lifecycle pass follows the value pass: its rules read the new values, and
 * the value pass's one scan of the value events sums the spend they compare, so the events are read
 * once a night. Both run nightly and on POST /api/customer-value/recompute.
 */
export const RECOMPUTE_PASSES: readonly RecomputePass[] = [
  {
    name: 'value',
    run(db, job, context) {
      const result = valuePass(createRecomputeRepository(db), job.model, new Date(job.nowMs), {
        spendWindows: spendWindows(job.model.lifecycle, job.nowMs),
      });
      context.spend = result.spend;
      return result;
    },
  },
  {
    name: 'lifecycle',
    run(db, job, context) {
      const [recent, previous] = context.spend?.windows ?? [];
      return lifecyclePass(db, job.model, new Date(job.nowMs), {
        ...(context.spend &&
          recent &&
          previous && {
            events: {
              positionOf: context.spend.positionOf,
              recent,
              previous,
              events: context.spend.events,
              lastEventAtMs: context.spend.lastEventAtMs,
            },
          }),
        announce: (batch) => context.post({ kind: 'stage-changes', batch }),
      });
    },
  },
];

/** Runs every pass in order on `db`, timing each; `post` carries what the passes post. */
export function runPasses(
  db: Db,
  job: RecomputeJob,
  post: (message: PassMessage) => void,
  passes: readonly RecomputePass[] = RECOMPUTE_PASSES,
): PassResult[] {
  const context: PassContext = { post };
  return passes.map((pass) => {
    const started = performance.now();
    const { customers, changed, written, phasesMs } = pass.run(db, job, context);
    return {
      name: pass.name,
      customers,
      changed,
      durationMs: performance.now() - started,
      ...(written !== undefined && { written }),
      ...(phasesMs && { phasesMs }),
    };
  });
}
