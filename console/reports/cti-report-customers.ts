import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { CustomerReport } from '../../server/reports/reports.schemas.js';
import { toUiMessage } from '../app/errors.js';
import { routeHref } from '../app/routes.js';
import '../components/cti-facts-list.js';
import { facts } from '../components/cti-facts-list.js';
import '../components/cti-tier-badge.js';
import { LatestRequestController } from '../components/latest-request-controller.js';
import { getCustomerReport } from '../data/reports.data.js';
import { isLifecycleStage, isTier } from '../data/vocabulary.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';
import { formatFigure } from './report-figures.js';
import type { ApiQuery } from './report-query.js';

/** The customer figures of the report's range (queue and tier filters apply), and the top repeat callers. */
@customElement('cti-report-customers')
export class CtiReportCustomers extends LitElement {
  static override styles = [
    shared,
    css`
      h3 {
        margin: var(--cti-space-4) 0 var(--cti-space-2);
        font-size: var(--cti-font-size-md);
      }
      ol {
        margin: 0;
        padding-left: var(--cti-space-5);
      }
    `,
  ];

  /** The summary query; only its range, zone, queue and tier are used. */
  @property({ attribute: false }) query: ApiQuery | null = null;

  @state() private report: CustomerReport | null = null;
  @state() private error: UiMessage | null = null;

  private readonly i18n = new I18nController(this);
  private readonly request = new LatestRequestController(this);

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('query')) void this.load();
  }

  private async load(): Promise<void> {
    const query = this.query;
    if (!query) return this.request.abort();
    this.error = null;
    const { from = '', to = '', timeZone = 'UTC', queueId, tier } = query;
    const outcome = await this.request.run((signal) =>
      getCustomerReport(
        { from, to, timeZone, ...(queueId ? { queueId } : {}), ...(tier ? { tier } : {}) },
        signal,
      ),
    );
    if (!outcome) return;
    if ('value' in outcome) this.report = outcome.value;
    else this.error = toUiMessage(outcome.error);
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    const r = this.report;
    const count = (value: number | null) => formatFigure(this.i18n, value, 'count');
    const percent = (value: number | null) => formatFigure(this.i18n, value, 'percent');
    return html`<h2>${t('reports.customers')}</h2>
      <p class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</p>
      ${
        r
          ? html`<cti-facts-list
                layout="tiles"
                .facts=${facts(
                  { label: t('reports.customers.unique'), value: count(r.uniqueCustomers), kind: 'number' },
                  { label: t('reports.metric.contacts'), value: count(r.contacts), kind: 'number' },
                  {
                    label: t('reports.customers.perCustomer'),
                    value: r.contactsPerCustomer === null ? '—' : r.contactsPerCustomer.toFixed(2),
                    kind: 'number',
                  },
                  {
                    label: t('reports.customers.repeat', { days: r.repeatDays }),
                    value: percent(r.repeatContactPercent),
                    kind: 'number',
                  },
                  {
                    label: t('reports.customers.fcr'),
                    value: percent(r.firstContactResolutionPercent),
                    kind: 'number',
                  },
                )}
              ></cti-facts-list>
              <h3>${t('reports.customers.topRepeat')}</h3>
              ${
                r.topRepeatCallers.length === 0
                  ? html`<p class="empty">${t('reports.customers.noRepeat')}</p>`
                  : html`<ol>
                      ${r.topRepeatCallers.map(
                        (caller) =>
                          html`<li>
                            <a href=${routeHref({ name: 'customer', id: caller.customerId })}
                              >${caller.name}</a
                            >
                            ${isTier(caller.tier) ? html`<cti-tier-badge tier=${caller.tier}></cti-tier-badge>` : ''}
                            · ${t('reports.metric.contacts')}: ${count(caller.contacts)}
                          </li>`,
                      )}
                    </ol>`
              }
              ${this.renderStages(r)}`
          : ''
      }`;
  }

  private renderStages(r: CustomerReport) {
    const t = this.i18n.t.bind(this.i18n);
    if (r.byLifecycleStage.length === 0) return '';
    return html`<h3 id="stage-heading">${t('reports.customers.byStage')}</h3>
      <div class="table-scroll" role="region" aria-labelledby="stage-heading" tabindex="0">
        <table>
          <thead>
            <tr>
              <th scope="col">${t('lifecycle.label')}</th>
              <th scope="col">${t('reports.metric.contacts')}</th>
              <th scope="col">${t('reports.customers.col.customers')}</th>
              <th scope="col">${t('reports.metric.answered')}</th>
              <th scope="col">${t('reports.metric.abandoned')}</th>
            </tr>
          </thead>
          <tbody>
            ${r.byLifecycleStage.map(
              (row) =>
                html`<tr>
                  <th scope="row">
                    ${isLifecycleStage(row.stage) ? this.i18n.lifecycle(row.stage) : row.stage}
                  </th>
                  <td class="number">${row.contacts}</td>
                  <td class="number">${row.customers}</td>
                  <td class="number">${row.answered}</td>
                  <td class="number">${row.abandoned}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-report-customers': CtiReportCustomers;
  }
}
