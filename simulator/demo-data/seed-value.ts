import { DAY, iso } from './random.js';
import type { SeedContext, SeededCustomer } from './seed-context.js';
import type { Tier } from './vocabulary.js';

/**
 * What a customer of each tier has bought in all, in CNY: far enough apart that the value model's
 * pyramid, computed from these purchases, gives most customers the tier they were drawn with.
 */
const LIFETIME_SPEND: Record<Tier, [number, number]> = {
  platinum: [180_000, 420_000],
  gold: [45_000, 130_000],
  silver: [9_000, 35_000],
  bronze: [0, 7_000],
};
const PURCHASE_CURRENCIES = [
  ['CNY', 1],
  ['USD', 7.1],
] as const;
/** A lost customer bought nothing in these last days. */
const LOST_QUIET_DAYS = 120;

/** Purchases (value events) for every customer not erased, spread over their tenure. */
export function seedValueEvents(context: SeedContext, customers: readonly SeededCustomer[]): number {
  const { random, now } = context;
  let count = 0;
  for (const customer of customers) {
    if (customer.erasedAt !== null) continue;
    const [low, high] = LIFETIME_SPEND[customer.tier];
    let left = random.between(low, high);
    const until = customer.stage === 'lost' ? now - LOST_QUIET_DAYS * DAY : now;
    if (until <= customer.createdAt) continue;
    for (let n = 1; left >= 50; n++) {
      const cny = n === 12 ? left : Math.min(left, random.between(0.05, 0.4) * (high || 1));
      left -= cny;
      const [currency, rate] = random.chance(0.15) ? PURCHASE_CURRENCIES[1] : PURCHASE_CURRENCIES[0];
      const at = iso(customer.createdAt + Math.floor(random.next() * (until - customer.createdAt)));
      context.sql.valueEvent.run(
        customer.id,
        `DEMO-${customer.id}-${n}`,
        Math.round((cny / rate) * 100) / 100,
        currency,
        at,
        at,
      );
      count++;
      if (n === 12) break;
    }
  }
  return count;
}
