import type { PhoneKind } from './people.js';
import {
  DAY,
  HOUR,
  MINUTE,
  SECOND,
  WeightedSampler,
  clamp,
  iso,
  itemAt,
  seconds,
  type Random,
} from './random.js';
import type {
  DemoOutcome,
  PlannedCall,
  SeedContext,
  SeededAgent,
  SeededCode,
  SeededCustomer,
  SeededQueue,
} from './seed-context.js';
import { QUEUE_MIX } from './staff.js';
import {
  CALLBACK_REQUESTED_NOTES,
  CALL_WEIGHT_OF_STAGE,
  CALL_WEIGHT_OF_TIER,
  NOTES,
  NOTES_WITHOUT_CODE,
  QUEUE_CALLBACK_NOTES,
  TASK_NOTES,
  fillNote,
  notesIn,
} from './vocabulary.js';

export function planCalls(
  context: SeedContext,
  queues: SeededQueue[],
  customers: SeededCustomer[],
): PlannedCall[] {
  const { random, days, interactionsPerDay } = context;
  const queueNamed = new Map(queues.map((queue) => [queue.spec.name, queue]));
  const queueFor = (customer: SeededCustomer | null): SeededQueue => {
    const valuable = customer?.tier === 'platinum' || customer?.tier === 'gold';
    const name =
      valuable && random.chance(0.7)
        ? 'VIP'
        : random.weighted(
            customer === null
              ? QUEUE_MIX.unknown
              : customer.stage === 'new' || customer.stage === 'at_risk'
                ? QUEUE_MIX[customer.stage]
                : QUEUE_MIX.other,
          );
    const queue = queueNamed.get(name);
    if (!queue) throw new Error(`Demo queue ${name} is missing`);
    return queue;
  };
  const callers = new WeightedSampler(
    customers.map(
      (customer) =>
        CALL_WEIGHT_OF_TIER[customer.tier] * CALL_WEIGHT_OF_STAGE[customer.stage] * random.logNormal(1, 0.8),
    ),
  );

  const total = Math.round(interactionsPerDay * days);
  const calls: PlannedCall[] = [];
  for (let i = 0; i < total; i++) {
    if (random.chance(0.05)) {
      const queue = queueFor(null);
      calls.push({ ...queue.curve.sample(random), queue, customer: null });
      continue;
    }
    // A customer can only call while they exist: after sign-up and before erasure.
    for (let attempt = 0; ; attempt++) {
      if (attempt === 1000) throw new Error('Could not place a demo call in any customer lifetime');
      const customer = itemAt(customers, callers.sample(random));
      const queue = queueFor(customer);
      const arrival = queue.curve.sample(random);
      const alive =
        arrival.at >= customer.createdAt && (customer.erasedAt === null || arrival.at < customer.erasedAt);
      if (alive) {
        calls.push({ ...arrival, queue, customer });
        break;
      }
    }
  }
  return calls.sort((a, b) => a.at - b.at);
}

