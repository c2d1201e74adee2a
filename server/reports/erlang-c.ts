/**
 * Erlang C (M/M/N): callers arrive at random, wait in one queue for N identical agents and never
 * hang up. Used to say how many agents a 15-minute interval needed; the figures are a model, not a
 * forecast, and over-staff slightly where callers abandon.
 */
export interface ErlangLoad {
  /** Calls arriving per second. */
  arrivalsPerSecond: number;
  /** Mean handle time in seconds (talk + hold + after-call work). */
  ahtSeconds: number;
}

/** Offered traffic in Erlangs: arrivals × handle time. */
export const trafficErlangs = ({ arrivalsPerSecond, ahtSeconds }: ErlangLoad) =>
  arrivalsPerSecond * ahtSeconds;

/**
 * Erlang B blocking probability by its recurrence B(k) = A·B(k−1) / (k + A·B(k−1)), which stays
 * within floating point for any N where the factorial form overflows past N ≈ 170.
 */
export function erlangB(agents: number, erlangs: number): number {
  let b = 1;
  for (let k = 1; k <= agents; k += 1) b = (erlangs * b) / (k + erlangs * b);
  return b;
}

/** Probability that a caller waits at all; 1 when the agents cannot keep up (N ≤ A). */
export function probabilityOfWaiting(agents: number, erlangs: number): number {
  if (erlangs <= 0) return 0;
  if (agents <= erlangs) return 1;
  const b = erlangB(agents, erlangs);
  return (agents * b) / (agents - erlangs * (1 - b));
}

/** Share (0–1) of callers answered within `targetSeconds`: 1 − C·e^(−(N−A)·T/AHT). */
export function serviceLevel(agents: number, load: ErlangLoad, targetSeconds: number): number {
  const erlangs = trafficErlangs(load);
  if (erlangs <= 0) return 1;
  if (agents <= erlangs) return 0;
  const c = probabilityOfWaiting(agents, erlangs);
  return 1 - c * Math.exp((-(agents - erlangs) * targetSeconds) / load.ahtSeconds);
}

/** Mean seconds to answer over all callers: C·AHT / (N − A); Infinity when N ≤ A. */
export function averageSpeedOfAnswer(agents: number, load: ErlangLoad): number {
  const erlangs = trafficErlangs(load);
  if (erlangs <= 0) return 0;
  if (agents <= erlangs) return Infinity;
  return (probabilityOfWaiting(agents, erlangs) * load.ahtSeconds) / (agents - erlangs);
}

/**
 * The fewest agents whose service level reaches `targetShare` (0–1) within `targetSeconds`; 0 when
 * no call arrives. Starts just above the traffic, where the answer always is.
 */
export function agentsNeeded(load: ErlangLoad, targetSeconds: number, targetShare: number): number {
  if (!(targetShare > 0 && targetShare < 1)) throw new RangeError('targetShare must be between 0 and 1');
  const erlangs = trafficErlangs(load);
  if (erlangs <= 0) return 0;
  let agents = Math.floor(erlangs) + 1;
  while (serviceLevel(agents, load, targetSeconds) < targetShare) agents += 1;
  return agents;
}
