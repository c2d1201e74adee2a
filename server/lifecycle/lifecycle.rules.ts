import type { LifecycleStage } from '../../contracts/glossary.js';
import type { LifecycleReason, LifecycleSource } from '../../contracts/lifecycle.js';
import type { LifecycleModel } from './lifecycle-model.js';

/*
 * The lifecycle rules as pure functions, no I/O: `decide` turns one customer's facts into a stage and
 * a churn-risk score; `summarize` turns their raw history into those facts. The nightly pass computes
 * the same facts in SQL for a range of customers at once (lifecycle.repository.ts); a test holds the
 * two to the same answers.
 */

export const DAY_MS = 86_400_000;
/** Negative outcomes beyond this many add no more churn points: the score must leave room for other signs. */
const MAX_COUNTED_NEGATIVES = 3;
/** A customer the rules put at risk scores at least this, whatever sign put them there. */
export const AT_RISK_FLOOR = 50;
/** Reasons kept with a churn score: the agent reads them on the screen pop, so few. */
export const TOP_REASONS = 3;

/** One customer's history, reduced to what the rules read. Times are epoch ms. */
export interface LifecycleFacts {
  createdAtMs: number;
  /** Every interaction of the customer. */
  contacts: number;
  lastContactAtMs: number | null;
  /** Interactions with a negative wrap-up code that arrived in the window. */
  negatives: number;
  lastIntentAtMs: number | null;
  /** The latest cancellation code in the last lostInactiveDays (an older one has made the customer lost by then). */
  lastCancellationAtMs: number | null;
  /** The lowest survey score that ended in the window. */
  lowestScore: number | null;
  valueEvents: number;
  lastValueAtMs: number | null;
  /** Spend in the model's currency in the last valueWindowDays, and in the same length before. */
  recentSpend: number;
  previousSpend: number;
}

/** The stage in force and how it came: null for a customer the rules have never seen. */
export interface CurrentStage {
  stage: LifecycleStage;
  sinceMs: number;
  source: LifecycleSource;
  /** The wrap-up code of a stage set by hand. */
  wrapUpCode?: string | null;
}

export interface LifecycleVerdict {
  stage: LifecycleStage;
  /** Why this stage (for the change on the timeline). */
  stageReasons: LifecycleReason[];
  churnScore: number;
  /** The strongest signs first, at most TOP_REASONS. */
  churnReasons: LifecycleReason[];
}

const daysSince = (nowMs: number, atMs: number) => Math.floor((nowMs - atMs) / DAY_MS);
const round = (value: number) => Math.round(value);

/** The last contact or purchase, or the customer's creation when they have neither. */
export function lastActivityMs(facts: LifecycleFacts): number {
  return Math.max(facts.createdAtMs, facts.lastContactAtMs ?? -Infinity, facts.lastValueAtMs ?? -Infinity);
}

/** Each sign of churn with its points, strongest first; the sum (capped at 100) is the score. */
function churnSigns(facts: LifecycleFacts, model: LifecycleModel, nowMs: number): LifecycleReason[] {
  const points = model.churnPoints;
  const windowStart = nowMs - model.windowDays * DAY_MS;
  const signs: LifecycleReason[] = [];
  if (facts.negatives > 0) {
    signs.push({
      code: 'negative_outcomes',
      count: facts.negatives,
      days: model.windowDays,
      points: Math.min(facts.negatives, MAX_COUNTED_NEGATIVES) * points.negativeOutcome,
    });
  }
  if (facts.lowestScore !== null && facts.lowestScore <= model.lowScore) {
    signs.push({
      code: 'low_satisfaction',
      score: facts.lowestScore,
      threshold: model.lowScore,
      days: model.windowDays,
      points: points.lowSatisfaction,
    });
  }
  if (facts.lastIntentAtMs !== null && facts.lastIntentAtMs >= windowStart) {
    signs.push({
      code: 'cancellation_intent',
      days: daysSince(nowMs, facts.lastIntentAtMs),
      points: points.cancellationIntent,
    });
  }
  if (facts.previousSpend > 0 && facts.recentSpend < facts.previousSpend) {
    const fall = (facts.previousSpend - facts.recentSpend) / facts.previousSpend;
    signs.push({
      code: 'value_drop',
      recent: round(facts.recentSpend),
      previous: round(facts.previousSpend),
      percent: round(fall * 100),
      days: model.valueWindowDays,
      points: fall * points.valueDrop,
    });
  }
  const idleDays = daysSince(nowMs, lastActivityMs(facts));
  if (idleDays > 0) {
    signs.push({
      code: 'inactive',
      days: idleDays,
      points: Math.min(1, idleDays / model.lostInactiveDays) * points.inactivity,
    });
  }
  return signs
    .map((sign) => ({ ...sign, points: round(sign.points ?? 0) }))
    .filter((sign) => sign.points > 0)
    .sort((a, b) => b.points - a.points);
}

