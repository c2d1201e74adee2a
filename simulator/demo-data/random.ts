export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: tiny and fast, and unlike Math.random it can be seeded. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return itemAt(items, Math.floor(this.next() * items.length));
  }

  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of entries) total += weight;
    let target = this.next() * total;
    for (const [item, weight] of entries) {
      target -= weight;
      if (target < 0) return item;
    }
    return itemAt(entries, entries.length - 1)[0];
  }

  digits(count: number): string {
    let result = '';
    for (let i = 0; i < count; i++) result += String(Math.floor(this.next() * 10));
    return result;
  }

  /** Waits and talk times have a long right tail, which a log-normal around the median gives. */
  logNormal(median: number, sigma: number): number {
    const u = 1 - this.next();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
    return median * Math.exp(sigma * z);
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [itemAt(items, j), itemAt(items, i)];
    }
    return items;
  }
}

export function words(text: string): string[] {
  return text.trim().split(/\s+/);
}

/** "王wang 李li" → [["王", "wang"], ["李", "li"]]: Chinese characters with their pinyin. */
export function hanPinyin(text: string): (readonly [string, string])[] {
  return [...text.matchAll(/(\p{Script=Han}+)([a-z]+)/gu)].map(
    (match) => [match[1] ?? '', match[2] ?? ''] as const,
  );
}

export function itemAt<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`No item at index ${index} of ${items.length}`);
  return item;
}

/** Picks indexes in proportion to fixed weights in O(log n), for the thousands of customers and hours. */
export class WeightedSampler {
  private readonly cumulative: Float64Array;

  constructor(weights: readonly number[]) {
    this.cumulative = new Float64Array(weights.length);
    let total = 0;
    weights.forEach((weight, index) => {
      total += weight;
      this.cumulative[index] = total;
    });
    if (!(total > 0)) throw new Error('WeightedSampler needs a positive total weight');
  }

  sample(random: Random): number {
    const cumulative = this.cumulative;
    const target = random.next() * (cumulative[cumulative.length - 1] ?? 0);
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((cumulative[middle] ?? 0) > target) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}

export const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
export const iso = (ms: number) => new Date(ms).toISOString();
export const seconds = (value: number) => Math.round(value * SECOND);
