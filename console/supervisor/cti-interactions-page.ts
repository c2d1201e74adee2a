import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { Agent } from '../../server/agents/agents.schemas.js';
import type { CallQueue } from '../../contracts/call-queue.js';
import type { InteractionPage } from '../../server/interactions/interactions.schemas.js';
import type { InteractionSummary } from '../../contracts/interaction.js';
import { toUiMessage } from '../app/errors.js';
import { selectField } from '../components/fields.js';
import { LatestRequestController } from '../components/latest-request-controller.js';
import { routeHref } from '../app/routes.js';
import { listAgents, listQueues } from '../data/directory.data.js';
import { listInteractions } from '../data/interactions.data.js';
import { OUTCOMES } from '../data/vocabulary.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { page } from '../styles/page.js';
import '../components/cti-outcome-badge.js';
import '../components/cti-recording-player.js';
import { NO_FILTERS, toListQuery, type InteractionFilters } from './interaction-filters.js';

const PAGE_SIZE = 25;

/** Supervisors' and admins' list of all interactions, filtered by queue, agent, outcome and days. */
@customElement('cti-interactions-page')
export class CtiInteractionsPage extends LitElement {
  static override styles = [
    page,
    css`
      form {
        margin-bottom: var(--cti-space-4);
      }
      fieldset.filters {
        align-items: end;
      }
      .field {
        margin: 0;
      }
      .summary {
        margin: var(--cti-space-3) 0;
      }
      nav {
        display: flex;
        gap: var(--cti-space-2);
      }
      td.customer {
        min-width: 10rem;
      }
      td.time {
        white-space: nowrap;
      }
      .error:not(:empty) {
        margin-bottom: var(--cti-space-3);
      }
      /*
       * On a phone each interaction becomes a card of labelled values. The explicit ARIA roles keep it a
       * table for assistive technology, which some browsers stop doing once table display is changed.
       */
      @media (max-width: 40rem) {
        .table-scroll {
          overflow: visible;
          border: none;
          background: none;
        }
        .table-scroll table {
          min-width: 0;
        }
        thead {
          position: absolute;
          width: 1px;
          height: 1px;
          overflow: hidden;
          clip: rect(0 0 0 0);
        }
        tbody {
          display: grid;
          gap: var(--cti-space-3);
        }
        tbody tr {
          display: grid;
          grid-template-columns: repeat(2, minmax(0, 1fr));
          gap: var(--cti-space-2) var(--cti-space-3);
          padding: var(--cti-space-3);
          border: 1px solid var(--cti-color-border);
          border-radius: var(--cti-radius-md);
          background: var(--cti-color-surface);
        }
        tbody td {
          padding: 0;
          border: none;
        }
        tbody td::before {
          content: attr(data-label);
          display: block;
          color: var(--cti-color-text-muted);
          font-size: 0.8125rem;
        }
        tbody td.time,
        tbody td.customer {
          grid-column: 1 / -1;
        }
      }
    `,
  ];

  @state() private queues: CallQueue[] = [];
  @state() private agents: Agent[] = [];
  @state() private filters: InteractionFilters = NO_FILTERS;
  @state() private offset = 0;
  @state() private page: InteractionPage | null = null;
  @state() private error: UiMessage | null = null;

