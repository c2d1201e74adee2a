import type { Db } from '../../db/connection.js';
import { createInteractionsRepository } from '../interactions/index.js';
import { createRng } from '../../scripts/fuzz/prng.js';

type Repo = ReturnType<typeof createInteractionsRepository>;

export interface CallWorld {
  queues: number[];
  agents: number[];
  customers: number[];
  codes: number[];
}

/**
 * Plays `count` calls through the interactions repository, as the call path does, over the 30 days
 * from `start`: answered calls with ring-outs, declines, hold and wrap-up, abandons long and short,
 * voicemails, callbacks kept and failed, transfers, IVR-only calls, outbound calls, late answers,
 * and webhooks repeated after the end. Returns the ids it made.
 */
export function playCalls(db: Db, world: CallWorld, start: Date, count: number, seed = 1): number[] {
  const repo: Repo = createInteractionsRepository(db);
  // Seeded, so a failing generated month can be replayed.
  const random = createRng(seed);
  const pick = <T>(list: T[]) => list[random.int(0, list.length - 1)]!;
  const ids: number[] = [];
  const iso = (ms: number) => new Date(ms).toISOString();
  const tryApply = (id: number, event: Parameters<Repo['apply']>[1], at: number) => {
    try {
      repo.apply(id, event, iso(at));
    } catch {
      // A repeated webhook meets an illegal transition, as it does in production.
    }
  };
  const answerAndWrap = (id: number, at: number, agentId: number) => {
    let t = at;
    tryApply(id, { type: 'offered', agentId }, t);
    t += random.int(1, 15) * 1000;
    tryApply(id, { type: 'answered', agentId }, t);
    if (random.next() < 0.3) repo.annotate(id, { addHeldSeconds: random.int(5, 90) });
    t += random.int(20, 600) * 1000;
    return t;
  };
  for (let n = 0; n < count; n += 1) {
    const arrived = start.getTime() + random.int(0, 30 * 86_400 - 1) * 1000 + random.int(0, 999);
    const customerId = random.next() < 0.9 ? pick(world.customers) : null;
    const queueId = pick(world.queues);
    const kind = random.next();
    if (kind < 0.08) {
      const id = repo.recordOutbound({
        provider: 'sip',
        number: '+14155550100',
        customerId,
        queueId,
        agentId: pick(world.agents),
        at: iso(arrived),
      });
      ids.push(id);
      if (random.next() < 0.7) {
        tryApply(id, { type: 'answered', agentId: pick(world.agents) }, arrived + 8000);
        tryApply(id, { type: 'ended', outcome: null }, arrived + 120_000);
        tryApply(
          id,
          { type: 'wrap_up_submitted', wrapUpCodeId: pick(world.codes), notes: null },
          arrived + 150_000,
        );
      } else tryApply(id, { type: 'ended', outcome: 'failed' }, arrived + 30_000);
      continue;
    }
    const { id } = repo.recordArrival({
      direction: 'inbound',
      provider: random.next() < 0.5 ? 'twilio' : 'sip',
      providerCallId: `call-${seed}-${n}`,
      callerNumber: '+14155550123',
      customerId,
      arrivedAt: iso(arrived),
    });
    ids.push(id);
    let t = arrived + random.int(3, 40) * 1000;
    if (kind < 0.14) {
      tryApply(id, { type: 'ended', outcome: random.next() < 0.5 ? null : 'voicemail' }, t);
      continue;
    }
    tryApply(id, { type: 'ivr_left' }, t);
    tryApply(id, { type: 'queued', queueId }, t);
    const queuedAt = t;
    while (random.next() < 0.25) {
      const missed = pick(world.agents);
      tryApply(id, { type: 'offered', agentId: missed }, t);
      t += random.int(5, 20) * 1000;
      tryApply(
        id,
        { type: 'offer_declined', agentId: missed, reason: random.next() < 0.6 ? 'timed_out' : 'rejected' },
        t,
      );
    }
    const fate = random.next();
    if (fate < 0.55 || (fate >= 0.9 && fate < 0.95)) {
      const agentId = pick(world.agents);
      t = answerAndWrap(id, t + random.int(0, 60) * 1000, agentId);
      const transfer = fate >= 0.9;
      tryApply(id, { type: 'ended', outcome: transfer ? 'transferred' : null }, t);
      const code = random.next() < 0.8 ? pick(world.codes) : null;
      tryApply(
        id,
        { type: 'wrap_up_submitted', wrapUpCodeId: code, notes: null },
        t + random.int(0, 120) * 1000,
      );
      if (random.next() < 0.2)
        tryApply(id, { type: 'wrap_up_submitted', wrapUpCodeId: code, notes: null }, t + 200_000);
      // Hold time reported after the call closed: the rollups must move, not add the call again.
      if (random.next() < 0.1) repo.annotate(id, { addHeldSeconds: 7 });
      if (transfer) {
        const child = repo.recordContinued({
          parentId: id,
          origin: 'transfer',
          direction: 'inbound',
          provider: 'twilio',
          providerCallId: null,
          callerNumber: null,
          customerId,
          arrivedAt: iso(t),
        });
        ids.push(child);
        tryApply(child, { type: 'ivr_left' }, t);
        tryApply(child, { type: 'queued', queueId: pick(world.queues) }, t);
        const end = answerAndWrap(child, t + 5000, pick(world.agents));
        tryApply(child, { type: 'ended', outcome: null }, end);
        tryApply(child, { type: 'wrap_up_submitted', wrapUpCodeId: null, notes: null }, end + 10_000);
      }
    } else if (fate < 0.75) {
      const agentId = pick(world.agents);
      const offered = random.next() < 0.3;
      if (offered) tryApply(id, { type: 'offered', agentId }, t);
      const end = queuedAt + (random.next() < 0.3 ? random.int(0, 9_000) : random.int(10, 300) * 1000);
      tryApply(id, { type: 'ended', outcome: null }, Math.max(end, t));
      // The agent's answer reported after the caller's hang-up closed the call.
      if (offered && random.next() < 0.5) repo.reconcileLateAnswer(id, iso(Math.max(end, t) - 500), agentId);
    } else if (fate < 0.82) {
      tryApply(id, { type: 'ended', outcome: 'voicemail' }, t + random.int(30, 300) * 1000);
    } else {
      tryApply(id, { type: 'ended', outcome: 'callback' }, t + random.int(30, 300) * 1000);
      const callback = repo.recordContinued({
        parentId: id,
        origin: 'callback',
        direction: 'outbound',
        provider: 'twilio',
        providerCallId: null,
        callerNumber: '+14155550123',
        customerId,
        arrivedAt: iso(t + 3_600_000),
      });
      ids.push(callback);
      const c = t + 3_600_000;
      tryApply(callback, { type: 'ivr_left' }, c);
      tryApply(callback, { type: 'queued', queueId }, c);
      if (random.next() < 0.6) {
        const end = answerAndWrap(callback, c + 20_000, pick(world.agents));
        tryApply(callback, { type: 'ended', outcome: null }, end);
        tryApply(callback, { type: 'wrap_up_submitted', wrapUpCodeId: null, notes: null }, end + 5000);
      } else tryApply(callback, { type: 'ended', outcome: 'failed' }, c + 60_000);
    }
    // A duplicate final webhook: the repeated end is refused, and the facts it carries come again.
    if (random.next() < 0.2) {
      tryApply(id, { type: 'ended', outcome: null }, t + 999_000);
      if (customerId !== null) repo.annotate(id, { customerId });
    }
  }
  return ids;
}
