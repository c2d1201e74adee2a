import type { FakeEvent } from '../twilio-fake/index.js';
import { CallRun } from './call-run.js';
import { scaled, type CallerContext } from './caller-context.js';
import type {
  CallTranscript,
  CallerEngine,
  CallerEngineOptions,
  CallerScript,
  Instructions,
} from './caller-types.js';
import { execute } from './twiml-verbs.js';
import { fetchTwiml, standardParams } from './webhooks.js';

export type * from './caller-types.js';
export { deliverVia } from './webhooks.js';

/**
 * Plays Twilio's part of inbound calls against a CTI server: it dials in through the Twilio fake
 * (so the server's REST commands find the call), POSTs the signed voice webhook, and follows the
 * TwiML it gets back as Twilio would (`Say`, `Play`, `Pause`, `Gather`, `Redirect`, `Record`,
 * `Dial` with `Conference` or `Number`, `Hangup`) until the call ends. In a conference it waits
 * for an Agent to join, talks, and hangs up; the fake posts the status callbacks.
 */
export function createCallerEngine(options: CallerEngineOptions): CallerEngine {
  const { fake } = options;
  const context: CallerContext = {
    fake,
    accountSid: options.accountSid,
    authToken: options.authToken,
    publicOrigin: new URL(options.publicBaseUrl).origin,
    serverOrigin: new URL(options.serverBaseUrl).origin,
    behaviour: {
      sayMs: 0,
      playMs: 0,
      maxPauseMs: 0,
      thinkMs: 0,
      silenceMs: 0,
      timeScale: 1,
      requestTimeoutMs: 15_000,
      maxRequests: 200,
      ...options.behaviour,
    },
    byConference: new Map(),
  };
  const runs = new Map<string, CallRun>();
  const finished = new Set<Promise<CallTranscript>>();

  const unsubscribe = fake.on((event: FakeEvent) => {
    switch (event.type) {
      case 'call-status':
        runs.get(event.call.sid)?.statusChanged(event.call);
        break;
      case 'call-redirected':
        runs.get(event.call.sid)?.redirected(event.twiml, event.url);
        break;
      case 'participant-connected':
        context.byConference.get(event.conference.sid)?.participantConnected(event.callSid);
        break;
      default:
        break;
    }
  });

  async function follow(run: CallRun): Promise<void> {
    const voiceUrl = `${context.publicOrigin}/twilio/voice`;
    let next: Instructions | null = {
      kind: 'url',
      url: voiceUrl,
      params: standardParams(context, run, 'ringing'),
    };
    let documentUrl = voiceUrl;
    while (next && !run.ended) {
      let twiml: string;
      if (next.kind === 'url') {
        documentUrl = next.url;
        twiml = await fetchTwiml(
          context,
          run,
          next.url,
          next.params ?? standardParams(context, run, 'in-progress'),
        );
        next.after?.();
      } else {
        twiml = next.twiml;
      }
      if (run.ended) break;
      next = await execute(context, run, documentUrl, twiml);
      if (!next && run.pending && !run.ended) {
        next = run.pending;
        run.pending = null;
      }
    }
  }

  async function placeCall(
    request: { from?: string; to?: string; script?: CallerScript } = {},
  ): Promise<CallTranscript> {
    const from = request.from ?? options.numbers?.from();
    const to = request.to ?? options.numbers?.to;
    if (!from || !to) throw new Error('placeCall needs from and to (or the engine’s numbers)');
    const script = request.script ?? {};
    const call = fake.arrive({
      from,
      to,
      statusCallback: `${context.publicOrigin}/twilio/call-status`,
      ...(script.callbacks && { delivery: script.callbacks }),
    });
    const run = new CallRun(fake, call, script);
    runs.set(call.sid, run);

    const limit = setTimeout(
      () => {
        run.transcript.errors.push(`still going after ${script.maxCallSeconds ?? 900} s`);
        run.overran = true;
        run.hangUp('call ran past maxCallSeconds');
      },
      scaled(context, script.maxCallSeconds ?? 900),
    );
    const ivrAbandon =
      script.abandonInIvrAfterSeconds === undefined
        ? undefined
        : setTimeout(
            () => {
              if (run.conferenceSid === null && !run.transferred) {
                run.abandoned = true;
                run.hangUp('caller hung up in the IVR');
              }
            },
            scaled(context, script.abandonInIvrAfterSeconds),
          );

    const done = (async () => {
      try {
        await follow(run);
      } catch (error) {
        run.failed = true;
        run.transcript.errors.push(error instanceof Error ? error.message : String(error));
        // Twilio says "an application error has occurred" and hangs up.
        run.hangUp('webhook failed');
      } finally {
        clearTimeout(limit);
        if (ivrAbandon) clearTimeout(ivrAbandon);
      }
      await Promise.allSettled(run.background);
      await fake.settled(run.call.sid);
      return finish(run);
    })();
    finished.add(done);
    void done.finally(() => finished.delete(done));
    return done;
  }

  function finish(run: CallRun): CallTranscript {
    runs.delete(run.call.sid);
    if (run.conferenceSid) context.byConference.delete(run.conferenceSid);
    return run.finish();
  }

  /** Hangs every live call up, as the callers would, and waits for them to finish. */
  async function hangUpAll(): Promise<void> {
    for (const run of runs.values()) {
      run.stopped = !run.ended;
      run.hangUp('simulation stopped');
    }
    await Promise.allSettled([...finished]);
  }

  return {
    placeCall,
    get active() {
      return runs.size;
    },
    hangUpAll,
    async close() {
      await hangUpAll();
      unsubscribe();
    },
  };
}
