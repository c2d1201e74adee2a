/**
 * The softphone's standing with the registrar: when to fetch new credentials, and one REGISTER (a first
 * one or a refresh) with what SIP.js needs to make a refresh use the new credentials.
 */
import { RegistererState, type Registerer } from 'sip.js';

/**
 * Where the softphone stands with the registrar. `reconnecting`: the WebSocket to the SIP edge dropped
 * and it is trying again; `refused`: the credentials were not accepted.
 */
export type SoftphoneRegistration =
  'unregistered' | 'registering' | 'registered' | 'reconnecting' | 'refused';

/** What `GET /api/sip/credentials` gives. */
export interface SoftphoneCredentials {
  aor: string;
  username: string;
  password: string;
  wsUrl: string;
  /** STUN/TURN URLs to gather ICE candidates from; empty for none. */
  iceServers: string[];
  /** ISO. */
  expiresAt: string;
}

/**
 * Who this softphone is to the registrar, kept across page reloads: with the same Contact the registrar
 * replaces the binding of the page before instead of adding a second one that would ring a dead tab.
 */
export interface SoftphoneIdentity {
  contactName: string;
  viaHost: string;
  instanceId: string;
}

/** A new identity: random tokens as SIP.js would pick them, to be stored and passed back. */
export function newSoftphoneIdentity(random: () => string = () => crypto.randomUUID()): SoftphoneIdentity {
  const token = () => random().replace(/-/g, '').slice(0, 12);
  return { contactName: token(), viaHost: `${token()}.invalid`, instanceId: random() };
}

/** The longest `setTimeout` browsers honour; beyond it the timer fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * When to fetch new credentials: ten minutes before they expire, or halfway through a shorter life,
 * and never in the past. Ms from `now`.
 */
export function refreshDelayMs(expiresAt: Date, now: Date, beforeExpiryMs?: number): number {
  const lifeMs = expiresAt.getTime() - now.getTime();
  const before = beforeExpiryMs ?? Math.min(10 * 60_000, lifeMs / 2);
  return Math.min(MAX_TIMER_MS, Math.max(0, lifeMs - before));
}

/**
 * SIP.js keeps the Authorization of the last challenge on the REGISTER it refreshes, and the registrar
 * accepts it while the old credentials live: without dropping it a "refresh" would register with the
 * old ones and be refused only when they expire, perhaps mid-call. Without it the registrar challenges
 * and SIP.js answers with the new credentials. The header map is SIP.js 0.21's `OutgoingRequestMessage`.
 */
export function forgetAuthorization(registerer: Registerer): void {
  const request = (registerer as unknown as { request?: { headers?: Record<string, unknown> } }).request;
  if (request?.headers) delete request.headers.Authorization;
}

/**
 * Registers (again) with the credentials the user agent holds; resolves with where it ended up.
 * `standing` is where registration stands now, the answer when SIP.js's own refresh is in flight.
 */
export function registerOnce(
  registerer: Registerer,
  standing: () => SoftphoneRegistration,
): Promise<SoftphoneRegistration> {
  return new Promise<SoftphoneRegistration>((resolve) => {
    const onState = (state: RegistererState) => {
      if (state !== RegistererState.Registered) return;
      registerer.stateChange.removeListener(onState);
      resolve('registered');
    };
    if (registerer.state === RegistererState.Registered) {
      // A refresh: the registrar's 200 comes through the request delegate, the state does not change.
      registerer
        .register({
          requestDelegate: {
            onAccept: () => resolve('registered'),
            onReject: () => resolve('refused'),
          },
        })
        // SIP.js's own refresh is in flight: its answer stands for ours.
        .catch(() => resolve(standing()));
      return;
    }
    registerer.stateChange.addListener(onState);
    registerer
      .register({
        requestDelegate: {
          onReject: () => {
            registerer.stateChange.removeListener(onState);
            resolve('refused');
          },
        },
      })
      // A REGISTER already in flight: its outcome reaches `onState` too, unless it is refused.
      .catch(() => undefined);
  });
}
