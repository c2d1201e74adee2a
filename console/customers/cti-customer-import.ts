import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { toUiMessage } from '../app/errors.js';
import { routeHref } from '../app/routes.js';
import { facts } from '../components/cti-facts-list.js';
import '../components/cti-facts-list.js';
import { selectField } from '../components/fields.js';
import {
  IMPORT_FIELDS,
  REQUIRED_FIELDS,
  customerImportErrorsHref,
  followCustomerImport,
  getCustomerImport,
  startCustomerImport,
  uploadCustomerImport,
  type ImportField,
  type ImportMapping,
  type ImportState,
  type StartBody,
} from '../data/customer-imports.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { MessageKey, UiMessage } from '../i18n/i18n.js';
import { page } from '../styles/page.js';

const STEPS = ['upload', 'mapping', 'duplicates', 'progress', 'result'] as const;
type Step = (typeof STEPS)[number];
type Encoding = 'auto' | 'utf-8' | 'gb18030';

const STEP_LABELS: Record<Step, MessageKey> = {
  upload: 'customerImport.step.upload',
  mapping: 'customerImport.step.mapping',
  duplicates: 'customerImport.step.duplicates',
  progress: 'customerImport.step.progress',
  result: 'customerImport.step.result',
};
const FIELD_LABELS: Record<ImportField, MessageKey> = {
  name: 'customerImport.field.name',
  phone: 'customerImport.field.phone',
  email: 'customerImport.field.email',
  company: 'customerImport.field.company',
  language: 'customerImport.field.language',
  tags: 'customerImport.field.tags',
};

/**
 * Customers from a CSV file (/customers/import), for supervisors and admins, in steps: upload (the
 * server detects UTF-8 or GB18030), map columns to fields with a preview, choose what a duplicate
 * does, watch the background job, then the counts and the error report.
 */
@customElement('cti-customer-import')
export class CtiCustomerImport extends LitElement {
  static override styles = [
    page,
    css`
      ol.steps {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-2) var(--cti-space-4);
        margin: 0 0 var(--cti-space-4);
        padding: 0;
        list-style: none;
        font-size: var(--cti-font-size-sm);
        counter-reset: step;
      }
      ol.steps li {
        counter-increment: step;
        color: var(--cti-color-text-muted);
      }
      ol.steps li::before {
        content: counter(step) '. ';
      }
      ol.steps li[aria-current='step'] {
        color: inherit;
        font-weight: 600;
      }
      form,
      section {
        max-width: 48rem;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr));
        gap: var(--cti-space-3);
      }
      .preview {
        overflow-x: auto;
        margin: var(--cti-space-4) 0;
      }
      table {
        border-collapse: collapse;
        font-size: var(--cti-font-size-sm);
      }
      th,
      td {
        padding: var(--cti-space-1) var(--cti-space-2);
        border: 1px solid var(--cti-color-border);
        white-space: nowrap;
        text-align: start;
      }
      fieldset {
        border: 0;
        margin: 0 0 var(--cti-space-4);
        padding: 0;
      }
      fieldset label {
        display: flex;
        gap: var(--cti-space-2);
        align-items: flex-start;
        margin-bottom: var(--cti-space-2);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-2);
        margin-top: var(--cti-space-4);
      }
      progress {
        width: 100%;
        max-width: 32rem;
      }
      .error:not(:empty) {
        margin: var(--cti-space-3) 0;
      }
    `,
  ];

  @state() private step: Step = 'upload';
  @state() private file: File | null = null;
  @state() private encoding: Encoding = 'auto';
  @state() private state: ImportState | null = null;
  @state() private mapping: ImportMapping = {};
  @state() private duplicates: StartBody['duplicates'] = 'skip';
  @state() private busy = false;
  @state() private error: UiMessage | null = null;

