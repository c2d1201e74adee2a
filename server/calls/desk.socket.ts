import type { FastifyBaseLogger } from 'fastify';
import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { RealtimeServer } from '../realtime/realtime.plugin.js';
import {
  CallPayload,
  ConsultPayload,
  type ClientToServerEvents,
  MutePayload,
  PlanNextPayload,
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

    const handle = <S extends TSchema>(schema: S, run: (payload: Static<S>) => Promise<void>) =>
      guarded(log, { agentId: agent.id }, async (payload, reply) => {
        if (!Value.Check(schema, payload)) {
          const first = Value.Errors(schema, payload)[0];
          reply({
            ok: false,
            error: `Invalid request: ${first ? `${first.instancePath} ${first.message}` : 'bad payload'}`,
            code: 'invalid_field',
            params: { field: first?.instancePath.replace(/^\//, '') || 'payload', rule: 'schema' },
          });
          return;
        }
        try {
          await run(payload);
        } catch (error) {
          const refusal = deskError(error);
          // Not a refusal the agent can act on: guarded() logs it and answers a server error.
          if (refusal === null) throw error;
          reply(refusal);
          return;
        }
        reply({ ok: true });
      });

    const commands = {
      'agent:set-status': handle(SetStatusPayload, (p) => calls.setStatus(agent, p)),
      'agent:plan-next': handle(PlanNextPayload, (p) => calls.planNext(agent.id, p.reason)),
      'offer:accept': handle(ReservationPayload, (p) => calls.accept(agent, p.reservationId)),
      'offer:reject': handle(ReservationPayload, (p) => calls.reject(agent, p.reservationId)),
      'call:hold': handle(CallPayload, (p) => calls.hold(agent, p.interactionId)),
      'call:resume': handle(CallPayload, (p) => calls.resume(agent, p.interactionId)),
      'call:mute': handle(MutePayload, (p) => calls.mute(agent, p.interactionId, p.muted)),
      'call:hangup': handle(CallPayload, (p) => calls.hangUp(agent, p.interactionId)),
      'call:transfer': handle(TransferPayload, (p) => calls.transfer(agent, p.interactionId, p.to)),
      'call:consult': handle(ConsultPayload, (p) => calls.consult(agent, p.interactionId, p.to)),
      'call:consult-complete': handle(CallPayload, (p) => calls.completeConsult(agent, p.interactionId)),
      'call:consult-cancel': handle(CallPayload, (p) => calls.cancelConsult(agent, p.interactionId)),
      'wrapup:submit': handle(WrapUpPayload, (p) => calls.submitWrapUp(agent, p)),
    } satisfies Partial<Record<keyof ClientToServerEvents, ReturnType<typeof handle>>>;
    for (const [event, listener] of Object.entries(commands)) {
      socket.on(event as keyof typeof commands, listener);
    }
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
