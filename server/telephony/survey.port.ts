import type { Language, Survey, SurveyPosition } from '../../ivr/index.js';
import type { GatherInput } from '../../ivr/index.js';

/** What to say next in a caller's post-call survey. */
export interface SurveyPrompt {
  survey: Survey;
  /** The flow the questions come from: the next step's URL names it. */
  flowId: string;
  language: Language;
  /** The flow's default language, for words missing in the caller's. */
  fallback: Language;
  /** The question to ask, or null: thank the caller and hang up. */
  position: SurveyPosition | null;
}

/**
 * The post-call survey as the telephony adapters see it (the surveys domain implements it). Only
 * Twilio can play it; a SIP call is recorded as not offered.
 */
export interface SurveyCalls {
  /** Whether the caller of Interaction `interactionId` stays for the survey when the Agent hangs up. */
  offersSurvey(interactionId: number): boolean;
  /**
   * Whether the caller of `interactionId` went on to another part of the call (a transfer): Twilio
   * requests a `<Dial>`'s action also when the call is moved to new TwiML, and that request is no
   * Agent leaving.
   */
  handedOn(interactionId: number): boolean;
  /**
   * The Agent left the caller's bridge with the caller still on the line. The survey starts
   * (its first question) or not (null: hang up). Runs once per Interaction; a repeat gets null.
   */
  start(interactionId: number, ivr: { flowId: string; language: Language } | null): SurveyPrompt | null;
  /** The caller answered the question at `position` (or stayed silent); null when no survey runs. */
  answer(
    interactionId: number,
    flowId: string,
    position: SurveyPosition,
    input: GatherInput,
  ): SurveyPrompt | null;
  /** The caller's leg ended: a running survey ends with what was answered. */
  callerLeft(interactionId: number): void;
  /** A SIP conversation ended: no media server can play the survey, so it is recorded as not offered. */
  sipConversationEnded(interactionId: number): void;
}
