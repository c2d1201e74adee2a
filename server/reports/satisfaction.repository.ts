import type { Db } from '../../db/connection.js';
import type {
  SatisfactionFigures,
  SatisfactionGroupBy,
  SatisfactionQuery,
  SatisfactionReport,
} from './satisfaction.schemas.js';

interface FiguresRow {
  key: string | number | null;
  name: string | null;
  offered: number;
  scored: number;
  satisfied: number | null;
  average: number | null;
  resolved_answered: number;
  resolved: number | null;
}

/** The grouping column and its name, by `by`: fixed SQL, never the caller's text. */
const GROUPS: Record<SatisfactionGroupBy | 'none', { key: string; name: string }> = {
  none: { key: 'NULL', name: 'NULL' },
  queue: { key: 's.queue_id', name: '(SELECT q.name FROM call_queues q WHERE q.id = s.queue_id)' },
  agent: { key: 's.agent_id', name: '(SELECT a.display_name FROM agents a WHERE a.id = s.agent_id)' },
  tier: { key: "COALESCE(c.tier, 'bronze')", name: "COALESCE(c.tier, 'bronze')" },
};

const sql = (by: SatisfactionGroupBy | 'none') => `
  SELECT ${GROUPS[by].key} AS key, ${GROUPS[by].name} AS name,
         COUNT(*) AS offered,
         COUNT(s.score) AS scored,
         SUM(s.score >= 4) AS satisfied,
         AVG(s.score) AS average,
         COUNT(s.resolved) AS resolved_answered,
         SUM(s.resolved) AS resolved
    FROM interaction_surveys s
    LEFT JOIN customers c ON c.id = s.customer_id
   WHERE s.ended_at >= @from AND s.ended_at < @to
     AND s.status NOT IN ('not_offered', 'offered')
     AND (@queueId IS NULL OR s.queue_id = @queueId)
     AND (@agentId IS NULL OR s.agent_id = @agentId)
     AND (@tier IS NULL OR COALESCE(c.tier, 'bronze') = @tier)
   GROUP BY 1
   ORDER BY 1`;

const figuresOf = (row: FiguresRow | undefined): SatisfactionFigures => ({
  offered: row?.offered ?? 0,
  scored: row?.scored ?? 0,
  csat: row && row.scored > 0 ? (row.satisfied ?? 0) / row.scored : null,
  averageScore: row?.average ?? null,
  resolvedAnswered: row?.resolved_answered ?? 0,
  resolvedRate: row && row.resolved_answered > 0 ? (row.resolved ?? 0) / row.resolved_answered : null,
});

/**
 * CSAT and first-contact resolution from the post-call surveys that ended in a period (the
 * `interaction_surveys_ended` range), in total and by queue, agent or the customer's Tier. A survey
 * still running or never offered does not count; one offered but unanswered counts in `offered` only.
 */
export function createSatisfactionRepository(db: Db) {
  const statements = {
    none: db.prepare<[Record<string, unknown>], FiguresRow>(sql('none')),
    queue: db.prepare<[Record<string, unknown>], FiguresRow>(sql('queue')),
    agent: db.prepare<[Record<string, unknown>], FiguresRow>(sql('agent')),
    tier: db.prepare<[Record<string, unknown>], FiguresRow>(sql('tier')),
  };
  return {
    report(query: SatisfactionQuery): SatisfactionReport {
      const params = {
        // Stored times are ISO 8601 in UTC with milliseconds: compare like with like.
        from: new Date(query.from).toISOString(),
        to: new Date(query.to).toISOString(),
        queueId: query.queueId ?? null,
        agentId: query.agentId ?? null,
        tier: query.tier ?? null,
      };
      const by = query.by ?? null;
      return {
        from: query.from,
        to: query.to,
        by,
        total: figuresOf(statements.none.get(params)),
        groups:
          by === null
            ? []
            : statements[by].all(params).map((row) => ({
                key: row.key === null ? null : String(row.key),
                name: row.name,
                ...figuresOf(row),
              })),
      };
    },
  };
}

export type SatisfactionRepository = ReturnType<typeof createSatisfactionRepository>;
