import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { CustomerSummary } from '../../server/customers/customers.schemas.js';
import { toUiMessage } from '../app/errors.js';
import { navigate, reflectInUrl } from '../app/navigation.js';
import { routeHref } from '../app/routes.js';
import '../components/cti-tier-badge.js';
import { isAbortError } from '../data/api.js';
import { customersCsvHref } from '../data/customer-data.data.js';
import { searchCustomers } from '../data/customers.data.js';
import { segmentCustomers } from '../data/segments.data.js';
import type { Role } from '../../server/auth/auth.schemas.js';
import './cti-segment-panel.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { page } from '../styles/page.js';

/** Long enough to skip the requests of a fast typist, short enough to feel immediate. */
const DEBOUNCE_MS = 200;
const RESULT_LIMIT = 20;

/** The phone that matched a search by digits, so the agent sees why a result is there; else the first. */
function matchingPhone(phones: readonly string[], query: string): string | undefined {
  const digits = query.replace(/\D/g, '');
  if (digits.length >= 3) {
    const match = phones.find((phone) => phone.replace(/\D/g, '').includes(digits));
    if (match) return match;
  }
  return phones[0];
}

/**
 * Customer type-ahead: searches as the user types (debounced; a newer query cancels the request of an
 * older one) and lists matches as links to the customer 360. ArrowDown/ArrowUp move between the box and
 * the results, Enter opens the focused result (from the box: the first one).
 */
