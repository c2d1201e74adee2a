export { RECORDING_EVENTS } from './recording-events.js';
export {
  createRecordingsService,
  type RecordingsService,
  type RecordingsServiceDeps,
} from './recordings.service.js';
export { recordingsRoutes } from './recordings.routes.js';
