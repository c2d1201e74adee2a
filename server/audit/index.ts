export { auditTrail, createAuditLog, type AuditEntry, type AuditLog } from './audit.repository.js';
