import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { attempt, toUiMessage } from '../app/errors.js';
import {
  getRetentionPolicy,
  previewRetention,
  runRetention,
  saveRetentionPolicy,
  type RetentionPolicy,
  type RetentionPolicyView,
  type RetentionPreview,
  type RetentionRunResult,
} from '../data/retention.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';

type RetentionItem = RetentionPreview['items'][number];
type RetentionType = RetentionItem['type'];

// In the server's order; checked against its type, so a new data type fails the typecheck here.
const TYPES = Object.keys({
  recordings: true,
  notes: true,
  interactions: true,
  auditLog: true,
  sessions: true,
} satisfies Record<RetentionType, true>) as RetentionType[];

const field = (type: RetentionType) => `${type}Days` as const;

/**
 * Admins' retention policy: days kept per data type (0 keeps forever), a dry run listing what a run
 * would remove, and a run now after a confirmation. The server refuses these calls to anyone else.
 */
@customElement('cti-retention-policy')
export class CtiRetentionPolicy extends LitElement {
  static override styles = [
    shared,
    css`
      h2 {
        margin-bottom: var(--cti-space-2);
      }
      .intro {
        margin-bottom: var(--cti-space-4);
      }
      form.card {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 12rem), 1fr));
        gap: 0 var(--cti-space-3);
        align-items: start;
        margin-bottom: var(--cti-space-4);
      }
      form .form-actions,
      form .error,
      form .source {
        grid-column: 1 / -1;
      }
      .actions,
      .confirm {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cti-space-2);
        margin-bottom: var(--cti-space-4);
      }
      code {
        font-size: var(--cti-font-size-sm);
        overflow-wrap: anywhere;
      }
      td.number {
        text-align: end;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  @state() private view: RetentionPolicyView | null = null;
  @state() private preview: RetentionPreview | null = null;
  @state() private result: RetentionRunResult | null = null;
  @state() private error: UiMessage | null = null;
  @state() private formError: UiMessage | null = null;
  @state() private busy = false;
  @state() private confirming = false;
  @state() private notice = '';

  private readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private readonly load = async (): Promise<void> => {
    try {
      this.view = await getRetentionPolicy();
      this.error = null;
    } catch (error) {
      this.error = toUiMessage(error);
    }
  };

  private readonly save = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const days = (type: RetentionType) => {
      const raw = (form.elements.namedItem(field(type)) as HTMLInputElement).value.trim();
      // Sent as typed: the server answers a bad number with the field it names.
      return raw === '' ? null : Number(raw);
    };
    const policy = Object.fromEntries(TYPES.map((type) => [field(type), days(type)])) as RetentionPolicy;
    this.busy = true;
    await attempt(
      async () => {
        this.view = await saveRetentionPolicy(policy);
        this.preview = null;
        this.notice = this.i18n.t('retention.saved');
      },
      (error) => (this.formError = error),
    );
    this.busy = false;
  };

  private readonly dryRun = async (): Promise<void> => {
    this.busy = true;
    await attempt(
      async () => {
        this.preview = await previewRetention();
        this.result = null;
        this.notice = '';
      },
      (error) => (this.error = error),
    );
    this.busy = false;
  };

  private readonly run = async (): Promise<void> => {
    this.busy = true;
    await attempt(
      async () => {
        this.result = await runRetention();
        this.preview = null;
        this.confirming = false;
        const count = this.result.items.reduce((sum, item) => sum + item.count, 0);
        this.notice = this.i18n.t('retention.ran', { count });
      },
      (error) => (this.error = error),
    );
    this.busy = false;
  };

  private renderForm(view: RetentionPolicyView) {
    const t = this.i18n.t.bind(this.i18n);
    return html`<form class="card" @submit=${this.save} aria-labelledby="retention-policy-heading">
      <h3 id="retention-policy-heading" class="visually-hidden">${t('retention.policy')}</h3>
      ${TYPES.map(
        (type) =>
          html`<div class="field">
            <label for="retention-${type}">${t(`retention.type.${type}`)}</label>
            <input
              id="retention-${type}"
              name=${field(type)}
              type="number"
              inputmode="numeric"
              min="0"
              step="1"
              .value=${String(view.policy[field(type)] ?? 0)}
              aria-describedby="retention-${type}-hint"
            />
            <div id="retention-${type}-hint" class="hint">${t(`retention.hint.${type}`)}</div>
          </div>`,
      )}
      <p class="source muted">
        ${
          view.source === 'console' && view.updatedAt
            ? t('retention.source.console', {
                date: this.i18n.dateTime(view.updatedAt),
                name: view.updatedByName ?? '—',
              })
            : t('retention.source.config')
        }
      </p>
      <div class="form-actions">
        <button class="primary" type="submit" ?disabled=${this.busy}>${t('retention.save')}</button>
      </div>
      <div class="error" role="alert">${this.formError ? this.i18n.message(this.formError) : ''}</div>
    </form>`;
  }

  private renderItems(caption: 'retention.preview' | 'retention.result', items: readonly RetentionItem[]) {
    const t = this.i18n.t.bind(this.i18n);
    if (items.length === 0) return html`<p class="card empty">${t('retention.nothingKept')}</p>`;
    return html`<div
      class="table-scroll"
      role="region"
      aria-labelledby="retention-items-heading"
      tabindex="0"
    >
      <table aria-labelledby="retention-items-heading">
        <caption id="retention-items-heading">
          ${t(caption)}
        </caption>
        <thead>
          <tr>
            ${(
              [
                'retention.col.type',
                'retention.col.what',
                'retention.col.before',
                'retention.col.count',
                'retention.col.oldest',
                'retention.col.sample',
              ] as const
            ).map((key) => html`<th scope="col">${t(key)}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${items.map(
            (item) =>
              html`<tr data-retention=${`${item.type}.${item.table}`}>
                <td>${t(`retention.type.${item.type}`)}</td>
                <td>${t(`retention.table.${item.table}`)}</td>
                <td>${this.i18n.date(item.before)}</td>
                <td class="number">${new Intl.NumberFormat(this.i18n.lang).format(item.count)}</td>
                <td>${item.oldest ? this.i18n.date(item.oldest) : '—'}</td>
                <td><code>${item.sampleIds.join(', ') || '—'}</code></td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private renderRun() {
    const t = this.i18n.t.bind(this.i18n);
    if (!this.confirming) {
      return html`<div class="actions">
        <button type="button" ?disabled=${this.busy} @click=${this.dryRun}>${t('retention.dryRun')}</button>
        <button type="button" class="danger" ?disabled=${this.busy} @click=${() => (this.confirming = true)}>
          ${t('retention.runNow')}
        </button>
      </div>`;
    }
    return html`<div class="confirm" role="group" aria-label=${t('retention.confirmRun')}>
      <span>${t('retention.confirmRun')}</span>
      <button type="button" class="danger" ?disabled=${this.busy} @click=${this.run}>
        ${t('retention.runNow')}
      </button>
      <button type="button" @click=${() => (this.confirming = false)}>${t('common.cancel')}</button>
    </div>`;
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    const result = this.result;
    return html`<section aria-labelledby="retention-heading">
      <h2 id="retention-heading">${t('retention.title')}</h2>
      <p class="intro muted">${t('retention.intro')}</p>
      <div class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</div>
      ${
        this.error && !this.view
          ? html`<p><button type="button" @click=${this.load}>${t('common.retry')}</button></p>`
          : nothing
      }
      ${this.view ? html`${this.renderForm(this.view)} ${this.renderRun()}` : nothing}
      <p class="status" role="status">${this.notice}</p>
      ${this.preview ? this.renderItems('retention.preview', this.preview.items) : nothing}
      ${
        result
          ? this.renderItems(
              'retention.result',
              result.items.map((item) => ({ ...item, oldest: null, sampleIds: [] })),
            )
          : nothing
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-retention-policy': CtiRetentionPolicy;
  }
}
