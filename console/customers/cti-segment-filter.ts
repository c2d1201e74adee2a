import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { emit } from '../components/events.js';
import type { SegmentFilter } from '../data/segments.data.js';
import { LIFECYCLE_STAGES, TIERS } from '../data/vocabulary.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { MessageKey } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';

type RangeField = 'value' | 'lastContactDays' | 'satisfaction' | 'churnRisk';
const SCORES = [1, 2, 3, 4, 5];

/** A text control's value; a file (none here) reads as empty. */
const textOf = (form: FormData, name: string): string => {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
};

/** A range's end from an input: empty is "no bound"; anything not a number is left out too. */
function bound(form: FormData, name: string): number | undefined {
  const text = textOf(form, name).trim();
  if (text === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** The filter the form's controls say: only the fields given, so an empty form is every customer. */
export function filterOfForm(form: FormData): SegmentFilter {
  const filter: SegmentFilter = {};
  const tiers = form.getAll('tier').filter((v) => typeof v === 'string') as NonNullable<
    SegmentFilter['tiers']
  >;
  if (tiers.length > 0) filter.tiers = tiers;
  const stages = form.getAll('stage').filter((v) => typeof v === 'string') as NonNullable<
    SegmentFilter['lifecycleStages']
  >;
  if (stages.length > 0) filter.lifecycleStages = stages;
  // Commas in English or Chinese typing both separate tags.
  const tags = [
    ...new Set(
      textOf(form, 'tags')
        .split(/[,，]/)
        .map((tag) => tag.trim())
        .filter(Boolean),
    ),
  ];
  if (tags.length > 0) filter.tags = tags;
  for (const field of ['value', 'lastContactDays', 'satisfaction', 'churnRisk'] as const) {
    const min = bound(form, `${field}.min`);
    const max = bound(form, `${field}.max`);
    if (min !== undefined || max !== undefined)
      filter[field] = { ...(min !== undefined && { min }), ...(max !== undefined && { max }) };
  }
  return filter;
}

/**
 * The segment filter's controls: tiers, lifecycle stages, tags, and the value, last-contact,
 * satisfaction and churn-risk ranges. Fires `cti-segment-filter-change` with the whole new filter on
 * each edit; the page counts it.
 */
@customElement('cti-segment-filter')
export class CtiSegmentFilter extends LitElement {
  static override styles = [
    shared,
    css`
      fieldset.filters {
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 14rem), 1fr));
      }
      fieldset.choices {
        margin: 0;
        padding: 0;
        border: 0;
        min-width: 0;
      }
      fieldset.choices legend {
        font-weight: 600;
        font-size: var(--cti-font-size-sm);
        margin-bottom: var(--cti-space-1);
        padding: 0;
      }
      .options {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-1) var(--cti-space-3);
      }
      .options label {
        display: inline-flex;
        align-items: center;
        gap: var(--cti-space-1);
        font-weight: 400;
        margin: 0;
        min-height: 2rem;
      }
      .range {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: var(--cti-space-2);
      }
      .range label {
        font-weight: 400;
      }
    `,
  ];

  @property({ attribute: false }) filter: SegmentFilter = {};

  private readonly i18n = new I18nController(this);

  private readonly onEdit = (event: Event): void => {
    event.stopPropagation();
    const form = this.renderRoot.querySelector('form');
    if (form) emit(this, 'cti-segment-filter-change', filterOfForm(new FormData(form)));
  };

  private choices(
    legend: string,
    name: string,
    values: readonly string[],
    chosen: readonly string[],
    label: (v: string) => string,
  ) {
    return html`<fieldset class="choices">
      <legend>${legend}</legend>
      <div class="options">
        ${values.map(
          (value) =>
            html`<label
              ><input
                type="checkbox"
                name=${name}
                value=${value}
                .checked=${chosen.includes(value)}
              />${label(value)}</label
            >`,
        )}
      </div>
    </fieldset>`;
  }

  private range(field: RangeField, legendKey: MessageKey, hintKey?: MessageKey) {
    const t = this.i18n.t.bind(this.i18n);
    const range = this.filter[field] ?? {};
    const input = (end: 'min' | 'max') => {
      const id = `${field}-${end}`;
      const value = range[end] === undefined ? '' : String(range[end]);
      const label = html`<label for=${id}>${t(end === 'min' ? 'segments.min' : 'segments.max')}</label>`;
      if (field === 'satisfaction')
        return html`<div>
          ${label}
          <select id=${id} name=${`${field}.${end}`}>
            <option value="" ?selected=${value === ''}>—</option>
            ${SCORES.map((score) => html`<option value=${score} ?selected=${value === String(score)}>${score}</option>`)}
          </select>
        </div>`;
      return html`<div>
        ${label}
        <input
          id=${id}
          name=${`${field}.${end}`}
          type="number"
          inputmode="numeric"
          min="0"
          step=${field === 'value' ? 'any' : '1'}
          .value=${value}
        />
      </div>`;
    };
    return html`<fieldset class="choices">
      <legend>${t(legendKey)}</legend>
      <div class="range">${input('min')}${input('max')}</div>
      ${hintKey ? html`<p class="hint">${t(hintKey)}</p>` : nothing}
    </fieldset>`;
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    const f = this.filter;
    return html`<form
      @submit=${(e: Event) => e.preventDefault()}
      @input=${this.onEdit}
      @change=${this.onEdit}
    >
      <fieldset class="filters">
        <legend>${t('segments.filters')}</legend>
        ${this.choices(t('segments.tiers'), 'tier', TIERS, f.tiers ?? [], (tier) => this.i18n.tier(tier as never))}
        ${this.choices(t('segments.stages'), 'stage', LIFECYCLE_STAGES, f.lifecycleStages ?? [], (stage) =>
          this.i18n.lifecycle(stage as never),
        )}
        <div>
          <label for="tags">${t('segments.tags')}</label>
          <input
            id="tags"
            name="tags"
            autocomplete="off"
            .value=${(f.tags ?? []).join(', ')}
            aria-describedby="tags-hint"
          />
          <p id="tags-hint" class="hint">${t('segments.tagsHint')}</p>
        </div>
        ${this.range('value', 'segments.value')}
        ${this.range('lastContactDays', 'segments.lastContact', 'segments.lastContactHint')}
        ${this.range('satisfaction', 'segments.satisfaction')}
        ${this.range('churnRisk', 'segments.churnRisk')}
      </fieldset>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-segment-filter': CtiSegmentFilter;
  }
  interface HTMLElementEventMap {
    'cti-segment-filter-change': CustomEvent<SegmentFilter>;
  }
}