  private readonly i18n = new I18nController(this);
  private unfollow: (() => void) | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unfollow?.();
  }

  private readonly upload = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (!this.file || this.busy) return;
    this.busy = true;
    this.error = null;
    try {
      this.state = await uploadCustomerImport(this.file, this.encoding);
      this.mapping = { ...this.state.proposedMapping };
      this.step = 'mapping';
    } catch (error) {
      this.error = toUiMessage(error, { 413: 'customerImport.tooLarge' });
    } finally {
      this.busy = false;
    }
  };

  private readonly start = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (!this.state || this.busy) return;
    this.busy = true;
    this.error = null;
    try {
      this.state = await startCustomerImport(this.state.id, {
        mapping: this.mapping,
        duplicates: this.duplicates,
      });
      this.step = 'progress';
      // The server pushes each batch's progress; one read covers what came before we listened.
      this.unfollow = followCustomerImport(this.state.id, {
        progress: (progress) => {
          if (!this.state) return;
          const { importId: _id, ...counts } = progress;
          this.state = { ...this.state, ...counts };
          if (progress.status === 'done' || progress.status === 'failed') void this.reload();
        },
        reconnected: () => void this.reload(),
      });
      void this.reload();
    } catch (error) {
      this.error = toUiMessage(error);
    } finally {
      this.busy = false;
    }
  };

  /** The whole state, from the REST route: at the start, at the end (the error text) and after a reconnect. */
  private readonly reload = async (): Promise<void> => {
    if (!this.state || this.step !== 'progress') return;
    try {
      this.state = await getCustomerImport(this.state.id);
      this.error = null;
    } catch (error) {
      // A dropped connection does not stop the import: the next push or reconnect reads it again.
      this.error = toUiMessage(error);
      return;
    }
    if (this.state.status === 'done' || this.state.status === 'failed') {
      this.unfollow?.();
      this.unfollow = undefined;
      this.step = 'result';
    }
  };

  private readonly restart = (): void => {
    this.unfollow?.();
    this.unfollow = undefined;
    this.step = 'upload';
    this.file = null;
    this.state = null;
    this.mapping = {};
    this.error = null;
  };

  private setColumn(field: ImportField, value: string): void {
    const { [field]: _previous, ...rest } = this.mapping;
    this.mapping = value === '' ? rest : { ...rest, [field]: Number(value) };
  }

  private get mappingComplete(): boolean {
    return REQUIRED_FIELDS.every((field) => this.mapping[field] !== undefined);
  }

  private renderUpload() {
    const t = this.i18n.t.bind(this.i18n);
    return html`<form @submit=${this.upload}>
      <p>${t('customerImport.uploadHint')}</p>
      <div class="field">
        <label for="file">${t('customerImport.file')}</label>
        <input
          id="file"
          type="file"
          accept=".csv,text/csv"
          @change=${(e: Event) => (this.file = (e.target as HTMLInputElement).files?.[0] ?? null)}
        />
      </div>
      ${selectField({
        id: 'encoding',
        label: t('customerImport.encoding'),
        value: this.encoding,
        options: [
          { value: 'auto', label: t('customerImport.encoding.auto') },
          { value: 'utf-8', label: 'UTF-8' },
          { value: 'gb18030', label: t('customerImport.encoding.gb18030') },
        ],
        onChange: (value) => (this.encoding = value as Encoding),
      })}
      <div class="actions">
        <button type="submit" class="primary" ?disabled=${!this.file || this.busy}>
          ${this.busy ? t('customerImport.uploading') : t('customerImport.upload')}
        </button>
      </div>
    </form>`;
  }

  private renderMapping(state: ImportState) {
    const t = this.i18n.t.bind(this.i18n);
    const columns = [
      { value: '', label: t('customerImport.notImported') },
      ...state.headers.map((header, index) => ({
        value: String(index),
        label: header || t('customerImport.column', { n: index + 1 }),
      })),
    ];
    return html`<form
      @submit=${(e: Event) => {
        e.preventDefault();
        if (this.mappingComplete) this.step = 'duplicates';
      }}
    >
      <p>
        ${t('customerImport.mappingHint', { rows: state.totalRows, encoding: state.encoding.toUpperCase() })}
      </p>
      <div class="grid">
        ${IMPORT_FIELDS.map((field) =>
          selectField({
            id: `field-${field}`,
            label: `${t(FIELD_LABELS[field])}${REQUIRED_FIELDS.includes(field) ? ' *' : ''}`,
            value: this.mapping[field] === undefined ? '' : String(this.mapping[field]),
            options: columns,
            onChange: (value) => this.setColumn(field, value),
          }),
        )}
      </div>
      <div class="preview">
        <table aria-label=${t('customerImport.preview')}>
          <thead>
            <tr>
              ${state.headers.map((header) => html`<th scope="col">${header}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${state.preview.map(
              (row) =>
                html`<tr>
                  ${state.headers.map((_, index) => html`<td>${row[index] ?? ''}</td>`)}
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${this.mappingComplete ? nothing : html`<p class="hint">${t('customerImport.requiredHint')}</p>`}
      <div class="actions">
        <button type="button" @click=${this.restart}>${t('customerImport.back')}</button>
        <button type="submit" class="primary" ?disabled=${!this.mappingComplete}>
          ${t('customerImport.next')}
        </button>
      </div>
    </form>`;
  }

  private renderDuplicates(state: ImportState) {
    const t = this.i18n.t.bind(this.i18n);
    const choice = (value: StartBody['duplicates'], label: MessageKey, hint: MessageKey) =>
      html`<label>
        <input
          type="radio"
          name="duplicates"
          value=${value}
          .checked=${this.duplicates === value}
          @change=${() => (this.duplicates = value)}
        />
        <span><strong>${t(label)}</strong><br /><span class="hint">${t(hint)}</span></span>
      </label>`;
    return html`<form @submit=${this.start}>
      <fieldset>
        <legend>${t('customerImport.duplicatesLegend')}</legend>
        ${choice('skip', 'customerImport.skip', 'customerImport.skipHint')}
        ${choice('update', 'customerImport.update', 'customerImport.updateHint')}
      </fieldset>
      ${state.sameFileAs ? html`<p class="notice" role="note">${t('customerImport.sameFile')}</p>` : nothing}
      <div class="actions">
        <button type="button" @click=${() => (this.step = 'mapping')}>${t('customerImport.back')}</button>
        <button type="submit" class="primary" ?disabled=${this.busy}>
          ${t('customerImport.start', { rows: state.totalRows })}
        </button>
      </div>
    </form>`;
  }

  private renderProgress(state: ImportState) {
    const t = this.i18n.t.bind(this.i18n);
    return html`<section>
      <progress
        aria-label=${t('customerImport.step.progress')}
        max=${state.totalRows}
        value=${state.processedRows}
      ></progress>
      <p role="status">
        ${
          state.status === 'queued'
            ? t('customerImport.queued')
            : t('customerImport.running', { done: state.processedRows, total: state.totalRows })
        }
      </p>
      <p class="hint">${t('customerImport.runningHint')}</p>
    </section>`;
  }

  private renderResult(state: ImportState) {
    const t = this.i18n.t.bind(this.i18n);
    const counts = facts(
      { label: t('customerImport.created'), value: state.created, kind: 'number' },
      { label: t('customerImport.updated'), value: state.updated, kind: 'number' },
      state.unchanged > 0 && { label: t('customerImport.unchanged'), value: state.unchanged, kind: 'number' },
      { label: t('customerImport.skipped'), value: state.skipped, kind: 'number' },
      { label: t('customerImport.invalid'), value: state.invalid, kind: 'number' },
    );
    return html`<section>
      <p role="status" class=${state.status === 'failed' ? 'error' : ''}>
        ${state.status === 'failed' ? t('customerImport.failed') : t('customerImport.done')}
      </p>
      <cti-facts-list .facts=${counts}></cti-facts-list>
      ${
        state.invalid > 0
          ? html`<p>
              <a href=${customerImportErrorsHref(state.id)} download>${t('customerImport.errorReport')}</a>
            </p>`
          : nothing
      }
      <div class="actions">
        <button type="button" @click=${this.restart}>${t('customerImport.another')}</button>
        <a href=${routeHref({ name: 'customers', query: '' })}>${t('customerImport.toCustomers')}</a>
      </div>
    </section>`;
  }

  private renderStep() {
    const state = this.state;
    if (this.step === 'upload' || !state) return this.renderUpload();
    switch (this.step) {
      case 'mapping':
        return this.renderMapping(state);
      case 'duplicates':
        return this.renderDuplicates(state);
      case 'progress':
        return this.renderProgress(state);
      case 'result':
        return this.renderResult(state);
    }
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    return html`<h1>${t('customerImport.title')}</h1>
      <ol class="steps" aria-label=${t('customerImport.stepsLabel')}>
        ${STEPS.map(
          (step) =>
            html`<li aria-current=${step === this.step ? 'step' : nothing}>${t(STEP_LABELS[step])}</li>`,
        )}
      </ol>
      <div class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</div>
      ${this.renderStep()}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-customer-import': CtiCustomerImport;
  }
}