/** Why the rules say lost, if they do: a cancellation not followed by a purchase, or long inactivity. */
function lostReasons(facts: LifecycleFacts, model: LifecycleModel, nowMs: number): LifecycleReason[] {
  const reasons: LifecycleReason[] = [];
  const cancelled = facts.lastCancellationAtMs;
  if (cancelled !== null && !(facts.lastValueAtMs !== null && facts.lastValueAtMs > cancelled)) {
    reasons.push({ code: 'cancelled', days: daysSince(nowMs, cancelled) });
  }
  const idleMs = nowMs - lastActivityMs(facts);
  if (idleMs >= model.lostInactiveDays * DAY_MS) {
    reasons.push({ code: 'inactive', days: daysSince(nowMs, lastActivityMs(facts)) });
  }
  return reasons;
}

/** The signs that put a customer at risk, each at its own threshold. */
function atRiskReasons(facts: LifecycleFacts, model: LifecycleModel, nowMs: number): LifecycleReason[] {
  const reasons: LifecycleReason[] = [];
  if (facts.negatives >= model.negativeCount) {
    reasons.push({ code: 'negative_outcomes', count: facts.negatives, days: model.windowDays });
  }
  if (facts.lowestScore !== null && facts.lowestScore <= model.lowScore) {
    reasons.push({
      code: 'low_satisfaction',
      score: facts.lowestScore,
      threshold: model.lowScore,
      days: model.windowDays,
    });
  }
  if (facts.lastIntentAtMs !== null && facts.lastIntentAtMs >= nowMs - model.windowDays * DAY_MS) {
    reasons.push({ code: 'cancellation_intent', days: daysSince(nowMs, facts.lastIntentAtMs) });
  }
  if (
    facts.previousSpend > 0 &&
    facts.recentSpend <= facts.previousSpend * (1 - model.valueDropPercent / 100)
  ) {
    reasons.push({
      code: 'value_drop',
      recent: round(facts.recentSpend),
      previous: round(facts.previousSpend),
      percent: round(((facts.previousSpend - facts.recentSpend) / facts.previousSpend) * 100),
      days: model.valueWindowDays,
    });
  }
  if (nowMs - lastActivityMs(facts) >= model.atRiskInactiveDays * DAY_MS) {
    reasons.push({ code: 'inactive', days: daysSince(nowMs, lastActivityMs(facts)) });
  }
  return reasons;
}

/** The stage alone, in the order the rules are read (README: "Rules"). */
function stageOf(
  facts: LifecycleFacts,
  model: LifecycleModel,
  nowMs: number,
  current: CurrentStage | null,
): { stage: LifecycleStage; reasons: LifecycleReason[] } {
  const boughtSince = (sinceMs: number) => facts.lastValueAtMs !== null && facts.lastValueAtMs > sinceMs;
  // 1. A lost customer who buys again is won back, whatever else holds, and before a hand-set hold.
  if (current?.stage === 'lost' && boughtSince(current.sinceMs)) {
    return {
      stage: 'won_back',
      reasons: [{ code: 'value_after_lost', days: daysSince(nowMs, facts.lastValueAtMs!) }],
    };
  }
  // 2. A stage set by hand holds for manualHoldDays: the agent knew something the data does not.
  if (current && current.source !== 'rules' && nowMs - current.sinceMs < model.manualHoldDays * DAY_MS) {
    return {
      stage: current.stage,
      reasons: [
        {
          code: 'set_by_hand',
          days: daysSince(nowMs, current.sinceMs),
          ...(current.wrapUpCode && { wrapUpCode: current.wrapUpCode }),
        },
      ],
    };
  }
  // 3. Lost: by a cancellation or long inactivity; once lost, lost until a purchase (step 1).
  const lost = lostReasons(facts, model, nowMs);
  if (lost.length > 0) return { stage: 'lost', reasons: lost };
  if (current?.stage === 'lost') return { stage: 'lost', reasons: [] };
  // 4. At risk: any sign at its threshold.
  const atRisk = atRiskReasons(facts, model, nowMs);
  if (atRisk.length > 0) return { stage: 'at_risk', reasons: atRisk };
  // 5. Won back stays for wonBackDays.
  if (current?.stage === 'won_back' && nowMs - current.sinceMs < model.wonBackDays * DAY_MS) {
    return { stage: 'won_back', reasons: [] };
  }
  // 6. New: young, with little history.
  const history = facts.contacts + facts.valueEvents;
  if (nowMs - facts.createdAtMs < model.newDays * DAY_MS && history <= model.newMaxHistory) {
    return {
      stage: 'new',
      reasons: [{ code: 'young', days: daysSince(nowMs, facts.createdAtMs), history }],
    };
  }
  return { stage: 'active', reasons: [] };
}

