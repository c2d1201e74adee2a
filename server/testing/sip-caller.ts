import { Inviter, SessionState, UserAgent, type Referral, type Session } from 'sip.js';
import { NoMediaDescriptionHandler } from './sip-phone.js';

/** A call the caller placed, first or after following a REFER. */
export interface CallerCall {
  callId: string;
  session: Session;
  states: SessionState[];
  /** Final response to the INVITE, once there is one. */
  finalCode: number | null;
}

export interface SipCallerOptions {
  wsUrl: string;
  /** The caller's own address; its user is the caller ID our server sees. */
  uri: string;
  /**
   * What the caller's side does with a REFER: follow it (202, then INVITE Refer-To), refuse it
   * (603), or only accept it (202) as a side that calls an outside number elsewhere would.
   */
  onRefer: 'follow' | 'refuse' | 'accept';
}

/**
 * A caller's side that speaks SIP over a WebSocket to our Kamailio (no registration, no media): real
 * SIP.js, which follows a REFER the way a phone or PBX that supports transfer does.
 */
export class SipCaller {
  readonly calls: CallerCall[] = [];
  /** Every REFER it received, with the Refer-To. */
  readonly referrals: string[] = [];
  private readonly ua: UserAgent;

  constructor(private readonly options: SipCallerOptions) {
    const uri = UserAgent.makeURI(options.uri);
    if (!uri) throw new Error(`Bad caller URI ${options.uri}`);
    this.ua = new UserAgent({
      uri,
      transportOptions: { server: options.wsUrl },
      sessionDescriptionHandlerFactory: () => new NoMediaDescriptionHandler(),
      logLevel: 'error',
    });
  }

  async start(): Promise<void> {
    await this.ua.start();
  }

  /** Places a call to `target` (a SIP URI); resolves once the INVITE is sent. */
  async call(target: string): Promise<CallerCall> {
    const uri = UserAgent.makeURI(target);
    if (!uri) throw new Error(`Bad target ${target}`);
    return this.place(new Inviter(this.ua, uri));
  }

  private async place(inviter: Inviter): Promise<CallerCall> {
    const call: CallerCall = {
      callId: inviter.request.callId,
      session: inviter,
      states: [],
      finalCode: null,
    };
    this.calls.push(call);
    inviter.stateChange.addListener((state) => call.states.push(state));
    inviter.delegate = { onRefer: (referral) => void this.referred(referral) };
    await inviter.invite({
      requestDelegate: {
        onAccept: (response) => (call.finalCode = response.message.statusCode ?? null),
        onReject: (response) => (call.finalCode = response.message.statusCode ?? null),
      },
    });
    return call;
  }

  private async referred(referral: Referral): Promise<void> {
    this.referrals.push(referral.referTo.uri.toString());
    if (this.options.onRefer === 'refuse') {
      await referral.reject({ statusCode: 603 });
      return;
    }
    await referral.accept();
    if (this.options.onRefer === 'follow') await this.place(referral.makeInviter());
  }

  /** Hangs up the latest call (BYE). */
  async hangUp(): Promise<void> {
    const call = this.calls.at(-1);
    if (!call) throw new Error('No call to hang up');
    if (call.session.state === SessionState.Established) await call.session.bye();
    else await (call.session as Inviter).cancel();
  }

  async stop(): Promise<void> {
    await this.ua.stop();
  }
}
