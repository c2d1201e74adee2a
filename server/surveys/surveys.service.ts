import type { FastifyBaseLogger } from 'fastify';
import {
  firstPosition,
  surveyEndStatus,
  surveyStep,
  type FlowCatalog,
  type Language,
  type SurveyPosition,
} from '../../ivr/index.js';
import { isoNow, type Clock } from '../clock.js';
import type { InteractionsService } from '../interactions/index.js';
import type { SurveyCalls, SurveyPrompt } from '../telephony/survey.port.js';
import { SURVEY_EVENTS } from './survey-events.js';
import {
  NOT_OFFERED_REASONS,
  type NotOfferedReason,
  type SurveyContext,
  type SurveyRow,
  type SurveysRepository,
  type SurveyStatus,
} from './surveys.repository.js';

/** A survey that ended after it was offered, as `onCompleted` listeners get it. */
export interface CompletedSurvey {
  interactionId: number;
  customerId: number | null;
  queueId: number | null;
  agentId: number | null;
  /** 1 (very unhappy) to 5 (very happy); null when not answered. */
  score: number | null;
  /** "Was your problem solved?"; null when not answered. */
  resolved: boolean | null;
  status: Exclude<SurveyStatus, 'offered' | 'not_offered'>;
  language: Language;
  /** ISO 8601. */
  endedAt: string;
}

export interface SurveysServiceDeps {
  surveys: SurveysRepository;
  interactions: Pick<InteractionsService, 'note'>;
  flows: FlowCatalog;
  clock: Clock;
  log: FastifyBaseLogger;
  /**
   * Minutes after which a survey still running is taken as ended without its last callback (the
   * caller's hang-up was lost): `sweep` closes it. Default 10, far longer than any survey runs.
   */
  staleAfterMinutes?: number;
}

const isLanguage = (value: string | null): value is Language => value === 'en-US' || value === 'zh-CN';

const answeredAny = (row: SurveyRow) => row.score !== null || row.resolved !== null;

/**
 * The post-call satisfaction survey: who is asked, what they answered, how it ended. One row per
 * Interaction (`interaction_surveys`), created once and ended once, so a retried or duplicated
 * webhook records nothing twice.
 */
