// What other domains use; app.ts registers reports.plugin.ts itself, as it does realtime.plugin.ts,
// so that the interactions repository's hook does not pull the routes (and their imports) in a cycle.
export { rollUpInteraction, createRollupRepository } from './rollup.repository.js';
export { csvStream, type CsvColumn } from './csv.js';
