import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Staffing } from '../../server/reports/reports.schemas.js';
import { toUiMessage } from '../app/errors.js';
import { LatestRequestController } from '../components/latest-request-controller.js';
import { getStaffing } from '../data/reports.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';
import { periodText } from './report-figures.js';
import type { ApiQuery } from './report-query.js';

const MAX_DAYS = 31;

/**
 * One queue's agents needed (Erlang C) beside agents staffed per 15 minutes. Intervals with neither
 * calls nor agents are left out so a day reads as its working hours.
 */
@customElement('cti-report-staffing')
export class CtiReportStaffing extends LitElement {
  static override styles = [
    shared,
    css`
      .scroll {
        max-height: 28rem;
      }
      tr.under th,
      tr.under .gap {
        color: var(--cti-color-danger);
        font-weight: 600;
      }
      tr.over .gap {
        color: var(--cti-color-text-muted);
      }
    `,
  ];

  /** The summary query; only its range, zone and queue are used. */
  @property({ attribute: false }) query: ApiQuery | null = null;

  @state() private staffing: Staffing | null = null;
  @state() private error: UiMessage | null = null;

  private readonly i18n = new I18nController(this);
  private readonly request = new LatestRequestController(this);

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('query')) void this.load();
  }

  private tooLong(): boolean {
    const { from = '', to = '' } = this.query ?? {};
    return Date.parse(to) - Date.parse(from) > MAX_DAYS * 86_400_000;
  }

  private async load(): Promise<void> {
    this.staffing = null;
    this.error = null;
    const { from = '', to = '', timeZone = 'UTC', queueId } = this.query ?? {};
    if (!queueId || this.tooLong()) return this.request.abort();
    const outcome = await this.request.run((signal) => getStaffing({ from, to, timeZone, queueId }, signal));
    if (!outcome) return;
    if ('value' in outcome) this.staffing = outcome.value;
    else this.error = toUiMessage(outcome.error);
  }

  private renderTable(staffing: Staffing) {
    const t = this.i18n.t.bind(this.i18n);
    const zone = this.query?.timeZone ?? 'UTC';
    const rows = staffing.rows.filter((row) => row.offered > 0 || row.agentsStaffed > 0);
    if (rows.length === 0) return html`<p class="card empty">${t('reports.staffing.empty')}</p>`;
    return html`<div
      class="table-scroll scroll"
      role="region"
      aria-labelledby="staffing-heading"
      tabindex="0"
    >
      <table>
        <thead>
          <tr>
            <th scope="col">${t('reports.staffing.col.interval')}</th>
            <th scope="col">${t('reports.metric.offered')}</th>
            <th scope="col">${t('reports.metric.ahtSeconds')}</th>
            <th scope="col">${t('reports.staffing.col.needed')}</th>
            <th scope="col">${t('reports.staffing.col.staffed')}</th>
            <th scope="col"><span class="visually-hidden">${t('reports.staffing.under')}</span></th>
          </tr>
        </thead>
        <tbody>
          ${rows.map((row) => {
            const gap = row.agentsStaffed - row.agentsNeeded;
            const state = gap < -0.5 ? 'under' : gap >= 1.5 ? 'over' : '';
            return html`<tr class=${state}>
              <th scope="row">${periodText(this.i18n, row.intervalStart, '15min', zone)}</th>
              <td class="number">${row.offered}</td>
              <td class="number">${this.i18n.duration(row.ahtSeconds)}</td>
              <td class="number">${row.agentsNeeded}</td>
              <td class="number">${row.agentsStaffed.toFixed(1)}</td>
              <td class="gap">${state ? t(`reports.staffing.${state}`) : ''}</td>
            </tr>`;
          })}
        </tbody>
      </table>
    </div>`;
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    const staffing = this.staffing;
    let body;
    if (!this.query?.queueId) body = html`<p class="hint">${t('reports.staffing.pickQueue')}</p>`;
    else if (this.tooLong()) body = html`<p class="hint">${t('reports.staffing.tooLong')}</p>`;
    else if (staffing) {
      body = html`<p class="hint">
          ${t('reports.staffing.target', {
            percent: staffing.slTargetPercent,
            seconds: staffing.slTargetSeconds,
          })}
        </p>
        ${this.renderTable(staffing)}`;
    }
    return html`<h2 id="staffing-heading">${t('reports.staffing')}</h2>
      <p class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</p>
      ${body ?? ''}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-report-staffing': CtiReportStaffing;
  }
}
