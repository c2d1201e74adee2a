import type { FastifyBaseLogger } from 'fastify';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { RealtimeServer } from '../realtime/realtime.plugin.js';
import {
  CallPayload,
  ConsultPayload,
  MutePayload,
  RecordingPayload,
  ReservationPayload,
  SetStatusPayload,
  TransferPayload,
  WrapUpPayload,
} from '../realtime/realtime.events.js';
import { guarded } from '../realtime/socket-commands.js';
import type { Me } from '../auth/auth.schemas.js';
import { deskError, type CallsService } from './calls.service.js';

/** The recordings capability's desk command (server/recordings), passed in so calls does not import it. */
export type RecordingControl = (agent: Me, payload: RecordingPayload, ip: string) => Promise<unknown>;

/**
 * The agent desk over socket.io: every connected console gets its desk state at once, and each
 * command is validated, run for the socket's own agent only, and acknowledged with a clear error.
 */
export function attachDesk(
  io: RealtimeServer,
  calls: CallsService,
  log: FastifyBaseLogger,
  recording?: RecordingControl,
): void {
  io.on('connection', (socket) => {
    const agent = socket.data.agent;
    void calls.push(agent.id).catch((error: unknown) => log.error({ err: error }, 'desk state failed'));

    const handle = <S extends TSchema, P>(schema: S, run: (payload: P) => Promise<void>) =>
      guarded(log, { agentId: agent.id }, async (payload, reply) => {
        if (!Value.Check(schema, payload)) {
          const first = Value.Errors(schema, payload)[0];
          reply({
            ok: false,
            error: `Invalid request: ${first ? `${first.instancePath} ${first.message}` : 'bad payload'}`,
          });
          return;
        }
        try {
          await run(payload);
        } catch (error) {
          const message = deskError(error);
          // Not a refusal the agent can act on: guarded() logs it and answers a server error.
          if (message === null) throw error;
          reply({ ok: false, error: message });
          return;
        }
        reply({ ok: true });
      });

    socket.on(
      'agent:set-status',
      handle(SetStatusPayload, (p: SetStatusPayload) => calls.setStatus(agent, p)),
    );
    socket.on(
      'offer:accept',
      handle(ReservationPayload, (p: ReservationPayload) => calls.accept(agent, p.reservationId)),
    );
    socket.on(
      'offer:reject',
      handle(ReservationPayload, (p: ReservationPayload) => calls.reject(agent, p.reservationId)),
    );
    socket.on(
      'call:hold',
      handle(CallPayload, (p: CallPayload) => calls.hold(agent, p.interactionId)),
    );
    socket.on(
      'call:resume',
      handle(CallPayload, (p: CallPayload) => calls.resume(agent, p.interactionId)),
    );
    socket.on(
      'call:mute',
      handle(MutePayload, (p: MutePayload) => calls.mute(agent, p.interactionId, p.muted)),
    );
    socket.on(
      'call:hangup',
      handle(CallPayload, (p: CallPayload) => calls.hangUp(agent, p.interactionId)),
    );
    socket.on(
      'call:transfer',
      handle(TransferPayload, (p: TransferPayload) => calls.transfer(agent, p.interactionId, p.to)),
    );
    socket.on(
      'call:consult',
      handle(ConsultPayload, (p: ConsultPayload) => calls.consult(agent, p.interactionId, p.to)),
    );
    socket.on(
      'call:consult-complete',
      handle(CallPayload, (p: CallPayload) => calls.completeConsult(agent, p.interactionId)),
    );
    socket.on(
      'call:consult-cancel',
      handle(CallPayload, (p: CallPayload) => calls.cancelConsult(agent, p.interactionId)),
    );
    socket.on(
      'wrapup:submit',
      handle(WrapUpPayload, (p: WrapUpPayload) => calls.submitWrapUp(agent, p)),
    );
    if (recording) {
      socket.on(
        'call:recording',
        handle(RecordingPayload, async (p: RecordingPayload) => {
          await recording(agent, p, socket.handshake.address);
        }),
      );
    }
  });
}
