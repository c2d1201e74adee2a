import type { Db } from '../../db/connection.js';

/**
 * What a test reads back to check the app's writes, as the rows are stored: one place that spells
 * the columns, so test files assert on results without writing SQL.
 */

export type Row = Record<string, unknown>;

/** The Interaction by id, by its provider's call id, or the one continuing `parentId` (a transfer). */
export function interactionRow(
  db: Db,
  where: number | { callSid: string } | { parentId: number },
): Row | undefined {
  if (typeof where === 'number')
    return db.prepare<[number], Row>('SELECT * FROM interactions WHERE id = ?').get(where);
  if ('callSid' in where) {
    return db
      .prepare<[string], Row>('SELECT * FROM interactions WHERE provider_call_id = ?')
      .get(where.callSid);
  }
  return db
    .prepare<[number], Row>('SELECT * FROM interactions WHERE parent_interaction_id = ?')
    .get(where.parentId);
}

/** The newest Interaction. */
export function latestInteractionRow(db: Db): Row | undefined {
  return db.prepare<[], Row>('SELECT * FROM interactions ORDER BY id DESC LIMIT 1').get();
}

export function interactionCount(db: Db, direction?: 'inbound' | 'outbound'): number {
  return direction
    ? (db.prepare('SELECT count(*) FROM interactions WHERE direction = ?').pluck().get(direction) as number)
    : (db.prepare('SELECT count(*) FROM interactions').pluck().get() as number);
}

/** The types of an Interaction's events, oldest first. */
export function interactionEventTypes(db: Db, interactionId: unknown): string[] {
  return db
    .prepare<[unknown], string>('SELECT type FROM interaction_events WHERE interaction_id = ? ORDER BY id')
    .pluck()
    .all(interactionId);
}

/** The follow-up by id, or the one an Interaction booked. */
export function followUpRow(db: Db, where: number | { interactionId: number }): Row | undefined {
  return typeof where === 'number'
    ? db.prepare<[number], Row>('SELECT * FROM follow_ups WHERE id = ?').get(where)
    : db.prepare<[number], Row>('SELECT * FROM follow_ups WHERE interaction_id = ?').get(where.interactionId);
}

export function customerRow(db: Db, id: number): Row | undefined {
  return db.prepare<[number], Row>('SELECT * FROM customers WHERE id = ?').get(id);
}
