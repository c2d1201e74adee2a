import { Type, type Static } from 'typebox';
import { Tier } from '../../contracts/glossary.schemas.js';
import { Id, Nullable, Timestamp } from '../http/common.schemas.js';

export const SatisfactionGroupBy = Type.Union([
  Type.Literal('queue'),
  Type.Literal('agent'),
  Type.Literal('tier'),
]);
export type SatisfactionGroupBy = Static<typeof SatisfactionGroupBy>;

export const SatisfactionQuery = Type.Object({
  /** Surveys that ended from `from` (inclusive) to `to` (exclusive). */
  from: Timestamp,
  to: Timestamp,
  by: Type.Optional(SatisfactionGroupBy),
  queueId: Type.Optional(Id),
  agentId: Type.Optional(Id),
  /** The customer's Tier now; an unknown caller counts as bronze, as the ACD serves them. */
  tier: Type.Optional(Tier),
});
export type SatisfactionQuery = Static<typeof SatisfactionQuery>;

const Share = Nullable(Type.Number({ minimum: 0, maximum: 1 }));

export const SatisfactionFigures = Type.Object({
  /** Surveys offered (asked at least their first question), whatever came of them. */
  offered: Type.Integer(),
  /** Surveys with a score. */
  scored: Type.Integer(),
  /** CSAT: the share of scores that are 4 or 5 among the scored; null without any. */
  csat: Share,
  /** Mean score, 1–5; null without any. */
  averageScore: Nullable(Type.Number()),
  /** Surveys with an answer to "was your problem solved?". */
  resolvedAnswered: Type.Integer(),
  /** The share of those answers that are yes; null without any. */
  resolvedRate: Share,
});
export type SatisfactionFigures = Static<typeof SatisfactionFigures>;

export const SatisfactionGroup = Type.Object({
  ...SatisfactionFigures.properties,
  /** The queue's or agent's id, or the Tier; null for surveys without one. */
  key: Nullable(Type.String()),
  /** The queue's or agent's name; the Tier itself. */
  name: Nullable(Type.String()),
});

export const SatisfactionReport = Type.Object({
  from: Timestamp,
  to: Timestamp,
  by: Nullable(SatisfactionGroupBy),
  total: SatisfactionFigures,
  groups: Type.Array(SatisfactionGroup),
});
export type SatisfactionReport = Static<typeof SatisfactionReport>;
