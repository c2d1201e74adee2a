import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { MERGE_FIELDS, type MergeField } from '../../contracts/customer-merge.js';
import type { DuplicateCustomer, DuplicatePair } from '../../server/customer-merge/customer-merge.schemas.js';
import { toUiMessage } from '../app/errors.js';
import { routeHref } from '../app/routes.js';
import { LatestRequestController } from '../components/latest-request-controller.js';
import { dismissDuplicate, listDuplicates, mergeCustomers } from '../data/customer-merge.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { MessageKey, UiMessage } from '../i18n/i18n.js';
import { page } from '../styles/page.js';

const FIELD_LABELS: Record<MergeField, MessageKey> = {
  name: 'duplicates.name',
  company: 'customer.company',
  language: 'customer.language',
  tags: 'customer.tags',
  attributes: 'duplicates.attributes',
  doNotCall: 'customer.doNotCall',
};

/** What a person decides for one pair: the record kept, and per differing field whose value. */
interface Choice {
  survivorId: number;
  valueFrom: Partial<Record<MergeField, number>>;
  confirming: boolean;
}

const pairKey = (pair: DuplicatePair) => `${pair.customers[0].id}-${pair.customers[1].id}`;

/**
 * Supervisors' list of likely duplicate customers: each pair side by side with the differences
 * marked; the person picks the record to keep and, field by field, the value to keep, then confirms
 * the merge, or dismisses the pair as two customers.
 */
@customElement('cti-customer-duplicates')
export class CtiCustomerDuplicates extends LitElement {
  static override styles = [
    page,
    css`
      article {
        border: 1px solid var(--cti-color-border);
        border-radius: var(--cti-radius-md);
        background: var(--cti-color-surface);
        padding: var(--cti-space-3);
        margin-bottom: var(--cti-space-4);
        max-width: 56rem;
      }
      .reasons {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-2);
        margin: 0 0 var(--cti-space-2);
        font-weight: 600;
      }
      table {
        width: 100%;
        table-layout: fixed;
        border-collapse: collapse;
      }
      th,
      td {
        text-align: left;
        vertical-align: top;
        padding: var(--cti-space-1) var(--cti-space-2);
        border-top: 1px solid var(--cti-color-border);
        overflow-wrap: anywhere;
      }
      th[scope='row'] {
        width: 28%;
        font-weight: 600;
        color: var(--cti-color-text-muted);
      }
      tr.differs td {
        background: var(--cti-color-primary-soft);
      }
      tr.differs th::after {
        content: ' ≠';
        color: var(--cti-color-primary);
      }
      label {
        display: flex;
        gap: var(--cti-space-1);
        align-items: flex-start;
        font-weight: inherit;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-2);
        margin-top: var(--cti-space-3);
      }
      .note {
        color: var(--cti-color-text-muted);
        font-size: var(--cti-font-size-sm);
      }
      @media (max-width: 40rem) {
        th[scope='row'] {
          width: 30%;
        }
        th,
        td {
          padding: var(--cti-space-1);
          font-size: var(--cti-font-size-sm);
        }
      }
    `,
  ];

