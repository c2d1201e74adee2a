import type { Reservation } from '../../queues/index.js';
import { acdStep } from '../http/acd-conflict.js';
import { conflict } from '../http/errors.js';
import type { OfferDeclinedReason } from '../interactions/interaction.machine.js';
import type { CallContext } from './call-context.js';
import { crmRequestOf } from './crm-enricher.js';
import { alternativeOf, staffed } from './queue-wait.js';

/** Calls into CallQueues and out to agents: enqueue, dispatch, offers, accept and decline. */
export function createRouting(ctx: CallContext) {
  const { acd, sessions, interactions, callQueues, agents, log, nowIso, applySafely, push } = ctx;

  async function offer(reservations: Reservation[]): Promise<void> {
    for (const reservation of reservations) {
      applySafely(
        reservation.interactionId,
        { type: 'offered', agentId: reservation.agentId },
        new Date(reservation.createdAtMs).toISOString(),
        reservation.reason,
      );
      await push(reservation.agentId);
      if (agents.get(reservation.agentId).autoAccept) await acceptFor(reservation.agentId, reservation.id);
    }
  }

  /**
   * Accepts an offer for an Agent who has offers accepted for them. A refusal is only logged: nobody
   * clicked to be told, and their desk shows where it left them (a break when their softphone is away).
   */
  async function acceptFor(agentId: number, reservationId: number): Promise<void> {
    try {
      await accept(agentId, reservationId);
    } catch (error) {
      log.warn({ err: error, agentId, reservationId }, 'an offer accepted for the agent did not go through');
    }
  }

  async function dispatch(): Promise<void> {
    await offer(await acd.dispatch());
  }

  async function accept(agentId: number, reservationId: number): Promise<void> {
    await refuseWhenPhoneAway(agentId, reservationId);
    const reservation = await acdStep(() => acd.acceptReservation(reservationId, agentId));
    const session = await sessions.get(reservation.interactionId);
    const address = ctx.audioAddressOf(agentId);
    await push(agentId);
    if (!session || !address || !ctx.phone) {
      log.warn({ interactionId: reservation.interactionId, agentId }, 'accepted call has no audio path');
      return;
    }
    try {
      const leg = await ctx.phone.connectAgent({
        ...ctx.target(session),
        agent: address,
        ringTimeoutSeconds: ctx.ringTimeoutSeconds,
      });
      await sessions.update(session.interactionId, () => ({ agentLegId: leg.providerCallId }));
      // The caller hung up while the leg was being placed: nobody will cancel it otherwise.
      if (interactions.facts(session.interactionId).endedAt)
        await ctx.cancelAgentLeg({ ...session, agentLegId: leg.providerCallId });
    } catch (error) {
      log.error({ err: error, interactionId: session.interactionId }, 'could not connect the agent');
      throw conflict('The call could not be connected to your phone; it is still waiting for you');
    }
  }

  /** The Agent turns an offer down: the call goes back to its queue and the Agent to a break. */
  async function decline(agentId: number, reservationId: number, reason: OfferDeclinedReason): Promise<void> {
    const reservation = await acdStep(() => acd.rejectReservation(reservationId, agentId));
    applySafely(reservation.interactionId, { type: 'offer_declined', agentId, reason }, nowIso());
    await push(agentId);
    await dispatch();
  }

  /**
   * Accepting a call for a softphone that is not registered would send the caller to nobody: the offer
   * is declined for the Agent instead, and the caller waits on for the next one.
   */
  async function refuseWhenPhoneAway(agentId: number, reservationId: number): Promise<void> {
    const pending = await acd.getReservation(reservationId);
    if (!ctx.phone || pending?.agentId !== agentId || pending.state !== 'pending') return;
    const session = await sessions.get(pending.interactionId);
    const address = ctx.audioAddressOf(agentId);
    if (!session || !address || (await ctx.phone.canRing(ctx.target(session), address))) return;
    await decline(agentId, reservationId, 'unreachable');
    throw conflict(
      'Your softphone is not registered, so the call went back to the queue and you are on a break. ' +
        'Check the softphone, then make yourself available.',
    );
  }

  return {
    dispatch,
    offer,
    accept,
    decline,

    /** Gives the ACD a call queue's current routing settings; the call path does so whenever it uses one. */
    ensureRouted: async (queueId: number): Promise<void> => {
      await acd.upsertQueue(ctx.acdQueue(callQueues.get(queueId)));
    },

    /**
     * The IVR is done with the caller and hands them to a CallQueue. Returns the queue's id. A queue
     * that refuses callers while nobody is signed in (`joinEmpty` off) sets the session's
     * `queueEmpty` instead: the caller is not queued and gets the alternative.
     */
    enqueue: async (
      interactionId: number,
      request: { queueName: string; priorityBoostSeconds: number; ivrAnswers: Record<string, string> },
    ): Promise<number> => {
      const queue = callQueues.findByName(request.queueName);
      if (!queue) throw new Error(`The IVR routed to an unknown call queue "${request.queueName}"`);
      const interaction = interactions.facts(interactionId);
      // The IVR may have identified the caller since the arrival's lookup: a new one starts then.
      ctx.crm?.start(crmRequestOf(interactionId, interaction, ctx.customers));
      const tier = ctx.tierOf(interaction.customerId);
      interactions.annotate(interactionId, { ivrAnswers: request.ivrAnswers });
      applySafely(interactionId, { type: 'ivr_left' }, nowIso());
      applySafely(interactionId, { type: 'queued', queueId: queue.id }, nowIso());
      await acd.upsertQueue(ctx.acdQueue(queue));
      if (!queue.joinEmpty && !(await acd.getCall(interactionId)) && !(await staffed(acd, queue.id))) {
        const alternative = alternativeOf(queue);
        interactions.note(interactionId, 'queue_empty', nowIso(), null, { queueId: queue.id, alternative });
        await sessions.update(interactionId, () => ({ queueId: queue.id, queueEmpty: alternative }));
        return queue.id;
      }
      const { created, state } = await acd.enqueue({ interactionId, queueId: queue.id, tier });
      if (!created && state !== 'queued') {
        // Only a retried webhook enqueues twice, and then the call is still waiting.
        throw new Error(`Interaction ${interactionId} is already known to the ACD as ${state}`);
      }
      if (request.priorityBoostSeconds > 0)
        await acd.raisePriority(interactionId, request.priorityBoostSeconds);
      await sessions.update(interactionId, () => ({ queueId: queue.id }));
      return queue.id;
    },

    /** What the caller hears while waiting: their place in the queue and the expected wait. */
    waitingInfo: async (
      interactionId: number,
    ): Promise<{ position: number; estimatedWaitSeconds: number | null } | null> => {
      const place = await acd.position(interactionId);
      if (!place) return null;
      const averageHandleSeconds = interactions.averageHandleSeconds(
        place.queueId,
        new Date(ctx.clock.now().getTime() - 86_400_000).toISOString(),
      );
      return {
        position: place.position,
        estimatedWaitSeconds:
          averageHandleSeconds === null
            ? null
            : await acd.estimatedWaitSeconds(place.queueId, averageHandleSeconds),
      };
    },

    /** Signing out takes the agent out of routing: a ringing offer goes back to the queue. */
    signedOut: async (agentId: number): Promise<void> => {
      const agent = await acd.getAgent(agentId);
      if (agent?.status === 'reserved' && agent.reservationId !== null) {
        const reservationId = agent.reservationId;
        const reservation = await acdStep(() => acd.rejectReservation(reservationId, agentId));
        applySafely(
          reservation.interactionId,
          { type: 'offer_declined', agentId, reason: 'cancelled' },
          nowIso(),
        );
      }
      const status = (await acd.getAgent(agentId))?.status;
      if (status === 'available' || status === 'break') await acd.agentEvent(agentId, 'logout');
      await dispatch();
    },
  };
}

export type Routing = ReturnType<typeof createRouting>;
