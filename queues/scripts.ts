import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { agentStatusMachine } from './agent-status.machine.js';
import { callMachine } from './call.machine.js';
import {
  type AcdError,
  IllegalTransitionError,
  type MachineName,
  NotFoundError,
  ReservationCancelledError,
  ReservationExpiredError,
  ReservationNotYoursError,
} from './errors.js';
import { reservationMachine } from './reservation.machine.js';

export const SCRIPT_NAMES = [
  'upsert_queue',
  'set_agent_profile',
  'agent_event',
  'plan_next',
  'enqueue',
  'offer_to_agent',
  'start_outbound',
  'leave',
  'move',
  'raise_priority',
  'dispatch',
  'answer_reservation',
  'expire_reservations',
  'end_call',
  'requeue',
  'expire_wrap_ups',
  'snapshot',
  'position',
  'read',
  'check_invariants',
] as const;
export type ScriptName = (typeof SCRIPT_NAMES)[number];

interface Script {
  source: string;
  sha: string;
}

/**
 * Each `lua/<name>.lua` behind `lua/prelude.lua` and the transition tables of the three machines, so
 * Redis checks every change against the very tables the TypeScript machines define.
 */
export function loadScripts(): Record<ScriptName, Script> {
  const read = (name: string) => readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8');
  const tables = JSON.stringify({
    agent: agentStatusMachine.transitions,
    reservation: reservationMachine.transitions,
    call: callMachine.transitions,
  });
  const prelude = `local MACHINES_JSON = [==[${tables}]==]\n${read('prelude')}`;
  const scripts = SCRIPT_NAMES.map((name) => {
    const source = `${prelude}\n${read(name)}`;
    return [name, { source, sha: createHash('sha1').update(source).digest('hex') }] as const;
  });
  return Object.fromEntries(scripts) as Record<ScriptName, Script>;
}

/** How a script refuses a request; it has written nothing when it answers with one of these. */
type ScriptFailure =
  | { code: 'illegal_transition'; machine: MachineName; from: string; event: string; id?: string }
  | { code: 'not_found'; entity: NotFoundError['entity']; id: string }
  | { code: 'not_your_reservation'; reservationId: string; agentId: string };

function toError(failure: ScriptFailure): AcdError {
  switch (failure.code) {
    case 'not_found':
      return new NotFoundError(failure.entity, Number(failure.id));
    case 'not_your_reservation':
      return new ReservationNotYoursError(Number(failure.reservationId), Number(failure.agentId));
    case 'illegal_transition': {
      const id = failure.id === undefined ? undefined : Number(failure.id);
      if (failure.machine === 'reservation' && id !== undefined) {
        if (failure.from === 'timed_out') return new ReservationExpiredError(id, failure.event);
        if (failure.from === 'cancelled') return new ReservationCancelledError(id, failure.event);
      }
      return new IllegalTransitionError(failure.machine, failure.from, failure.event, id);
    }
  }
}

/**
 * Runs a script by EVALSHA and sends its source only when this Redis does not have it (first use, a
 * restart, SCRIPT FLUSH); EVAL caches it for the next call. Answers the script's value or throws the
 * typed error it reported.
 */
export async function runScript(redis: Redis, script: Script, argv: string[]): Promise<unknown> {
  let reply: unknown;
  try {
    reply = await redis.evalsha(script.sha, 0, ...argv);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    reply = await redis.eval(script.source, 0, ...argv);
  }
  const result = JSON.parse(String(reply)) as { ok?: unknown; err?: ScriptFailure };
  if (result.err) throw toError(result.err);
  return result.ok;
}
