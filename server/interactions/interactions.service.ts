import type { Me } from '../auth/auth.schemas.js';
import { forbidden, notFound } from '../http/errors.js';
import { accessTo, withoutRecording } from './interaction-access.js';
import type { InteractionsRepository } from './interactions.repository.js';
import type {
  InteractionDetail,
  InteractionFacts,
  InteractionListQuery,
  InteractionPage,
} from './interactions.schemas.js';

export function createInteractionsService({ interactions }: { interactions: InteractionsRepository }) {
  return {
    /**
     * Agents see the history of a customer (the screen pop and 360 page) and their own calls; a
     * listing across every customer and agent is for supervisors and admins.
     */
    list(actor: Me, query: InteractionListQuery): InteractionPage {
      if (actor.role === 'agent' && query.customerId === undefined && query.agentId !== actor.id) {
        throw forbidden('Agents may list interactions of one customer (customerId) or their own (agentId)');
      }
      const limit = query.limit ?? 20;
      const offset = query.offset ?? 0;
      const { limit: _limit, offset: _offset, ...filter } = query;
      return { ...interactions.list(filter, limit, offset), limit, offset };
    },

    get(id: number): InteractionDetail {
      const interaction = interactions.get(id);
      if (!interaction) throw notFound('Interaction', id);
      return interaction;
    },

    /** An Interaction's own facts without its timeline: what the call path reads. */
    facts(id: number): InteractionFacts {
      const interaction = interactions.facts(id);
      if (!interaction) throw notFound('Interaction', id);
      return interaction;
    },

    /**
     * One Interaction as `actor` may see it. One they may not read is answered as one that does not
     * exist: ids are sequential, and a 403 would tell which calls took place.
     */
    readBy(actor: Me, id: number): InteractionDetail {
      const interaction = interactions.get(id);
      const access = interaction && accessTo(actor, interaction, interactions);
      if (!interaction || !access?.read) throw notFound('Interaction', id);
      return access.recording ? interaction : withoutRecording(interaction);
    },

    recentForCustomer: (customerId: number, limit: number) =>
      interactions.recentForCustomer(customerId, limit),
    recordArrival: (...args: Parameters<InteractionsRepository['recordArrival']>) =>
      interactions.recordArrival(...args),
    apply: (...args: Parameters<InteractionsRepository['apply']>) => interactions.apply(...args),
    onCompleted: (...args: Parameters<InteractionsRepository['onCompleted']>) =>
      interactions.onCompleted(...args),
    annotate: (...args: Parameters<InteractionsRepository['annotate']>) => interactions.annotate(...args),
    note: (...args: Parameters<InteractionsRepository['note']>) => interactions.note(...args),
    findByProviderCall: interactions.findByProviderCall,
    ownerOfProviderCall: (...args: Parameters<InteractionsRepository['ownerOfProviderCall']>) =>
      interactions.ownerOfProviderCall(...args),
    recordContinued: (...args: Parameters<InteractionsRepository['recordContinued']>) =>
      interactions.recordContinued(...args),
    recordOutbound: (...args: Parameters<InteractionsRepository['recordOutbound']>) =>
      interactions.recordOutbound(...args),
    continuationOf: (...args: Parameters<InteractionsRepository['continuationOf']>) =>
      interactions.continuationOf(...args),
    setProviderCall: (...args: Parameters<InteractionsRepository['setProviderCall']>) =>
      interactions.setProviderCall(...args),
    forgetProviderCall: (id: number) => interactions.forgetProviderCall(id),
    averageHandleSeconds: (queueId: number, since: string) =>
      interactions.averageHandleSeconds(queueId, since),
    reconcileLateAnswer: (...args: Parameters<InteractionsRepository['reconcileLateAnswer']>) =>
      interactions.reconcileLateAnswer(...args),
    withdrawAnswer: (...args: Parameters<InteractionsRepository['withdrawAnswer']>) =>
      interactions.withdrawAnswer(...args),
    inWrapUpFor: interactions.inWrapUpFor,
    outsideQueues: (provider: string) => interactions.outsideQueues(provider),
  };
}

export type InteractionsService = ReturnType<typeof createInteractionsService>;
