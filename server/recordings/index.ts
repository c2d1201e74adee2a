export {
  RECORDING_EVENTS,
  createRecordingsService,
  type RecordingsService,
  type RecordingsServiceDeps,
} from './recordings.service.js';
export { recordingsRoutes } from './recordings.routes.js';
