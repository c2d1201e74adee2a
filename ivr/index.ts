import { fileURLToPath } from 'node:url';

/** The shipped flows folder: every `*.yaml` flow and `numbers.yaml`. */
export const FLOWS_DIR = fileURLToPath(new URL('./flows/', import.meta.url));

export {
  FlowLoopError,
  initialState,
  inSensitiveStep,
  IvrStateError,
  MAX_AUTO_STEPS,
  step,
  type EffectResult,
  type GatherInput,
  type StepContext,
  type StepInput,
  type StepResult,
} from './engine.js';
export {
  flowForNumber,
  FlowError,
  loadFlows,
  NUMBERS_FILE,
  parseFlow,
  type FlowCatalog,
  type FlowIssue,
} from './flows.js';
export { isOpen } from './business-hours.js';
export {
  Effect,
  FLOW_ID_PATTERN,
  IvrState,
  LANGUAGES,
  Language,
  IvrOutcome,
  type Calendar,
  type Flow,
  type FlowNode,
  type NodeType,
  type NumberMap,
} from './ivr.schemas.js';
export * as verbs from './verbs.js';
export {
  firstPosition,
  questionsOf,
  SURVEY_QUESTIONS,
  surveyEndStatus,
  surveyStep,
  surveyTwiml,
  type SurveyAnswers,
  type SurveyEndStatus,
  type SurveyPosition,
  type SurveyQuestionId,
} from './survey.js';
export type { Survey } from './ivr.schemas.js';
