export { customerDataPlugin } from './customer-data.plugin.js';
export type { ErasureService } from './erasure.service.js';
