export { surveysPlugin } from './surveys.plugin.js';
export { createSurveysService, type CompletedSurvey, type SurveysService } from './surveys.service.js';
export { createSurveysRepository, NOT_OFFERED_REASONS, type SurveyStatus } from './surveys.repository.js';
export { SURVEY_EVENTS } from './survey-events.js';
