export { customerMergePlugin } from './customer-merge.plugin.js';
