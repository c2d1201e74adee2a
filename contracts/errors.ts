/**
 * The stable codes of the errors the server answers (HTTP bodies and socket acknowledgements). The
 * console translates a code with its params (`error.code.<code>` in its dictionaries) and shows the
 * server's English `message` only for a code it has no words for. A code, once used, keeps its meaning.
 */
export const ERROR_CODES = [
  // One per status, for refusals with no code of their own.
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'too_many_requests',
  'server_error',
  /** A field failed its schema: params `field`, `rule` (the schema keyword) and `limit`, where one applies. */
  'invalid_field',
  /** params `roles` (who may), `role` (who you are). */
  'role_required',
  /** params `number`. */
  'invalid_phone',
  /** params `reason`. */
  'unknown_break_reason',
  'phone_not_answered',
  'next_status_not_now',
  'outbound_not_now',
  'session_ended',
  'cross_origin',
  /** The phone system (Twilio's REST API) did not answer: a 502. */
  'phone_system_unavailable',
  /** No route for this method and path. */
  'no_such_route',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** What an error's words are filled with: the number, reason or field it is about. */
export type ErrorParams = Record<string, string | number>;
