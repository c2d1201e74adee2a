import type { CountryCode } from 'libphonenumber-js';
import type { Clock } from '../clock.js';
import { isBlank, recordsOf } from './csv-file.js';
import type { DuplicatePolicy, ImportField } from './customer-imports.schemas.js';
import type {
  CustomerImportsRepository,
  ImportCounts,
  ImportError,
  ImportRecord,
  ImportedFields,
} from './customer-imports.repository.js';
import { checkRow, type ImportRow } from './import-fields.js';

/** The process is shutting down: the job stops between batches and BullMQ runs it again from the checkpoint. */
export class ImportInterrupted extends Error {
  constructor() {
    super('The import stopped for a shutdown; it resumes from its checkpoint');
    this.name = 'ImportInterrupted';
  }
}

export interface ImportRunDeps {
  repository: CustomerImportsRepository;
  clock: Clock;
  region: CountryCode;
  /** Rows per transaction. */
  batchRows: number;
  /** True once the process is closing. */
  stopping: () => boolean;
  /** Called after each batch's transaction committed. */
  batchWritten: () => void;
}

const sameTags = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((tag, index) => tag === b[index]);

/**
 * Writes the rows of `record`'s file from its checkpoint on, a batch per transaction that also
 * records the batch's errors and moves the checkpoint: a crash loses at most the batch under way,
 * and nothing of it. Between batches the event loop runs, and a shutdown stops the import.
 */
export async function runImport(deps: ImportRunDeps, record: ImportRecord, file: string): Promise<void> {
  const { repository, clock, region, batchRows, stopping, batchWritten } = deps;
  const mapping = record.mapping!;
  const policy = record.duplicates!;
  const columnOf = (field: ImportField) => record.headers[mapping[field]!] || field;
  let batch: { index: number; cells: string[] }[] = [];

  const apply = () => {
    const now = clock.now().toISOString();
    repository.inTransaction(() => {
      const counts: ImportCounts = { created: 0, updated: 0, unchanged: 0, skipped: 0, invalid: 0 };
      const errors: ImportError[] = [];
      for (const { index, cells } of batch) {
        if (isBlank(cells)) continue;
        const row = index + 2;
        const checked = checkRow(cells, mapping, region);
        if ('errors' in checked) {
          counts.invalid += 1;
          for (const error of checked.errors)
            errors.push({ row, column: columnOf(error.field), reason: error.reason });
          continue;
        }
        const outcome = writeRow(repository, checked.row, policy, now);
        if (typeof outcome === 'string') counts[outcome] += 1;
        else {
          counts.invalid += 1;
          errors.push({ row, column: columnOf(outcome.field), reason: outcome.reason });
        }
      }
      repository.checkpoint(record.id, batch.at(-1)!.index + 1, counts, errors);
    });
    batch = [];
    batchWritten();
  };

  for await (const entry of recordsOf(file, record.delimiter, record.nextRow)) {
    batch.push(entry);
    if (batch.length < batchRows) continue;
    apply();
    await new Promise((resolve) => setImmediate(resolve));
    if (stopping()) throw new ImportInterrupted();
  }
  if (batch.length > 0) apply();
}

/** One valid row against the customers: what happened to it, or why it was refused. */
function writeRow(
  repository: CustomerImportsRepository,
  row: ImportRow,
  policy: DuplicatePolicy,
  now: string,
): Exclude<keyof ImportCounts, 'invalid'> | { field: ImportField; reason: string } {
  const byPhone = repository.phoneOwner(row.phone);
  const byEmail = row.email === null ? null : repository.emailOwner(row.email);
  if (byPhone && byEmail && byPhone.id !== byEmail.id)
    return { field: 'email', reason: 'belongs to another customer than the phone number' };
  const owner = byPhone ?? byEmail;
  if (!owner) {
    const fields = {
      name: row.name,
      company: row.company,
      language: row.language ?? 'en-US',
      tags: row.tags ?? [],
    };
    repository.create(fields, row.phone, row.email, now);
    return 'created';
  }
  if (owner.erased) return { field: byPhone ? 'phone' : 'email', reason: 'belongs to an erased customer' };
  if (policy === 'skip') return 'skipped';

  // Update: the row's non-empty cells win, tags are added to the customer's, and a phone or email
  // the customer lacks is added. Writing only what differs makes a second run of the file a no-op.
  const current = repository.fields(owner.id);
  const next: ImportedFields = {
    name: row.name,
    company: row.company ?? current.company,
    language: row.language ?? current.language,
    tags: row.tags ? [...new Set([...current.tags, ...row.tags])] : current.tags,
  };
  const changed =
    next.name !== current.name ||
    next.company !== current.company ||
    next.language !== current.language ||
    !sameTags(next.tags, current.tags);
  const add = {
    ...(!byPhone && { phone: row.phone }),
    ...(row.email !== null && !byEmail && { email: row.email }),
  };
  if (!changed && Object.keys(add).length === 0) return 'unchanged';
  repository.update(owner.id, changed ? next : null, add, now);
  return 'updated';
}
