import { idArg, list, type AcdContext, type Raw } from './acd-context.js';
import type { ReservationState } from './reservation.machine.js';

export interface Reservation {
  id: number;
  interactionId: number;
  agentId: number;
  queueId: number;
  state: ReservationState;
  createdAtMs: number;
  expiresAtMs: number;
  /** Why this agent, for supervisors and logs, e.g. "agent7: longest idle (42 s) among 3 with skill billing≥3". */
  reason: string;
}

export function toReservation(raw: Raw): Reservation {
  return {
    id: Number(raw.id),
    interactionId: Number(raw.interactionId),
    agentId: Number(raw.agentId),
    queueId: Number(raw.queueId),
    state: raw.state as ReservationState,
    createdAtMs: Number(raw.createdAtMs),
    expiresAtMs: Number(raw.expiresAtMs),
    reason: String(raw.reason),
  };
}

/** Offers of calls to agents: made by dispatch, answered by the agent or by the ring timeout. */
export function createAcdReservations({ run, clock }: AcdContext) {
  const answer = async (reservationId: number, agentId: number, event: 'accept' | 'reject') =>
    toReservation(
      (await run('answer_reservation', {
        reservationId: idArg(reservationId, 'reservationId'),
        agentId: idArg(agentId, 'agentId'),
        event,
      })) as Raw,
    );

  return {
    /** Offers waiting calls to eligible available agents, best call first; answers the reservations made. */
    async dispatch(): Promise<Reservation[]> {
      return list<Raw>(await run('dispatch', {})).map(toReservation);
    },

    /** Connects the call to the agent; the agent goes on_call. */
    acceptReservation: (reservationId: number, agentId: number) => answer(reservationId, agentId, 'accept'),

    /** Puts the call back at its original place; the agent goes on break for RONA. */
    rejectReservation: (reservationId: number, agentId: number) => answer(reservationId, agentId, 'reject'),

    /** Times out reservations due by `nowMs` (default now) as a reject would; answers them. */
    async expireReservations(nowMs = clock.now().getTime()): Promise<Reservation[]> {
      return list<Raw>(await run('expire_reservations', {}, nowMs)).map(toReservation);
    },

    async getReservation(reservationId: number): Promise<Reservation | null> {
      const raw = (await run('read', { kind: 'reservation', id: idArg(reservationId, 'reservationId') })) as
        Raw | undefined;
      return raw ? toReservation(raw) : null;
    },
  };
}
