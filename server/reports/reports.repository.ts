import type { Db } from '../../db/connection.js';
import { COUNTERS, type Counters, type KeyColumn } from './rollups.js';
import { piecesOf, tablesFor, type Piece } from './rollup-tables.js';
import type { DrillItem, GroupBy } from './reports.schemas.js';

/** Rollup filters; every one optional. */
export interface RollupFilter {
  queueId?: number;
  agentId?: number;
  tier?: string;
  lifecycleStage?: string;
  wrapUpCodeId?: number;
  provider?: string;
  direction?: string;
}

/** A range in unix seconds: [start, end). */
export type SecondsRange = [number, number];

const GROUP_COLUMN: Record<GroupBy, KeyColumn> = {
  queue: 'queue_id',
  agent: 'agent_id',
  tier: 'tier',
  lifecycle: 'lifecycle_stage',
  code: 'wrap_up_code_id',
};

/** The rollup column each filter matches; the drill-down, the export and the sums apply them alike. */
export const FILTER_COLUMN: Record<keyof RollupFilter, KeyColumn> = {
  queueId: 'queue_id',
  agentId: 'agent_id',
  tier: 'tier',
  lifecycleStage: 'lifecycle_stage',
  wrapUpCodeId: 'wrap_up_code_id',
  provider: 'provider',
  direction: 'direction',
};

const sumsOf = (alias: string) =>
  COUNTERS.map((c) => (c === 'wait_max_ms' ? `max(${alias}${c}) AS ${c}` : `sum(${alias}${c}) AS ${c}`)).join(
    ', ',
  );
const SUMS = sumsOf('r.');
const RESUMS = sumsOf('');

function where(
  filter: RollupFilter,
  alias: string,
): { sql: string; params: Record<string, string | number> } {
  const clauses: string[] = [];
  const params: Record<string, string | number> = {};
  for (const name of Object.keys(FILTER_COLUMN) as (keyof RollupFilter)[]) {
    const value = filter[name];
    if (value === undefined) continue;
    clauses.push(`${alias}.${FILTER_COLUMN[name]} = @${name}`);
    params[name] = value;
  }
  return { sql: clauses.map((c) => ` AND ${c}`).join(''), params };
}

export type SumsRow = Counters & { period: number; grp: number | string | null };

interface DrillRow {
  bucket_start: number;
  interaction_id: number;
  arrived_at: string;
  direction: string;
  provider: string;
  queue_id: number | null;
  queue_name: string | null;
  agent_id: number | null;
  agent_name: string | null;
  customer_id: number | null;
  customer_name: string | null;
  outcome: string | null;
}

