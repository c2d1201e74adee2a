export { retentionPlugin } from './retention.plugin.js';
export type { RetentionService } from './retention.service.js';
