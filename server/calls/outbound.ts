import { AcdError, qualifies } from '../../queues/index.js';
import type { Me } from '../auth/auth.schemas.js';
import { conflict, invalidPhone, notFound } from '../http/errors.js';
import type { CallContext } from './call-context.js';
import { newSession } from './call-sessions.js';

export interface OutboundDeps {
  callerEnded: (interactionId: number, status?: string) => Promise<void>;
}

/** Calls an agent places themselves (click-to-call). */
export function createOutbound(ctx: CallContext, { callerEnded }: OutboundDeps) {
  const { acd, sessions, interactions, customers, callQueues, agents, log, nowIso, applySafely } = ctx;

  return {
    /**
     * Click-to-call: the agent's phone rings first, then, once they answer, the customer's. Refused
     * for a customer who asked not to be called, and unless the agent is available or on a break.
     * Returns the new outbound Interaction.
     */
    dial: async (
      agent: Me,
      request: { number: string; customerId?: number; queueId?: number; followUpId?: number },
    ): Promise<{ interactionId: number }> => {
      const phoneNumber = customers.normalize(request.number);
      if (!phoneNumber) throw invalidPhone(request.number);
      const customerId = request.customerId ?? customers.identifyByNumber(phoneNumber);
      if (customerId !== null) {
        const may = customers.mayCall(customerId);
        if (may === null) throw notFound('Customer', customerId);
        if (!may) throw conflict('This customer asked not to be called');
      }
      if (
        request.followUpId !== undefined &&
        (customerId === null || !customers.hasOpenFollowUp(customerId, request.followUpId))
      )
        throw notFound('Open follow-up of this customer', request.followUpId);
      const queue =
        request.queueId !== undefined
          ? callQueues.get(request.queueId)
          : (callQueues.list().find((q) => qualifies(agents.get(agent.id).skills, q.skills)) ??
            callQueues.list()[0]);
      if (!queue) throw conflict('There is no call queue to place the call in');
      const phone = ctx.telephony();
      const provider = ctx.outboundProvider;
      const address = ctx.audioAddressOf(agent.id);
      if (!address) throw conflict('You have no phone or softphone address to ring');
      await ctx.syncAgent(agent.id);
      const status = (await acd.getAgent(agent.id))?.status;
      if (status !== 'available' && status !== 'break')
        throw conflict('You can place a call only when available or on a break', {
          code: 'outbound_not_now',
        });
      const interactionId = interactions.recordOutbound({
        provider,
        number: phoneNumber,
        customerId,
        queueId: queue.id,
        agentId: agent.id,
        at: nowIso(),
      });
      const tier = ctx.tierOf(customerId);
      await acd.upsertQueue(ctx.acdQueue(queue));
      try {
        await acd.startOutbound({ interactionId, queueId: queue.id, tier, agentId: agent.id });
      } catch (error) {
        // Offered a call in the meantime: this one never starts.
        applySafely(interactionId, { type: 'ended', outcome: 'failed' }, nowIso());
        if (error instanceof AcdError) throw conflict(error.message);
        throw error;
      }
      const session = newSession({
        interactionId,
        provider,
        providerCallId: '',
        callerNumber: phoneNumber,
        queueId: queue.id,
        dialOut: { phoneNumber, callback: null, followUpId: request.followUpId ?? null },
      });
      await sessions.put(session);
      await ctx.push(agent.id);
      try {
        const leg = await phone.connectAgent({
          ...ctx.target(session),
          agent: address,
          ringTimeoutSeconds: ctx.ringTimeoutSeconds,
        });
        await sessions.update(interactionId, () => ({ agentLegId: leg.providerCallId }));
      } catch (error) {
        log.error({ err: error, interactionId }, 'could not ring the agent for an outbound call');
        await callerEnded(interactionId, 'failed');
        throw conflict('Your phone could not be rung; the call was not placed');
      }
      return { interactionId };
    },
  };
}
