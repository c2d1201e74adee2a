import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Report } from '../../server/reports/reports.schemas.js';
import { toUiMessage } from '../app/errors.js';
import { reflectInUrl } from '../app/navigation.js';
import { routeHref } from '../app/routes.js';
import { LatestRequestController } from '../components/latest-request-controller.js';
import { getSummary } from '../data/reports.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';
import './cti-report-chart.js';
import './cti-report-customers.js';
import './cti-report-filters.js';
import './cti-report-heatmap.js';
import './cti-report-ivr.js';
import './cti-report-satisfaction.js';
import './cti-report-staffing.js';
import './cti-report-table.js';
import {
  INTERVALS,
  browserTimeZone,
  formToSearch,
  searchToForm,
  summaryQuery,
  type ApiQuery,
  type ReportForm,
} from './report-query.js';

/** The heatmap reads hourly rows, which the API serves for up to 92 days. */
const HEATMAP_MAX_DAYS = 92;

/**
 * Supervisors' and admins' historical reports: range, zone, filters and grouping (kept in the address so
 * a report can be shared), a chart, the figures table, the hour-of-week heatmap, customers, staffing and
 * the IVR by node.
 */
@customElement('cti-reports-page')
export class CtiReportsPage extends LitElement {
  static override styles = [
    shared,
    css`
      h1 {
        margin-bottom: var(--cti-space-4);
      }
      section {
        margin-top: var(--cti-space-5);
      }
      .panels {
        margin-top: var(--cti-space-5);
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 24rem), 1fr));
        gap: var(--cti-space-5);
      }
      .panels > section {
        margin-top: 0;
      }
    `,
  ];

  /** The address's query string (see `formToSearch`). */
  @property() search = '';

  @state() private form: ReportForm = searchToForm('', browserTimeZone());
  @state() private query: ApiQuery | null = null;
  @state() private report: Report | null = null;
  @state() private hourly: Report | null = null;
  @state() private error: UiMessage | null = null;

  private readonly i18n = new I18nController(this);
  private readonly request = new LatestRequestController(this);

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('search')) {
      this.form = searchToForm(this.search, browserTimeZone());
      void this.load();
    }
  }

  private readonly onFormChange = (event: CustomEvent<ReportForm>): void => {
    this.form = event.detail;
    // Not a navigation: the page stays, and focus stays on the control the user just changed.
    reflectInUrl(routeHref({ name: 'reports', search: formToSearch(this.form) }));
    void this.load();
  };

  private heatmapQuery(query: ApiQuery): ApiQuery | null {
    const days = (Date.parse(query.to ?? '') - Date.parse(query.from ?? '')) / 86_400_000;
    if (days > HEATMAP_MAX_DAYS) return null;
    const { by: _by, interval: _interval, ...rest } = query;
    return { ...rest, interval: 'hour' };
  }

  private async load(): Promise<void> {
    const query = summaryQuery(this.form, Date.now());
    this.query = query;
    this.report = null;
    this.hourly = null;
    this.error = null;
    if (!query) return this.request.abort();
    const hourlyQuery = this.heatmapQuery(query);
    const outcome = await this.request.run((signal) =>
      Promise.all([
        getSummary(query, signal),
        hourlyQuery && query.interval !== 'hour' ? getSummary(hourlyQuery, signal) : null,
      ]),
    );
    if (!outcome) return;
    if ('error' in outcome) {
      this.error = toUiMessage(outcome.error);
      return;
    }
    const [report, hourly] = outcome.value;
    this.report = report;
    this.hourly = hourlyQuery ? (hourly ?? report) : null;
  }

  private renderChart() {
    const t = this.i18n.t.bind(this.i18n);
    const byTime = (INTERVALS as readonly string[]).includes(this.form.grouping);
    return html`<section aria-labelledby="chart-heading">
      <h2 id="chart-heading">${t('reports.chart')}</h2>
      ${
        byTime
          ? html`<cti-report-chart .report=${this.report} timeZone=${this.form.timeZone}></cti-report-chart>`
          : html`<p class="hint">${t('reports.chart.byTimeOnly')}</p>`
      }
    </section>`;
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    const query = this.query;
    return html`
      <h1>${t('reports.title')}</h1>
      <cti-report-filters
        .form=${this.form}
        @cti-report-form-change=${this.onFormChange}
      ></cti-report-filters>
      <div class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</div>
      <p class="status" role="status">
        ${this.request.loading ? t('common.loading') : query ? '' : t('reports.customIncomplete')}
      </p>
      ${
        this.report && query
          ? html`${this.renderChart()}
              <section>
                <cti-report-table .report=${this.report} .query=${query}></cti-report-table>
              </section>
              <section>
                ${
                  this.hourly
                    ? html`<cti-report-heatmap .rows=${this.hourly.rows}></cti-report-heatmap>`
                    : html`<h2>${t('reports.heatmap')}</h2>
                        <p class="hint">${t('reports.heatmap.tooLong')}</p>`
                }
              </section>`
          : nothing
      }
      ${
        query
          ? html`<div class="panels">
              <section><cti-report-customers .query=${query}></cti-report-customers></section>
              <section><cti-report-staffing .query=${query}></cti-report-staffing></section>
              <section><cti-report-ivr .query=${query}></cti-report-ivr></section>
              <section><cti-report-satisfaction .query=${query}></cti-report-satisfaction></section>
            </div>`
          : nothing
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-reports-page': CtiReportsPage;
  }
}
