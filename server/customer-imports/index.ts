export { customerImportsPlugin } from './customer-imports.plugin.js';
