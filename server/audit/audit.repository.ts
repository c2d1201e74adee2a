import type { Db } from '../../db/connection.js';
import type { Clock } from '../clock.js';
import { auditCredential } from './audit-context.js';

export interface AuditEntry {
  actorAgentId: number | null;
  action: string;
  entityType:
    | 'agent'
    | 'session'
    | 'customer'
    | 'call_queue'
    | 'wrap_up_code'
    | 'interaction'
    | 'report_export'
    | 'customer_import'
    | 'api_token'
    | 'follow_up'
    | 'segment'
    | 'value_model'
    | 'webhook'
    | 'retention';
  entityId: number | string | null;
  ip?: string | null;
  /** Never put secrets or passwords here: the audit log is read by admins and exported. */
  details?: Record<string, unknown>;
  /** The API token that acted; defaults to the current request's (see auditCredential). */
  apiTokenId?: number | null;
}

export interface AuditLog {
  record(entry: AuditEntry): void;
}

/**
 * The audit trail of one kind of entity, for the services that write it: an actor's action on one
 * entity, from an address, with optional details.
 */
export function auditTrail(audit: AuditLog, entityType: AuditEntry['entityType']) {
  return (
    actor: { id: number },
    action: string,
    entityId: number,
    ip: string,
    details?: Record<string, unknown>,
  ) =>
    audit.record({ actorAgentId: actor.id, action, entityType, entityId, ip, ...(details && { details }) });
}

export function createAuditLog(db: Db, clock: Clock): AuditLog {
  const insert = db.prepare(
    `INSERT INTO audit_log (at, actor_agent_id, action, entity_type, entity_id, ip, details, api_token_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return {
    record(entry) {
      insert.run(
        clock.now().toISOString(),
        entry.actorAgentId,
        entry.action,
        entry.entityType,
        entry.entityId === null ? null : String(entry.entityId),
        entry.ip ?? null,
        JSON.stringify(entry.details ?? {}),
        entry.apiTokenId !== undefined ? entry.apiTokenId : (auditCredential.getStore()?.apiTokenId ?? null),
      );
    },
  };
}
