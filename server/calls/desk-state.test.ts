import { describe, expect, it } from 'vitest';
import type { AcdAgent, Reservation } from '../../queues/index.js';
import type { WrapUpCode } from '../call-queues/call-queues.schemas.js';
import type { ScreenPop } from '../customers/customers.service.js';
import { aCallQueue } from '../testing/call-path-fakes.js';
import { newSession, type CallSession } from './call-sessions.js';
import { deskCallOf, deskStateOf, type DeskFacts } from './desk-state.js';

const now = new Date('2026-03-02T10:00:00.000Z');
const pop: ScreenPop = {
  callerNumber: '+12125550100',
  customer: null,
  recentInteractions: [],
  openFollowUps: [],
  lastSurvey: null,
};
const record = {
  origin: null,
  queueId: 3,
  queueName: 'Billing',
  queuedAt: '2026-03-02T09:59:00.000Z',
  offeredAt: null,
  answeredAt: null,
};
const session = newSession({
  interactionId: 9,
  provider: 'twilio',
  providerCallId: 'CA1',
  callerNumber: null,
});
const call = deskCallOf(9, record, session, pop, now);

const agent = (status: AcdAgent['status'], fields: Partial<AcdAgent> = {}): AcdAgent => ({
  agentId: 4,
  status,
  reason: null,
  statusSinceMs: Date.parse('2026-03-02T09:58:00.000Z'),
  reservationId: null,
  interactionId: null,
  nextReason: null,
  ...fields,
});

const facts = (fields: Partial<DeskFacts>): DeskFacts => ({
  now,
  agent: null,
  breakReasons: ['lunch'],
  offer: null,
  call: null,
  wrapUp: null,
  ...fields,
});

describe('the call on a desk', () => {
  it('counts the wait from queueing to the offer, or to now while the call still waits', () => {
    expect(call.waitedSeconds).toBe(60);
    expect(
      deskCallOf(9, { ...record, offeredAt: '2026-03-02T09:59:42.400Z' }, null, pop, now).waitedSeconds,
    ).toBe(42);
    expect(deskCallOf(9, { ...record, queuedAt: null }, null, pop, now).waitedSeconds).toBe(0);
    // Clocks of two processes disagree by a little: never a negative wait.
    expect(
      deskCallOf(9, { ...record, offeredAt: '2026-03-02T09:58:59.000Z' }, null, pop, now).waitedSeconds,
    ).toBe(0);
  });

  it('names the queue only when the record knows both its id and name, and shows what the IVR learned', () => {
    expect(call.queue).toEqual({ id: 3, name: 'Billing' });
    expect(deskCallOf(9, { ...record, queueName: null }, null, pop, now).queue).toBeNull();
    const ivr: CallSession = {
      ...session,
      ivr: {
        flowId: 'main',
        flowVersion: 1,
        nodeId: 'menu',
        awaiting: { kind: 'input' },
        language: 'en-US',
        attempts: 0,
        answers: { lang: 'en' },
        path: ['menu'],
      },
    };
    expect(deskCallOf(9, record, ivr, pop, now).ivr).toEqual({ answers: { lang: 'en' }, path: ['menu'] });
    expect(call.ivr).toEqual({ answers: {}, path: [] });
  });
});

describe('desk state', () => {
  it('is offline, since now, for an agent the ACD does not know', () => {
    expect(deskStateOf(facts({}))).toEqual({
      serverTime: now.toISOString(),
      status: 'offline',
      reason: null,
      since: now.toISOString(),
      breakReasons: ['lunch'],
      nextReason: null,
      offer: null,
      call: null,
      wrapUp: null,
    });
  });

  it('shows the break planned for after the call', () => {
    const onCall = agent('on_call', { interactionId: 9, nextReason: 'lunch' });
    expect(deskStateOf(facts({ agent: onCall })).nextReason).toBe('lunch');
  });

  it('shows an offer only while its reservation is pending', () => {
    const reservation: Reservation = {
      id: 11,
      interactionId: 9,
      agentId: 4,
      queueId: 3,
      state: 'pending',
      createdAtMs: now.getTime(),
      expiresAtMs: now.getTime() + 20_000,
      reason: 'longest idle',
    };
    const reserved = agent('reserved', { reservationId: 11 });
    expect(deskStateOf(facts({ agent: reserved, offer: { reservation, call } })).offer).toEqual({
      ...call,
      reservationId: 11,
      expiresAt: '2026-03-02T10:00:20.000Z',
    });
    const accepted = { reservation: { ...reservation, state: 'accepted' as const }, call };
    expect(deskStateOf(facts({ agent: reserved, offer: accepted })).offer).toBeNull();
  });

  it('shows hold, mute, the recording and a consultation only while it is under way', () => {
    const consult = { label: 'Ben', legId: 'CA2', childId: 12, answered: true, completed: false };
    const live = {
      ...session,
      holdStartedAtMs: now.getTime(),
      agentMuted: true,
      recording: 'paused' as const,
    };
    const onCall = (s: typeof session) =>
      deskStateOf(
        facts({
          agent: agent('on_call', { interactionId: 9 }),
          call: {
            call,
            answeredAt: '2026-03-02T09:59:30.000Z',
            session: s,
            queue: aCallQueue({ id: 3, recordingPolicy: 'on_demand' }),
          },
        }),
      ).call;
    expect(onCall({ ...live, consult })).toMatchObject({
      onHold: true,
      muted: true,
      consult: { label: 'Ben', answered: true },
      recording: { state: 'paused', onDemand: true },
    });
    expect(onCall({ ...live, consult: { ...consult, completed: true } })?.consult).toBeNull();
    expect(onCall({ ...session, consult: null })).toMatchObject({
      onHold: false,
      muted: false,
      consult: null,
      recording: { state: 'off' },
    });
  });

  it('requires a code only when the queue is mandatory and has codes, and ends timed work by itself', () => {
    const code: WrapUpCode = {
      id: 1,
      setId: 1,
      setName: 'Sales',
      code: 'sale',
      label: 'Sale',
      action: 'none',
      actionLifecycleStage: null,
      followUp: null,
      active: true,
    };
    const wrapUp = (queue: ReturnType<typeof aCallQueue>, codes = [code]) =>
      deskStateOf(facts({ agent: agent('wrap_up'), wrapUp: { call, codes, queue } })).wrapUp;
    expect(wrapUp(aCallQueue({ id: 3, acwPolicy: 'mandatory' }))).toMatchObject({
      codeRequired: true,
      deadline: null,
    });
    expect(wrapUp(aCallQueue({ id: 3, acwPolicy: 'mandatory' }), [])?.codeRequired).toBe(false);
    expect(wrapUp(aCallQueue({ id: 3, acwPolicy: 'timed', acwSeconds: 30 }))).toMatchObject({
      codeRequired: false,
      deadline: '2026-03-02T09:58:30.000Z',
    });
  });

  it('shows no call or wrap-up that the agent status does not say they have', () => {
    const state = deskStateOf(
      facts({
        agent: agent('available'),
        call: { call, answeredAt: null, session, queue: null },
        wrapUp: { call, codes: [], queue: null },
      }),
    );
    expect(state).toMatchObject({ status: 'available', call: null, wrapUp: null, offer: null });
  });
});
