import type { Db } from '../../db/connection.js';

export interface IvrNodeRow {
  flowId: string;
  nodeId: string;
  entered: number;
  continued: number;
  droppedOff: number;
  contained: number;
  routed: number;
}

/**
 * The IVR per node, read from the walks recorded on closed Interactions (`ivr_path`, migration 009).
 * Each entry into a node either goes on to the next one or is the call's last; the last is judged as
 * the rollups judge IVR containment: routed when the call queued or ended in voicemail, callback or
 * failure, otherwise dropped off when the flow had not ended it (the caller hung up) and contained
 * when it had (a hangup or transfer node).
 */
export function createIvrReportsRepository(db: Db) {
  const walks = `
    SELECT ivr_flow_id, ivr_path, json_array_length(ivr_path) - 1 AS last,
           CASE WHEN queued_at IS NOT NULL OR outcome IN ('voicemail', 'callback', 'failed') THEN 'routed'
                WHEN ivr_end IS NULL THEN 'dropped'
                ELSE 'contained' END AS ending
    FROM interactions
    WHERE arrived_at >= @from AND arrived_at < @to AND ivr_path IS NOT NULL AND state = 'completed'
      AND (@flowId IS NULL OR ivr_flow_id = @flowId)`;
  const statements = {
    calls: db.prepare<Filter, number>(`SELECT count(*) FROM (${walks})`).pluck(),
    nodes: db.prepare<Filter, IvrNodeRow>(
      `SELECT w.ivr_flow_id AS flowId, p.value AS nodeId, count(*) AS entered,
              sum(p.key < w.last) AS continued,
              sum(p.key = w.last AND w.ending = 'dropped') AS droppedOff,
              sum(p.key = w.last AND w.ending = 'contained') AS contained,
              sum(p.key = w.last AND w.ending = 'routed') AS routed
       FROM (${walks}) w, json_each(w.ivr_path) p
       GROUP BY w.ivr_flow_id, p.value
       ORDER BY w.ivr_flow_id, entered DESC, p.value`,
    ),
  };
  return {
    calls: (filter: Filter) => statements.calls.get(filter) ?? 0,
    nodes: (filter: Filter) => statements.nodes.all(filter),
  };
}

interface Filter {
  from: string;
  to: string;
  flowId: string | null;
}

export type IvrReportsRepository = ReturnType<typeof createIvrReportsRepository>;
