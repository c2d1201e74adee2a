export { auditTrail, createAuditLog, type AuditEntry, type AuditLog } from './audit.repository.js';
export { auditCredential } from './audit-context.js';