  private readonly i18n = new I18nController(this);
  private readonly request = new LatestRequestController(this);
  @state() private pairs: DuplicatePair[] = [];
  @state() private next: string | null = null;
  @state() private loading = false;
  @state() private error: UiMessage | null = null;
  @state() private announcement: { message: UiMessage; survivorId?: number } | null = null;
  @state() private choices = new Map<string, Choice>();
  @state() private busyKey: string | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load(null);
  }

  private async load(after: string | null): Promise<void> {
    this.loading = true;
    this.error = null;
    const outcome = await this.request.run((signal) => listDuplicates(after, signal));
    this.loading = false;
    if (!outcome) return;
    if ('error' in outcome) {
      this.error = toUiMessage(outcome.error, { 403: 'error.forbidden' });
      return;
    }
    this.pairs = after === null ? outcome.value.items : [...this.pairs, ...outcome.value.items];
    this.next = outcome.value.next;
  }

  private choiceOf(pair: DuplicatePair): Choice {
    return (
      this.choices.get(pairKey(pair)) ?? {
        survivorId: pair.customers[0].id,
        valueFrom: {},
        confirming: false,
      }
    );
  }

  private choose(pair: DuplicatePair, change: Partial<Choice>): void {
    const choices = new Map(this.choices);
    choices.set(pairKey(pair), { ...this.choiceOf(pair), ...change });
    this.choices = choices;
  }

  private async merge(pair: DuplicatePair): Promise<void> {
    const choice = this.choiceOf(pair);
    const merged = pair.customers.find((customer) => customer.id !== choice.survivorId);
    if (!merged || this.busyKey) return;
    const keep = Object.fromEntries(
      MERGE_FIELDS.map((field) => [
        field,
        (choice.valueFrom[field] ?? choice.survivorId) === merged.id ? 'merged' : 'survivor',
      ]),
    );
    this.busyKey = pairKey(pair);
    this.error = null;
    try {
      const survivor = await mergeCustomers(choice.survivorId, { mergeId: merged.id, keep });
      // Other pairs naming the merged record are moot now: it leads to the survivor.
      this.pairs = this.pairs.filter((other) => !other.customers.some((c) => c.id === merged.id));
      this.announcement = {
        message: { key: 'duplicates.merged', params: { name: survivor.customer.name } },
        survivorId: survivor.customer.id,
      };
    } catch (error) {
      this.error = toUiMessage(error);
    } finally {
      this.busyKey = null;
    }
  }

  private async dismiss(pair: DuplicatePair): Promise<void> {
    if (this.busyKey) return;
    this.busyKey = pairKey(pair);
    this.error = null;
    try {
      await dismissDuplicate({ customerIds: pair.customers.map((customer) => customer.id) });
      this.pairs = this.pairs.filter((other) => pairKey(other) !== pairKey(pair));
      this.announcement = { message: { key: 'duplicates.dismissed' } };
    } catch (error) {
      this.error = toUiMessage(error);
    } finally {
      this.busyKey = null;
    }
  }

  private display(customer: DuplicateCustomer, field: MergeField): string {
    const none = this.i18n.t('common.notSet');
    switch (field) {
      case 'name':
      case 'language':
        return customer[field];
      case 'company':
        return customer.company ?? none;
      case 'tags':
        return customer.tags.join(', ') || none;
      case 'attributes':
        return (
          Object.entries(customer.attributes)
            .map(([name, value]) => `${name}: ${String(value)}`)
            .join('; ') || none
        );
      case 'doNotCall':
        return this.i18n.t(customer.doNotCall ? 'common.yes' : 'common.no');
    }
  }

  private renderField(pair: DuplicatePair, field: MergeField) {
    const choice = this.choiceOf(pair);
    const [a, b] = pair.customers;
    const values = [this.display(a, field), this.display(b, field)];
    const differs = values[0] !== values[1];
    const label = this.i18n.t(FIELD_LABELS[field]);
    return html`<tr class=${differs ? 'differs' : ''}>
      <th scope="row">${label}</th>
      ${pair.customers.map((customer, index) =>
        differs
          ? html`<td>
              <label>
                <input
                  type="radio"
                  name=${`value-${pairKey(pair)}-${field}`}
                  aria-label=${this.i18n.t('duplicates.keepValue', { field: label, id: customer.id })}
                  .checked=${(choice.valueFrom[field] ?? choice.survivorId) === customer.id}
                  @change=${() => this.choose(pair, { valueFrom: { ...choice.valueFrom, [field]: customer.id } })}
                />
                <span>${values[index]}</span>
              </label>
            </td>`
          : html`<td>${values[index]}</td>`,
      )}
    </tr>`;
  }

  private renderFacts(pair: DuplicatePair) {
    const t = this.i18n.t.bind(this.i18n);
    const none = t('common.notSet');
    const rows: [MessageKey, (customer: DuplicateCustomer) => string][] = [
      ['customer.phones', (c) => c.phones.join(', ') || none],
      ['customer.emails', (c) => c.emails.join(', ') || none],
      ['duplicates.tier', (c) => t(`tier.${c.tier}`)],
      ['duplicates.stage', (c) => t(`lifecycle.${c.lifecycleStage}`)],
      ['duplicates.interactions', (c) => String(c.interactions)],
      ['duplicates.created', (c) => this.i18n.date(c.createdAt)],
    ];
    return rows.map(
      ([key, value]) =>
        html`<tr>
          <th scope="row">${t(key)}</th>
          ${pair.customers.map((customer) => html`<td>${value(customer)}</td>`)}
        </tr>`,
    );
  }

  private renderPair(pair: DuplicatePair) {
    const t = this.i18n.t.bind(this.i18n);
    const key = pairKey(pair);
    const choice = this.choiceOf(pair);
    const merged = pair.customers.find((customer) => customer.id !== choice.survivorId);
    const busy = this.busyKey === key;
    return html`<article
      aria-label=${t('duplicates.pairLabel', { a: pair.customers[0].name, b: pair.customers[1].name })}
    >
      <p class="reasons">
        ${pair.reasons.map((reason) => html`<span>${t(`duplicates.reason.${reason}`)}</span>`)}
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">${t('duplicates.field')}</th>
            ${pair.customers.map(
              (customer) =>
                html`<th scope="col">
                  <a href=${routeHref({ name: 'customer', id: customer.id })}
                    >${t('duplicates.record', { id: customer.id })}</a
                  >
                  <label>
                    <input
                      type="radio"
                      name=${`survivor-${key}`}
                      .checked=${choice.survivorId === customer.id}
                      @change=${() => this.choose(pair, { survivorId: customer.id, confirming: false })}
                    />
                    ${t('duplicates.keepRecord')}
                  </label>
                </th>`,
            )}
          </tr>
        </thead>
        <tbody>
          ${MERGE_FIELDS.map((field) => this.renderField(pair, field))} ${this.renderFacts(pair)}
        </tbody>
      </table>
      <p class="note">${t('duplicates.movesAll')}</p>
      ${
        choice.confirming && merged
          ? html`<p role="alert">
                ${t('duplicates.confirm', { merged: merged.id, survivor: choice.survivorId })}
              </p>
              <div class="actions">
                <button type="button" class="danger" ?disabled=${busy} @click=${() => void this.merge(pair)}>
                  ${busy ? t('duplicates.merging') : t('duplicates.confirmMerge')}
                </button>
                <button
                  type="button"
                  ?disabled=${busy}
                  @click=${() => this.choose(pair, { confirming: false })}
                >
                  ${t('common.cancel')}
                </button>
              </div>`
          : html`<div class="actions">
              <button type="button" class="primary" @click=${() => this.choose(pair, { confirming: true })}>
                ${t('duplicates.merge')}
              </button>
              <button type="button" ?disabled=${busy} @click=${() => void this.dismiss(pair)}>
                ${t('duplicates.dismiss')}
              </button>
            </div>`
      }
    </article>`;
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    return html`
      <h1>${t('duplicates.title')}</h1>
      <p>${t('duplicates.intro')}</p>
      <p role="status" aria-live="polite">
        ${
          this.announcement
            ? html`${this.i18n.message(this.announcement.message)}
              ${
                this.announcement.survivorId
                  ? html`<a href=${routeHref({ name: 'customer', id: this.announcement.survivorId })}
                      >${t('duplicates.record', { id: this.announcement.survivorId })}</a
                    >`
                  : nothing
              }`
            : nothing
        }
      </p>
      <div class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</div>
      ${this.loading && this.pairs.length === 0 ? html`<p>${t('common.loading')}</p>` : nothing}
      ${!this.loading && !this.error && this.pairs.length === 0 ? html`<p>${t('duplicates.empty')}</p>` : nothing}
      ${this.pairs.map((pair) => this.renderPair(pair))}
      ${
        this.next
          ? html`<button type="button" ?disabled=${this.loading} @click=${() => void this.load(this.next)}>
              ${t('duplicates.more')}
            </button>`
          : nothing
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-customer-duplicates': CtiCustomerDuplicates;
  }
}
