import type { Clock } from '../clock.js';
import type { Config } from '../config.js';

/** What `buildApp` hands every domain plugin: the configuration and the clock, nothing process-wide. */
export interface AppContext {
  config: Config;
  clock: Clock;
  /** Whether the call path's periodic timers run (see BuildAppOptions.callTimers). */
  callTimers: boolean;
  /** IVR flow folder. */
  flowsDir: string;
}
