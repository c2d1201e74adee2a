/**
 * The Agent's softphone (with its registration and per-call modules beside it, the only code that
 * imports sip.js). It registers with the credentials our server issues (and fetches new ones before
 * they expire), answers the calls the Agent accepted on the desk, holds, mutes and sends DTMF, and
 * reports what it does as UI state only: Kamailio's dialog events, not this, are the record of a call.
 *
 * It touches no browser storage: what must survive a reload (the SIP identity, the device choice)
 * comes in through the options, so the same code runs in Node tests with a media-less handler.
 */
import {
  Registerer,
  RegistererState,
  SessionState,
  UserAgent,
  type Invitation,
  type SessionDescriptionHandlerFactory,
} from 'sip.js';
import type { Ack, SoftphoneHoldRequest, SoftphoneMuteRequest } from '../../contracts/socket.js';
import type { ReferResult } from '../../contracts/socket.js';
import {
  forgetAuthorization,
  refreshDelayMs,
  registerOnce,
  type SoftphoneCredentials,
  type SoftphoneIdentity,
  type SoftphoneRegistration,
} from './softphone-registration.js';
import {
  audioConstraints,
  readCallQuality,
  referCall,
  reinvite,
  replaceMicrophone,
  sendDtmfDigit,
  webHandlerOf,
  type CallQuality,
  type DtmfMethod,
} from './softphone-session.js';

export {
  newSoftphoneIdentity,
  refreshDelayMs,
  type SoftphoneCredentials,
  type SoftphoneIdentity,
  type SoftphoneRegistration,
} from './softphone-registration.js';
export type { CallQuality, DtmfMethod } from './softphone-session.js';

type Answer = Parameters<Ack>[0];

export interface SoftphoneCall {
  /** Our Interaction, from `X-CTI-Interaction`; null for a call the desk did not offer. */
  interactionId: number | null;
  callId: string;
  state: 'ringing' | 'connecting' | 'active' | 'ended';
  onHold: boolean;
  /** The caller does not hear the Agent; nothing is signalled. */
  muted: boolean;
}

export interface SoftphoneSnapshot {
  registration: SoftphoneRegistration;
  call: SoftphoneCall | null;
  /** When the credentials in use expire (ISO); null before the first ones. */
  credentialsExpireAt: string | null;
}

export interface SoftphoneOptions {
  /**
   * Answer at once the calls that carry our Interaction id: the Agent already accepted them on the
   * desk. Others ring until `answer()`. Default true; `setAutoAnswer` changes it.
   */
  autoAnswerDeskCalls?: boolean;
  /** Media. Default: SIP.js's WebRTC handler (microphone and speaker); tests pass one without media. */
  sessionDescriptionHandlerFactory?: SessionDescriptionHandlerFactory;
  /** Default: a new one (a new registrar binding). */
  identity?: SoftphoneIdentity;
  /** The microphone (`MediaDeviceInfo.deviceId`) to use; default the browser's. */
  microphoneId?: string | null;
  /** How long before the credentials expire to fetch new ones, in ms. Default: `refreshDelayMs`. */
  refreshBeforeExpiryMs?: number;
  /** Waits between reconnection attempts after the WebSocket drops, in ms. Default 1000 → 30 000, doubling. */
  reconnectDelaysMs?: readonly number[];
}

/**
 * `active` waits for the caller's ACK (see `ring`), not SIP.js's Established, which it reaches when it
 * sends its 200: until the ACK the dialog is not confirmed and a re-INVITE (hold) may not be sent.
 */
const STATE_OF: Partial<Record<SessionState, SoftphoneCall['state']>> = {
  [SessionState.Establishing]: 'connecting',
  [SessionState.Terminating]: 'ended',
  [SessionState.Terminated]: 'ended',
};

