import { HOUR, WeightedSampler, type Random } from './random.js';

/** Relative call volume by local hour: a working-day hump with a lunch dip. */
const HOUR_WEIGHTS = [
  0.03, 0.02, 0.02, 0.02, 0.03, 0.05, 0.1, 0.25, 0.55, 1, 1.3, 1.25, 0.9, 1.1, 1.3, 1.2, 1, 0.8, 0.45, 0.28,
  0.18, 0.12, 0.07, 0.05,
];
/** Relative call volume by local weekday, Sunday first. */
const WEEKDAY_WEIGHTS = [0.25, 1.15, 1.05, 1, 1, 0.9, 0.35];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * Hours of the history window, weighted by how busy that hour is in one time zone, so calls
 * cluster in working hours wherever the queue works.
 */
export class ArrivalCurve {
  private readonly sampler: WeightedSampler;
  private readonly loadOfHour: number[] = [];

  constructor(
    private readonly start: number,
    hours: number,
    timeZone: string,
  ) {
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hour: 'numeric',
      hourCycle: 'h23',
      weekday: 'short',
    });
    const weights: number[] = [];
    for (let hour = 0; hour < hours; hour++) {
      const parts = format.formatToParts(new Date(start + hour * HOUR + HOUR / 2));
      const localHour = Number(parts.find((part) => part.type === 'hour')?.value);
      const weekday = WEEKDAYS.indexOf(parts.find((part) => part.type === 'weekday')?.value ?? '');
      const hourWeight = HOUR_WEIGHTS[localHour] ?? 0;
      weights.push(hourWeight * (WEEKDAY_WEIGHTS[weekday] ?? 0));
      this.loadOfHour.push(hourWeight);
    }
    this.sampler = new WeightedSampler(weights);
  }

  /** An arrival time, and how busy its hour is (1 = an ordinary morning hour). */
  sample(random: Random): { at: number; load: number } {
    const hour = this.sampler.sample(random);
    return {
      at: this.start + hour * HOUR + Math.floor(random.next() * HOUR),
      load: this.loadOfHour[hour] ?? 1,
    };
  }
}
