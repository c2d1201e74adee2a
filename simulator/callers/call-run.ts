import { ENDED_STATUSES, type FakeCall, type TwilioFake } from '../twilio-fake/index.js';
import type { CallTranscript, CallerScript, Instructions, TranscriptEvent, Wake } from './caller-types.js';

/** One live call: its state and the waits the script is in. */
export class CallRun {
  readonly started = Date.now();
  readonly transcript: CallTranscript;
  endedBy: 'caller' | 'other' | null = null;
  endStatus: string | null = null;
  private wake: ((why: Wake) => void) | null = null;
  pending: Instructions | null = null;
  conferenceSid: string | null = null;
  agentJoined = false;
  abandoned = false;
  transferred = false;
  failed = false;
  overran = false;
  stopped = false;
  requests = 0;
  gathers = 0;
  /** Callbacks sent beside the flow (a recording's status); the transcript waits for them. */
  readonly background: Promise<void>[] = [];

  constructor(
    private readonly fake: TwilioFake,
    readonly call: FakeCall,
    readonly script: CallerScript,
  ) {
    const now = new Date();
    this.transcript = {
      callSid: call.sid,
      from: call.from,
      to: call.to,
      startedAt: now,
      endedAt: now,
      outcome: 'failed',
      endReason: '',
      verbs: [],
      webhooks: [],
      entries: [],
      inputs: [],
      conferences: [],
      agentJoinedAt: null,
      waitedSeconds: 0,
      talkedSeconds: 0,
      errors: [],
    };
  }

  get ended(): boolean {
    return this.endStatus !== null;
  }

  log(entry: TranscriptEvent): void {
    this.transcript.entries.push({ atMs: Date.now() - this.started, ...entry });
  }

  statusChanged(call: FakeCall): void {
    if (!ENDED_STATUSES.has(call.status) || this.ended) return;
    this.endStatus = call.status;
    this.endedBy ??= 'other';
    this.log({ kind: 'event', event: 'call-ended', detail: call.status });
    this.poke('ended');
  }

  redirected(twiml: string | null, url: string | null): void {
    this.pending = twiml !== null ? { kind: 'twiml', twiml } : url !== null ? { kind: 'url', url } : null;
    this.log({ kind: 'event', event: 'redirected-by-server', detail: twiml ?? url ?? '' });
    this.poke('redirected');
  }

  participantConnected(callSid: string): void {
    if (callSid === this.call.sid) return;
    this.log({ kind: 'event', event: 'participant-connected', detail: callSid });
    this.poke('joined');
  }

  private poke(why: Wake): void {
    const wake = this.wake;
    this.wake = null;
    wake?.(why);
  }

  /** Waits `ms`, unless the call ends or is redirected first (or, with `untilJoined`, an Agent joins). */
  wait(ms: number, untilJoined = false): Promise<Wake> {
    if (this.ended) return Promise.resolve('ended');
    if (this.pending) return Promise.resolve('redirected');
    if (untilJoined && this.agentPresent()) return Promise.resolve('joined');
    return new Promise<Wake>((resolve) => {
      const handler = (why: Wake) => {
        if (why === 'joined' && !untilJoined) {
          // Not what this wait is for: keep waiting.
          this.wake = handler;
          return;
        }
        clearTimeout(timer);
        this.wake = null;
        resolve(why);
      };
      const timer = setTimeout(
        () => {
          this.wake = null;
          resolve('elapsed');
        },
        Math.max(0, ms),
      );
      this.wake = handler;
    });
  }

  agentPresent(): boolean {
    if (!this.conferenceSid) return false;
    const conference = this.fake.conferences.get(this.conferenceSid);
    if (!conference || conference.status === 'completed') return false;
    return [...conference.participants.values()].some(
      (participant) => participant.callSid !== this.call.sid && participant.status === 'connected',
    );
  }

  hangUp(reason: string): void {
    if (this.ended) return;
    this.endedBy = 'caller';
    this.transcript.endReason ||= reason;
    this.fake.endCall(this.call.sid, 'completed');
  }

  /** Closes the transcript: when and why the call ended, and its outcome from the caller's side. */
  finish(): CallTranscript {
    const t = this.transcript;
    t.endedAt = new Date();
    if (!t.endReason) {
      t.endReason =
        this.endedBy === 'other'
          ? `server ended the call (${this.endStatus ?? 'completed'})`
          : 'caller hung up';
    }
    t.outcome =
      this.failed || this.overran
        ? 'failed'
        : this.agentJoined
          ? 'answered'
          : this.abandoned
            ? 'abandoned'
            : this.transferred
              ? 'transferred'
              : this.stopped
                ? 'stopped'
                : this.endedBy === 'other'
                  ? 'ended_by_server'
                  : 'ended_in_ivr';
    return t;
  }
}
