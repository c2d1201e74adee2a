import type { Clock } from '../contracts/clock.js';

export type { Clock } from '../contracts/clock.js';

export const systemClock: Clock = { now: () => new Date() };

export const isoNow = (clock: Clock) => clock.now().toISOString();
