import type { Db } from '../../db/connection.js';
import { compileSegmentFilter, customerIdsSql, type SqlParams } from './segment-sql.js';
import type { SegmentFilter } from './segments.schemas.js';

interface SegmentRow {
  id: number;
  name: string;
  filter: string;
  created_by_name: string | null;
  created_at: string;
  updated_at: string;
}

export interface StoredSegment {
  id: number;
  name: string;
  filter: SegmentFilter;
  createdByName: string | null;
  createdAt: string;
  updatedAt: string;
}

/** One exported customer: positional, in the order of EXPORT_HEADERS. */
export type ExportRow = [
  id: number,
  name: string,
  company: string | null,
  tier: string,
  lifecycleStage: string,
  tags: string,
  phones: string | null,
  emails: string | null,
  value: number | null,
  lastContactAt: string | null,
];

/** Rows read per statement while exporting: one page in memory however large the segment. */
const EXPORT_PAGE = 2_000;

const toSegment = (row: SegmentRow): StoredSegment => ({
  id: row.id,
  name: row.name,
  filter: JSON.parse(row.filter) as SegmentFilter,
  createdByName: row.created_by_name,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const SEGMENT_COLUMNS = `s.id, s.name, s.filter, a.display_name AS created_by_name, s.created_at, s.updated_at
  FROM segments s LEFT JOIN agents a ON a.id = s.created_by`;

export function createSegmentsRepository(db: Db) {
  const statements = {
    all: db.prepare<[], SegmentRow>(`SELECT ${SEGMENT_COLUMNS} ORDER BY s.name COLLATE NOCASE, s.id`),
    one: db.prepare<[number], SegmentRow>(`SELECT ${SEGMENT_COLUMNS} WHERE s.id = ?`),
    byName: db.prepare<[string], number>('SELECT id FROM segments WHERE name = ?').pluck(),
    insert: db.prepare<[string, string, number, string, string]>(
      'INSERT INTO segments (name, filter, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    ),
    remove: db.prepare<[number]>('DELETE FROM segments WHERE id = ?'),
  };

  const prepared = new Map<string, ReturnType<typeof db.prepare>>();
  /** Filters repeat (the list's counts, a console polling one): their statements are kept. */
  function statement(sql: string) {
    let found = prepared.get(sql);
    if (!found) {
      if (prepared.size > 200) prepared.clear();
      found = db.prepare(sql);
      prepared.set(sql, found);
    }
    return found;
  }

  return {
    list: () => statements.all.all().map(toSegment),
    get: (id: number): StoredSegment | null => {
      const row = statements.one.get(id);
      return row ? toSegment(row) : null;
    },
    idByName: (name: string): number | null => statements.byName.get(name) ?? null,

    create(segment: { name: string; filter: SegmentFilter; createdBy: number }, now: string): number {
      return Number(
        statements.insert.run(segment.name, JSON.stringify(segment.filter), segment.createdBy, now, now)
          .lastInsertRowid,
      );
    },

    update(id: number, patch: { name?: string; filter?: SegmentFilter }, now: string): void {
      const assignments: string[] = ['updated_at = @now'];
      if (patch.name !== undefined) assignments.push('name = @name');
      if (patch.filter !== undefined) assignments.push('filter = @filter');
      db.prepare(`UPDATE segments SET ${assignments.join(', ')} WHERE id = @id`).run({
        id,
        now,
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.filter !== undefined && { filter: JSON.stringify(patch.filter) }),
      });
    },

    remove: (id: number) => statements.remove.run(id).changes > 0,

    /** How many customers match the filter now. */
    count(filter: SegmentFilter, nowMs: number): number {
      const sql = compileSegmentFilter(filter, nowMs);
      return statement(`SELECT count(*) FROM customers c WHERE ${sql.where}`)
        .pluck()
        .get(sql.params) as number;
    },

    /** A page of the matching customers' ids, by id. */
    idsPage(filter: SegmentFilter, nowMs: number, limit: number, offset: number): number[] {
      const sql = compileSegmentFilter(filter, nowMs);
      return statement(`${customerIdsSql(sql)} ORDER BY c.id LIMIT @seg_limit OFFSET @seg_offset`)
        .pluck()
        .all({ ...sql.params, seg_limit: limit, seg_offset: offset }) as number[];
    },

    /**
     * The matching customers for a CSV, a page at a time by id (keyset: any page costs what the first
     * does). The filter is compiled once, so the whole file is one moment's segment.
     */
    *exportPages(filter: SegmentFilter, nowMs: number): Generator<ExportRow[]> {
      const sql = compileSegmentFilter(filter, nowMs);
      const page = statement(
        `SELECT c.id, c.name, c.company, c.tier, c.lifecycle_stage,
                (SELECT group_concat(value, ' ') FROM json_each(c.tags)),
                (SELECT group_concat(e164, ' ') FROM (SELECT e164 FROM customer_phones WHERE customer_id = c.id ORDER BY id)),
                (SELECT group_concat(email, ' ') FROM (SELECT email FROM customer_emails WHERE customer_id = c.id ORDER BY id)),
                (SELECT score FROM customer_values WHERE customer_id = c.id),
                (SELECT max(arrived_at) FROM interactions WHERE customer_id = c.id)
         FROM customers c WHERE c.id > @seg_after AND ${sql.where}
         ORDER BY c.id LIMIT @seg_page`,
      ).raw(true);
      let after = 0;
      for (;;) {
        const rows = page.all({ ...sql.params, seg_after: after, seg_page: EXPORT_PAGE }) as ExportRow[];
        if (rows.length > 0) yield rows;
        if (rows.length < EXPORT_PAGE) return;
        after = rows.at(-1)![0];
      }
    },
  };
}

export type SegmentsRepository = ReturnType<typeof createSegmentsRepository>;

/** A stored segment's customers as a subquery, for other domains' SQL (reports by segment). */
export function segmentCustomersSql(
  db: Db,
  segmentId: number,
  nowMs: number,
): { sql: string; params: SqlParams } | null {
  const row = db
    .prepare<[number], { filter: string }>('SELECT filter FROM segments WHERE id = ?')
    .get(segmentId);
  if (!row) return null;
  const sql = compileSegmentFilter(JSON.parse(row.filter) as SegmentFilter, nowMs);
  return { sql: customerIdsSql(sql), params: sql.params };
}
