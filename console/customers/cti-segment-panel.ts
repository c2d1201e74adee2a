import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Role } from '../../server/auth/auth.schemas.js';
import { toUiMessage } from '../app/errors.js';
import { emit } from '../components/events.js';
import { LatestRequestController } from '../components/latest-request-controller.js';
import {
  countSegment,
  createSegment,
  listSegments,
  segmentCsvHref,
  type Segment,
  type SegmentFilter,
} from '../data/segments.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';
import './cti-segment-filter.js';
import './cti-segment-manager.js';

/** Long enough to skip the counts of a fast typist, short enough to feel live. */
const COUNT_DEBOUNCE_MS = 300;

/**
 * The customer list's segments: pick a saved segment (the page then lists its customers), edit the
 * filters with a live count, save them as a segment, export a segment as CSV, and, for supervisors and
 * admins, rename and delete segments. Fires `cti-segment-pick` with the picked segment's id, or null.
 */
@customElement('cti-segment-panel')
export class CtiSegmentPanel extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
        max-width: 56rem;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: var(--cti-space-3);
        margin-bottom: var(--cti-space-3);
      }
      .row .field {
        flex: 1 1 16rem;
        margin: 0;
      }
      .count {
        font-weight: 600;
        font-variant-numeric: tabular-nums;
        margin: var(--cti-space-3) 0;
      }
      a.button {
        display: inline-flex;
        align-items: center;
        min-height: 2.5rem;
        padding: 0 var(--cti-space-4);
        border: 1px solid var(--cti-color-border-strong);
        border-radius: var(--cti-radius-md);
        color: var(--cti-color-text);
        text-decoration: none;
      }
      details {
        margin-top: var(--cti-space-3);
      }
      summary {
        cursor: pointer;
        font-weight: 600;
        min-height: 2rem;
      }
    `,
  ];

  @property({ attribute: false }) viewerRole: Role = 'agent';

  @state() private segments: Segment[] = [];
  @state() private picked: number | null = null;
  /** What the filter controls show: set when a segment is picked or the filters cleared, not on each edit. */
  @state() private shown: SegmentFilter = {};
  /** The filters as the user has edited them. */
  @state() private draft: SegmentFilter = {};
  @state() private count: number | null = null;
  @state() private error: UiMessage | null = null;
  @state() private announcement: UiMessage | null = null;
  @state() private saving = false;

  private readonly i18n = new I18nController(this);
  private readonly counter = new LatestRequestController(this);
  private timer: ReturnType<typeof setTimeout> | undefined;

  private get supervises(): boolean {
    return this.viewerRole !== 'agent';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    this.recount();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
  }

  private async load(): Promise<void> {
    try {
      this.segments = (await listSegments()).items;
      if (this.picked !== null && !this.segments.some((s) => s.id === this.picked)) this.pick(null);
    } catch (error) {
      this.error = toUiMessage(error);
    }
  }

  private recount(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      void this.counter
        .run((signal) => countSegment(this.draft, signal))
        .then((outcome) => {
          if (!outcome) return;
          if ('error' in outcome) {
            this.count = null;
            this.error = toUiMessage(outcome.error);
          } else {
            this.count = outcome.value.count;
            this.error = null;
          }
        });
    }, COUNT_DEBOUNCE_MS);
  }

  private pick(id: number | null): void {
    this.picked = id;
    const segment = this.segments.find((s) => s.id === id);
    this.shown = segment ? { ...segment.filter } : {};
    this.draft = this.shown;
    this.count = segment ? segment.count : this.count;
    this.recount();
    emit(this, 'cti-segment-pick', id);
  }

  private readonly onPick = (event: Event): void => {
    const value = (event.target as HTMLSelectElement).value;
    this.pick(value === '' ? null : Number(value));
  };

  private readonly onFilterChange = (event: CustomEvent<SegmentFilter>): void => {
    this.draft = event.detail;
    this.recount();
  };

  private readonly onSave = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('segment-name') as HTMLInputElement;
    const name = input.value.trim();
    if (name === '') return;
    this.saving = true;
    this.announcement = null;
    try {
      const saved = await createSegment({ name, filter: this.draft });
      input.value = '';
      await this.load();
      this.pick(saved.id);
      this.announcement = { key: 'segments.saved', params: { name } };
    } catch (error) {
      this.error = toUiMessage(error, { 409: 'segments.nameTaken' });
    } finally {
      this.saving = false;
    }
  };

  private renderCount() {
    const text = this.counter.loading
      ? this.i18n.t('segments.counting')
      : this.count === null
        ? ''
        : this.i18n.plural('segments.count', this.count);
    return html`<p class="count" role="status" aria-live="polite">${text}</p>`;
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    return html`<section aria-labelledby="segments-heading">
      <h2 id="segments-heading">${t('segments.title')}</h2>
      <div class="row">
        <div class="field">
          <label for="segment">${t('segments.pick')}</label>
          <select id="segment" @change=${this.onPick}>
            <option value="" ?selected=${this.picked === null}>${t('segments.none')}</option>
            ${this.segments.map(
              (s) =>
                html`<option value=${s.id} ?selected=${s.id === this.picked}>
                  ${t('segments.option', { name: s.name, count: s.count })}
                </option>`,
            )}
          </select>
        </div>
        ${
          this.supervises && this.picked !== null
            ? html`<a class="button" href=${segmentCsvHref(this.picked)} download>${t('segments.export')}</a>`
            : nothing
        }
        <button type="button" @click=${() => this.pick(null)}>${t('segments.clear')}</button>
      </div>
      <cti-segment-filter
        .filter=${this.shown}
        @cti-segment-filter-change=${this.onFilterChange}
      ></cti-segment-filter>
      ${this.renderCount()}
      ${
        this.supervises
          ? html`<form class="row" @submit=${this.onSave}>
              <div class="field">
                <label for="segment-name">${t('segments.name')}</label>
                <input id="segment-name" name="segment-name" maxlength="100" autocomplete="off" required />
              </div>
              <button type="submit" class="primary" ?disabled=${this.saving}>${t('segments.save')}</button>
            </form>`
          : nothing
      }
      <p class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</p>
      <p class="visually-hidden" role="status">
        ${this.announcement ? this.i18n.message(this.announcement) : ''}
      </p>
      ${
        this.supervises
          ? html`<details>
              <summary>${t('segments.manage')}</summary>
              <cti-segment-manager
                .segments=${this.segments}
                @cti-segments-changed=${() => void this.load()}
              ></cti-segment-manager>
            </details>`
          : nothing
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-segment-panel': CtiSegmentPanel;
  }
  interface HTMLElementEventMap {
    'cti-segment-pick': CustomEvent<number | null>;
  }
}
