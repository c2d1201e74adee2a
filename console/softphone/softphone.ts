/**
 * The Agent's softphone: the only code that imports sip.js. It registers with the credentials our
 * server issues, answers the calls the Agent accepted on the desk, and reports what it does as UI
 * state only: Kamailio's dialog events, not this, are the record of a call.
 */
import {
  Registerer,
  Web,
  RegistererState,
  SessionState,
  UserAgent,
  type Invitation,
  type SessionDescriptionHandlerFactory,
} from 'sip.js';

/** Where the softphone stands with the registrar. `refused`: the credentials were not accepted. */
export type SoftphoneRegistration = 'unregistered' | 'registering' | 'registered' | 'refused';

export interface SoftphoneCall {
  /** Our Interaction, from `X-CTI-Interaction`; null for a call the desk did not offer. */
  interactionId: number | null;
  callId: string;
  state: 'ringing' | 'connecting' | 'active' | 'ended';
}

export interface SoftphoneSnapshot {
  registration: SoftphoneRegistration;
  call: SoftphoneCall | null;
}

/** What `GET /api/sip/credentials` gives. */
export interface SoftphoneCredentials {
  aor: string;
  username: string;
  password: string;
  wsUrl: string;
}

export interface SoftphoneOptions {
  /**
   * Answer at once the calls that carry our Interaction id: the Agent already accepted them on the
   * desk. Others ring until `answer()`. Default true.
   */
  autoAnswerDeskCalls?: boolean;
  /** Media. Default: SIP.js's WebRTC handler (microphone and speaker); tests pass one without media. */
  sessionDescriptionHandlerFactory?: SessionDescriptionHandlerFactory;
}

const STATE_OF: Partial<Record<SessionState, SoftphoneCall['state']>> = {
  [SessionState.Establishing]: 'connecting',
  [SessionState.Established]: 'active',
  [SessionState.Terminating]: 'ended',
  [SessionState.Terminated]: 'ended',
};

export function createSoftphone(options: SoftphoneOptions = {}) {
  const autoAnswer = options.autoAnswerDeskCalls ?? true;
  const listeners = new Set<(snapshot: SoftphoneSnapshot) => void>();
  let snapshot: SoftphoneSnapshot = { registration: 'unregistered', call: null };
  let userAgent: UserAgent | null = null;
  let registerer: Registerer | null = null;
  let invitation: Invitation | null = null;

  const set = (change: Partial<SoftphoneSnapshot>) => {
    snapshot = { ...snapshot, ...change };
    for (const listener of listeners) listener(snapshot);
  };
  const setCall = (change: Partial<SoftphoneCall>) => {
    if (snapshot.call) set({ call: { ...snapshot.call, ...change } });
  };

  function ring(incoming: Invitation): void {
    // One call at a time: the desk offers the next one only after this one.
    if (invitation && snapshot.call?.state !== 'ended') {
      void incoming.reject({ statusCode: 486 });
      return;
    }
    invitation = incoming;
    const header = incoming.request.getHeader('X-CTI-Interaction');
    const interactionId = header && /^\d+$/.test(header) ? Number(header) : null;
    set({ call: { interactionId, callId: incoming.request.callId, state: 'ringing' } });
    incoming.stateChange.addListener((state) => {
      const mapped = STATE_OF[state];
      if (mapped && invitation === incoming) setCall({ state: mapped });
    });
    if (autoAnswer && interactionId !== null) void incoming.accept();
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

    /** Connects and registers; resolves with where registration ended up. */
    async start(credentials: SoftphoneCredentials): Promise<SoftphoneRegistration> {
      const uri = UserAgent.makeURI(credentials.aor);
      if (!uri) throw new Error(`"${credentials.aor}" is not a SIP address`);
      userAgent = new UserAgent({
        uri,
        transportOptions: { server: credentials.wsUrl },
        authorizationUsername: credentials.username,
        authorizationPassword: credentials.password,
        logLevel: 'error',
        ...(options.sessionDescriptionHandlerFactory && {
          sessionDescriptionHandlerFactory: options.sessionDescriptionHandlerFactory,
        }),
        delegate: { onInvite: ring },
      });
      registerer = new Registerer(userAgent);
      set({ registration: 'registering' });
      await userAgent.start();
      const current = registerer;
      return new Promise<SoftphoneRegistration>((resolve) => {
        current.stateChange.addListener((state) => {
          if (state === RegistererState.Registered) {
            set({ registration: 'registered' });
            resolve('registered');
          }
        });
        void current.register({
          requestDelegate: {
            onReject: () => {
              set({ registration: 'refused' });
              resolve('refused');
            },
          },
        });
      });
    },

    /** What the caller says, to play in an `<audio>` element; null without a call or without media. */
    remoteStream(): MediaStream | null {
      const handler = invitation?.sessionDescriptionHandler;
      return handler instanceof Web.SessionDescriptionHandler ? handler.remoteMediaStream : null;
    },

    /** Answers a ringing call. */
    async answer(): Promise<void> {
      if (!invitation || snapshot.call?.state !== 'ringing') throw new Error('No call is ringing');
      await invitation.accept();
    },

    /** Refuses a ringing call (busy), or hangs up an answered one. */
    async hangUp(): Promise<void> {
      if (!invitation) return;
      if (invitation.state === SessionState.Initial) await invitation.reject({ statusCode: 486 });
      else if (invitation.state === SessionState.Established) await invitation.bye();
    },

    /** Unregisters and disconnects. */
    async stop(): Promise<void> {
      if (registerer?.state === RegistererState.Registered) await registerer.unregister().catch(() => {});
      await userAgent?.stop();
      userAgent = null;
      registerer = null;
      invitation = null;
      set({ registration: 'unregistered', call: null });
    },
  };
}

export type Softphone = ReturnType<typeof createSoftphone>;
