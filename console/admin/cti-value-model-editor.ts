import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { toUiMessage } from '../app/errors.js';
import { selectField } from '../components/fields.js';
import { LatestRequestController } from '../components/latest-request-controller.js';
import { getValueModel, saveValueModel, type ValueModelView } from '../data/value-model.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { MessageKey, UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';
import {
  RANKED_TIERS,
  WEIGHTS,
  fromDraft,
  toDraft,
  type DraftErrors,
  type ValueModelDraft,
} from './value-model-draft.js';

const WEIGHT_LABELS: Record<(typeof WEIGHTS)[number], MessageKey> = {
  lifetimeValue: 'valueModel.weight.lifetimeValue',
  recentSpend: 'valueModel.weight.recentSpend',
  tenureYears: 'valueModel.weight.tenureYears',
  contacts: 'valueModel.weight.contacts',
};

/**
 * The customer value model (tiers, weights, recent days, currency and rates, the nightly schedule):
 * admins edit it (`editable`), others read it. Mistakes are shown beside their field before saving;
 * the server's 400 (which names the field) is shown above the buttons.
 */
@customElement('cti-value-model-editor')
export class CtiValueModelEditor extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      form,
      .view {
        max-width: 48rem;
      }
      fieldset {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 12rem), 1fr));
        gap: 0 var(--cti-space-3);
        margin: 0 0 var(--cti-space-4);
        padding: var(--cti-space-3) var(--cti-space-4) 0;
        border: 1px solid var(--cti-color-border);
        border-radius: var(--cti-radius-md);
      }
      legend {
        padding: 0 var(--cti-space-1);
        font-weight: 600;
      }
      fieldset > .hint {
        grid-column: 1 / -1;
        margin: 0 0 var(--cti-space-3);
      }
      .rate {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 1fr) auto;
        align-items: end;
        gap: var(--cti-space-2);
        grid-column: 1 / -1;
        margin-bottom: var(--cti-space-3);
      }
      .rate .field {
        margin-bottom: 0;
      }
      .add-rate {
        grid-column: 1 / -1;
        justify-self: start;
        margin-bottom: var(--cti-space-3);
      }
      input[aria-invalid='true'] {
        border-color: var(--cti-color-danger);
      }
      .saved {
        color: var(--cti-color-success);
      }
    `,
  ];

  /** Admins may change the model; supervisors read it. */
  @property({ type: Boolean }) editable = false;

  @state() private view: ValueModelView | null = null;
  @state() private draft: ValueModelDraft | null = null;
  @state() private errors: DraftErrors = new Map();
  @state() private error: UiMessage | null = null;
  @state() private saved = false;
  @state() private busy = false;

  private readonly i18n = new I18nController(this);
  private readonly request = new LatestRequestController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private readonly load = async (): Promise<void> => {
    const outcome = await this.request.run((signal) => getValueModel(signal));
    if (!outcome) return;
    if ('value' in outcome) this.show(outcome.value);
    else this.error = toUiMessage(outcome.error);
  };

  private show(view: ValueModelView): void {
    this.view = view;
    this.draft = toDraft(view.model);
    this.errors = new Map();
  }

  private edit(change: (draft: ValueModelDraft) => void): void {
    if (!this.draft) return;
    const draft = structuredClone(this.draft);
    change(draft);
    this.draft = draft;
    this.saved = false;
  }

  private readonly onSubmit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    if (!this.draft || this.busy) return;
    this.error = null;
    this.saved = false;
    const checked = fromDraft(this.draft);
    if ('errors' in checked) {
      this.errors = checked.errors;
      this.error = { key: 'valueModel.error.check' };
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    this.errors = new Map();
    this.busy = true;
    try {
      this.show(await saveValueModel(checked.model));
      this.saved = true;
    } catch (error) {
      this.error = toUiMessage(error);
    } finally {
      this.busy = false;
    }
  };

  private readonly onReset = (): void => {
    if (this.view) this.show(this.view);
    this.error = null;
    this.saved = false;
  };

  /** A text input with its error (if any) under it, bound to the draft. */
  private input(
    id: string,
    label: string,
    value: string,
    set: (draft: ValueModelDraft, value: string) => void,
    options: { hint?: string; inputmode?: 'decimal' | 'numeric' } = {},
  ) {
    const problem = this.errors.get(id);
    const describedBy = [options.hint ? `${id}-hint` : '', problem ? `${id}-error` : '']
      .filter(Boolean)
      .join(' ');
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <input
        id=${id}
        .value=${value}
        inputmode=${options.inputmode ?? nothing}
        autocomplete="off"
        ?disabled=${!this.editable}
        aria-invalid=${problem ? 'true' : 'false'}
        aria-describedby=${describedBy || nothing}
        @input=${(e: InputEvent) => this.edit((draft) => set(draft, (e.target as HTMLInputElement).value))}
      />
      ${options.hint ? html`<p class="hint" id=${`${id}-hint`}>${options.hint}</p>` : nothing}
      ${problem ? html`<p class="field-error" id=${`${id}-error`}>${this.i18n.t(problem)}</p>` : nothing}
    </div>`;
  }

  private renderRates(draft: ValueModelDraft) {
    const t = this.i18n.t.bind(this.i18n);
    return html`<fieldset>
      <legend>${t('valueModel.rates')}</legend>
      <p class="hint">${t('valueModel.rates.hint')}</p>
      ${draft.rates.length === 0 ? html`<p class="muted">${t('valueModel.rates.none')}</p>` : nothing}
      ${draft.rates.map(
        (row, i) =>
          html`<div class="rate">
            ${this.input(`rate-${i}-currency`, t('valueModel.rate.currency'), row.currency, (d, v) => {
              d.rates[i]!.currency = v.toUpperCase();
            })}
            ${this.input(
              `rate-${i}-value`,
              t('valueModel.rate.value'),
              row.rate,
              (d, v) => {
                d.rates[i]!.rate = v;
              },
              { inputmode: 'decimal' },
            )}
            ${
              this.editable
                ? html`<button
                    type="button"
                    aria-label=${`${t('valueModel.rate.remove')} ${row.currency}`}
                    @click=${() => this.edit((d) => void d.rates.splice(i, 1))}
                  >
                    ${t('valueModel.rate.remove')}
                  </button>`
                : nothing
            }
          </div>`,
      )}
      ${
        this.editable
          ? html`<button
              type="button"
              class="add-rate"
              @click=${() => this.edit((d) => void d.rates.push({ currency: '', rate: '' }))}
            >
              ${t('valueModel.rate.add')}
            </button>`
          : nothing
      }
    </fieldset>`;
  }

  private renderForm(draft: ValueModelDraft) {
    const t = this.i18n.t.bind(this.i18n);
    const byShare = draft.by === 'percentiles';
    return html`<form @submit=${this.onSubmit} novalidate>
      <fieldset>
        <legend>${t('valueModel.currency')}</legend>
        ${this.input(
          'currency',
          t('valueModel.currency'),
          draft.currency,
          (d, v) => {
            d.currency = v.toUpperCase();
          },
          { hint: t('valueModel.currency.hint') },
        )}
        ${this.input(
          'recentDays',
          t('valueModel.recentDays'),
          draft.recentDays,
          (d, v) => {
            d.recentDays = v;
          },
          { hint: t('valueModel.recentDays.hint'), inputmode: 'numeric' },
        )}
      </fieldset>
      ${this.renderRates(draft)}
      <fieldset>
        <legend>${t('valueModel.weights')}</legend>
        <p class="hint">${t('valueModel.weights.hint')}</p>
        ${WEIGHTS.map((w) =>
          this.input(
            `weight-${w}`,
            t(WEIGHT_LABELS[w]),
            draft.weights[w],
            (d, v) => {
              d.weights[w] = v;
            },
            { inputmode: 'decimal' },
          ),
        )}
      </fieldset>
      <fieldset ?disabled=${!this.editable}>
        <legend>${t('valueModel.tiers')}</legend>
        <p class="hint">
          ${t(byShare ? 'valueModel.tiers.hint.percentiles' : 'valueModel.tiers.hint.thresholds')}
        </p>
        ${selectField({
          id: 'tiers-by',
          label: t('valueModel.tiers.by'),
          value: draft.by,
          options: [
            { value: 'percentiles', label: t('valueModel.tiers.percentiles') },
            { value: 'thresholds', label: t('valueModel.tiers.thresholds') },
          ],
          onChange: (value) =>
            this.edit((d) => {
              d.by = value === 'thresholds' ? 'thresholds' : 'percentiles';
            }),
        })}
        ${RANKED_TIERS.map((tier) =>
          this.input(
            `tier-${tier}`,
            t(byShare ? 'valueModel.tier.share' : 'valueModel.tier.threshold', {
              tier: this.i18n.tier(tier),
            }),
            draft.tiers[tier],
            (d, v) => {
              d.tiers[tier] = v;
            },
            { inputmode: 'decimal' },
          ),
        )}
      </fieldset>
      <fieldset>
        <legend>${t('valueModel.cron')}</legend>
        ${this.input('recomputeCron', t('valueModel.cron'), draft.recomputeCron, (d, v) => {
          d.recomputeCron = v;
        })}
      </fieldset>
      <div class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</div>
      ${
        this.editable
          ? html`<div class="form-actions">
              <button type="submit" class="primary" aria-disabled=${this.busy ? 'true' : 'false'}>
                ${t('valueModel.save')}
              </button>
              <button type="button" @click=${this.onReset}>${t('valueModel.reset')}</button>
              <span class="status saved" role="status"
                >${this.busy ? t('common.saving') : this.saved ? t('valueModel.saved') : ''}</span
              >
            </div>`
          : nothing
      }
    </form>`;
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    const { view, draft } = this;
    return html`<section aria-labelledby="value-model-heading">
      <h2 id="value-model-heading">${t('valueModel.title')}</h2>
      <p class="muted">${t('valueModel.intro')}</p>
      ${
        view
          ? html`<p class="meta">
              ${
                view.source === 'console'
                  ? t('valueModel.source.console', {
                      name: view.updatedByName ?? '—',
                      date: view.updatedAt ? this.i18n.dateTime(view.updatedAt) : '—',
                    })
                  : t('valueModel.source.file')
              }
              ${this.editable ? '' : t('valueModel.readOnly')}
            </p>`
          : nothing
      }
      ${this.request.loading ? html`<p class="status" role="status">${t('common.loading')}</p>` : nothing}
      ${draft ? this.renderForm(draft) : html`<div class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</div>`}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-value-model-editor': CtiValueModelEditor;
  }
}
