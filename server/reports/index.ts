export { rollUpInteraction, createRollupRepository } from './rollup.repository.js';
