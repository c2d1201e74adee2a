export { customerDataPlugin } from './customer-data.plugin.js';
export type { ErasureService } from './erasure.service.js';
export { PERSONAL_KEYS as PERSONAL_EVENT_KEYS } from './erasure.repository.js';
