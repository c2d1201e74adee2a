import type { Db } from '../../db/connection.js';
import { createRecomputeRepository } from './recompute.repository.js';
import { valuePass } from './value-pass.js';
import type { ValueModel } from './value-model.js';

/** What the server sends a recomputation: the models in force and its clock's time. */
export interface RecomputeJob {
  /** The app clock's now, epoch ms: a test's manual clock holds in the worker too. */
  nowMs: number;
  model: ValueModel;
}

/** What a pass tells the server when it is done (logged, and the first pass's answered by the route). */
export interface PassResult {
  name: string;
  durationMs: number;
  /** Customers the pass went through, and those it changed. */
  customers: number;
  changed: number;
  /** The pass's own phases, in ms, when it times them. */
  phasesMs?: Record<string, number>;
}

export interface RecomputePass {
  name: string;
  /** Runs on the worker's own connection; may take long, writes in short transactions. */
  run(db: Db, job: RecomputeJob): { customers: number; changed: number; phasesMs?: Record<string, number> };
}

/**
 * The nightly recomputation: passes run one after the other on the worker thread's connection, each
 * over every customer. A pass added here (the lifecycle rules' `evaluateAll(db, model, now)`, after
 * the value pass so it sees the new tiers) runs nightly and on POST /api/customer-value/recompute.
 */
export const RECOMPUTE_PASSES: readonly RecomputePass[] = [
  {
    name: 'value',
    run: (db, job) => valuePass(createRecomputeRepository(db), job.model, new Date(job.nowMs)),
  },
];

/** Runs every pass in order on `db`, timing each. */
export function runPasses(
  db: Db,
  job: RecomputeJob,
  passes: readonly RecomputePass[] = RECOMPUTE_PASSES,
): PassResult[] {
  return passes.map((pass) => {
    const started = performance.now();
    const { customers, changed, phasesMs } = pass.run(db, job);
    return {
      name: pass.name,
      customers,
      changed,
      durationMs: performance.now() - started,
      ...(phasesMs && { phasesMs }),
    };
  });
}
