import { stringify } from 'csv-stringify';
import { Readable, pipeline } from 'node:stream';
import { auditTrail, type AuditLog } from '../audit/index.js';
import type { Me } from '../auth/auth.schemas.js';
import type { Clock } from '../clock.js';
import { badRequest, conflict, notFound } from '../http/errors.js';
import { SegmentFilterError } from './segment-sql.js';
import type { SegmentsRepository, StoredSegment } from './segments.repository.js';
import type { CreateSegmentBody, Segment, SegmentFilter, UpdateSegmentBody } from './segments.schemas.js';

export interface SegmentsServiceDeps {
  segments: SegmentsRepository;
  audit: AuditLog;
  clock: Clock;
}

/** How long a saved segment's count in the list may be reused, in ms: 30 s. */
export const LIST_COUNT_TTL_MS = 30_000;

/** The export's columns, in the order of ExportRow. */
const EXPORT_HEADERS = [
  'customerId',
  'name',
  'company',
  'tier',
  'lifecycleStage',
  'tags',
  'phones',
  'emails',
  'value',
  'lastContactAt',
] as const;

// A spreadsheet runs a cell starting with one of these as a formula (a tab or CR can hide one): such a
// cell gets a leading apostrophe, as in the report exports (server/reports/csv.ts, OWASP's advice).
const FORMULA_START = /^[=+\-@\t\r]/;
const formulaSafe = (text: string) => (FORMULA_START.test(text) ? `'${text}` : text);

export function createSegmentsService(deps: SegmentsServiceDeps) {
  const { segments, clock } = deps;
  const audited = auditTrail(deps.audit, 'segment');
  const nowMs = () => clock.now().getTime();

  /** Runs a compile-dependent read, turning the compiler's refusal into a 400 naming the field. */
  function checked<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      if (error instanceof SegmentFilterError) throw badRequest(error.message);
      throw error;
    }
  }

  const countOf = (filter: SegmentFilter) => checked(() => segments.count(filter, nowMs()));

  // The list counts every saved segment on each read (the customer list and the report filters read
  // it), so a saved segment's count is kept for LIST_COUNT_TTL_MS, keyed by its filter: an edited
  // filter counts afresh. The live count of an unsaved filter is never cached.
  const listCounts = new Map<string, { count: number; at: number }>();
  function cachedCount(filter: SegmentFilter): number {
    const key = JSON.stringify(filter);
    const now = nowMs();
    const hit = listCounts.get(key);
    if (hit && now - hit.at < LIST_COUNT_TTL_MS) return hit.count;
    const count = countOf(filter);
    if (listCounts.size >= 500) listCounts.clear();
    listCounts.set(key, { count, at: now });
    return count;
  }
  const withCount = (segment: StoredSegment): Segment => ({ ...segment, count: cachedCount(segment.filter) });

  function existing(id: number): StoredSegment {
    const segment = segments.get(id);
    if (!segment) throw notFound('Segment', id);
    return segment;
  }

  function assertNameFree(name: string, forId?: number) {
    const owner = segments.idByName(name);
    if (owner !== null && owner !== forId) throw conflict(`A segment named "${name}" already exists`);
  }

  return {
    /** Every saved segment with its count now, by name. */
    list: (): Segment[] => segments.list().map(withCount),
    get: (id: number): Segment => withCount(existing(id)),
    /** How many customers an unsaved filter holds: the console's live count while editing. */
    count: (filter: SegmentFilter) => ({ count: countOf(filter) }),

    create(actor: Me, body: CreateSegmentBody, ip: string): Segment {
      const name = body.name.trim();
      assertNameFree(name);
      countOf(body.filter); // refuses a filter that cannot compile before storing it
      const id = segments.create(
        { name, filter: body.filter, createdBy: actor.id },
        clock.now().toISOString(),
      );
      // The filter holds no personal data (tiers, stages, tags, ranges): the audit keeps it.
      audited(actor, 'segment.create', id, ip, { name, filter: body.filter });
      return withCount(existing(id));
    },

    update(actor: Me, id: number, body: UpdateSegmentBody, ip: string): Segment {
      existing(id);
      const name = body.name?.trim();
      if (name !== undefined) assertNameFree(name, id);
      if (body.filter) countOf(body.filter);
      segments.update(id, { name, filter: body.filter }, clock.now().toISOString());
      audited(actor, 'segment.update', id, ip, {
        ...(name !== undefined && { name }),
        ...(body.filter && { filter: body.filter }),
      });
      return withCount(existing(id));
    },

    remove(actor: Me, id: number, ip: string): void {
      const segment = existing(id);
      segments.remove(id);
      audited(actor, 'segment.delete', id, ip, { name: segment.name });
    },

    /** A page of the segment's customers' ids (by id) and how many there are: the customer list. */
    customerPage(id: number, limit: number, offset: number): { ids: number[]; total: number } {
      const { filter } = existing(id);
      return checked(() => ({
        ids: segments.idsPage(filter, nowMs(), limit, offset),
        total: segments.count(filter, nowMs()),
      }));
    },

    /**
     * The segment's customers as CSV, streamed a page at a time: UTF-8 with a BOM, CRLF, every text cell
     * formula-safe. Audited with the segment and its filter, never the rows.
     */
    exportCsv(actor: Me, id: number, ip: string): { fileName: string; stream: Readable } {
      const segment = existing(id);
      const pages = checked(() => {
        const generator = segments.exportPages(segment.filter, nowMs());
        // The first page runs the query now, so a filter the compiler refuses is a 400, not a broken file.
        const first = generator.next();
        return { first, generator };
      });
      audited(actor, 'segment.export', id, ip, { name: segment.name, filter: segment.filter });
      const rows = Readable.from(
        (function* () {
          if (!pages.first.done) yield* pages.first.value;
          for (const page of pages.generator) yield* page;
        })(),
      );
      const csv = stringify({
        bom: true,
        header: true,
        columns: [...EXPORT_HEADERS],
        record_delimiter: 'windows',
        // A lone LF or CR in a name would split its row in a spreadsheet: quote any cell holding one.
        quoted_match: /[\r\n]/,
        cast: { string: formulaSafe },
      });
      const stamp = clock.now().toISOString().slice(0, 10);
      return {
        fileName: `segment-${id}-${stamp}.csv`,
        stream: pipeline(rows, csv, () => {}),
      };
    },
  };
}

export type SegmentsService = ReturnType<typeof createSegmentsService>;
