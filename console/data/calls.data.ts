/** Calls an agent starts or passes on, over REST; what happens on the call arrives on the desk socket. */
import type { DialBody, TransferTargets } from '../../server/calls/calls.schemas.js';
import { request } from './api.js';

/** Where the current call can be transferred, with who is available now. */
export function listTransferTargets(signal?: AbortSignal): Promise<TransferTargets> {
  return request<TransferTargets>('GET', '/api/calls/transfer-targets', { signal });
}

/** Click-to-call: rings the agent's own phone, then the number. */
export function placeCall(body: DialBody): Promise<{ interactionId: number }> {
  return request<{ interactionId: number }>('POST', '/api/calls/outbound', { body });
}
