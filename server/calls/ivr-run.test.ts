import pino from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { FLOWS_DIR, loadFlows, type FlowCatalog } from '../../ivr/index.js';
import type { IvrLinks } from '../telephony/index.js';
import type { CallSession } from './call-sessions.js';
import { createIvrRun } from './ivr-run.js';

/** Monday 2 June 2025, 11:00 in New York: the VIP desk is open. */
const MONDAY_MORNING = new Date('2025-06-02T15:00:00Z');
const VIP_LINE = '+14155550123';
const ID = 7;

const links: IvrLinks = {
  answerUrl: (nodeId) => `https://cti.example.com/twilio/ivr?node=${nodeId}`,
  recordingUrl: 'https://cti.example.com/twilio/recording-status',
};

const newSession = (): CallSession => ({
  interactionId: ID,
  provider: 'twilio',
  providerCallId: 'CA1',
  callerNumber: '+14155551234',
  ivr: null,
  lastTwiml: null,
  ivrOutcome: null,
  queueId: null,
  agentLegId: null,
  holdStartedAtMs: null,
});

/** The IVR run against the shipped flows, with the session store in memory and the call path recorded. */
function harness(flows: FlowCatalog, customerId: number | null = 42) {
  const stored = new Map<number, CallSession>([[ID, newSession()]]);
  const called: string[] = [];
  const progresses: { flowId: string; path: readonly string[]; end: string | null }[] = [];
  const sessions = {
    get: async (id: number) => stored.get(id) ?? null,
    update: async (id: number, change: (session: CallSession) => Partial<CallSession>) => {
      const session = stored.get(id);
      if (!session) return null;
      const next = { ...session, ...change(session) };
      stored.set(id, next);
      return next;
    },
  };
  const run = createIvrRun({
    sessions,
    flows,
    clock: { now: () => MONDAY_MORNING },
    calls: {
      identify: (id, effect) => {
        called.push(`identify ${id} ${effect.kind}`);
        return customerId;
      },
      enqueue: async (id, request) => {
        called.push(`enqueue ${id} ${request.queueName} +${request.priorityBoostSeconds}s`);
        // As the calls service does: the queue's fields, written while the IVR step runs.
        await sessions.update(id, () => ({ queueId: 3 }));
        return 3;
      },
      callbackRequested: async (id) => void called.push(`callback ${id}`),
      ivrFinished: async (id, outcome) => void called.push(`finished ${id} ${outcome}`),
      dispatch: async () => void called.push('dispatch'),
      ivrProgress: (id, progress) => void progresses.push(progress),
    },
    log: pino({ level: 'silent' }),
  });
  return { run, stored, called, progresses };
}

describe('the IVR run', () => {
  let flows: FlowCatalog;
  beforeAll(async () => {
    flows = await loadFlows(FLOWS_DIR);
  });

  it('starts the flow of the dialled number and keeps its state in the session', async () => {
    const { run, stored } = harness(flows);
    const reply = await run.startIvr(ID, VIP_LINE, links);
    expect(reply.kind).toBe('document');
    const document = reply.kind === 'document' ? reply.document : '';
    expect(document).toContain('Welcome to Acme priority service.');
    expect(document).toContain('node=identify_caller');
    expect(stored.get(ID)).toMatchObject({ ivr: { flowId: 'vip' }, lastTwiml: document });
  });

  it('walks an answer through the lookup to the queue, then parks the caller on every repeat', async () => {
    const { run, stored, called, progresses } = harness(flows);
    await run.startIvr(ID, VIP_LINE, links);
    // Recorded from the first step: a caller who hangs up now has left from the prompt's node.
    expect(progresses).toEqual([{ flowId: 'vip', path: stored.get(ID)!.ivr!.path, end: null }]);
    const reply = await run.ivrStep(ID, { Digits: '4242' }, links);
    expect(progresses.at(-1)).toEqual({ flowId: 'vip', path: stored.get(ID)!.ivr!.path, end: 'enqueue' });
    expect(reply.kind).toBe('document');
    await new Promise((resolve) => setImmediate(resolve));
    expect(called).toEqual([`identify ${ID} identify_by_number`, `enqueue ${ID} VIP +600s`, 'dispatch']);
    // The IVR's own write keeps what the queue wrote meanwhile.
    expect(stored.get(ID)).toMatchObject({ queueId: 3, ivr: { awaiting: { kind: 'finished' } } });
    expect(await run.ivrStep(ID, {}, links)).toEqual({ kind: 'queued' });
  });

  it('sends a caller the CallQueue turned away to its alternative', async () => {
    const { run, stored } = harness(flows);
    await run.startIvr(ID, VIP_LINE, links);
    await run.ivrStep(ID, { Digits: '4242' }, links);
    stored.set(ID, { ...stored.get(ID)!, queueEmpty: 'callback' });
    expect(await run.ivrStep(ID, {}, links)).toEqual({ kind: 'queue_empty', alternative: 'callback' });
  });

  it('answers a call it cannot continue with gone', async () => {
    const { run, stored } = harness(flows);
    expect(await run.ivrStep(ID, { Digits: '1' }, links)).toEqual({ kind: 'gone' });
    stored.delete(ID);
    expect(await run.startIvr(ID, VIP_LINE, links)).toEqual({ kind: 'gone' });
  });
});
