import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type {
  SatisfactionFigures,
  SatisfactionGroupBy,
  SatisfactionReport,
} from '../../server/reports/satisfaction.schemas.js';
import { toUiMessage } from '../app/errors.js';
import { LatestRequestController } from '../components/latest-request-controller.js';
import { getSatisfaction } from '../data/reports.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';
import { formatFigure } from './report-figures.js';
import type { ApiQuery } from './report-query.js';

const GROUPINGS: readonly SatisfactionGroupBy[] = ['queue', 'agent', 'tier'];

/** Satisfaction from the post-call surveys over the report's range and filters, by queue, agent or tier. */
@customElement('cti-report-satisfaction')
export class CtiReportSatisfaction extends LitElement {
  static override styles = [
    shared,
    css`
      .by {
        display: inline-flex;
        gap: var(--cti-space-2);
        align-items: center;
        margin-bottom: var(--cti-space-2);
      }
      tr.total th,
      tr.total td {
        font-weight: 700;
      }
    `,
  ];

  /** The summary query: its range and its queue, agent and tier filters are used. */
  @property({ attribute: false }) query: ApiQuery | null = null;

  @state() private by: SatisfactionGroupBy = 'queue';
  @state() private report: SatisfactionReport | null = null;
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
    const asked: Record<string, string> = { from: query.from ?? '', to: query.to ?? '', by: this.by };
    for (const name of ['queueId', 'agentId', 'tier'] as const) {
      const value = query[name];
      if (value) asked[name] = value;
    }
    const outcome = await this.request.run((signal) => getSatisfaction(asked, signal));
    if (!outcome) return;
    if ('value' in outcome) this.report = outcome.value;
    else this.error = toUiMessage(outcome.error);
  }

  private groupName(key: string | null, name: string | null): string {
    if (this.by === 'tier' && key !== null)
      return this.i18n.tier(key as Parameters<I18nController['tier']>[0]);
    return name ?? '—';
  }

  private row(label: string, figures: SatisfactionFigures, total = false) {
    const count = (value: number) => formatFigure(this.i18n, value, 'count');
    const share = (value: number | null) =>
      formatFigure(this.i18n, value === null ? null : value * 100, 'percent');
    const average =
      figures.averageScore === null
        ? '—'
        : new Intl.NumberFormat(this.i18n.lang, { maximumFractionDigits: 2 }).format(figures.averageScore);
    return html`<tr class=${total ? 'total' : ''}>
      <th scope="row">${label}</th>
      <td class="number">${count(figures.offered)}</td>
      <td class="number">${count(figures.scored)}</td>
      <td class="number">${share(figures.csat)}</td>
      <td class="number">${average}</td>
      <td class="number">${share(figures.resolvedRate)}</td>
    </tr>`;
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    const r = this.report;
    return html`<h2 id="satisfaction-heading">${t('reports.satisfaction.title')}</h2>
      <p class="hint">${t('reports.satisfaction.hint')}</p>
      <div class="by">
        <label for="satisfaction-by">${t('reports.satisfaction.by')}</label>
        <select
          id="satisfaction-by"
          @change=${(event: Event) => {
            this.by = (event.target as HTMLSelectElement).value as SatisfactionGroupBy;
            void this.load();
          }}
        >
          ${GROUPINGS.map(
            (by) =>
              html`<option value=${by} ?selected=${by === this.by}>
                ${t(`reports.satisfaction.by.${by}`)}
              </option>`,
          )}
        </select>
      </div>
      <p class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</p>
      ${
        !r
          ? ''
          : r.total.offered === 0
            ? html`<p class="empty">${t('reports.satisfaction.empty')}</p>`
            : html`<div
                class="table-scroll"
                role="region"
                aria-labelledby="satisfaction-heading"
                tabindex="0"
              >
                <table>
                  <thead>
                    <tr>
                      <th scope="col">${t('reports.satisfaction.group')}</th>
                      <th scope="col">${t('reports.satisfaction.offered')}</th>
                      <th scope="col">${t('reports.satisfaction.scored')}</th>
                      <th scope="col">${t('reports.satisfaction.csat')}</th>
                      <th scope="col">${t('reports.satisfaction.average')}</th>
                      <th scope="col">${t('reports.satisfaction.resolved')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${r.groups.map((group) => this.row(this.groupName(group.key, group.name), group))}
                    ${this.row(t('reports.satisfaction.total'), r.total, true)}
                  </tbody>
                </table>
              </div>`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-report-satisfaction': CtiReportSatisfaction;
  }
}
