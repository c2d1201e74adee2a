import type { Db } from '../../db/connection.js';
import type { SurveyQuestionId } from '../../ivr/index.js';

/** `interaction_surveys.status` (migration 015). */
export type SurveyStatus = 'not_offered' | 'offered' | 'completed' | 'partial' | 'no_answer' | 'hung_up';

/** Why a survey was not played, as `not_offered_reason` records it. */
export const NOT_OFFERED_REASONS = {
  /** A SIP call: there is no media server to play the questions. */
  sipNoMedia: 'sip_no_media',
  /** The caller hung up before (or as) the Agent did. */
  callerHungUp: 'caller_hung_up',
  /** The caller's IVR flow has no `survey` section. */
  noQuestions: 'no_questions',
} as const;
export type NotOfferedReason = (typeof NOT_OFFERED_REASONS)[keyof typeof NOT_OFFERED_REASONS];

export interface SurveyRow {
  interaction_id: number;
  customer_id: number | null;
  queue_id: number | null;
  agent_id: number | null;
  status: SurveyStatus;
  not_offered_reason: string | null;
  language: string | null;
  score: number | null;
  resolved: number | null;
  offered_at: string | null;
  ended_at: string | null;
}

/** What a survey needs to know of its Interaction and CallQueue. */
export interface SurveyContext {
  interactionId: number;
  provider: string;
  customerId: number | null;
  queueId: number | null;
  agentId: number | null;
  answered: boolean;
  surveyEnabled: boolean;
}

/** Both answers have their own column; the question id picks it, never the caller's input. */
const ANSWER_COLUMNS: Record<SurveyQuestionId, 'score' | 'resolved'> = {
  score: 'score',
  resolved: 'resolved',
};

export function createSurveysRepository(db: Db) {
  const statements = {
    context: db.prepare<
      [number],
      {
        id: number;
        provider: string;
        customer_id: number | null;
        queue_id: number | null;
        agent_id: number | null;
        answered_at: string | null;
        survey_enabled: number | null;
      }
    >(
      `SELECT i.id, i.provider, i.customer_id, i.queue_id, i.agent_id, i.answered_at, q.survey_enabled
         FROM interactions i LEFT JOIN call_queues q ON q.id = i.queue_id WHERE i.id = ?`,
    ),
    insert: db.prepare(
      `INSERT INTO interaction_surveys (interaction_id, customer_id, queue_id, agent_id, status,
         not_offered_reason, language, offered_at, ended_at, created_at)
       VALUES (@interactionId, @customerId, @queueId, @agentId, @status, @reason, @language, @offeredAt,
         @endedAt, @now)
       ON CONFLICT (interaction_id) DO NOTHING`,
    ),
    get: db.prepare<[number], SurveyRow>('SELECT * FROM interaction_surveys WHERE interaction_id = ?'),
    score: db.prepare(
      "UPDATE interaction_surveys SET score = ? WHERE interaction_id = ? AND status = 'offered'",
    ),
    resolved: db.prepare(
      "UPDATE interaction_surveys SET resolved = ? WHERE interaction_id = ? AND status = 'offered'",
    ),
    end: db.prepare(
      "UPDATE interaction_surveys SET status = ?, ended_at = ? WHERE interaction_id = ? AND status = 'offered'",
    ),
    // The Interaction and those it continues (transfers keep the caller's call): a survey runs on
    // at most one of them, the one whose conversation the caller left last.
    runningOnCall: db.prepare<[number], SurveyRow>(
      `WITH RECURSIVE chain(id, parent) AS (
         SELECT id, CASE WHEN origin = 'transfer' THEN parent_interaction_id END
           FROM interactions WHERE id = ?
         UNION ALL
         SELECT i.id, CASE WHEN i.origin = 'transfer' THEN i.parent_interaction_id END
           FROM interactions i JOIN chain ON i.id = chain.parent
       )
       SELECT s.* FROM interaction_surveys s JOIN chain ON s.interaction_id = chain.id
        WHERE s.status = 'offered' LIMIT 1`,
    ),
    handedOn: db.prepare<[number, number], { handed_on: number }>(
      `SELECT EXISTS (SELECT 1 FROM interactions WHERE id = ? AND outcome = 'transferred')
           OR EXISTS (SELECT 1 FROM interactions
                       WHERE parent_interaction_id = ? AND origin = 'transfer' AND ended_at IS NULL)
           AS handed_on`,
    ),
    // Only a running survey has no end yet: the ended_at index finds them without a scan.
    staleOffered: db.prepare<[string], SurveyRow>(
      `SELECT * FROM interaction_surveys
        WHERE ended_at IS NULL AND status = 'offered' AND offered_at < ? ORDER BY offered_at`,
    ),
    lastScore: db.prepare<[number], { score: number; ended_at: string }>(
      `SELECT score, ended_at FROM interaction_surveys
        WHERE customer_id = ? AND score IS NOT NULL ORDER BY ended_at DESC LIMIT 1`,
    ),
  };

  return {
    context(interactionId: number): SurveyContext | null {
      const row = statements.context.get(interactionId);
      if (!row) return null;
      return {
        interactionId: row.id,
        provider: row.provider,
        customerId: row.customer_id,
        queueId: row.queue_id,
        agentId: row.agent_id,
        answered: row.answered_at !== null,
        surveyEnabled: row.survey_enabled === 1,
      };
    },

    /** Creates the Interaction's survey; false when it has one already (a retried webhook). */
    create(
      context: SurveyContext,
      fields: { status: 'offered' | 'not_offered'; reason?: NotOfferedReason; language?: string; at: string },
    ): boolean {
      const offered = fields.status === 'offered';
      return (
        statements.insert.run({
          interactionId: context.interactionId,
          customerId: context.customerId,
          queueId: context.queueId,
          agentId: context.agentId,
          status: fields.status,
          reason: fields.reason ?? null,
          language: fields.language ?? null,
          offeredAt: offered ? fields.at : null,
          endedAt: offered ? null : fields.at,
          now: fields.at,
        }).changes === 1
      );
    },

    get: (interactionId: number): SurveyRow | null => statements.get.get(interactionId) ?? null,

    /** The survey running on Interaction `interactionId`'s call: its own, or one it continues from. */
    runningOnCall: (interactionId: number): SurveyRow | null =>
      statements.runningOnCall.get(interactionId) ?? null,

    /** Whether the caller of `interactionId` was handed on to another part of the call (a transfer). */
    handedOn: (interactionId: number): boolean =>
      statements.handedOn.get(interactionId, interactionId)?.handed_on === 1,

    /** Surveys offered before `offeredBefore` (ISO 8601) that have not ended. */
    staleOffered: (offeredBefore: string): SurveyRow[] => statements.staleOffered.all(offeredBefore),

    /** Records an answer (null: no answer) while the survey runs; false once it has ended. */
    answer(interactionId: number, question: SurveyQuestionId, value: number | null): boolean {
      return statements[ANSWER_COLUMNS[question]].run(value, interactionId).changes === 1;
    },

    /** Ends a running survey; false when it had ended already, so it ends once. */
    end(
      interactionId: number,
      status: Exclude<SurveyStatus, 'offered' | 'not_offered'>,
      at: string,
    ): boolean {
      return statements.end.run(status, at, interactionId).changes === 1;
    },

    /** The customer's most recent score, by `interaction_surveys_customer`. */
    lastScoreOf(customerId: number): { score: number; at: string } | null {
      const row = statements.lastScore.get(customerId);
      return row ? { score: row.score, at: row.ended_at } : null;
    },
  };
}

export type SurveysRepository = ReturnType<typeof createSurveysRepository>;
