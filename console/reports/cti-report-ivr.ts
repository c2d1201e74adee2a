import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { IvrReport } from '../../server/reports/reports.schemas.js';
import { toUiMessage } from '../app/errors.js';
import { LatestRequestController } from '../components/latest-request-controller.js';
import { getIvrReport } from '../data/reports.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';
import { formatFigure } from './report-figures.js';
import type { ApiQuery } from './report-query.js';

/** Per IVR node over the report's range: calls that entered it, went on, hung up there, were contained or routed. */
@customElement('cti-report-ivr')
export class CtiReportIvr extends LitElement {
  static override styles = [
    shared,
    css`
      .flow {
        color: var(--cti-color-text-muted);
        font-weight: normal;
      }
    `,
  ];

  /** The summary query; only its range and zone are used. */
  @property({ attribute: false }) query: ApiQuery | null = null;

  @state() private report: IvrReport | null = null;
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
    const { from = '', to = '', timeZone = 'UTC' } = query;
    const outcome = await this.request.run((signal) => getIvrReport({ from, to, timeZone }, signal));
    if (!outcome) return;
    if ('value' in outcome) this.report = outcome.value;
    else this.error = toUiMessage(outcome.error);
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    const r = this.report;
    const count = (value: number) => formatFigure(this.i18n, value, 'count');
    // One flow needs no flow name beside each node.
    const flows = new Set(r?.nodes.map((row) => row.flowId));
    return html`<h2 id="ivr-heading">${t('reports.ivr')}</h2>
      <p class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</p>
      ${
        !r
          ? ''
          : r.nodes.length === 0
            ? html`<p class="empty">${t('reports.ivr.empty')}</p>`
            : html`<p>${t('reports.ivr.calls')}: ${count(r.calls)}</p>
                <div
                  class="table-scroll"
                  role="region"
                  aria-label=${t('reports.ivr.tableLabel')}
                  tabindex="0"
                >
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">${t('reports.ivr.col.node')}</th>
                        <th scope="col">${t('reports.ivr.col.entered')}</th>
                        <th scope="col">${t('reports.ivr.col.continued')}</th>
                        <th scope="col">${t('reports.ivr.col.droppedOff')}</th>
                        <th scope="col">${t('reports.ivr.col.dropOff')}</th>
                        <th scope="col">${t('reports.ivr.col.contained')}</th>
                        <th scope="col">${t('reports.ivr.col.routed')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${r.nodes.map(
                        (row) =>
                          html`<tr>
                            <th scope="row">
                              ${flows.size > 1 ? html`<span class="flow">${row.flowId} ·</span>` : ''}
                              ${row.nodeId}
                            </th>
                            <td class="number">${count(row.entered)}</td>
                            <td class="number">${count(row.continued)}</td>
                            <td class="number">${count(row.droppedOff)}</td>
                            <td class="number">${formatFigure(this.i18n, row.dropOffPercent, 'percent')}</td>
                            <td class="number">${count(row.contained)}</td>
                            <td class="number">${count(row.routed)}</td>
                          </tr>`,
                      )}
                    </tbody>
                  </table>
                </div>`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-report-ivr': CtiReportIvr;
  }
}
