import type { ServerToClientEvents } from './socket.js';

/**
 * The follow-up socket events, named once: the server emits and the console subscribes through
 * these. A file of its own with no value imports, so the console may import it as a value without
 * pulling TypeBox into the bundle.
 */
export const FOLLOW_UP_EVENTS = {
  reminder: 'follow-up:reminder',
  changed: 'follow-up:changed',
} as const satisfies Record<string, keyof ServerToClientEvents>;
