import type { AuditLog } from '../audit/index.js';
import type { Me } from '../auth/auth.schemas.js';
import type { Clock } from '../clock.js';
import { badRequest } from '../http/errors.js';
import type { ValueModelRepository, SavedValueModel } from './value-model.repository.js';
import { parseValueModel, ValueModelError, type ValueModel } from './value-model.js';
import type { ValueModelView } from './customer-value.schemas.js';

export interface ValueModelServiceDeps {
  repository: ValueModelRepository;
  audit: AuditLog;
  clock: Clock;
  /** The model read from config/value-model.json (VALUE_MODEL_FILE) at start. */
  fileModel: ValueModel;
  /** After an admin's change: reschedule the nightly run, start a recomputation. */
  changed: (model: ValueModel) => Promise<void>;
}

const SAVED = 'the value model saved in the console';

/** Every leaf of a model as `path → value`, to audit what an edit changed. */
function leaves(value: unknown, path = '', into: Record<string, unknown> = {}) {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) leaves(inner, path ? `${path}.${key}` : key, into);
  } else into[path] = value;
  return into;
}

/**
 * The value model in force: the one an admin saved in the console (a row in the database) when
 * there is one, else the file's. Read on every use, so an edit takes effect at once in every server
 * process sharing the database, and the nightly run (on any of them) uses it.
 */
export function createValueModelService(deps: ValueModelServiceDeps) {
  const { repository, audit, clock, fileModel } = deps;
  let cache: { raw: string; saved: SavedValueModel; model: ValueModel } | null = null;

  function saved() {
    const raw = repository.raw();
    if (raw === null) return null;
    if (cache?.raw !== raw) {
      const saved = JSON.parse(raw) as SavedValueModel;
      // Saved only after this same validation: a failure here is a hand-edited row, and stops the start.
      cache = { raw, saved, model: parseValueModel(saved.model, SAVED) };
    }
    return cache;
  }

  const current = (): ValueModel => saved()?.model ?? fileModel;

  function view(): ValueModelView {
    const row = saved();
    return row
      ? {
          model: row.model,
          source: 'console',
          updatedAt: row.saved.updatedAt,
          updatedByName: repository.agentName(row.saved.updatedBy),
        }
      : { model: fileModel, source: 'file', updatedAt: null, updatedByName: null };
  }

  return {
    current,
    view,
    /** Replaces the model (fields left out take their defaults); a bad field is a 400 naming it. Audited. */
    async update(actor: Me, body: unknown, ip: string): Promise<ValueModelView> {
      let model: ValueModel;
      try {
        model = parseValueModel(body, 'body');
      } catch (error) {
        if (error instanceof ValueModelError) throw badRequest(`${error.field || 'body'} ${error.problem}`);
        throw error;
      }
      const before = leaves(current());
      const after = leaves(model);
      const changes = Object.fromEntries(
        [...new Set([...Object.keys(before), ...Object.keys(after)])]
          .filter((path) => before[path] !== after[path])
          .map((path) => [path, { from: before[path] ?? null, to: after[path] ?? null }]),
      );
      repository.save({ model, updatedAt: clock.now().toISOString(), updatedBy: actor.id });
      audit.record({
        actorAgentId: actor.id,
        action: 'value_model.update',
        entityType: 'value_model',
        entityId: null,
        ip,
        details: { changes },
      });
      await deps.changed(model);
      return view();
    },
  };
}

export type ValueModelService = ReturnType<typeof createValueModelService>;
