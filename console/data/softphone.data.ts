import type { SipCredentialsResponse } from '../../contracts/softphone.js';
import { request } from './api.js';

export type { SipCredentialsResponse };

/** The signed-in Agent's short-lived SIP credentials for the softphone (409 without a SIP address). */
export function sipCredentials(signal?: AbortSignal): Promise<SipCredentialsResponse> {
  return request<SipCredentialsResponse>('GET', '/api/sip/credentials', { signal });
}