export function createSurveysService({
  surveys,
  interactions,
  flows,
  clock,
  log,
  staleAfterMinutes = 10,
}: SurveysServiceDeps) {
  const listeners = new Set<(survey: CompletedSurvey) => void>();

  const eligible = (context: SurveyContext | null): context is SurveyContext =>
    context !== null && context.surveyEnabled && context.answered;

  function notOffered(context: SurveyContext, reason: NotOfferedReason) {
    const at = isoNow(clock);
    if (!surveys.create(context, { status: 'not_offered', reason, at })) return;
    interactions.note(context.interactionId, SURVEY_EVENTS.notOffered, at, null, { reason });
  }

  function promptOf(
    flowId: string,
    language: Language,
    position: SurveyPosition | null,
  ): SurveyPrompt | null {
    const flow = flows.flows.get(flowId);
    if (!flow?.survey) return null;
    return { survey: flow.survey, flowId, language, fallback: flow.language, position };
  }

  /**
   * Ends the running survey of `row` once as `status`, tells the timeline and the listeners; `swept`
   * when no callback ended it (see `sweep`). False when it had ended already.
   */
  function end(row: SurveyRow, status: CompletedSurvey['status'], swept = false): boolean {
    const language: Language = isLanguage(row.language) ? row.language : 'en-US';
    const at = isoNow(clock);
    if (!surveys.end(row.interaction_id, status, at)) return false;
    interactions.note(row.interaction_id, SURVEY_EVENTS.ended, at, null, {
      status,
      ...(swept && { swept }),
      ...(row.score !== null && { score: row.score }),
      ...(row.resolved !== null && { resolved: row.resolved === 1 }),
    });
    const completed: CompletedSurvey = {
      interactionId: row.interaction_id,
      customerId: row.customer_id,
      queueId: row.queue_id,
      agentId: row.agent_id,
      score: row.score,
      resolved: row.resolved === null ? null : row.resolved === 1,
      status,
      language,
      endedAt: at,
    };
    for (const listener of listeners) {
      try {
        listener(completed);
      } catch (error) {
        // A listener's failure must not fail the caller's webhook, nor keep the others from hearing.
        log.error({ err: error, interactionId: row.interaction_id }, 'a survey listener failed');
      }
    }
    return true;
  }

  const calls: SurveyCalls = {
    offersSurvey(interactionId) {
      const context = surveys.context(interactionId);
      return context !== null && context.surveyEnabled && context.provider === 'twilio';
    },

    handedOn: (interactionId) => surveys.handedOn(interactionId),

    start(interactionId, ivr) {
      const context = surveys.context(interactionId);
      if (!eligible(context)) return null;
      const prompt = ivr && promptOf(ivr.flowId, ivr.language, firstPosition());
      if (!prompt) {
        notOffered(context, NOT_OFFERED_REASONS.noQuestions);
        return null;
      }
      const at = isoNow(clock);
      if (!surveys.create(context, { status: 'offered', language: prompt.language, at })) return null;
      interactions.note(interactionId, SURVEY_EVENTS.offered, at, null, { language: prompt.language });
      return prompt;
    },

    answer(interactionId, flowId, position, input) {
      const row = surveys.get(interactionId);
      if (row?.status !== 'offered' || !isLanguage(row.language)) return null;
      const prompt = promptOf(flowId, row.language, position);
      if (!prompt) return null;
      const { recorded, next } = surveyStep(prompt.survey, position, row.language, input);
      if (recorded) {
        if (!surveys.answer(interactionId, recorded.question, recorded.value)) return null;
        interactions.note(interactionId, SURVEY_EVENTS.answered, isoNow(clock), null, {
          question: recorded.question,
          answer: recorded.value === null ? 'no_answer' : recorded.value,
        });
      }
      if (next === null) {
        const row = surveys.get(interactionId)!;
        const answers = { score: row.score, resolved: row.resolved };
        end(row, surveyEndStatus(prompt.survey, answers, 'finished'));
      }
      return { ...prompt, position: next };
    },

    callerLeft(interactionId) {
      // The call's survey may be an earlier part's: its Agent hung up after a consultation whose
      // part is the newest on the call, so the caller's end names that part.
      const running = surveys.runningOnCall(interactionId);
      // A question is still open (the last answer ends the survey): what was answered is kept.
      if (running) return void end(running, answeredAny(running) ? 'partial' : 'hung_up');
      if (surveys.get(interactionId)) return;
      const context = surveys.context(interactionId);
      // The caller went before the Agent: nobody is left to ask.
      if (eligible(context) && context.provider === 'twilio')
        notOffered(context, NOT_OFFERED_REASONS.callerHungUp);
    },

    sipConversationEnded(interactionId) {
      const context = surveys.context(interactionId);
      if (eligible(context)) notOffered(context, NOT_OFFERED_REASONS.sipNoMedia);
    },
  };

  return {
    ...calls,

    /**
     * Calls `listener` once for every survey that ends after it was offered (completed, partial,
     * no_answer, hung_up), after the row is written; not for surveys never offered. Returns the
     * unsubscribe function. A listener that throws is logged and does not affect the call.
     */
    onCompleted(listener: (survey: CompletedSurvey) => void): () => void {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },

    /**
     * Closes the surveys still running `staleAfterMinutes` after they were offered: the caller's
     * final callback never came (lost, or refused while no server listened). What was answered is
     * kept (`partial`), else `no_answer`; the timeline's `survey_ended` says `swept`. A callback or
     * answer arriving later finds the survey ended and records nothing. Safe in every server
     * process at once: each survey ends once. Returns how many it closed.
     */
    sweep(): number {
      const cutoff = new Date(clock.now().getTime() - staleAfterMinutes * 60_000).toISOString();
      let closed = 0;
      for (const row of surveys.staleOffered(cutoff))
        if (end(row, answeredAny(row) ? 'partial' : 'no_answer', true)) closed += 1;
      return closed;
    },

    /** The customer's most recent survey score and when it was given, for the screen pop. */
    lastScoreOf: (customerId: number) => surveys.lastScoreOf(customerId),
  };
}

export type SurveysService = ReturnType<typeof createSurveysService>;
