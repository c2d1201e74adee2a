import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { InteractionDetail } from '../../server/interactions/interactions.schemas.js';
import type { DrillItem } from '../../server/reports/reports.schemas.js';
import { toUiMessage } from '../app/errors.js';
import { routeHref } from '../app/routes.js';
import '../components/cti-interaction-events.js';
import '../components/cti-outcome-badge.js';
import { isAbortError } from '../data/api.js';
import { getInteraction } from '../data/interactions.data.js';
import { getDrillPage, interactionsCsvHref } from '../data/reports.data.js';
import { isOutcome } from '../data/vocabulary.js';
import { formatDateTime } from '../i18n/format.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { hasMessage, type MessageKey, type UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';
import './cti-report-export.js';

const PAGE_SIZE = '50';
/** Paging parameters: the page's own, never part of the figure's query or its CSV. */
const PAGING = ['after', 'limit'];

/**
 * The interactions behind one figure, oldest first, a page at a time ("Load more"). Each links to its
 * customer's page, and unfolds its own event timeline in place (unknown callers have no page).
 */
@customElement('cti-report-interactions-page')
export class CtiReportInteractionsPage extends LitElement {
  static override styles = [
    shared,
    css`
      .head {
        margin-bottom: var(--cti-space-3);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-3);
        align-items: center;
      }
      td.time {
        white-space: nowrap;
      }
      .more {
        display: flex;
        justify-content: center;
        margin-top: var(--cti-space-4);
      }
      details summary {
        cursor: pointer;
        color: var(--cti-color-primary);
      }
    `,
  ];

  /** The `/api/reports/interactions` query of the figure (from the address). */
  @property() search = '';

  @state() private items: DrillItem[] = [];
  @state() private nextAfter: string | null = null;
  @state() private loading = false;
  @state() private error: UiMessage | null = null;
  @state() private timelines = new Map<number, InteractionDetail | 'loading'>();

