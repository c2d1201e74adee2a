import {
  Registerer,
  RegistererState,
  SessionState,
  UserAgent,
  type Invitation,
  type SessionDescriptionHandler,
  type SessionDescriptionHandlerOptions,
} from 'sip.js';
import WebSocket from 'ws';

/**
 * SIP.js's transport does `new WebSocket(url, 'sip')`; Node 20 has no global WebSocket. Ours leave
 * from 127.0.0.2, as real softphones leave from addresses of their own. From 127.0.0.1 a softphone's
 * connection can get the same source port as one of our server's connections to Kamailio's control
 * port (the kernel reuses a port toward another destination), and Kamailio 5.6, looking the WebSocket
 * up by address and port, then finds the wrong one and answers the caller 500 ("TCP/TLS connection
 * (id: 0) for WebSocket could not be found").
 */
export const SOFTPHONE_SOCKET_OPTIONS = { localAddress: '127.0.0.2' } as const;

class SoftphoneWebSocket extends WebSocket {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols, SOFTPHONE_SOCKET_OPTIONS);
  }
}
(globalThis as { WebSocket?: unknown }).WebSocket ??= SoftphoneWebSocket;

const sdp = (direction: 'sendrecv' | 'sendonly') =>
  [
    'v=0',
    'o=- 1 1 IN IP4 127.0.0.1',
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    'm=audio 40000 RTP/AVP 0',
    'a=rtpmap:0 PCMU/8000',
    `a=${direction}`,
    '',
  ].join('\r\n');

/**
 * Signalling only: answers any offer with a fixed PCMU description and never opens media. Asked for
 * a hold offer (SIP.js's `hold` option, as the browser's handler takes it), it offers a=sendonly.
 */
export class NoMediaDescriptionHandler implements SessionDescriptionHandler {
  close(): void {}
  hasDescription(contentType: string): boolean {
    return contentType === 'application/sdp';
  }
  async setDescription(): Promise<void> {}
  async getDescription(options?: SessionDescriptionHandlerOptions) {
    const hold = (options as { hold?: boolean } | undefined)?.hold;
    return { contentType: 'application/sdp', body: sdp(hold ? 'sendonly' : 'sendrecv') };
  }
  sendDtmf(): boolean {
    return false;
  }
}

/** A call the phone received. */
export interface PhoneCall {
  callId: string;
  /** Our Interaction id, from the `X-CTI-Interaction` header. */
  interactionId: string | undefined;
  /** The SDP offer of the INVITE, as Kamailio (and rtpengine, when configured) delivered it. */
  offer: string;
  states: SessionState[];
  /** The caller's ACK of our 200 arrived: only then may the phone send a re-INVITE (RFC 3261 14.1). */
  acked: boolean;
  invitation: Invitation;
}

export interface SipPhoneOptions {
  wsUrl: string;
  aor: string;
  username: string;
  password: string;
  /** What the phone does with an incoming call; 'ring' waits for `answer()`. Default 'answer'. */
  onInvite?: 'answer' | 'reject' | 'ring';
}

/**
 * An Agent's softphone in Node: real SIP.js over a real WebSocket to our Kamailio, without media.
 * Stands in for the browser softphone in signalling tests.
 */
export class SipPhone {
  readonly calls: PhoneCall[] = [];
  private readonly ua: UserAgent;
  private readonly registerer: Registerer;

  constructor(private readonly options: SipPhoneOptions) {
    const uri = UserAgent.makeURI(options.aor);
    if (!uri) throw new Error(`Bad AOR ${options.aor}`);
    this.ua = new UserAgent({
      uri,
      transportOptions: { server: options.wsUrl },
      authorizationUsername: options.username,
      authorizationPassword: options.password,
      sessionDescriptionHandlerFactory: () => new NoMediaDescriptionHandler(),
      logLevel: 'error',
      delegate: { onInvite: (invitation) => this.ring(invitation) },
    });
    this.registerer = new Registerer(this.ua, { expires: 300 });
  }

  private ring(invitation: Invitation): void {
    const call: PhoneCall = {
      callId: invitation.request.callId,
      interactionId: invitation.request.getHeader('X-CTI-Interaction'),
      offer: invitation.request.body,
      states: [],
      acked: false,
      invitation,
    };
    invitation.delegate = { onAck: () => (call.acked = true) };
    this.calls.push(call);
    invitation.stateChange.addListener((state) => call.states.push(state));
    if (this.options.onInvite === 'reject') void invitation.reject({ statusCode: 486 });
    else if (this.options.onInvite !== 'ring') void invitation.accept();
  }

  /** Answers the last call, which rang without an answer ('ring'). */
  async answer(): Promise<void> {
    const call = this.calls.at(-1);
    if (!call) throw new Error('No call is ringing');
    await call.invitation.accept();
  }

  /** Registers; resolves with the final response code (200, or 401/403 when refused). */
  async register(): Promise<number> {
    await this.ua.start();
    return new Promise<number>((resolve) => {
      const done = (state: RegistererState) => {
        if (state === RegistererState.Registered) resolve(200);
      };
      this.registerer.stateChange.addListener(done);
      void this.registerer.register({
        requestDelegate: { onReject: (response) => resolve(response.message.statusCode ?? 0) },
      });
    });
  }

  /** Hangs up the last call it answered (BYE). */
  async hangUp(): Promise<void> {
    const call = this.calls.at(-1);
    if (!call) throw new Error('No call to hang up');
    await call.invitation.bye();
  }

  /** Closes the WebSocket without unregistering, as a crashed browser or a lost network would. */
  async dropConnection(): Promise<void> {
    await this.ua.transport.disconnect();
  }

  async stop(): Promise<void> {
    if (this.registerer.state === RegistererState.Registered)
      await this.registerer.unregister().catch(() => {});
    await this.ua.stop();
  }
}

export { SessionState };
