import fp from 'fastify-plugin';
import { createAcd, type Acd } from '../../queues/index.js';
import { observeAcd } from '../supervision/observe-acd.js';
import type { AppContext } from './app-context.js';

/** Tells its listeners that the call path changed something the supervisors' live views show. */
export interface CallPathChanges {
  notify: () => void;
  onChange: (listener: () => void) => void;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The ACD in Redis: waiting calls, agents' statuses, reservations. */
    acd: Acd;
    /** Every change the call path makes to the ACD or an agent's desk. */
    callPathChanges: CallPathChanges;
  }
}

function createCallPathChanges(): CallPathChanges {
  const listeners: (() => void)[] = [];
  return {
    notify: () => listeners.forEach((listener) => listener()),
    onChange: (listener) => void listeners.push(listener),
  };
}

/** The ACD, observed so that the live views follow its changes instead of polling it. */
export const acdPlugin = fp<AppContext>(
  async (app, { clock }) => {
    const changes = createCallPathChanges();
    const acd = createAcd({ redis: app.redis, prefix: `${app.callStatePrefix}acd:`, clock });
    app.decorate('acd', observeAcd(acd, changes.notify));
    app.decorate('callPathChanges', changes);
  },
  { name: 'acd', dependencies: ['redis', 'call-state'] },
);
