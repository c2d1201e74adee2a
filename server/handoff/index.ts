// Bots handing callers to a person: the context they send (contracts/handoff.ts), decoded and verified.
export {
  decodeHandoffContext,
  encodeHandoffContext,
  signHandoff,
  verifySignedHandoff,
  type HandoffDecoding,
  type HandoffRefusal,
} from './handoff.js';
