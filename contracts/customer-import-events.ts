import type { ServerToClientEvents } from './socket.js';

export type { ImportProgress } from './customer-import.js';

/**
 * The customer import socket events, named once: the server emits and the console subscribes through
 * these. A file of its own with no value imports, so the console may import it as a value.
 */
export const CUSTOMER_IMPORT_EVENTS = {
  progress: 'customer-import:progress',
} as const satisfies Record<string, keyof ServerToClientEvents>;
