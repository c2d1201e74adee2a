import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { InteractionDetail } from '../../server/interactions/interactions.schemas.js';
import type { InteractionSummary } from '../../contracts/interaction.js';
import { toUiMessage } from '../app/errors.js';
import '../components/cti-interaction-events.js';
import '../components/cti-interaction-summary.js';
import type { CtiInteractionSummary } from '../components/cti-interaction-summary.js';
import { isAbortError } from '../data/api.js';
import { getInteraction, listInteractions } from '../data/interactions.data.js';
import { LatestRequestController } from '../components/latest-request-controller.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';

const PAGE_SIZE = 20;

type Events =
  | { status: 'loading' }
  | { status: 'ready'; detail: InteractionDetail }
  | { status: 'error'; error: UiMessage };

/**
 * A customer's contact history, newest first, paged with "Load more". Each contact expands to show its
 * event timeline, fetched on first expansion.
 */
@customElement('cti-customer-timeline')
export class CtiCustomerTimeline extends LitElement {
  static override styles = [
    shared,
    css`
      .head {
        margin-bottom: var(--cti-space-3);
      }
      ol.entries {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--cti-space-3);
      }
      .more {
        display: flex;
        justify-content: center;
        margin-top: var(--cti-space-4);
      }
      .error:not(:empty) {
        margin-bottom: var(--cti-space-3);
      }
    `,
  ];

  @property({ type: Number }) customerId = 0;

  @state() private items: InteractionSummary[] = [];
  @state() private total = 0;
  @state() private loaded = false;
  @state() private error: UiMessage | null = null;
  @state() private open = new Set<number>();
  @state() private events = new Map<number, Events>();

  private readonly i18n = new I18nController(this);
  private readonly pages = new LatestRequestController(this);
  private readonly eventControllers = new Set<AbortController>();
  /** After "Load more", focus moves to the first new contact so keyboard users continue from there. */
  private focusEntry: number | null = null;

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('customerId')) {
      this.items = [];
      this.total = 0;
      this.loaded = false;
      this.open = new Set();
      this.events = new Map();
      void this.loadPage(0);
    }
  }

  override updated(): void {
    if (this.focusEntry !== null) {
      void this.renderRoot
        .querySelector<CtiInteractionSummary>(`cti-interaction-summary[data-id="${this.focusEntry}"]`)
        ?.focusHeading();
      this.focusEntry = null;
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const controller of this.eventControllers) controller.abort();
  }

  private async loadPage(offset: number): Promise<void> {
    this.error = null;
    const query = { customerId: this.customerId, limit: PAGE_SIZE, offset };
    const outcome = await this.pages.run((signal) => listInteractions(query, signal));
    if (!outcome) return;
    if ('error' in outcome) {
      this.error = toUiMessage(outcome.error);
      return;
    }
    const page = outcome.value;
    // A contact arriving between pages shifts the offsets; skip what is already listed.
    const known = new Set(this.items.map((item) => item.id));
    const fresh = page.items.filter((item) => !known.has(item.id));
    if (offset > 0 && fresh[0]) this.focusEntry = fresh[0].id;
    this.items = [...this.items, ...fresh];
    this.total = page.total;
    this.loaded = true;
  }

  private readonly loadMore = (): void => {
    if (!this.pages.loading) void this.loadPage(this.items.length);
  };

  private readonly retry = (): void => {
    void this.loadPage(this.items.length);
  };

  private async toggle(id: number): Promise<void> {
    const open = new Set(this.open);
    if (open.has(id)) {
      open.delete(id);
      this.open = open;
      return;
    }
    open.add(id);
    this.open = open;
    if (this.events.get(id)?.status === 'ready' || this.events.get(id)?.status === 'loading') return;
    this.setEvents(id, { status: 'loading' });
    const controller = new AbortController();
    this.eventControllers.add(controller);
    try {
      this.setEvents(id, { status: 'ready', detail: await getInteraction(id, controller.signal) });
    } catch (error) {
      if (isAbortError(error)) return;
      this.setEvents(id, { status: 'error', error: toUiMessage(error) });
    } finally {
      this.eventControllers.delete(controller);
    }
  }

  private setEvents(id: number, events: Events): void {
    this.events = new Map(this.events).set(id, events);
  }

  private renderEvents(id: number) {
    const events = this.events.get(id);
    if (!events || events.status === 'loading') {
      return html`<p class="status" role="status">${this.i18n.t('common.loading')}</p>`;
    }
    if (events.status === 'error')
      return html`<div class="error" role="alert">${this.i18n.message(events.error)}</div>`;
    return html`<cti-interaction-events .detail=${events.detail}></cti-interaction-events>`;
  }

  private renderEntry(item: InteractionSummary) {
    const isOpen = this.open.has(item.id);
    return html`<li>
      <cti-interaction-summary
        variant="card"
        data-id=${item.id}
        .interaction=${item}
        ?expanded=${isOpen}
        @cti-interaction-toggle=${() => void this.toggle(item.id)}
        >${isOpen ? this.renderEvents(item.id) : nothing}</cti-interaction-summary
      >
    </li>`;
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    let status = '';
    if (this.pages.loading) status = t('common.loading');
    else if (this.loaded && this.total > 0)
      status = t('timeline.count', { shown: this.items.length, total: this.total });
    return html`<section aria-labelledby="history-heading">
      <div class="head spread baseline">
        <h2 id="history-heading">${t('timeline.title')}</h2>
        <p class="status" role="status">${status}</p>
      </div>
      <div class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</div>
      ${this.error ? html`<p><button type="button" @click=${this.retry}>${t('common.retry')}</button></p>` : nothing}
      ${this.loaded && this.items.length === 0 ? html`<p class="card empty">${t('timeline.empty')}</p>` : nothing}
      <ol class="entries">
        ${this.items.map((item) => this.renderEntry(item))}
      </ol>
      ${
        this.loaded && this.items.length < this.total
          ? html`<div class="more">
              <button
                type="button"
                @click=${this.loadMore}
                aria-disabled=${this.pages.loading ? 'true' : 'false'}
              >
                ${t('timeline.loadMore')}
              </button>
            </div>`
          : nothing
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-customer-timeline': CtiCustomerTimeline;
  }
}
