import type { TSchema } from 'typebox';
import {
  CallPayload,
  ConsultPayload,
  MutePayload,
  PlanNextPayload,
  RecordingPayload,
  ReservationPayload,
  SetStatusPayload,
  SupervisionViewPayload,
  TransferPayload,
  WrapUpPayload,
  type ClientToServerEvents,
} from '../../server/realtime/realtime.events.js';

/**
 * Every event a console may send, with the schema of its payload. `satisfies` makes the typecheck
 * fail when the contract gains an event this list does not fuzz.
 */
export const CLIENT_EVENTS = {
  'agent:set-status': SetStatusPayload,
  'agent:plan-next': PlanNextPayload,
  'offer:accept': ReservationPayload,
  'offer:reject': ReservationPayload,
  'call:hold': CallPayload,
  'call:resume': CallPayload,
  'call:mute': MutePayload,
  'call:hangup': CallPayload,
  'call:transfer': TransferPayload,
  'call:consult': ConsultPayload,
  'call:consult-complete': CallPayload,
  'call:consult-cancel': CallPayload,
  'call:recording': RecordingPayload,
  'wrapup:submit': WrapUpPayload,
  'supervision:join': SupervisionViewPayload,
  'supervision:leave': SupervisionViewPayload,
} as const satisfies Record<keyof ClientToServerEvents, TSchema>;

export type ClientEvent = keyof typeof CLIENT_EVENTS;
export const CLIENT_EVENT_NAMES = Object.keys(CLIENT_EVENTS) as ClientEvent[];
