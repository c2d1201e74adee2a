import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/connection.js';
import { AGENT_STATUSES, type AcdSnapshot } from '../../queues/index.js';

/**
 * Writes each AgentStatus change the ACD makes into agent_status_history, with the ACD's own time
 * of the change. The ACD keeps only an agent's current status, so after each change the recorder
 * reads a snapshot and writes the agents whose (status, since) moved. Changes coming while a
 * snapshot is read are folded into one more read: a status held for less than one Redis round trip
 * may go unrecorded, and its time then counts in the status before it.
 */
export function createAgentStatusRecorder(deps: {
  db: Db;
  snapshot: () => Promise<AcdSnapshot>;
  log: FastifyBaseLogger;
}) {
  const insert = deps.db.prepare<[number, string, string | null, string]>(
    `INSERT INTO agent_status_history (agent_id, status, reason, started_at) VALUES (?, ?, ?, ?)
     ON CONFLICT DO NOTHING`,
  );
  const seen = new Map<number, string>();
  let running: Promise<void> | null = null;
  let again = false;

  type Row = Parameters<typeof insert.run>;
  const insertAll = deps.db.transaction((rows: Row[]) => rows.forEach((row) => insert.run(...row)));

  // Most ACD changes move one agent or none: no transaction for a single row, and none for nothing.
  const record = (agents: AcdSnapshot['agents']) => {
    const rows: Row[] = [];
    for (const status of AGENT_STATUSES) {
      for (const agent of agents[status]) {
        const mark = `${status}|${agent.reason ?? ''}|${agent.statusSinceMs}`;
        if (seen.get(agent.agentId) === mark) continue;
        seen.set(agent.agentId, mark);
        rows.push([agent.agentId, status, agent.reason, new Date(agent.statusSinceMs).toISOString()]);
      }
    }
    if (rows.length === 1) insert.run(...rows[0]!);
    else if (rows.length > 1) insertAll(rows);
  };

  const run = async () => {
    do {
      again = false;
      try {
        record((await deps.snapshot()).agents);
      } catch (error) {
        deps.log.error({ err: error }, 'recording agent statuses failed');
      }
    } while (again);
    running = null;
  };

  return {
    /** Something in the ACD changed: record the statuses soon. */
    changed: (): void => {
      if (running) again = true;
      else running = run();
    },
    /** Resolves once the statuses seen so far are written. */
    settled: async (): Promise<void> => {
      while (running) await running;
    },
  };
}

export type AgentStatusRecorder = ReturnType<typeof createAgentStatusRecorder>;
