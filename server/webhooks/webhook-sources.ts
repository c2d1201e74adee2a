import type { FastifyBaseLogger } from 'fastify';
import type { CompletedSurvey } from '../surveys/index.js';
import type { InteractionFacts } from '../interactions/interactions.schemas.js';
import type { DomainEvents } from './outbox.js';

/** An Interaction as `interaction.closed` reports it: ids, codes and times, no number, name or notes. */
export const interactionClosed = (interaction: InteractionFacts) =>
  ({
    type: 'interaction.closed',
    data: {
      interactionId: interaction.id,
      direction: interaction.direction,
      provider: interaction.provider,
      customerId: interaction.customerId,
      queueId: interaction.queueId,
      agentId: interaction.agentId,
      outcome: interaction.outcome,
      arrivedAt: interaction.arrivedAt,
      answeredAt: interaction.answeredAt,
      endedAt: interaction.endedAt,
      waitSeconds: interaction.waitSeconds,
      talkSeconds: interaction.talkSeconds,
      heldSeconds: interaction.heldSeconds,
      wrapUpCode: interaction.wrapUpCode?.code ?? null,
      parentInteractionId: interaction.parentInteractionId,
    },
  }) as const;

export const surveyCompleted = (survey: CompletedSurvey) =>
  ({
    type: 'survey.completed',
    data: {
      interactionId: survey.interactionId,
      customerId: survey.customerId,
      queueId: survey.queueId,
      agentId: survey.agentId,
      score: survey.score,
      resolved: survey.resolved,
      status: survey.status,
      language: survey.language,
      endedAt: survey.endedAt,
    },
  }) as const;

export interface WebhookSources {
  interactions: {
    onCompleted(listener: (interactionId: number) => void): void;
    facts(id: number): InteractionFacts;
  };
  surveys: { onCompleted(listener: (survey: CompletedSurvey) => void): () => void };
}

/**
 * Publishes the events of domains that announce them after their commit (an Interaction closed, a
 * survey ended). Their listeners run in the same synchronous turn as the commit, so only a process
 * killed between the two statements loses the event; customers and follow-ups publish inside their
 * own transactions instead.
 */
export function publishFromSources(
  sources: WebhookSources,
  events: DomainEvents,
  log: FastifyBaseLogger,
): void {
  // These listeners run on the call path, which must not fail because an event could not be written.
  const guarded = (publish: () => void) => {
    try {
      publish();
    } catch (error) {
      log.error({ err: error }, 'webhook event not recorded');
    }
  };
  // The interactions domain announces a completed Interaction again when it is later linked to a
  // customer; the key keeps the first announcement only.
  sources.interactions.onCompleted((interactionId) =>
    guarded(() =>
      events.publish(interactionClosed(sources.interactions.facts(interactionId)), {
        dedupeKey: `interaction.closed:${interactionId}`,
      }),
    ),
  );
  sources.surveys.onCompleted((survey) => guarded(() => events.publish(surveyCompleted(survey))));
}
