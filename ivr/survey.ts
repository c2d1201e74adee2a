import type { GatherInput } from './engine.js';
import { normalize, says } from './engine.js';
import { SURVEY_DEFAULTS, type Language, type Prompt, type Survey } from './ivr.schemas.js';
import * as verbs from './verbs.js';

/**
 * The post-call survey as pure steps: which question comes next, what the caller's keys or words
 * mean, and the TwiML that asks. The server keeps the answers; these functions only decide.
 */

export const SURVEY_QUESTIONS = ['score', 'resolved'] as const;
export type SurveyQuestionId = (typeof SURVEY_QUESTIONS)[number];

/** Where the caller is in the survey: the question asked, and whether this is its one retry. */
export interface SurveyPosition {
  question: SurveyQuestionId;
  attempt: 1 | 2;
}

/** Recorded answers: a score 1-5, resolved 1 yes / 0 no; null when not (validly) answered. */
export interface SurveyAnswers {
  score: number | null;
  resolved: number | null;
}

/** How a survey ended, as `interaction_surveys.status` records it. */
export type SurveyEndStatus = 'completed' | 'partial' | 'no_answer' | 'hung_up';

export interface SurveyStepResult {
  /** An answer to record: a value, or null for "no answer" after the retry. None while a retry is due. */
  recorded: { question: SurveyQuestionId; value: number | null } | null;
  /** What to ask next; null when the survey is over. */
  next: SurveyPosition | null;
}

/** Words every survey understands for the keys, besides the flow's own phrases. */
const KEY_WORDS: Record<Language, Record<string, readonly string[]>> = {
  'en-US': { '1': ['one'], '2': ['two'], '3': ['three'], '4': ['four'], '5': ['five'] },
  'zh-CN': { '1': ['一'], '2': ['二', '两'], '3': ['三'], '4': ['四'], '5': ['五'] },
};

export function questionsOf(survey: Survey): SurveyQuestionId[] {
  return survey.resolved ? ['score', 'resolved'] : ['score'];
}

export function firstPosition(): SurveyPosition {
  return { question: 'score', attempt: 1 };
}

/** The keys a question accepts: 1-5 for the score, 1 (yes) and 2 (no) for resolved. */
function keysOf(question: SurveyQuestionId): string[] {
  return question === 'score' ? ['1', '2', '3', '4', '5'] : ['1', '2'];
}

/** The value a key records: the score itself, or 1 (yes) / 0 (no). */
function valueOf(question: SurveyQuestionId, key: string): number {
  return question === 'score' ? Number(key) : key === '1' ? 1 : 0;
}

/** The key the caller pressed or said for `question`, or null when it is none of its keys. */
export function heardKey(
  survey: Survey,
  question: SurveyQuestionId,
  language: Language,
  input: GatherInput,
): string | null {
  const keys = keysOf(question);
  const digits = input.Digits?.trim();
  if (digits) return keys.includes(digits) ? digits : null;
  const speech = normalize(input.SpeechResult ?? '');
  if (!speech) return null;
  if (keys.includes(speech)) return speech;
  // The longest phrase heard wins, so "没有解决" (no) is not taken for "解决" (yes).
  let best: { key: string; length: number } | null = null;
  for (const key of keys) {
    const phrases = [
      ...(survey[question]?.speech?.[key]?.[language] ?? []),
      ...(question === 'score' ? (KEY_WORDS[language][key] ?? []) : []),
    ];
    for (const phrase of phrases) {
      if (says(speech, phrase) && (best === null || phrase.length > best.length))
        best = { key, length: phrase.length };
    }
  }
  return best?.key ?? null;
}

/**
 * One answer to the question at `position`: a valid key is recorded and the next question follows;
 * an invalid key or silence asks the same question once more, then records no answer and moves on.
 */
export function surveyStep(
  survey: Survey,
  position: SurveyPosition,
  language: Language,
  input: GatherInput,
): SurveyStepResult {
  const key = heardKey(survey, position.question, language, input);
  if (key === null && position.attempt === 1) return { recorded: null, next: { ...position, attempt: 2 } };
  const questions = questionsOf(survey);
  const following = questions[questions.indexOf(position.question) + 1];
  return {
    recorded: { question: position.question, value: key === null ? null : valueOf(position.question, key) },
    next: following === undefined ? null : { question: following, attempt: 1 },
  };
}

/** How a survey with `answers` ended: `finished` when every question was asked, else the caller hung up. */
export function surveyEndStatus(
  survey: Survey,
  answers: SurveyAnswers,
  ending: 'finished' | 'hung_up',
): SurveyEndStatus {
  const questions = questionsOf(survey);
  const answered = questions.filter((question) => answers[question] !== null).length;
  if (answered === questions.length) return 'completed';
  if (answered > 0) return 'partial';
  return ending === 'finished' ? 'no_answer' : 'hung_up';
}

function speak(parent: verbs.Speaker, prompt: Prompt | undefined, language: Language, fallback: Language) {
  if (prompt === undefined) return;
  for (const part of Array.isArray(prompt) ? prompt : [prompt]) {
    if ('language' in part) {
      verbs.say(parent, part.text, part.language);
      continue;
    }
    const spoken = part[language] === undefined ? fallback : language;
    const text = part[spoken];
    if (text !== undefined) verbs.say(parent, text, spoken);
  }
}

export interface SurveyTwimlOptions {
  survey: Survey;
  language: Language;
  /** The flow's default language: words missing in the caller's are spoken in it. */
  fallback: Language;
  /** The question to ask, or null to thank the caller and hang up. */
  position: SurveyPosition | null;
  /** Where Twilio posts the answer to `position` (and comes back to on silence). */
  action: string;
}

/** The TwiML that asks the question at `position` (keys or speech), or thanks and hangs up. */
export function surveyTwiml({ survey, language, fallback, position, action }: SurveyTwimlOptions): string {
  const response = verbs.response();
  if (position === null) {
    speak(response, survey.thanks, language, fallback);
    verbs.hangup(response);
    return response.toString();
  }
  const question = survey[position.question];
  const hints = keysOf(position.question).flatMap((key) => question?.speech?.[key]?.[language] ?? []);
  const listen = verbs.gather(response, {
    action,
    timeoutSeconds: survey.timeoutSeconds ?? SURVEY_DEFAULTS.timeoutSeconds,
    numDigits: 1,
    speechLanguage: language,
    hints,
  });
  if (position.attempt === 2) speak(listen, survey.retryPrompt, language, fallback);
  speak(listen, question?.prompt, language, fallback);
  // Silence falls through the <Gather>: the same URL without Digits is no answer.
  verbs.redirect(response, action);
  return response.toString();
}