  private readonly i18n = new I18nController(this);
  private readonly request = new LatestRequestController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadDirectory();
    void this.load();
  }

  private async loadDirectory(): Promise<void> {
    try {
      [this.queues, this.agents] = await Promise.all([listQueues(), listAgents()]);
    } catch (error) {
      this.error = toUiMessage(error);
    }
  }

  private readonly load = async (): Promise<void> => {
    this.error = null;
    const query = toListQuery(this.filters, this.offset, PAGE_SIZE);
    const outcome = await this.request.run((signal) => listInteractions(query, signal));
    if (!outcome) return;
    if ('value' in outcome) this.page = outcome.value;
    else this.error = toUiMessage(outcome.error);
  };

  private setFilter(name: keyof InteractionFilters, value: string): void {
    this.filters = { ...this.filters, [name]: value };
    this.offset = 0;
    void this.load();
  }

  private readonly onFilterChange = (event: Event): void => {
    const control = event.target as HTMLInputElement | HTMLSelectElement;
    this.setFilter(control.name as keyof InteractionFilters, control.value);
  };

  private readonly clearFilters = (): void => {
    this.filters = NO_FILTERS;
    this.offset = 0;
    void this.load();
  };

  private hasNext(): boolean {
    return this.page !== null && this.offset + PAGE_SIZE < this.page.total;
  }

  /** Paging buttons stay focusable at the ends (aria-disabled), so focus is not lost on the last page. */
  private readonly previous = (): void => {
    if (this.offset === 0) return;
    this.offset = Math.max(0, this.offset - PAGE_SIZE);
    void this.load();
  };

  private readonly next = (): void => {
    if (!this.hasNext()) return;
    this.offset += PAGE_SIZE;
    void this.load();
  };

  private renderFilters() {
    const t = this.i18n.t.bind(this.i18n);
    const f = this.filters;
    return html`<form @submit=${(e: Event) => e.preventDefault()} @change=${this.onFilterChange}>
      <fieldset class="filters">
        <legend>${t('interactions.filters')}</legend>
        ${selectField({
          id: 'queue',
          name: 'queueId',
          label: t('interactions.queue'),
          options: [
            { value: '', label: t('interactions.allQueues') },
            ...this.queues.map((queue) => ({ value: String(queue.id), label: queue.name })),
          ],
          value: f.queueId,
        })}
        ${selectField({
          id: 'agent',
          name: 'agentId',
          label: t('interactions.agent'),
          options: [
            { value: '', label: t('interactions.allAgents') },
            ...this.agents.map((agent) => ({ value: String(agent.id), label: agent.displayName })),
          ],
          value: f.agentId,
        })}
        ${selectField({
          id: 'outcome',
          name: 'outcome',
          label: t('interactions.outcome'),
          options: [
            { value: '', label: t('interactions.allOutcomes') },
            ...OUTCOMES.map((outcome) => ({ value: outcome, label: this.i18n.outcome(outcome) })),
          ],
          value: f.outcome,
        })}
        <div class="field">
          <label for="from">${t('interactions.from')}</label>
          <input id="from" name="from" type="date" .value=${f.from} max=${f.to || nothing} />
        </div>
        <div class="field">
          <label for="to">${t('interactions.to')}</label>
          <input id="to" name="to" type="date" .value=${f.to} min=${f.from || nothing} />
        </div>
        <div class="field">
          <button type="button" @click=${this.clearFilters}>${t('interactions.clear')}</button>
        </div>
      </fieldset>
    </form>`;
  }

  private renderCustomer(item: InteractionSummary) {
    const name = item.customerName ?? item.callerNumber;
    if (item.customerId !== null) {
      return html`<a href=${routeHref({ name: 'customer', id: item.customerId })}
        >${name ?? `#${item.customerId}`}</a
      >`;
    }
    return name ?? this.i18n.t('interactions.unknownCaller');
  }

  private renderRow(item: InteractionSummary) {
    const t = this.i18n.t.bind(this.i18n);
    return html`<tr role="row">
      <td role="cell" class="time" data-label=${t('interactions.col.time')}>
        <time datetime=${item.arrivedAt}>${this.i18n.dateTime(item.arrivedAt)}</time>
      </td>
      <td role="cell" class="customer" data-label=${t('interactions.col.customer')}>
        ${this.renderCustomer(item)}
      </td>
      <td role="cell" data-label=${t('interactions.col.queue')}>
        ${item.queueName ?? t('timeline.noQueue')}
      </td>
      <td role="cell" data-label=${t('interactions.col.agent')}>
        ${item.agentName ?? t('timeline.noAgent')}
      </td>
      <td role="cell" class="number" data-label=${t('interactions.col.wait')}>
        ${this.i18n.duration(item.waitSeconds)}
      </td>
      <td role="cell" class="number" data-label=${t('interactions.col.talk')}>
        ${this.i18n.duration(item.talkSeconds)}
      </td>
      <td role="cell" data-label=${t('interactions.col.outcome')}>
        <cti-outcome-badge
          .outcome=${item.outcome}
          pending=${t('interactions.inProgress')}
        ></cti-outcome-badge>
        ${
          // An unknown caller's voicemail has no customer page to play it on: it plays here.
          item.outcome === 'voicemail'
            ? html`<cti-recording-player .interactionId=${item.id} kind="voicemail"></cti-recording-player>`
            : nothing
        }
      </td>
      <td role="cell" data-label=${t('interactions.col.wrapUp')}>${item.wrapUpCode?.label ?? '—'}</td>
    </tr>`;
  }

  private renderTable(page: InteractionPage) {
    const t = this.i18n.t.bind(this.i18n);
    if (page.items.length === 0) return html`<p class="card empty">${t('interactions.empty')}</p>`;
    return html`<div class="table-scroll" role="region" aria-labelledby="table-caption" tabindex="0">
      <table role="table">
        <caption id="table-caption" class="visually-hidden">
          ${t('interactions.tableLabel')}
        </caption>
        <thead role="rowgroup">
          <tr role="row">
            <th role="columnheader" scope="col">${t('interactions.col.time')}</th>
            <th role="columnheader" scope="col">${t('interactions.col.customer')}</th>
            <th role="columnheader" scope="col">${t('interactions.col.queue')}</th>
            <th role="columnheader" scope="col">${t('interactions.col.agent')}</th>
            <th role="columnheader" scope="col">${t('interactions.col.wait')}</th>
            <th role="columnheader" scope="col">${t('interactions.col.talk')}</th>
            <th role="columnheader" scope="col">${t('interactions.col.outcome')}</th>
            <th role="columnheader" scope="col">${t('interactions.col.wrapUp')}</th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          ${page.items.map((item) => this.renderRow(item))}
        </tbody>
      </table>
    </div>`;
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    const page = this.page;
    const range =
      page && page.total > 0
        ? t('paging.range', {
            from: page.offset + 1,
            to: page.offset + page.items.length,
            total: page.total,
          })
        : '';
    return html`
      <h1>${t('interactions.title')}</h1>
      ${this.renderFilters()}
      <div class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</div>
      <div class="summary spread">
        <p class="status" role="status">${this.request.loading ? t('common.loading') : range}</p>
        ${
          page && page.total > 0
            ? html`<nav aria-label=${t('paging.label')}>
                <button
                  type="button"
                  @click=${this.previous}
                  aria-disabled=${this.offset === 0 ? 'true' : 'false'}
                >
                  ${t('paging.previous')}
                </button>
                <button type="button" @click=${this.next} aria-disabled=${this.hasNext() ? 'false' : 'true'}>
                  ${t('paging.next')}
                </button>
              </nav>`
            : nothing
        }
      </div>
      ${page ? this.renderTable(page) : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-interactions-page': CtiInteractionsPage;
  }
}