/** One customer's stage and churn-risk score now. */
export function decide(
  facts: LifecycleFacts,
  model: LifecycleModel,
  nowMs: number,
  current: CurrentStage | null,
): LifecycleVerdict {
  const { stage, reasons } = stageOf(facts, model, nowMs, current);
  if (stage === 'lost') {
    // Already gone: the score says so, and the reasons are why.
    const why = reasons.length > 0 ? reasons : lostReasons(facts, model, nowMs);
    return {
      stage,
      stageReasons: reasons,
      churnScore: 100,
      churnReasons: why.slice(0, TOP_REASONS).map((reason) => ({ ...reason, points: 100 })),
    };
  }
  const signs = churnSigns(facts, model, nowMs);
  const sum = signs.reduce((total, sign) => total + sign.points!, 0);
  const churnScore = Math.min(100, stage === 'at_risk' ? Math.max(AT_RISK_FLOOR, sum) : sum);
  return { stage, stageReasons: reasons, churnScore, churnReasons: signs.slice(0, TOP_REASONS) };
}

/** A customer's raw history, as the tests and the seed check read it. Times are ISO strings. */
export interface LifecycleHistory {
  createdAt: string;
  contacts: { arrivedAt: string; wrapUpCode: string | null }[];
  surveys: { endedAt: string | null; score: number | null }[];
  /** Amount in the model's currency; null when the event's currency has no rate. */
  values: { occurredAt: string; amount: number | null }[];
}

/** The facts the SQL of the nightly pass computes, from the raw history: its reference. */
export function summarize(history: LifecycleHistory, model: LifecycleModel, nowMs: number): LifecycleFacts {
  const windowStart = new Date(nowMs - model.windowDays * DAY_MS).toISOString();
  const recentStart = new Date(nowMs - model.valueWindowDays * DAY_MS).toISOString();
  const previousStart = new Date(nowMs - 2 * model.valueWindowDays * DAY_MS).toISOString();
  const latest = (times: string[]) => (times.length ? Math.max(...times.map((t) => Date.parse(t))) : null);
  // Codes count for lostInactiveDays at most: an older cancellation left the customer lost by then.
  const codedSince = new Date(nowMs - model.lostInactiveDays * DAY_MS).toISOString();
  const coded = (codes: string[]) =>
    history.contacts.filter(
      (c) => c.wrapUpCode !== null && codes.includes(c.wrapUpCode) && c.arrivedAt >= codedSince,
    );
  const scores = history.surveys
    .filter((s) => s.score !== null && s.endedAt !== null && s.endedAt >= windowStart)
    .map((s) => s.score!);
  const sum = (from: string, to: string | null) =>
    history.values
      .filter((v) => v.amount !== null && v.occurredAt >= from && (to === null || v.occurredAt < to))
      .reduce((total, v) => total + v.amount!, 0);
  return {
    createdAtMs: Date.parse(history.createdAt),
    contacts: history.contacts.length,
    lastContactAtMs: latest(history.contacts.map((c) => c.arrivedAt)),
    negatives: coded(model.negativeCodes).filter((c) => c.arrivedAt >= windowStart).length,
    lastIntentAtMs: latest(coded(model.cancellationIntentCodes).map((c) => c.arrivedAt)),
    lastCancellationAtMs: latest(coded(model.cancellationCodes).map((c) => c.arrivedAt)),
    lowestScore: scores.length ? Math.min(...scores) : null,
    valueEvents: history.values.length,
    lastValueAtMs: latest(history.values.map((v) => v.occurredAt)),
    recentSpend: sum(recentStart, null),
    previousSpend: sum(previousStart, recentStart),
  };
}
