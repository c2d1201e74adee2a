import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTestRedis } from '../../testing/redis.js';
import { SIP_DIALOG_EVENTS } from './kamailio-config.js';
import { createSipDialogEvents } from './sip-dialog-events.js';
import type { SipWaiting } from './sip-waiting.js';

const CALL_ID = 'a84b4c76e66710@pc33.example.com';

/**
 * The call path's side of dialog events, with real Redis for the claims and a recording stand-in
 * for the call path's events: what is applied, in which order, and by which of several server processes.
 */
describe('SIP dialog events into the call path', () => {
  const store = useTestRedis('sip:');
  let applied: string[];
  let answered: boolean;
  let answerDelayMs: number;
  let endDelayMs: number;

  const calls = {
    ownerOfCall: (_provider: string, callId: string) =>
      callId === CALL_ID ? { id: 7, moved: false, answered } : null,
    agentLegAnswered: async (id: number) => {
      await new Promise((resolve) => setTimeout(resolve, answerDelayMs));
      answered = true;
      applied.push(`answered ${id}`);
    },
    callerEnded: async (id: number) => {
      await new Promise((resolve) => setTimeout(resolve, endDelayMs));
      applied.push(`ended ${id}`);
    },
    providerHoldChanged: async (id: number, onHold: boolean) => {
      applied.push(`${onHold ? 'held' : 'resumed'} ${id}`);
    },
  };
  const waiting = { take: async () => null } as unknown as SipWaiting;
  const log = pino({ level: 'silent' }) as FastifyBaseLogger;
  /** One server process's side: processes share Redis, not memory. */
  const serverProcess = () =>
    createSipDialogEvents({ calls, waiting, redis: store.redis, prefix: store.prefix, log });

  beforeEach(() => {
    applied = [];
    answered = false;
    answerDelayMs = 0;
    endDelayMs = 0;
  });

  it('applies the events of one dialog in the order they came, even when the first is slow', async () => {
    const events = serverProcess();
    answerDelayMs = 50;
    expect(await events.take({ event: SIP_DIALOG_EVENTS.answered, callId: CALL_ID }, 'evapi')).toBe('taken');
    expect(await events.take({ event: SIP_DIALOG_EVENTS.ended, callId: CALL_ID }, 'evapi')).toBe('taken');
    expect(applied).toEqual([]);
    await events.settled();
    expect(applied).toEqual(['answered 7', 'ended 7']);
  });

  it('takes a push once across processes, and records the answer when the end is taken before it', async () => {
    const a = serverProcess();
    const b = serverProcess();
    const ended = { event: SIP_DIALOG_EVENTS.ended, callId: CALL_ID };
    // Every process gets every push; B takes the end while A has not applied the answer yet.
    expect(await b.take(ended, 'evapi')).toBe('taken');
    expect(await a.take(ended, 'evapi')).toBe('duplicate');
    await b.settled();
    expect(applied).toEqual(['answered 7', 'ended 7']);
  });

  it('answers the hook only once an answer or a hold is applied, but an end at once', async () => {
    const events = serverProcess();
    answerDelayMs = 30;
    // Ending a call offers its Agent the next caller, through Kamailio: slow, and not waited for.
    endDelayMs = 30;
    await events.take({ event: SIP_DIALOG_EVENTS.answered, callId: CALL_ID }, 'http');
    expect(applied).toEqual(['answered 7']);
    await events.take({ event: SIP_DIALOG_EVENTS.held, callId: CALL_ID }, 'http');
    expect(applied).toEqual(['answered 7', 'held 7']);
    await events.take({ event: SIP_DIALOG_EVENTS.ended, callId: CALL_ID }, 'http');
    expect(applied).toEqual(['answered 7', 'held 7']);
    await events.settled();
    expect(applied).toEqual(['answered 7', 'held 7', 'ended 7']);
  });

  it('leaves a dialog nobody owns alone', async () => {
    const events = serverProcess();
    expect(await events.take({ event: SIP_DIALOG_EVENTS.ended, callId: 'stranger@nowhere' }, 'http')).toBe(
      'unknown',
    );
    await events.settled();
    expect(applied).toEqual([]);
  });
});