@customElement('cti-customer-search')
export class CtiCustomerSearch extends LitElement {
  static override styles = [
    page,
    css`
      .page-header {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-2) var(--cti-space-4);
        align-items: baseline;
        justify-content: space-between;
        max-width: 40rem;
      }
      .page-header .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-2);
      }
      form {
        max-width: 40rem;
      }
      input[type='search'] {
        min-height: 3rem;
        font-size: 1.0625rem;
      }
      .status {
        margin: var(--cti-space-4) 0 var(--cti-space-2);
        min-height: 1.5em;
      }
      .status.empty-state {
        font-size: var(--cti-font-size-md);
        font-weight: 600;
        color: var(--cti-color-text);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--cti-space-2);
        max-width: 48rem;
      }
      a.result {
        display: block;
        padding: var(--cti-space-3) var(--cti-space-4);
        border: 1px solid var(--cti-color-border);
        border-radius: var(--cti-radius-md);
        background: var(--cti-color-surface);
        color: var(--cti-color-text);
        text-decoration: none;
      }
      a.result:hover {
        border-color: var(--cti-color-primary);
        background: var(--cti-color-primary-soft);
      }
      a.result:focus-visible {
        border-color: var(--cti-color-primary);
        border-radius: var(--cti-radius-md);
      }
      .headline {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cti-space-2);
      }
      .name {
        font-weight: 700;
        font-size: 1.0625rem;
        color: var(--cti-color-primary);
      }
      .details {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-1) var(--cti-space-4);
        margin-top: var(--cti-space-1);
        color: var(--cti-color-text-muted);
        font-size: var(--cti-font-size-sm);
        overflow-wrap: anywhere;
      }
      .phone {
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  /** The query to start with (from the address bar), e.g. when coming back from a customer. */
  @property() query = '';
  /** The signed-in user's role: supervisors and admins save, manage and export segments. */
  @property({ attribute: false }) viewerRole: Role = 'agent';

  @state() private text = '';
  /** null until a search has answered. */
  @state() private results: CustomerSummary[] | null = null;
  @state() private searching = false;
  @state() private error: UiMessage | null = null;
  /** The picked segment, whose customers the list shows instead of search results; null when searching. */
  @state() private segmentId: number | null = null;
  @state() private segmentTotal = 0;

  @query('input[type="search"]') private input!: HTMLInputElement;

  private readonly i18n = new I18nController(this);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: AbortController | undefined;
  /** The query the shown results answer. */
  private answered = '';

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('query') && this.query !== this.text) {
      this.text = this.query;
      void this.search(this.text.trim());
    }
  }

  override firstUpdated(): void {
    this.input.focus();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
    this.inFlight?.abort();
  }

  private async search(q: string): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.inFlight?.abort();
    if (q === '') {
      this.inFlight = undefined;
      this.results = null;
      this.searching = false;
      this.error = null;
      this.answered = '';
      return;
    }
    const controller = new AbortController();
    this.inFlight = controller;
    this.searching = true;
    try {
      const { items } = await searchCustomers(q, { limit: RESULT_LIMIT, signal: controller.signal });
      this.results = items;
      this.answered = q;
      this.error = null;
    } catch (error) {
      if (isAbortError(error)) return;
      this.results = null;
      this.error = toUiMessage(error);
    } finally {
      if (this.inFlight === controller) {
        this.searching = false;
        this.inFlight = undefined;
      }
    }
  }

  /** A page of the picked segment's customers, appended to the list after the first. */
  private async loadSegment(offset: number): Promise<void> {
    const id = this.segmentId;
    if (id === null) return;
    this.inFlight?.abort();
    const controller = new AbortController();
    this.inFlight = controller;
    this.searching = true;
    try {
      const page = await segmentCustomers(id, { limit: RESULT_LIMIT, offset, signal: controller.signal });
      if (this.segmentId !== id) return;
      this.results = offset === 0 ? page.items : [...(this.results ?? []), ...page.items];
      this.segmentTotal = page.total ?? page.items.length;
      this.error = null;
    } catch (error) {
      if (isAbortError(error)) return;
      this.error = toUiMessage(error);
    } finally {
      if (this.inFlight === controller) {
        this.searching = false;
        this.inFlight = undefined;
      }
    }
  }

  private readonly onSegmentPick = (event: CustomEvent<number | null>): void => {
    this.segmentId = event.detail;
    if (this.segmentId === null) {
      void this.search(this.text.trim());
      return;
    }
    this.text = '';
    this.answered = '';
    reflectInUrl(routeHref({ name: 'customers', query: '' }));
    void this.loadSegment(0);
  };

  private readonly onInput = (event: InputEvent): void => {
    this.text = (event.target as HTMLInputElement).value;
    this.segmentId = null;
    const q = this.text.trim();
    reflectInUrl(routeHref({ name: 'customers', query: q }));
    clearTimeout(this.timer);
    if (q === '') {
      void this.search('');
      return;
    }
    this.timer = setTimeout(() => void this.search(q), DEBOUNCE_MS);
  };

  private readonly onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const q = this.text.trim();
    const first = this.results?.[0];
    if (q === this.answered && !this.timer && !this.searching && first) {
      navigate(routeHref({ name: 'customer', id: first.id }));
    } else {
      void this.search(q);
    }
  };

  private links(): HTMLAnchorElement[] {
    return Array.from(this.renderRoot.querySelectorAll<HTMLAnchorElement>('a.result'));
  }

  private readonly onInputKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'ArrowDown') {
      const first = this.links()[0];
      if (first) {
        event.preventDefault();
        first.focus();
      }
    }
  };

  private readonly onResultsKeydown = (event: KeyboardEvent): void => {
    const links = this.links();
    const index = links.findIndex((link) => link === this.shadowRoot?.activeElement);
    if (index < 0) return;
    let target: HTMLElement | undefined;
    switch (event.key) {
      case 'ArrowDown':
        target = links[Math.min(index + 1, links.length - 1)];
        break;
      case 'ArrowUp':
        target = index === 0 ? this.input : links[index - 1];
        break;
      case 'Home':
        target = links[0];
        break;
      case 'End':
        target = links[links.length - 1];
        break;
      case 'Escape':
        target = this.input;
        break;
      default:
        return;
    }
    event.preventDefault();
    target?.focus();
  };

  private renderStatus() {
    let text = '';
    let empty = false;
    if (this.searching) text = this.i18n.t('search.searching');
    else if (this.segmentId !== null && this.results)
      text = this.i18n.plural('segments.members', this.segmentTotal);
    else if (this.results && this.results.length === 0) {
      text = this.i18n.t('search.empty');
      empty = true;
    } else if (this.results) text = this.i18n.plural('search.results', this.results.length);
    return html`<p class="status ${empty ? 'empty-state' : ''}" role="status">${text}</p>
      ${empty && !this.searching ? this.renderEmptyHint() : nothing}`;
  }

  /** Nobody found: a searched number is most likely a new customer's, so offer to create them with it. */
  private renderEmptyHint() {
    const phone = /^\+?[\d\s().-]{6,}$/.test(this.answered.trim()) ? this.answered.trim() : '';
    return html`<p class="muted">${this.i18n.t('search.emptyHint')}</p>
      ${
        phone
          ? html`<p>
              <a href=${routeHref({ name: 'customerNew', phone })}>
                ${this.i18n.t('search.createWithPhone', { phone })}
              </a>
            </p>`
          : nothing
      }`;
  }

  private renderResult(customer: CustomerSummary) {
    const phone = matchingPhone(customer.phones, this.answered);
    const email = customer.emails[0];
    return html`<li>
      <a class="result" href=${routeHref({ name: 'customer', id: customer.id })}>
        <span class="headline">
          <span class="name">${customer.name}</span>
          <cti-tier-badge .tier=${customer.tier}></cti-tier-badge>
        </span>
        <span class="details">
          ${customer.company ? html`<span>${customer.company}</span>` : nothing}
          ${phone ? html`<span class="phone">${phone}</span>` : nothing}
          ${email ? html`<span>${email}</span>` : nothing}
        </span>
      </a>
    </li>`;
  }

  /** Supervisors and admins download what the list shows: the segment, the search, or everyone. */
  private renderExport() {
    if (this.viewerRole === 'agent') return nothing;
    const t = this.i18n.t.bind(this.i18n);
    const q = this.text.trim();
    const [selection, label] =
      this.segmentId !== null
        ? [{ segment: this.segmentId }, t('search.exportSegment')]
        : q
          ? [{ q }, t('search.exportResults')]
          : [{}, t('search.exportAll')];
    return html`<p>
      <a class="button" data-action="export" href=${customersCsvHref(selection)} download>${label}</a>
    </p>`;
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    return html`
      <div class="page-header">
        <h1>${t('search.title')}</h1>
        <span class="actions">
          <a class="button" href=${routeHref({ name: 'customerNew', phone: '' })}
            >${t('customerCreate.title')}</a
          >
          ${
            this.viewerRole === 'agent'
              ? nothing
              : html`<a class="button" href=${routeHref({ name: 'customerImport' })}
                  >${t('customerImport.open')}</a
                >`
          }
        </span>
      </div>
      ${
        this.viewerRole === 'agent'
          ? nothing
          : html`<p><a href=${routeHref({ name: 'customerDuplicates' })}>${t('duplicates.link')}</a></p>`
      }
      <form role="search" @submit=${this.onSubmit}>
        <label for="q">${t('search.label')}</label>
        <input
          id="q"
          type="search"
          autocomplete="off"
          spellcheck="false"
          placeholder=${t('search.placeholder')}
          aria-describedby="q-hint q-keys"
          aria-controls="results"
          .value=${this.text}
          @input=${this.onInput}
          @keydown=${this.onInputKeydown}
        />
        <p id="q-hint" class="hint">${t('search.hint')}</p>
        <p id="q-keys" class="visually-hidden">${t('search.keyboardHint')}</p>
      </form>
      ${this.renderStatus()}
      <div class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</div>
      <ul id="results" aria-label=${t('search.resultsLabel')} @keydown=${this.onResultsKeydown}>
        ${(this.results ?? []).map((customer) => this.renderResult(customer))}
      </ul>
      ${
        this.segmentId !== null && this.results && this.results.length < this.segmentTotal
          ? html`<p>
              <button
                type="button"
                ?disabled=${this.searching}
                @click=${() => void this.loadSegment(this.results?.length ?? 0)}
              >
                ${t('segments.more')}
              </button>
            </p>`
          : nothing
      }
      ${this.renderExport()}
      <cti-segment-panel
        .viewerRole=${this.viewerRole}
        @cti-segment-pick=${this.onSegmentPick}
      ></cti-segment-panel>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-customer-search': CtiCustomerSearch;
  }
}