  private readonly i18n = new I18nController(this);
  private controller: AbortController | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.controller?.abort();
  }

  private get query(): Record<string, string> {
    const params = new URLSearchParams(this.search);
    for (const name of PAGING) params.delete(name);
    return Object.fromEntries(params);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('search')) {
      this.items = [];
      this.nextAfter = null;
      this.timelines = new Map();
      void this.loadPage(null);
    }
  }

  private async loadPage(after: string | null): Promise<void> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.loading = true;
    this.error = null;
    try {
      const page = await getDrillPage(
        { ...this.query, limit: PAGE_SIZE, ...(after ? { after } : {}) },
        controller.signal,
      );
      this.items = [...this.items, ...page.items];
      this.nextAfter = page.nextAfter;
    } catch (error) {
      if (!isAbortError(error)) this.error = toUiMessage(error);
    } finally {
      if (this.controller === controller) this.loading = false;
    }
  }

  private readonly loadMore = (): void => {
    if (this.nextAfter) void this.loadPage(this.nextAfter);
  };

  private async onTimelineToggle(event: Event, id: number): Promise<void> {
    if (!(event.target as HTMLDetailsElement).open || this.timelines.has(id)) return;
    this.timelines = new Map(this.timelines).set(id, 'loading');
    try {
      const detail = await getInteraction(id);
      this.timelines = new Map(this.timelines).set(id, detail);
    } catch (error) {
      const timelines = new Map(this.timelines);
      timelines.delete(id);
      this.timelines = timelines;
      this.error = toUiMessage(error);
    }
  }

  /** Back to the report as it was (its form lives in the previous address), or a fresh one. */
  private readonly back = (event: MouseEvent): void => {
    if (history.length > 1) {
      event.preventDefault();
      history.back();
    }
  };

  private directionText(direction: string): string {
    const key = `reports.direction.${direction}`;
    return hasMessage(key) ? this.i18n.t(key) : direction;
  }

  private renderRow(item: DrillItem) {
    const t = this.i18n.t.bind(this.i18n);
    const timeline = this.timelines.get(item.interactionId);
    const zone = this.query.timeZone;
    return html`<tr data-id=${item.interactionId}>
      <td class="time">
        <time datetime=${item.arrivedAt}>${formatDateTime(item.arrivedAt, this.i18n.lang, zone)}</time>
      </td>
      <td>
        ${
          item.customerId === null
            ? t('interactions.unknownCaller')
            : html`<a href=${routeHref({ name: 'customer', id: item.customerId })}
                >${item.customerName ?? `#${item.customerId}`}</a
              >`
        }
      </td>
      <td>${item.queueName ?? t('timeline.noQueue')}</td>
      <td>${item.agentName ?? t('timeline.noAgent')}</td>
      <td>${this.directionText(item.direction)}</td>
      <td>
        <cti-outcome-badge
          .outcome=${item.outcome && isOutcome(item.outcome) ? item.outcome : null}
          pending=${t('interactions.inProgress')}
        ></cti-outcome-badge>
      </td>
      <td>
        <details @toggle=${(event: Event) => this.onTimelineToggle(event, item.interactionId)}>
          <summary>
            ${t('timeline.showEvents')} <span class="visually-hidden">#${item.interactionId}</span>
          </summary>
          ${
            timeline === 'loading'
              ? t('common.loading')
              : timeline
                ? html`<cti-interaction-events .detail=${timeline}></cti-interaction-events>`
                : nothing
          }
        </details>
      </td>
    </tr>`;
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    const query = this.query;
    const metric = query.metric ?? '';
    const zone = query.timeZone;
    const range =
      query.from && query.to
        ? `${formatDateTime(query.from, this.i18n.lang, zone)} – ${formatDateTime(query.to, this.i18n.lang, zone)}${zone ? ` (${zone})` : ''}`
        : '';
    return html`
      <p>
        <a href=${routeHref({ name: 'reports', search: '' })} @click=${this.back}
          >${t('reports.drill.back')}</a
        >
      </p>
      <div class="head spread">
        <div>
          <h1>${t('reports.drill.title', { metric: t(`reports.metric.${metric}` as MessageKey) })}</h1>
          <p class="hint">${range}</p>
        </div>
        <div class="actions">
          <a class="button" href=${interactionsCsvHref(query)} download>${t('reports.exportCsv')}</a>
          <cti-report-export kind="interactions" .query=${query}></cti-report-export>
        </div>
      </div>
      <div class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</div>
      <p class="status" role="status">
        ${this.loading ? t('common.loading') : t('reports.drill.count', { count: this.items.length })}
      </p>
      ${
        this.items.length === 0 && !this.loading
          ? html`<p class="card empty">${t('reports.drill.empty')}</p>`
          : html`<div class="table-scroll" role="region" aria-labelledby="drill-caption" tabindex="0">
              <table>
                <caption id="drill-caption" class="visually-hidden">
                  ${t('reports.drill.tableLabel')}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${t('interactions.col.time')}</th>
                    <th scope="col">${t('interactions.col.customer')}</th>
                    <th scope="col">${t('interactions.col.queue')}</th>
                    <th scope="col">${t('interactions.col.agent')}</th>
                    <th scope="col">${t('reports.drill.col.direction')}</th>
                    <th scope="col">${t('interactions.col.outcome')}</th>
                    <th scope="col">${t('timeline.eventsTitle')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${this.items.map((item) => this.renderRow(item))}
                </tbody>
              </table>
            </div>`
      }
      ${
        this.nextAfter
          ? html`<div class="more">
              <button type="button" @click=${this.loadMore} aria-disabled=${this.loading ? 'true' : 'false'}>
                ${t('reports.drill.loadMore')}
              </button>
            </div>`
          : nothing
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-report-interactions-page': CtiReportInteractionsPage;
  }
}
