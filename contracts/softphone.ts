import { Type, type Static } from 'typebox';
import { Timestamp } from './schema-kit.js';

/** What the console's softphone registers with (`GET /api/sip/credentials`). */
export const SipCredentialsResponse = Type.Object({
  aor: Type.String({ description: 'Address of record to register, sip:user@domain' }),
  username: Type.String({ description: 'Digest username (carries its expiry)' }),
  password: Type.String(),
  realm: Type.String(),
  expiresAt: Timestamp,
  wsUrl: Type.String({ description: "The SIP edge's WebSocket URL" }),
  iceServers: Type.Array(Type.String(), { description: 'STUN/TURN URLs for ICE; empty: none' }),
});
export type SipCredentialsResponse = Static<typeof SipCredentialsResponse>;
