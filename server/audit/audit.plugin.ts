import fp from 'fastify-plugin';
import type { AppContext } from '../plugins/app-context.js';
import { createAuditLog, type AuditLog } from './audit.repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    audit: AuditLog;
  }
}

/** The audit log every domain writes its privileged actions to. */
export const auditPlugin = fp<AppContext>(
  async (app, { clock }) => {
    app.decorate('audit', createAuditLog(app.db, clock));
  },
  { name: 'audit', dependencies: ['db'] },
);
