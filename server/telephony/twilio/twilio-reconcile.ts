import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Acd } from '../../../queues/index.js';
import type { Clock } from '../../clock.js';
import {
  conferenceNameOf,
  type CallEvents,
  type CallReader,
  type CallSession,
  type CallTarget,
} from '../telephony.port.js';

export interface TwilioReconcilerOptions {
  /** Twilio's record of calls (`GET Calls/{Sid}`, conference participants). */
  reader: CallReader;
  calls: CallEvents;
  acd: Acd;
  /** Whether an Interaction is recorded as answered. */
  answered: (interactionId: number) => boolean;
  /** Live Twilio calls the ACD does not hold: callers in the IVR or sent on to voicemail. */
  outsideQueues: () => number[];
  clock: Clock;
  log: FastifyBaseLogger;
}

/** A difference between Twilio's record of a live call and ours, and the callback it stands for. */
export type Finding =
  | { interactionId: number; kind: 'agent_answered'; at: Date | null }
  | { interactionId: number; kind: 'customer_answered'; at: Date | null }
  | { interactionId: number; kind: 'agent_leg_failed'; status: string }
  | { interactionId: number; kind: 'consult_answered'; at: Date | null }
  | { interactionId: number; kind: 'consult_ended'; status: string }
  | { interactionId: number; kind: 'caller_ended'; at: Date | null; status: string };

const describe = (finding: Finding): string => {
  const at = 'at' in finding && finding.at ? ` at ${finding.at.toISOString()}` : '';
  switch (finding.kind) {
    case 'agent_answered':
      return `interaction ${finding.interactionId}: Twilio says the agent's leg answered${at}; not recorded here`;
    case 'customer_answered':
      return `interaction ${finding.interactionId}: Twilio says the customer answered${at}; not recorded here`;
    case 'agent_leg_failed':
      return `interaction ${finding.interactionId}: Twilio ended the agent's leg unanswered (${finding.status}); the call still waits on it here`;
    case 'consult_answered':
      return `interaction ${finding.interactionId}: Twilio says the consulted leg answered${at}; not recorded here`;
    case 'consult_ended':
      return `interaction ${finding.interactionId}: Twilio ended the consulted leg (${finding.status}); still consulting here`;
    case 'caller_ended':
      return `interaction ${finding.interactionId}: Twilio ended the caller's leg (${finding.status})${at}; still live here`;
  }
};

/**
 * Twilio retries a refused callback once, at once: one sent while our server restarts is lost, and
 * a caller who hung up then would stay connected to their Agent here for ever. This pass compares
 * the live Twilio calls (in the IVR, waiting, offered, connected) with Twilio's own record and
 * replays what was missed through the same entry points the callbacks use, with Twilio's times:
 * an Agent leg that answered, or failed, a consulted leg that answered or ended, and a caller leg
 * that ended. Idempotent, so every server
 * process may run it, at start and every few seconds; a callback arriving after it changes nothing.
 */