/** The read side of the reports: sums of rollups over periods, the calls behind a figure, the names of keys. */
export function createReportsRepository(db: Db) {
  const names = {
    queue: db.prepare<[], { id: number; name: string }>('SELECT id, name FROM call_queues'),
    agent: db.prepare<[], { id: number; name: string }>('SELECT id, display_name AS name FROM agents'),
    code: db.prepare<[], { id: number; name: string }>('SELECT id, label AS name FROM wrap_up_codes'),
  };
  const exists = {
    queue: db.prepare<[number], number>('SELECT 1 FROM call_queues WHERE id = ?').pluck(),
    agent: db.prepare<[number], number>('SELECT 1 FROM agents WHERE id = ?').pluck(),
    code: db.prepare<[number], number>('SELECT 1 FROM wrap_up_codes WHERE id = ?').pluck(),
  };

  return {
    /**
     * Summed counters per period (by index in `periods`) and group. Each period is cut into pieces
     * that the coarsest rollup table having the filter and group columns answers (rollup-tables.ts),
     * each piece a range join on that table's key. CROSS JOIN keeps the pieces the outer loop: the
     * planner cannot cost json_each and otherwise may scan every rollup row once per piece (a month
     * by 15 minutes: 2,976 full scans).
     */
    sums(filter: RollupFilter, periods: SecondsRange[], by: GroupBy | undefined): SumsRow[] {
      const { sql: filtered, params } = where(filter, 'r');
      const group = by ? `r.${GROUP_COLUMN[by]}` : 'NULL';
      const filterColumns = (Object.keys(FILTER_COLUMN) as (keyof RollupFilter)[])
        .filter((name) => filter[name] !== undefined)
        .map((name) => FILTER_COLUMN[name]);
      const columns = by ? [...filterColumns, GROUP_COLUMN[by]] : filterColumns;
      const byTable = new Map<string, Piece[]>();
      for (const piece of piecesOf(periods, tablesFor(columns, filterColumns))) {
        const list = byTable.get(piece.table.name);
        if (list) list.push(piece);
        else byTable.set(piece.table.name, [piece]);
      }
      const parts = [...byTable.keys()].map(
        (table, n) =>
          `SELECT CAST(p.value ->> 2 AS INTEGER) AS period, ${group} AS grp, ${SUMS}
           FROM json_each(@pieces${n}) p
           CROSS JOIN ${table} r ON r.bucket_start >= p.value ->> 0 AND r.bucket_start < p.value ->> 1
           WHERE 1 = 1${filtered}
           GROUP BY period, grp`,
      );
      if (parts.length === 0) return [];
      const pieces = Object.fromEntries(
        [...byTable.values()].map((list, n) => [
          `pieces${n}`,
          JSON.stringify(list.map((p) => [p.start, p.end, p.period])),
        ]),
      );
      const sql =
        parts.length === 1
          ? `${parts[0]} ORDER BY period, grp`
          : `SELECT period, grp, ${RESUMS} FROM (${parts.join(' UNION ALL ')})
             GROUP BY period, grp
             ORDER BY period, grp`;
      return db.prepare<Record<string, string | number>, SumsRow>(sql).all({ ...params, ...pieces });
    },

    /**
     * Summed counters per period and group of the interactions whose customer is in a segment
     * (`customers`: a subquery of customer ids and its parameters). Rollups have no customer key, so
     * this reads the contributions of the segment's interactions in the range, found through an index
     * on interactions (by customer, or by arrival, whichever the planner finds cheaper), grouped by
     * bucket in SQL and by period here. A contribution's bucket is its interaction's arrival's.
     */
    segmentSums(
      filter: RollupFilter,
      customers: { sql: string; params: Record<string, string | number> },
      periods: SecondsRange[],
      by: GroupBy | undefined,
    ): SumsRow[] {
      if (periods.length === 0) return [];
      const { sql: filtered, params } = where(filter, 'r');
      const group = by ? `r.${GROUP_COLUMN[by]}` : 'NULL';
      const start = periods[0]![0];
      const end = periods.at(-1)![1];
      const buckets = db
        .prepare<Record<string, string | number>, SumsRow & { bucket: number }>(
          `SELECT r.bucket_start AS bucket, ${group} AS grp, ${SUMS}
           FROM interactions i
           JOIN report_contributions r ON r.interaction_id = i.id
           WHERE i.customer_id IN (${customers.sql})
             AND i.arrived_at >= @fromIso AND i.arrived_at < @toIso
             AND r.bucket_start >= @fromSec AND r.bucket_start < @toSec${filtered}
           GROUP BY bucket, grp`,
        )
        .all({
          ...customers.params,
          ...params,
          fromIso: new Date(start * 1000).toISOString(),
          toIso: new Date(end * 1000).toISOString(),
          fromSec: start,
          toSec: end,
        });
      // The periods are contiguous and in order: each bucket's is found by bisection.
      const periodOf = (bucket: number) => {
        let [low, high] = [0, periods.length - 1];
        while (low < high) {
          const middle = (low + high + 1) >> 1;
          if (periods[middle]![0] <= bucket) low = middle;
          else high = middle - 1;
        }
        return low;
      };
      const sums = new Map<string, SumsRow>();
      for (const { bucket, ...row } of buckets) {
        const period = periodOf(bucket);
        const key = `${period}\u0000${String(row.grp)}`;
        const sum = sums.get(key);
        if (!sum) {
          sums.set(key, { ...row, period });
          continue;
        }
        for (const c of COUNTERS)
          sum[c] = c === 'wait_max_ms' ? Math.max(sum[c] ?? 0, row[c] ?? 0) : (sum[c] ?? 0) + (row[c] ?? 0);
      }
      const order = (a: SumsRow['grp'], b: SumsRow['grp']) =>
        a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1;
      return [...sums.values()].sort((a, b) => a.period - b.period || order(a.grp, b.grp));
    },

    /**
     * A page of the interactions behind a figure, by bucket then id: keyset pagination, so any page
     * costs what the first does.
     */
    drill(
      filter: RollupFilter,
      range: SecondsRange,
      column: string,
      after: [number, number] | null,
      limit: number,
    ): (DrillItem & { cursor: string })[] {
      const { sql, params } = where(filter, 'c');
      // One lower bound, the later of the range's start and the cursor: given two, SQLite may seek by
      // the cursor's and read every bucket before the range (a first page of a month read the year).
      const [afterBucket, afterId] = after !== null && after[0] >= range[0] ? after : [range[0], 0];
      const rows = db
        .prepare<Record<string, string | number>, DrillRow>(
          `SELECT c.bucket_start, c.interaction_id, i.arrived_at, i.direction, i.provider, i.queue_id,
                  q.name AS queue_name, i.agent_id, a.display_name AS agent_name, i.customer_id,
                  cu.name AS customer_name, i.outcome
           FROM report_contributions c
           JOIN interactions i ON i.id = c.interaction_id
           LEFT JOIN call_queues q ON q.id = i.queue_id
           LEFT JOIN agents a ON a.id = i.agent_id
           LEFT JOIN customers cu ON cu.id = i.customer_id
           WHERE (c.bucket_start, c.interaction_id) > (@afterBucket, @afterId) AND c.bucket_start < @end
             AND c.${column} > 0${sql}
           GROUP BY c.bucket_start, c.interaction_id
           ORDER BY c.bucket_start, c.interaction_id
           LIMIT @limit`,
        )
        .all({
          ...params,
          end: range[1],
          afterBucket,
          afterId,
          limit,
        });
      return rows.map((row) => ({
        interactionId: row.interaction_id,
        arrivedAt: row.arrived_at,
        direction: row.direction,
        provider: row.provider,
        queueId: row.queue_id,
        queueName: row.queue_name,
        agentId: row.agent_id,
        agentName: row.agent_name,
        customerId: row.customer_id,
        customerName: row.customer_name,
        outcome: row.outcome,
        cursor: `${row.bucket_start}.${row.interaction_id}`,
      }));
    },

    /** A queue's service-level target, or undefined when there is no such queue. */
    queueTarget: (queueId: number) =>
      db
        .prepare<[number], { slTargetSeconds: number; slTargetPercent: number }>(
          'SELECT sl_target_seconds AS slTargetSeconds, sl_target_percent AS slTargetPercent FROM call_queues WHERE id = ?',
        )
        .get(queueId),

    /** The targets of the tiers a queue holds to their own, by tier. */
    tierTargets: (queueId: number) =>
      new Map(
        db
          .prepare<[number], { tier: string; slTargetSeconds: number; slTargetPercent: number }>(
            `SELECT tier, sl_target_seconds AS slTargetSeconds, sl_target_percent AS slTargetPercent
             FROM call_queue_tier_targets WHERE queue_id = ?`,
          )
          .all(queueId)
          .map(({ tier, ...target }) => [tier, target]),
      ),

    /** Offered calls and handle time of a queue per 15-minute bucket (unix seconds). */
    queueLoad: (queueId: number, range: SecondsRange) =>
      db
        .prepare<
          [number, number, number],
          { bucket: number; offered: number; handled: number; handleMs: number }
        >(
          `SELECT bucket_start AS bucket, sum(offered) AS offered, sum(handled) AS handled,
                  sum(talk_ms + hold_ms + acw_ms) AS handleMs
           FROM report_rollups WHERE queue_id = ? AND bucket_start >= ? AND bucket_start < ?
           GROUP BY bucket_start`,
        )
        .all(queueId, range[0], range[1]),

    /**
     * The status changes in [from, to) of one agent, or of the agents qualified for a queue (every
     * skill it requires at its least proficiency), or of everyone; each agent's status at `from`
     * first, by time.
     */
    agentStatuses: (who: { queueId?: number; agentId?: number }, fromIso: string, toIso: string) =>
      db
        .prepare<
          { queueId: number | null; agentId: number | null; from: string; to: string },
          { agentId: number; status: string; startedAt: string }
        >(
          `WITH chosen AS (
             SELECT a.id FROM agents a WHERE (@agentId IS NULL OR a.id = @agentId) AND (@queueId IS NULL OR NOT EXISTS (
               SELECT 1 FROM queue_skills qs WHERE qs.queue_id = @queueId AND NOT EXISTS (
                 SELECT 1 FROM agent_skills s
                 WHERE s.agent_id = a.id AND s.skill_id = qs.skill_id AND s.proficiency >= qs.min_proficiency))))
           SELECT agentId, status, startedAt FROM (
             SELECT h.agent_id AS agentId, h.status, @from AS startedAt, 0 AS n
             FROM chosen q JOIN agent_status_history h ON h.id = (
               SELECT x.id FROM agent_status_history x WHERE x.agent_id = q.id AND x.started_at < @from
               ORDER BY x.started_at DESC, x.id DESC LIMIT 1)
             UNION ALL
             SELECT h.agent_id, h.status, h.started_at, h.id FROM agent_status_history h
             WHERE h.agent_id IN (SELECT id FROM chosen) AND h.started_at >= @from AND h.started_at < @to)
           ORDER BY startedAt, n`,
        )
        .all({ queueId: who.queueId ?? null, agentId: who.agentId ?? null, from: fromIso, to: toIso }),

    /** Display names of queues, agents or wrap-up codes, by id. */
    namesOf: (kind: 'queue' | 'agent' | 'code') =>
      new Map(names[kind].all().map((row) => [row.id, row.name])),

    exists: (kind: 'queue' | 'agent' | 'code', id: number) => exists[kind].get(id) !== undefined,
  };
}

export type ReportsRepository = ReturnType<typeof createReportsRepository>;
