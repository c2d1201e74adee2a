export { lifecyclePlugin } from './lifecycle.plugin.js';
export {
  createLifecycleService,
  type LifecycleService,
  type StageChange,
  type StageSetByHand,
} from './lifecycle.service.js';
export { evaluateAll, type EvaluateAllResult, type LifecycleModelInput } from './lifecycle.evaluate.js';
export type { LifecycleModel } from './lifecycle-model.js';
export {
  lifecyclePass,
  type LifecyclePassResult,
  type NightlyStageChanges,
  type EventFacts,
} from './lifecycle-pass.js';
export { spendWindows } from './lifecycle.repository.js';
