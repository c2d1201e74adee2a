import type { Me } from '../auth/auth.schemas.js';
import { acdStep } from '../http/acd-conflict.js';
import { badRequest, conflict, forbidden, notFound } from '../http/errors.js';
import type { WrapUpPayload } from '../realtime/realtime.events.js';
import type { CallContext } from './call-context.js';
import type { CallbackJob } from './calls.jobs.js';

export interface WrapUpDeps {
  dispatch: () => Promise<void>;
  scheduleCallbackCall: (job: CallbackJob, dueAtMs: number) => Promise<void>;
}

/** After the call: the agent's wrap-up code and notes, and naming the customer behind an unknown caller. */
export function createWrapUp(ctx: CallContext, { dispatch, scheduleCallbackCall }: WrapUpDeps) {
  const { acd, interactions, customers, nowIso, applySafely, push } = ctx;

  return {
    /**
     * Names the customer behind an unknown caller, during or right after the call: the interaction
     * joins the customer's history and the caller's number joins their phones (when it is free), so
     * the next call is recognised. Agents may link their own calls; supervisors and admins any.
     */
    linkCustomer: async (actor: Me, interactionId: number, customerId: number, ip: string): Promise<void> => {
      const interaction = interactions.facts(interactionId);
      // As on reading it: another's call is answered as one that does not exist (ids are sequential).
      if (actor.role === 'agent' && interaction.agentId !== actor.id)
        throw notFound('Interaction', interactionId);
      if (interaction.customerId !== null && interaction.customerId !== customerId) {
        throw conflict(`Interaction ${interactionId} already belongs to customer ${interaction.customerId}`);
      }
      const tier = customers.tierOf(customerId);
      if (tier === null) throw notFound('Customer', customerId);
      interactions.annotate(interactionId, { customerId });
      interactions.note(interactionId, 'customer_linked', nowIso(), actor.id, { customerId });
      if (interaction.callerNumber && customers.normalize(interaction.callerNumber)) {
        const owner = customers.identifyByNumber(interaction.callerNumber);
        if (owner === null)
          customers.addPhone(actor, customerId, { number: interaction.callerNumber, label: 'mobile' }, ip);
      }
      if (interaction.agentId !== null) await push(interaction.agentId);
    },

    submitWrapUp: async (agent: Me, request: WrapUpPayload): Promise<void> => {
      const interactionId = interactions.inWrapUpFor(agent.id);
      if (interactionId !== request.interactionId) {
        throw forbidden(`Interaction ${request.interactionId} is not waiting for your wrap-up`);
      }
      const interaction = interactions.facts(interactionId);
      const { codes, queue } = ctx.codesOf(interaction.queueId);
      const code = request.wrapUpCodeId === null ? null : codes.find((c) => c.id === request.wrapUpCodeId);
      if (request.wrapUpCodeId !== null && !code) {
        throw badRequest(`Wrap-up code ${request.wrapUpCodeId} does not belong to this call's queue`);
      }
      if (!code && queue?.acwPolicy === 'mandatory' && codes.length > 0) {
        throw badRequest('This queue requires a wrap-up code');
      }
      const scheduled = code
        ? customers.applyWrapUpAction(agent.id, interaction.customerId, code, {
            interactionId,
            queueId: interaction.queueId,
            callbackAt: request.callbackAt ?? null,
          })
        : null;
      if (code?.followUp && interaction.customerId !== null) {
        ctx.followUps?.createFromWrapUp(
          agent.id,
          { ...code.followUp, title: code.label, code: code.code },
          { interactionId, customerId: interaction.customerId, queueId: interaction.queueId },
        );
      }
      const callbackNumber = interaction.callerNumber ? customers.normalize(interaction.callerNumber) : null;
      if (scheduled && callbackNumber && interaction.queueId !== null) {
        await scheduleCallbackCall(
          {
            parentInteractionId: interactionId,
            phoneNumber: callbackNumber,
            customerId: interaction.customerId,
            queueId: interaction.queueId,
            followUpId: scheduled.followUpId,
            attempt: 1,
            enqueuedAtMs: null,
          },
          Date.parse(scheduled.dueAt),
        );
      }
      const notes = request.notes.trim();
      applySafely(
        interactionId,
        { type: 'wrap_up_submitted', wrapUpCodeId: code?.id ?? null, notes: notes || null },
        nowIso(),
      );
      await acdStep(() => acd.endWrapUp(agent.id));
      await push(agent.id);
      await dispatch();
    },
  };
}
