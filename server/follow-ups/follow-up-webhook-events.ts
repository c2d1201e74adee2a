import type { FollowUpRecord, NewFollowUp } from './follow-ups.repository.js';

/** `followup.created` as webhooks deliver it: ids, kind and times, not the title or note. */
export const followUpCreated = (
  id: number,
  followUp: Pick<
    NewFollowUp,
    | 'customerId'
    | 'interactionId'
    | 'kind'
    | 'priority'
    | 'dueAt'
    | 'source'
    | 'ownerAgentId'
    | 'ownerQueueId'
  >,
) =>
  ({
    type: 'followup.created',
    data: {
      followUpId: id,
      customerId: followUp.customerId,
      interactionId: followUp.interactionId,
      kind: followUp.kind,
      priority: followUp.priority,
      dueAt: followUp.dueAt,
      source: followUp.source,
      ownerAgentId: followUp.ownerAgentId,
      ownerQueueId: followUp.ownerQueueId,
    },
  }) as const;

/** `followup.done`: who completed which follow-up of which customer. */
export const followUpDone = (followUp: Pick<FollowUpRecord, 'id' | 'customerId' | 'kind'>, agentId: number) =>
  ({
    type: 'followup.done',
    data: { followUpId: followUp.id, customerId: followUp.customerId, kind: followUp.kind, agentId },
  }) as const;
