import type { Db } from '../../db/connection.js';
import { EmailFactory, PhoneFactory } from './people.js';
import { Random, iso } from './random.js';
import { planCalls, seedCalls } from './seed-calls.js';
import { prepareStatements, type DemoDataSummary, type SeedContext } from './seed-context.js';
import { seedCustomers } from './seed-customers.js';
import { seedValueEvents } from './seed-value.js';
import { seedQueues } from './seed-queues.js';

export type { DemoDataSummary } from './seed-context.js';

export interface DemoDataOptions {
  /** Customers to create. Default 5000. */
  customers?: number;
  /** Days of interaction history ending at `now`. Default 90. */
  days?: number;
  /** Average interactions per day across all queues. Default 667 (~60,000 over 90 days). */
  interactionsPerDay?: number;
  /** PRNG seed; the same seed and options give the same rows. Default 20261122. */
  seed?: number;
  /**
   * End of the history; default new Date(). Customers, agents and queues differ only in their
   * timestamps; the call history also follows the weekday and hour of `now`.
   */
  now?: Date;
  /** argon2 hash of the demo password, computed by the caller (same hash for every demo user). */
  passwordHash: string;
}

/**
 * Fills an empty database with a realistic, reproducible contact-center history: skills, queues,
 * wrap-up codes, agents, customers with phones and e-mails, and months of inbound calls with their
 * event timelines and follow-ups. Leaves the `customer_search` index to the customers repository.
 */
export function seedDemoData(db: Db, options: DemoDataOptions): DemoDataSummary {
  const customerCount = options.customers ?? 5000;
  const days = options.days ?? 90;
  const interactionsPerDay = options.interactionsPerDay ?? 667;
  const seed = options.seed ?? 20261122;
  const now = (options.now ?? new Date()).getTime();
  if (!Number.isInteger(customerCount) || customerCount < 1) {
    throw new Error('customers must be a positive integer');
  }
  if (!Number.isInteger(days) || days < 1) throw new Error('days must be a positive integer');
  if (!(interactionsPerDay >= 0)) throw new Error('interactionsPerDay must not be negative');
  if (!Number.isFinite(now)) throw new Error('now must be a valid date');

  const random = new Random(seed);
  const summary: DemoDataSummary = {
    customers: 0,
    phones: 0,
    emails: 0,
    agents: 0,
    queues: 0,
    interactions: 0,
    events: 0,
    followUps: 0,
  };

  const context: SeedContext = {
    random,
    phones: new PhoneFactory(random),
    emails: new EmailFactory(random),
    sql: prepareStatements(db),
    insert: (statement, ...params) => Number(statement.run(...params).lastInsertRowid),
    summary,
    now,
    days,
    customerCount,
    interactionsPerDay,
    passwordHash: options.passwordHash,
  };

  return db.transaction(() => {
    if (db.prepare('SELECT 1 FROM agents LIMIT 1').get() !== undefined) {
      throw new Error('Refusing to seed demo data: the agents table is not empty');
    }
    const queues = seedQueues(context);
    const customers = seedCustomers(context);
    seedCalls(context, planCalls(context, queues, customers));
    // Last, so the calls above draw the same random numbers as before purchases were seeded.
    seedValueEvents(context, customers);
    context.sql.meta.run(
      'demo_data',
      JSON.stringify({
        seed,
        customers: customerCount,
        days,
        interactionsPerDay,
        now: iso(now),
        counts: summary,
      }),
    );
    return summary;
  })();
}