const DEFAULT_RECONNECT_DELAYS_MS = [1000, 2000, 4000, 8000, 16_000, 30_000] as const;
/** How long a hold waits for the caller's ACK of the answer, in ms (SIP.js gives up on it after 32 s). */
const ACK_WAIT_MS = 5000;
export function createSoftphone(options: SoftphoneOptions = {}) {
  let autoAnswer = options.autoAnswerDeskCalls ?? true;
  let microphoneId = options.microphoneId ?? null;
  const reconnectDelays = options.reconnectDelaysMs ?? DEFAULT_RECONNECT_DELAYS_MS;
  const listeners = new Set<(snapshot: SoftphoneSnapshot) => void>();
  let snapshot: SoftphoneSnapshot = { registration: 'unregistered', call: null, credentialsExpireAt: null };
  let userAgent: UserAgent | null = null;
  let registerer: Registerer | null = null;
  let invitation: Invitation | null = null;
  /** Resolves when the caller's ACK confirms the current call. */
  let confirmed: Promise<void> = Promise.resolve();
  let fetchCredentials: (() => Promise<SoftphoneCredentials>) | null = null;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const set = (change: Partial<SoftphoneSnapshot>) => {
    snapshot = { ...snapshot, ...change };
    for (const listener of listeners) listener(snapshot);
  };
  const setCall = (change: Partial<SoftphoneCall>) => {
    if (snapshot.call) set({ call: { ...snapshot.call, ...change } });
  };

  const webHandler = () => webHandlerOf(invitation);

  function activeCall(): Invitation {
    if (!invitation || invitation.state !== SessionState.Established) throw new Error('No call is active');
    return invitation;
  }

  function ring(incoming: Invitation): void {
    // One call at a time: the desk offers the next one only after this one.
    if (invitation && snapshot.call?.state !== 'ended') {
      void incoming.reject({ statusCode: 486 });
      return;
    }
    invitation = incoming;
    const header = incoming.request.getHeader('X-CTI-Interaction');
    const interactionId = header && /^\d+$/.test(header) ? Number(header) : null;
    set({
      call: { interactionId, callId: incoming.request.callId, state: 'ringing', onHold: false, muted: false },
    });
    incoming.stateChange.addListener((state) => {
      const mapped = STATE_OF[state];
      if (mapped && invitation === incoming) setCall({ state: mapped });
    });
    let confirm = () => {};
    confirmed = new Promise<void>((resolve) => (confirm = resolve));
    incoming.delegate = {
      onAck: () => {
        confirm();
        if (invitation === incoming && incoming.state === SessionState.Established)
          setCall({ state: 'active' });
      },
    };
    if (autoAnswer && interactionId !== null)
      void incoming.accept({ sessionDescriptionHandlerOptions: audioConstraints(microphoneId) });
  }

  /** Registers (again) with the credentials the user agent holds; resolves with where it ended up. */
  async function register(): Promise<SoftphoneRegistration> {
    if (!registerer) return 'unregistered';
    const registration = await registerOnce(registerer, () => snapshot.registration);
    set({ registration });
    return registration;
  }

  function scheduleRefresh(expiresAt: string): void {
    clearTimeout(refreshTimer);
    const delay = refreshDelayMs(new Date(expiresAt), new Date(), options.refreshBeforeExpiryMs);
    refreshTimer = setTimeout(() => void refreshCredentials().catch(() => scheduleRetryRefresh()), delay);
  }

  /** The credentials endpoint was away: try again in a minute, while the old ones may still work. */
  function scheduleRetryRefresh(): void {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void refreshCredentials().catch(() => scheduleRetryRefresh()), 60_000);
  }

  /** New credentials, then a REGISTER with them. A call under way is another dialog and goes on. */
  async function refreshCredentials(): Promise<SoftphoneRegistration> {
    if (!userAgent || !fetchCredentials) throw new Error('The softphone is not started');
    const credentials = await fetchCredentials();
    userAgent.configuration.authorizationUsername = credentials.username;
    userAgent.configuration.authorizationPassword = credentials.password;
    if (registerer) forgetAuthorization(registerer);
    set({ credentialsExpireAt: credentials.expiresAt });
    scheduleRefresh(credentials.expiresAt);
    return register();
  }

  /**
   * The WebSocket dropped (a network blip, the proxy restarted): reconnect with backoff, without end,
   * and register again once it is back. SIP.js's own reconnection gives up after a few tries.
   */
  function reconnect(attempt = 0): void {
    if (stopped || !userAgent) return;
    set({ registration: 'reconnecting' });
    clearTimeout(reconnectTimer);
    const delay = reconnectDelays[Math.min(attempt, reconnectDelays.length - 1)] ?? 1000;
    reconnectTimer = setTimeout(() => {
      const current = userAgent;
      if (stopped || !current) return;
      current.reconnect().then(
        () => void register(),
        () => reconnect(attempt + 1),
      );
    }, delay);
  }

  /** Puts the caller on hold (re-INVITE, a=sendonly) or takes them off; resolves once the caller's side accepted. */
  async function setHold(onHold: boolean): Promise<void> {
    const session = activeCall();
    // The desk may ask as soon as Kamailio saw the 200, a moment before the caller's ACK arrives.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      confirmed,
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error('The caller has not confirmed the call')), ACK_WAIT_MS);
      }),
    ]).finally(() => clearTimeout(timer));
    if (snapshot.call?.onHold === onHold) return;
    await reinvite(session, { onHold, muted: () => snapshot.call?.muted ?? false, microphoneId });
    setCall({ onHold });
  }

  /** The caller stops (or starts again) hearing the Agent: the microphone track is disabled, nothing is signalled. */
  function setMuted(muted: boolean): void {
    activeCall();
    webHandler()?.enableSenderTracks(!muted && !snapshot.call?.onHold);
    setCall({ muted });
  }

  /** Does what the server asked if this softphone has that call; the answer goes back as the ack. */
  async function answerFor(interactionId: number, action: () => Promise<void> | void): Promise<Answer> {
    const call = snapshot.call;
    if (call?.interactionId !== interactionId || (call.state !== 'active' && call.state !== 'connecting'))
      return { ok: false, error: 'This softphone does not have the call' };
    try {
      await action();
      return { ok: true };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }

  return {
    get snapshot(): SoftphoneSnapshot {
      return snapshot;
    },

    /** Calls `listener` after every change. */
    subscribe(listener: (snapshot: SoftphoneSnapshot) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /**
     * Connects and registers with the credentials `credentials` gives, and asks it again before they
     * expire; resolves with where registration ended up.
     */
    async start(credentials: () => Promise<SoftphoneCredentials>): Promise<SoftphoneRegistration> {
      stopped = false;
      fetchCredentials = credentials;
      const first = await credentials();
      const uri = UserAgent.makeURI(first.aor);
      if (!uri) throw new Error(`"${first.aor}" is not a SIP address`);
      userAgent = new UserAgent({
        uri,
        transportOptions: { server: first.wsUrl },
        authorizationUsername: first.username,
        authorizationPassword: first.password,
        logLevel: 'error',
        reconnectionAttempts: 0,
        ...(options.identity && {
          contactName: options.identity.contactName,
          viaHost: options.identity.viaHost,
          instanceId: options.identity.instanceId,
          instanceIdAlwaysAdded: true,
        }),
        // Only the configured ICE servers: SIP.js would otherwise ask a public STUN server on every call.
        sessionDescriptionHandlerFactoryOptions: {
          peerConnectionConfiguration: { iceServers: first.iceServers.map((urls) => ({ urls })) },
        },
        ...(options.sessionDescriptionHandlerFactory && {
          sessionDescriptionHandlerFactory: options.sessionDescriptionHandlerFactory,
        }),
        delegate: {
          onInvite: ring,
          onDisconnect: (error) => {
            if (error) reconnect();
          },
        },
      });
      registerer = new Registerer(userAgent);
      set({ registration: 'registering', credentialsExpireAt: first.expiresAt });
      await userAgent.start();
      scheduleRefresh(first.expiresAt);
      return register();
    },

    refreshCredentials,

    /** Whether calls the Agent accepted on the desk are answered without `answer()`. */
    setAutoAnswer(on: boolean): void {
      autoAnswer = on;
    },

    /** What the caller says, to play in an `<audio>` element; null without a call or without media. */
    remoteStream(): MediaStream | null {
      return webHandler()?.remoteMediaStream ?? null;
    },

    /** The media of the current call; null without a call or without WebRTC media. */
    callQuality: (): Promise<CallQuality | null> => readCallQuality(invitation),

    /** Answers a ringing call. */
    async answer(): Promise<void> {
      if (!invitation || snapshot.call?.state !== 'ringing') throw new Error('No call is ringing');
      await invitation.accept({ sessionDescriptionHandlerOptions: audioConstraints(microphoneId) });
    },

    /** Refuses a ringing call (busy), or hangs up an answered one. */
    async hangUp(): Promise<void> {
      if (!invitation) return;
      if (invitation.state === SessionState.Initial) await invitation.reject({ statusCode: 486 });
      else if (invitation.state === SessionState.Established) await invitation.bye();
    },

    setHold,

    /**
     * The server asks, for the desk's Hold button, to hold or resume the call of `interactionId`.
     * Every console of the Agent is asked; only the one with that call does it.
     */
    answerHoldRequest: (request: SoftphoneHoldRequest) =>
      answerFor(request.interactionId, () => setHold(request.onHold)),

    /** The server asks, for the desk's Mute button, to mute or unmute the call of `interactionId`. */
    answerMuteRequest: (request: SoftphoneMuteRequest) =>
      answerFor(request.interactionId, () => setMuted(request.muted)),

    setMuted,

    /**
     * Sends one DTMF digit: in the media (RFC 4733) when there is media to carry it, else as SIP INFO
     * (`application/dtmf-relay`, `Signal=`/`Duration=`), which PBXs and IVRs on the far side also read.
     */
    sendDtmf: (tone: string): Promise<DtmfMethod> => sendDtmfDigit(activeCall, tone),

    /**
     * The microphone for this and later calls. During a call the new device's track replaces the old
     * one on the connection without a re-INVITE.
     */
    async setMicrophone(deviceId: string | null): Promise<void> {
      microphoneId = deviceId;
      const connection = webHandler()?.peerConnection;
      if (connection)
        await replaceMicrophone(connection, deviceId, !snapshot.call?.muted && !snapshot.call?.onHold);
    },

    /**
     * Transfers the call by REFER to `referTo`, as the server asks for a SIP transfer. Resolves
     * null when `callId` is not this phone's call, else how the caller's side answered the REFER.
     * The call stays up: the server ends it once the caller has moved.
     */
    async refer(callId: string, referTo: string): Promise<ReferResult | null> {
      const session = invitation;
      if (!session || session.request.callId !== callId) return null;
      return referCall(session, referTo);
    },

    /** Unregisters and disconnects. */
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(refreshTimer);
      clearTimeout(reconnectTimer);
      if (registerer?.state === RegistererState.Registered) await registerer.unregister().catch(() => {});
      await userAgent?.stop();
      userAgent = null;
      registerer = null;
      invitation = null;
      fetchCredentials = null;
      set({ registration: 'unregistered', call: null, credentialsExpireAt: null });
    },
  };
}

export type Softphone = ReturnType<typeof createSoftphone>;
