import { createHmac } from 'node:crypto';
import { sameSecret } from './sip-credentials.js';

/**
 * A blind transfer on a SIP call is a REFER: Kamailio is a proxy, not a B2BUA, so only the caller's
 * own side can move the call. The Agent's softphone sends REFER in its dialog with a Refer-To naming
 * the new Interaction on our edge, the caller's side sends a new INVITE there, and the routing hook
 * continues that Interaction instead of creating one.
 *
 * The R-URI user is `transfer-<interactionId>-<expiry>-<mac>`: an HMAC of the first two with the
 * shared secret, so nobody without it can walk into an Interaction's wait, and short-lived, so a
 * leaked Refer-To is useless soon after. It is used once: the hook takes it only while the
 * Interaction has no call of its own yet.
 */
const PREFIX = 'transfer-';
const USER = /^transfer-(\d{1,12})-(\d{1,12})-([0-9a-f]{20})$/;

const macOf = (sharedSecret: string, interactionId: number, expiresAtSeconds: number) =>
  createHmac('sha256', sharedSecret)
    .update(`sip-transfer:${interactionId}:${expiresAtSeconds}`)
    .digest('hex')
    .slice(0, 20);

/** The R-URI user that lets a referred caller into `interactionId` until `expiresAt`. */
export function transferUser(sharedSecret: string, interactionId: number, expiresAt: Date): string {
  const expiresAtSeconds = Math.floor(expiresAt.getTime() / 1000);
  return `${PREFIX}${interactionId}-${expiresAtSeconds}-${macOf(sharedSecret, interactionId, expiresAtSeconds)}`;
}

/** Whether a dialled R-URI user is a transfer's at all (then only `checkTransferUser` decides). */
export const isTransferUser = (user: string) => user.startsWith(PREFIX);

/** The Interaction a transfer R-URI user names, or why it is refused. */
export function checkTransferUser(
  sharedSecret: string,
  user: string,
  now: Date,
): { interactionId: number } | { refused: 'malformed' | 'forged' | 'expired' } {
  const match = USER.exec(user);
  if (!match) return { refused: 'malformed' };
  const interactionId = Number(match[1]);
  const expiresAtSeconds = Number(match[2]);
  if (!sameSecret(match[3]!, macOf(sharedSecret, interactionId, expiresAtSeconds)))
    return { refused: 'forged' };
  if (expiresAtSeconds * 1000 < now.getTime()) return { refused: 'expired' };
  return { interactionId };
}

export type { ReferRequest, ReferResult } from '../../../contracts/socket.js';