export function createTwilioReconciler({
  reader,
  calls,
  acd,
  answered,
  outsideQueues,
  clock,
  log,
}: TwilioReconcilerOptions) {
  async function liveInteractions(): Promise<number[]> {
    const snapshot = await acd.snapshot();
    const ids = new Set([...outsideQueues(), ...snapshot.waiting.map((call) => call.interactionId)]);
    for (const reservation of snapshot.reservations) ids.add(reservation.interactionId);
    for (const { agentId } of snapshot.agents.on_call) {
      const interactionId = (await acd.getAgent(agentId))?.interactionId;
      if (interactionId) ids.add(interactionId);
    }
    return [...ids];
  }

  const targetOf = (session: CallSession): CallTarget => ({
    interactionId: session.interactionId,
    provider: 'twilio',
    providerCallId: session.providerCallId,
    conferenceName: session.conferenceName ?? conferenceNameOf(session.interactionId),
  });

  /**
   * The Agent's leg when the session lost it (the server stopped between placing the leg and
   * noting it): the one leg in the bridge that is not the caller's.
   */
  async function agentLegOf(
    session: CallSession,
    target: CallTarget,
    repair: boolean,
  ): Promise<string | null> {
    if (session.agentLegId) return session.agentLegId;
    const [leg, ...more] = (await reader.bridgeLegs(target)).filter((sid) => sid !== session.providerCallId);
    if (!leg || more.length > 0) return null;
    if (repair) await calls.saveSession({ ...session, agentLegId: leg });
    return leg;
  }

  async function findingsOf(interactionId: number, repair: boolean): Promise<Finding[]> {
    const session = await calls.session(interactionId);
    // A consulted Agent's part shares the caller's call: the consulting Interaction reconciles it.
    if (session?.provider !== 'twilio' || session.consultOf) return [];
    const target = targetOf(session);
    const found: Finding[] = [];
    const connected = (await acd.getCall(interactionId))?.state === 'connected';
    if (connected && !answered(interactionId)) {
      const agentLegId = await agentLegOf(session, target, repair);
      const agentLeg = agentLegId ? await reader.leg(target, agentLegId) : null;
      const dialling = session.dialOut && session.providerCallId === '';
      if (agentLeg?.answered && (dialling || !session.dialOut))
        found.push({ interactionId, kind: 'agent_answered', at: agentLeg.answeredAt });
      // Its end callback, when it came, was handled: replaying it would act twice.
      else if (
        agentLeg?.status === 'ended' &&
        !agentLeg.answered &&
        session.agentLegEnd?.legId !== agentLegId
      )
        found.push({ interactionId, kind: 'agent_leg_failed', status: agentLeg.endStatus ?? 'failed' });
    }
    const consult = session.consult;
    if (connected && consult && !consult.completed) {
      const leg = await reader.leg(target, consult.legId);
      if (!leg || leg.status === 'ended')
        found.push({ interactionId, kind: 'consult_ended', status: leg?.endStatus ?? 'completed' });
      else if (leg.answered && !consult.answered)
        found.push({ interactionId, kind: 'consult_answered', at: leg.answeredAt });
    }
    if (!session.providerCallId) return found;
    const caller = await reader.leg(target, session.providerCallId);
    if (session.dialOut && connected && caller?.answered && !answered(interactionId))
      found.push({ interactionId, kind: 'customer_answered', at: caller.answeredAt });
    if (!caller || caller.status === 'ended')
      found.push({
        interactionId,
        kind: 'caller_ended',
        at: caller?.endedAt ?? null,
        status: caller?.endStatus ?? 'completed',
      });
    return found;
  }

  /** Every live call's findings; one that cannot be read is skipped and named in `unread`. */
  async function findings(repair: boolean): Promise<{ found: Finding[]; unread: string[] }> {
    const found: Finding[] = [];
    const unread: string[] = [];
    for (const interactionId of await liveInteractions()) {
      try {
        found.push(...(await findingsOf(interactionId, repair)));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        log.warn({ interactionId, err: reason }, 'could not reconcile a call with Twilio');
        unread.push(`interaction ${interactionId}: Twilio could not be read (${reason})`);
      }
    }
    return { found, unread };
  }

  async function apply(finding: Finding): Promise<void> {
    log.info(
      { interactionId: finding.interactionId, finding: finding.kind },
      'Twilio callback missed: reconciled',
    );
    const at = ('at' in finding && finding.at) || clock.now();
    switch (finding.kind) {
      case 'agent_answered':
        return calls.agentLegAnswered(finding.interactionId, at);
      case 'customer_answered':
        return calls.customerAnswered(finding.interactionId, at);
      case 'agent_leg_failed':
        return calls.agentLegEnded(finding.interactionId, finding.status);
      case 'consult_answered':
        return calls.transferLegAnswered(finding.interactionId, at);
      case 'consult_ended':
        return calls.transferLegEnded(finding.interactionId, finding.status);
      case 'caller_ended':
        return calls.callerEnded(finding.interactionId, finding.status, at);
    }
  }

  let running: Promise<number[]> | null = null;

  return {
    /** Replays what Twilio did that we missed; returns the Interactions it changed. One pass at a time. */
    reconcile(): Promise<number[]> {
      running ??= (async () => {
        const changed = new Set<number>();
        for (const finding of (await findings(true)).found) {
          await apply(finding);
          changed.add(finding.interactionId);
        }
        return [...changed];
      })().finally(() => {
        running = null;
      });
      return running;
    },

    /** What reconciliation would change, in words, for the invariant check; changes nothing. */
    async check(): Promise<string[]> {
      const { found, unread } = await findings(false);
      return [...found.map(describe), ...unread];
    },
  };
}

export type TwilioReconciler = ReturnType<typeof createTwilioReconciler>;

export interface TwilioReconcileScheduleOptions {
  /** Redis key of the claim that lets one server process make each periodic pass. */
  claimKey: string;
  /** Also pass every `everyMs` after the one at start. Default true (off where tests drive time). */
  periodic?: boolean;
  /** Period of the passes after the first, in ms. Default 15000. */
  everyMs?: number;
}

/**
 * Callbacks lost while no process listened are replayed at start and, periodically, those lost
 * while this one ran (a retry Twilio could not deliver either). One process per period makes the
 * periodic pass, so Twilio is read once however many processes there are.
 */
export function scheduleTwilioReconciliation(
  app: FastifyInstance,
  reconciler: TwilioReconciler,
  { claimKey, periodic = true, everyMs = 15_000 }: TwilioReconcileScheduleOptions,
): void {
  let pass: Promise<unknown> = Promise.resolve();
  const reconcile = (claimed: boolean) => {
    pass = (async () => {
      if (claimed && (await app.redis.set(claimKey, '1', 'PX', everyMs - 1000, 'NX')) !== 'OK') return;
      await reconciler.reconcile();
    })().catch((err: unknown) => app.log.warn({ err }, 'Twilio reconciliation failed'));
  };
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    reconcile(false);
    if (periodic) timer = setInterval(() => reconcile(true), everyMs);
  });
  app.addHook('preClose', async () => {
    clearInterval(timer);
    await pass;
  });
}
