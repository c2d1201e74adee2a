import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createRng, randomSeed } from '../scripts/fuzz/prng.js';
import { SECOND, useTestAcd } from './testing/test-acd.js';
import type { RoutingStrategy } from './index.js';

const DAY_MS = 86_400_000;
const MINUTE = 60 * SECOND;
const SKILLS = ['billing', 'mandarin', 'sales'];
const STRATEGIES: RoutingStrategy[] = ['longest_idle', 'least_occupied', 'skills_best_match', 'round_robin'];

/**
 * The agents the dispatch of the code before ranked indexes would offer `calls` calls of the queue to,
 * in order, computed the way it did: every available agent read and ranked in full. It reads agents'
 * hashes, not the ACD's indexes, so it checks those too.
 */
async function fullScanPicks(redis: Redis, prefix: string, queueId: number, nowMs: number, calls: number) {
  const q = await redis.hgetall(`${prefix}queue:${queueId}`);
  const required = JSON.parse(q.requiredSkills!) as { skill: string; minProficiency: number }[];
  const candidates: { id: number; since: number; talkToday: number; proficiency: number }[] = [];
  for (const id of (await redis.smembers(`${prefix}agents`)).map(Number)) {
    const agent = await redis.hgetall(`${prefix}agent:${id}`);
    const skills = await redis.hgetall(`${prefix}agent:${id}:skills`);
    const qualified = required.every((r) => Number(skills[r.skill] ?? 0) >= r.minProficiency);
    if (agent.status !== 'available' || !qualified) continue;
    candidates.push({
      id,
      since: Number(agent.availableSinceMs),
      talkToday: Number(agent.talkDay) === Math.floor(nowMs / DAY_MS) ? Number(agent.talkMs) : 0,
      proficiency: required.reduce((sum, r) => sum + Number(skills[r.skill]), 0),
    });
  }
  let last = Number(q.rrLastAgentId ?? 0);
  const rank = (a: (typeof candidates)[number]) => {
    switch (q.strategy as RoutingStrategy) {
      case 'longest_idle':
        return a.since;
      case 'least_occupied':
        return a.talkToday;
      case 'skills_best_match':
        return -a.proficiency;
      case 'round_robin':
        return a.id > last ? 0 : 1;
    }
  };
  const picks: number[] = [];
  while (picks.length < calls && candidates.length > 0) {
    candidates.sort((a, b) => rank(a) - rank(b) || a.id - b.id);
    const best = candidates.shift()!;
    picks.push(best.id);
    last = best.id;
  }
  return picks;
}

describe('dispatch from ranked indexes', () => {
  const t = useTestAcd();

  it.each(STRATEGIES)(
    '%s picks the agent a full scan picks, on random agents, skills, talk times and days',
    { timeout: 60_000 },
    async (strategy) => {
      // A failing run prints its seed; replay it by putting the seed here.
      const seed = randomSeed();
      const rng = createRng(seed);
      /** An integer in [0, n). */
      const below = (n: number) => rng.int(0, n - 1);
      const { acd, clock, redis, prefix } = t;
      // Ids of 1 to 7 digits, so ranking by id cannot lean on their text.
      const ids = new Set<number>();
      while (ids.size < 12) ids.add(1 + below(10 ** (1 + below(7))));
      const agents = [...ids];
      const randomSkills = () =>
        SKILLS.filter(() => below(4) > 0).map((skill) => ({ skill, proficiency: 1 + below(3) }));
      const randomQueue = () =>
        t.queue({
          strategy: below(5) === 0 ? rng.pick(STRATEGIES) : strategy,
          requiredSkills: SKILLS.filter(() => below(3) === 0).map((skill) => ({
            skill,
            minProficiency: 1 + below(2),
          })),
          acwPolicy: rng.pick(['none', 'mandatory'] as const),
        });
      await randomQueue();
      for (const id of agents) await acd.setAgentProfile({ id, skills: randomSkills() });

      let interactionId = 0;
      const tally = { pairings: 0, emptyDispatches: 0 };
      const firstDay = Math.floor(clock.now().getTime() / DAY_MS);
      for (let step = 0; step < 300; step++) {
        const id = rng.pick(agents);
        const status = (await acd.getAgent(id))!.status;
        const action = below(10);
        if (action < 2) {
          if (status === 'offline') await acd.agentEvent(id, 'login');
          if (status === 'offline' || status === 'break') await acd.agentEvent(id, 'go_available');
          if (status === 'wrap_up') await acd.endWrapUp(id);
        } else if (action === 2 && (status === 'available' || status === 'break')) {
          await (below(2) === 0
            ? acd.agentEvent(id, 'logout')
            : acd.agentEvent(id, 'take_break', { reason: 'lunch' }));
        } else if (action === 3) {
          await acd.setAgentProfile({ id, skills: randomSkills() });
        } else if (action === 4) {
          await randomQueue();
        } else if (action === 5) {
          const nowMs = clock.now().getTime();
          const toMidnight = DAY_MS - (nowMs % DAY_MS);
          // Often just past midnight, so agents waiting since yesterday meet the next call.
          clock.advance(rng.pick([below(3) * SECOND, below(4 * 60 * MINUTE), toMidnight + below(MINUTE)]));
        } else {
          const calls = 1 + below(3);
          for (let i = 0; i < calls; i++) await t.call(++interactionId);
          const expected = await fullScanPicks(redis, prefix, 1, clock.now().getTime(), calls);
          const made = await acd.dispatch();
          expect(
            made.map((r) => r.agentId),
            `seed ${seed}, step ${step}`,
          ).toEqual(expected);
          tally.pairings += made.length;
          if (made.length === 0) tally.emptyDispatches++;
          const connected: number[] = [];
          for (const reservation of made) {
            const outcome = below(5);
            if (outcome === 0) {
              await acd.rejectReservation(reservation.id, reservation.agentId);
            } else if (outcome === 1) {
              // The caller hangs up while it rings: the agent is available again at their old place.
              await acd.abandon(reservation.interactionId);
            } else {
              await acd.acceptReservation(reservation.id, reservation.agentId);
              connected.push(reservation.interactionId);
            }
          }
          for (const call of connected) {
            // Talk in whole minutes, so equal talk times happen; now and then past midnight.
            clock.advance(below(3) === 0 ? below(5 * 60) * MINUTE : (1 + below(3)) * MINUTE);
            await acd.endCall(call);
          }
          // Calls nobody took, or declined, leave: the next round starts with an empty queue.
          for (const waiting of (await acd.snapshot(1)).waiting) await acd.abandon(waiting.interactionId);
        }
        expect(await acd.checkInvariants(), `seed ${seed}, step ${step}`).toEqual([]);
      }
      // The random walk went where it matters.
      expect(tally.pairings).toBeGreaterThan(20);
      expect(tally.emptyDispatches).toBeGreaterThan(0);
      expect(Math.floor(clock.now().getTime() / DAY_MS)).toBeGreaterThan(firstDay);
    },
  );
});