export function seedCalls(context: SeedContext, calls: PlannedCall[]): void {
  const { random, phones, sql, insert, summary, now } = context;
  const unknownNumbers: string[] = [];
  const doNotCall = new Map<number, number>();
  const followUpCutoff = now - 3 * DAY;

  const addFollowUp = (
    kind: 'callback' | 'task',
    customer: SeededCustomer,
    interactionId: number,
    queueId: number,
    owner: number | null,
    createdAt: number,
    dueAt: number,
    note: string,
  ) => {
    const completedAt = dueAt + random.int(0, 3 * HOUR);
    let status: 'open' | 'done' | 'cancelled' =
      createdAt >= followUpCutoff || completedAt >= now ? 'open' : random.chance(0.08) ? 'cancelled' : 'done';
    // Erasure closes whatever was still pending for the customer.
    if (customer.erasedAt !== null && (status === 'open' || dueAt >= customer.erasedAt)) {
      status = 'cancelled';
    }
    // As the call path makes them: one nobody owns belongs to the team of its queue.
    sql.followUp.run(
      kind,
      customer.id,
      interactionId,
      queueId,
      owner,
      owner === null ? queueId : null,
      iso(dueAt),
      status,
      note,
      iso(createdAt),
      status === 'done' ? iso(completedAt) : null,
      status === 'open' ? iso(createdAt) : iso(completedAt),
    );
    summary.followUps++;
  };

  calls.forEach((call, index) => {
    const { queue, customer } = call;
    const spec = queue.spec;
    const erased = customer !== null && customer.erasedAt !== null;
    let callerNumber: string | null;
    let language: string;
    if (customer === null) {
      // Some unknown callers ring more than once.
      if (unknownNumbers.length > 0 && random.chance(0.2)) {
        callerNumber = random.pick(unknownNumbers);
      } else {
        callerNumber = phones.create(
          random.weighted<PhoneKind>([
            ['us', 40],
            ['cnMobile', 45],
            ['ukMobile', 15],
          ]),
        );
        unknownNumbers.push(callerNumber);
      }
      language = callerNumber.startsWith('+86') && random.chance(0.85) ? 'zh-CN' : 'en-US';
    } else {
      callerNumber = erased ? null : random.pick(customer.phones);
      language = customer.language;
    }
    const ivrLanguage = language === 'zh-CN' ? 'zh-CN' : 'en-US';
    const ivrAnswers: Record<string, string> = {
      menu: spec.menu || random.pick(['1', '2', '3']),
      language: ivrLanguage,
    };
    if (customer?.accountNumber && random.chance(0.25)) ivrAnswers.accountNumber = customer.accountNumber;

    const arrivedAt = call.at;
    const queuedAt = arrivedAt + seconds(random.between(10, 60));
    const waitLimit = spec.overflowAfterSeconds ?? spec.maxWaitSeconds;
    const roll = random.next();
    const outcome: DemoOutcome =
      roll < 0.88
        ? random.chance(0.07)
          ? 'transferred'
          : 'answered'
        : roll < 0.96
          ? 'abandoned'
          : roll < 0.98 || customer === null
            ? 'voicemail'
            : 'callback';

    const events: [at: number, type: string, agentId: number | null, data: object][] = [
      [arrivedAt, 'arrived', null, {}],
      [queuedAt, 'ivr_left', null, ivrAnswers],
      [queuedAt, 'queued', null, { queueId: queue.id }],
    ];
    let agent: SeededAgent | null = null;
    let offeredAt: number | null = null;
    let answeredAt: number | null = null;
    let heldSeconds = 0;
    let endedAt: number;
    let wrapUpEndedAt: number | null = null;
    let code: SeededCode | null = null;
    let notes: string | null = null;

    if (outcome === 'answered' || outcome === 'transferred') {
      const ringSeconds = random.between(2, 9);
      const waitSeconds = clamp(
        random.logNormal(spec.medianWaitSeconds * (0.6 + 0.4 * call.load), 0.9),
        ringSeconds + 1,
        waitLimit - 1,
      );
      answeredAt = queuedAt + seconds(waitSeconds);
      offeredAt = answeredAt - seconds(ringSeconds);
      agent = pickAgent(random, queue, offeredAt, language);
      const talk = seconds(clamp(random.logNormal(240, 0.6), 60, 900));
      endedAt = answeredAt + talk;
      events.push(
        [offeredAt, 'offered', agent.id, { agentId: agent.id }],
        [answeredAt, 'answered', agent.id, { waitSeconds: Math.round(waitSeconds) }],
      );
      if (random.chance(0.18)) {
        heldSeconds = Math.round(Math.min(random.between(10, 180), (talk / SECOND) * 0.4));
        const heldAt = answeredAt + Math.floor(talk * random.between(0.15, 0.5));
        events.push(
          [heldAt, 'held', agent.id, {}],
          [heldAt + heldSeconds * SECOND, 'resumed', agent.id, { heldSeconds }],
        );
      }
      events.push([endedAt, 'ended', agent.id, { outcome }]);

      wrapUpEndedAt = endedAt + seconds(random.between(10, spec.acwSeconds ?? 120));
      // Unknown callers have no customer record for a callback, block or stage change to act on.
      const usable = customer === null ? queue.codes.filter((candidate) => !candidate.action) : queue.codes;
      code =
        spec.acwPolicy === 'optional' && random.chance(0.08)
          ? null
          : random.weighted(usable.map((candidate) => [candidate, candidate.weight] as const));
      if (!erased && random.chance(0.6)) {
        notes = fillNote(
          random,
          random.pick(notesIn((code ? NOTES[code.code] : undefined) ?? NOTES_WITHOUT_CODE, language)),
        );
      }
      // As the desk's wrap-up records it, so the timeline names the code as it does for real calls.
      events.push([wrapUpEndedAt, 'wrap_up_submitted', agent.id, { wrapUpCodeId: code?.id ?? null, notes }]);
      agent.busyUntil = wrapUpEndedAt;
    } else {
      const chosenAtLimit =
        (outcome === 'voicemail' || outcome === 'callback') &&
        spec.maxWaitAction === outcome &&
        spec.overflowAfterSeconds === null &&
        random.chance(0.5);
      const waitSeconds = chosenAtLimit
        ? spec.maxWaitSeconds
        : outcome === 'abandoned'
          ? clamp(random.logNormal(45 * (0.6 + 0.4 * call.load), 0.8), 3, waitLimit - 1)
          : random.between(20, waitLimit - 1);
      const afterWait =
        outcome === 'voicemail' ? random.between(15, 90) : outcome === 'callback' ? random.between(5, 20) : 0;
      endedAt = queuedAt + seconds(waitSeconds + afterWait);
      events.push([endedAt, 'ended', null, { outcome }]);
    }

    const interactionId = insert(
      sql.interaction,
      `demo-${index + 1}`,
      customer?.id ?? null,
      callerNumber,
      queue.id,
      agent?.id ?? null,
      iso(arrivedAt),
      iso(queuedAt),
      iso(queuedAt),
      offeredAt === null ? null : iso(offeredAt),
      answeredAt === null ? null : iso(answeredAt),
      heldSeconds,
      iso(endedAt),
      wrapUpEndedAt === null ? null : iso(wrapUpEndedAt),
      outcome,
      code?.id ?? null,
      notes,
      JSON.stringify(ivrAnswers),
    );
    summary.interactions++;
    for (const [at, type, agentId, data] of events) {
      sql.event.run(interactionId, iso(at), type, agentId, JSON.stringify(data));
    }
    summary.events += events.length;

    if (customer === null) return;
    if (outcome === 'callback') {
      const owner = random.chance(0.75) ? random.pick(queue.agents).id : null;
      const note = random.pick(notesIn(QUEUE_CALLBACK_NOTES, language));
      addFollowUp(
        'callback',
        customer,
        interactionId,
        queue.id,
        owner,
        endedAt,
        endedAt + random.int(10, 240) * MINUTE,
        note,
      );
    }
    if (!agent || !code || wrapUpEndedAt === null) return;
    if (code.action === 'schedule_callback') {
      const note = random.pick(notesIn(CALLBACK_REQUESTED_NOTES, language));
      const dueAt = wrapUpEndedAt + random.int(2 * 60, 48 * 60) * MINUTE;
      addFollowUp('callback', customer, interactionId, queue.id, agent.id, wrapUpEndedAt, dueAt, note);
    }
    if (code.action === 'do_not_call') doNotCall.set(customer.id, wrapUpEndedAt);
    const taskNotes = TASK_NOTES[code.code];
    if (taskNotes && random.chance(0.15)) {
      const owner = random.chance(0.9) ? agent.id : null;
      const note = fillNote(random, random.pick(notesIn(taskNotes, language)));
      const dueAt = wrapUpEndedAt + random.int(1, 5) * DAY;
      addFollowUp('task', customer, interactionId, queue.id, owner, wrapUpEndedAt, dueAt, note);
    }
  });

  for (const [customerId, at] of doNotCall) sql.doNotCall.run(iso(at), customerId);
}

/**
 * Roughly what the router would do: an agent with the queue's skill who is free, preferring
 * stronger ones and those who speak the caller's language; at peaks, the one free soonest.
 */
function pickAgent(random: Random, queue: SeededQueue, at: number, language: string): SeededAgent {
  const free = queue.agents.filter((agent) => agent.busyUntil <= at);
  if (free.length === 0) {
    return queue.agents.reduce((soonest, agent) => (agent.busyUntil < soonest.busyUntil ? agent : soonest));
  }
  const speaks = language === 'zh-CN' ? 'zh-CN' : 'en-US';
  return random.weighted(
    free.map(
      (agent) =>
        [agent, (agent.skills[queue.spec.skill] ?? 1) * (agent.languages.includes(speaks) ? 4 : 1)] as const,
    ),
  );
}
