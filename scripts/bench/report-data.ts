import type { Db } from '../../db/connection.js';
import { Random } from '../../simulator/demo-data/random.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TIERS = ['platinum', 'gold', 'silver', 'bronze'] as const;
const TIER_WEIGHTS = [0.03, 0.12, 0.3, 0.55];
const STAGES = ['new', 'active', 'at_risk', 'lost', 'won_back'] as const;
/** Share of a day's calls per local hour: quiet nights, a morning peak, a smaller afternoon one. */
const HOURLY = [1, 0.5, 0.3, 0.3, 0.4, 1, 3, 7, 11, 12, 11, 10, 8, 9, 10, 9, 8, 6, 4, 3, 2.5, 2, 1.5, 1];
/** Monday first. */
const WEEKLY = [1.15, 1.05, 1, 1, 0.95, 0.45, 0.25];

export interface ReportDataOptions {
  /** New calls spread over the months; the transfers and callbacks they lead to come on top (about 8 %). */
  interactions: number;
  customers: number;
  agents: number;
  queues: number;
  months: number;
  /** End of the history (exclusive). */
  now: number;
  /** Interactions left in wrap-up at the end, for the close-cost measurement. */
  open: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Fills a demo-seeded database with a large, plausible history straight through prepared inserts in
 * big transactions: extra queues, agents and customers, then interactions arriving on daily and
 * weekly curves, with abandons (some short), voicemails, callback requests and the callbacks placed,
 * transfers to a second queue, outbound calls, IVR-only calls and ring-outs (offer_declined events).
 * Writes only what reports read: no timelines beyond the declines, no search index for the new customers.
 */
export function generateReportData(db: Db, options: ReportDataOptions, log: (line: string) => void) {
  const random = new Random(20260101);
  const nowIso = iso(options.now);
  const codeSets = db
    .prepare<[], { id: number }>('SELECT id FROM wrap_up_code_sets ORDER BY id')
    .all()
    .map((set) => set.id);
  const codesOf = new Map(
    codeSets.map((set) => [
      set,
      db
        .prepare<[number], { id: number }>('SELECT id FROM wrap_up_codes WHERE set_id = ?')
        .all(set)
        .map((c) => c.id),
    ]),
  );

  db.transaction(() => {
    const skill = db.prepare<[], { id: number }>('SELECT id FROM skills ORDER BY id LIMIT 1').get()!.id;
    const queueCount = db.prepare<[], number>('SELECT count(*) FROM call_queues').pluck().get()!;
    const addQueue = db.prepare(
      `INSERT INTO call_queues (name, wrap_up_code_set_id, sl_target_seconds, sl_target_percent, created_at, updated_at)
       VALUES (?, ?, 30, 80, ?, ?)`,
    );
    for (let q = queueCount; q < options.queues; q += 1) {
      const id = addQueue.run(`Bench queue ${q + 1}`, codeSets[q % codeSets.length], nowIso, nowIso);
      db.prepare('INSERT INTO queue_skills (queue_id, skill_id) VALUES (?, ?)').run(
        id.lastInsertRowid,
        skill,
      );
    }
    const agentCount = db.prepare<[], number>('SELECT count(*) FROM agents').pluck().get()!;
    const addAgent = db.prepare(
      `INSERT INTO agents (username, display_name, role, password_hash, created_at, updated_at)
       VALUES (?, ?, 'agent', 'x', ?, ?)`,
    );
    for (let a = agentCount; a < options.agents; a += 1)
      addAgent.run(`staff${a}`, `Staff ${a}`, nowIso, nowIso);
    const customerCount = db.prepare<[], number>('SELECT count(*) FROM customers').pluck().get()!;
    const addCustomer = db.prepare(
      'INSERT INTO customers (name, tier, lifecycle_stage, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    );
    for (let c = customerCount; c < options.customers; c += 1) {
      const tier = TIERS[pickWeighted(random.next(), TIER_WEIGHTS)]!;
      addCustomer.run(`Customer ${c}`, tier, STAGES[random.int(0, STAGES.length - 1)], nowIso, nowIso);
    }
  })();

  const queues = db
    .prepare<[], { id: number; codeSet: number | null }>(
      'SELECT id, wrap_up_code_set_id AS codeSet FROM call_queues ORDER BY id',
    )
    .all();
  const agentIds = db
    .prepare<[], number>("SELECT id FROM agents WHERE role = 'agent' ORDER BY id")
    .pluck()
    .all();
  const customerIds = db.prepare<[], number>('SELECT id FROM customers ORDER BY id').pluck().all();
  // Each agent works one queue, a third of them a second one too.
  const staffOf = queues.map(() => [] as number[]);
  agentIds.forEach((agent, index) => {
    staffOf[index % queues.length]!.push(agent);
    if (index % 3 === 0) staffOf[(index + 1) % queues.length]!.push(agent);
  });
  const queueWeights = queues.map((_, q) => 1 / (q + 1));

  const insert = db.prepare(
    `INSERT INTO interactions (id, direction, provider, provider_call_id, customer_id, queue_id, agent_id, state,
       arrived_at, ivr_left_at, queued_at, offered_at, answered_at, held_seconds, ended_at, wrap_up_ended_at,
       outcome, wrap_up_code_id, parent_interaction_id, origin)
     VALUES (?, ?, 'twilio', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const decline = db.prepare(
    `INSERT INTO interaction_events (interaction_id, at, type, agent_id, data)
     VALUES (?, ?, 'offer_declined', ?, '{"reason":"timed_out"}')`,
  );
  let nextId =
    (db.prepare<[], number>('SELECT coalesce(max(id), 0) FROM interactions').pluck().get() ?? 0) + 1;

  const start = options.now - Math.round(options.months * 30.44) * DAY;
  const hours = Math.floor((options.now - start) / HOUR);
  const weights = Array.from({ length: hours }, (_, h) => {
    const at = new Date(start + h * HOUR);
    return HOURLY[at.getUTCHours()]! * WEEKLY[(at.getUTCDay() + 6) % 7]!;
  });
  const total = weights.reduce((a, b) => a + b, 0);
  // Customers call with a skew: a few call often, most once or never.
  const customerAt = () => customerIds[Math.floor(customerIds.length * random.next() ** 2.5)]!;

  type Call = {
    direction: 'inbound' | 'outbound';
    customer: number | null;
    queue: number;
    arrivedAt: number;
    parent: number | null;
    origin: 'transfer' | 'callback' | null;
  };
  const write = (call: Call): number => {
    const id = nextId++;
    const queue = queues[call.queue]!;
    const staff = staffOf[call.queue]!;
    const codes = codesOf.get(queue.codeSet ?? -1) ?? [];
    const arrived = call.arrivedAt;
    const roll = random.next();
    let ivrLeft: number | null = arrived + random.int(5, 45) * 1000;
    let queued: number | null = ivrLeft;
    let answered: number | null = null;
    let agent: number | null = null;
    let held = 0;
    let ended: number;
    let wrapEnded: number | null = null;
    let code: number | null = null;
    let outcome: string;
    const wait = Math.round(-Math.log(1 - random.next()) * 25_000);
    let child: Call | null = null;
    if (call.direction === 'outbound' && call.origin === null) {
      ivrLeft = null;
      queued = null;
    }
    if (call.origin === null && call.direction === 'inbound' && roll < 0.04) {
      // Served by the IVR alone.
      queued = null;
      ended = ivrLeft! + random.int(5, 60) * 1000;
      outcome = 'abandoned';
    } else if (queued !== null && roll < 0.12) {
      const short = random.chance(0.3);
      ended = queued + (short ? random.int(0, 4_999) : wait + random.int(5_000, 60_000));
      outcome = 'abandoned';
    } else if (queued !== null && roll < 0.15) {
      ended = queued + wait + 60_000;
      outcome = 'voicemail';
    } else if (queued !== null && roll < 0.18 && call.origin === null) {
      ended = queued + wait + 30_000;
      outcome = 'callback';
      if (call.customer !== null)
        child = {
          ...call,
          direction: 'outbound',
          arrivedAt: ended + random.int(10, 120) * MINUTE,
          parent: id,
          origin: 'callback',
        };
    } else if (queued !== null && roll < 0.19) {
      ended = queued + wait;
      outcome = 'failed';
    } else {
      agent = staff[random.int(0, staff.length - 1)]!;
      answered = (queued ?? arrived) + (queued === null ? 0 : wait) + random.int(1_000, 8_000);
      if (random.chance(0.2)) held = random.int(10, 120);
      ended = answered + held * 1000 + Math.round(-Math.log(1 - random.next()) * 240_000) + 20_000;
      wrapEnded = ended + random.int(0, 60) * 1000;
      if (codes.length > 0 && random.chance(0.85)) code = codes[random.int(0, codes.length - 1)]!;
      outcome = 'answered';
      if (call.origin === null && call.direction === 'inbound' && random.chance(0.06)) {
        outcome = 'transferred';
        wrapEnded = null;
        child = {
          ...call,
          queue: (call.queue + 1) % queues.length,
          arrivedAt: ended,
          parent: id,
          origin: 'transfer',
        };
      }
    }
    insert.run(
      id,
      call.direction,
      `CA${id.toString(16).padStart(32, '0')}`,
      call.customer,
      call.direction === 'outbound' && call.origin === null ? null : queue.id,
      agent,
      'completed',
      iso(arrived),
      ivrLeft === null ? null : iso(ivrLeft),
      queued === null ? null : iso(queued),
      answered === null ? null : iso(answered - 2_000),
      answered === null ? null : iso(answered),
      held,
      iso(ended),
      wrapEnded === null ? null : iso(wrapEnded),
      outcome,
      code,
      call.parent,
      call.origin,
    );
    // Ring-outs: another agent of the queue was offered the call first and let it ring.
    if (queued !== null && staff.length > 1 && random.chance(0.04))
      decline.run(id, iso(queued + 1_000), staff[random.int(0, staff.length - 1)]!);
    if (child && child.arrivedAt < options.now) return 1 + write(child);
    return 1;
  };

  // Indexes built once at the end cost a sort; kept up row by row they cost a random write each.
  const indexes = db
    .prepare<[], { name: string; sql: string }>(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'interactions' AND sql IS NOT NULL",
    )
    .all();
  for (const index of indexes) db.exec(`DROP INDEX ${index.name}`);
  // The hours are filled by new calls alone: counting their transfers and callbacks too ran out of
  // calls before the end, and left the last month (every "recent" report's range) nearly empty.
  let placed = 0;
  let written = 0;
  const batch = 200_000;
  const started = performance.now();
  for (let h = 0; h < hours && placed < options.interactions;) {
    db.transaction(() => {
      const until = placed + batch;
      for (; h < hours && placed < until && placed < options.interactions; h += 1) {
        const count = Math.round((options.interactions * weights[h]!) / total);
        const hourStart = start + h * HOUR;
        for (let i = 0; i < count && placed < options.interactions; i += 1) {
          placed += 1;
          const arrivedAt = hourStart + Math.floor(random.next() * HOUR);
          const outbound = random.chance(0.05);
          written += write({
            direction: outbound ? 'outbound' : 'inbound',
            customer: random.chance(0.06) ? null : customerAt(),
            queue: pickWeighted(random.next(), queueWeights),
            arrivedAt,
            parent: null,
            origin: null,
          });
        }
      }
    })();
    log(`  ${written} interactions (${Math.round(written / ((performance.now() - started) / 1000))}/s)`);
  }
  for (const index of indexes) db.exec(index.sql);
  // The latest answered calls stay in wrap-up: closing them is what the close-cost measurement times.
  db.prepare(
    `UPDATE interactions SET state = 'wrap_up', wrap_up_ended_at = NULL WHERE id IN (
       SELECT id FROM interactions WHERE outcome = 'answered' ORDER BY id DESC LIMIT ?)`,
  ).run(options.open);
  return { from: start, to: options.now, written };
}

function pickWeighted(u: number, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (let i = 0; i < weights.length; i += 1) {
    acc += weights[i]! / total;
    if (u < acc) return i;
  }
  return weights.length - 1;
}
