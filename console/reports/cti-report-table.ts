import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Report, ReportRow } from '../../server/reports/reports.schemas.js';
import { summaryCsvHref } from '../data/reports.data.js';
import { isLifecycleStage, isTier } from '../data/vocabulary.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { shared } from '../styles/shared.js';
import {
  TABLE_FIGURES,
  drillHref,
  figureLabel,
  formatFigure,
  periodText,
  type Figure,
} from './report-figures.js';
import './cti-report-export.js';
import { INTERVALS, type ApiQuery, type Interval } from './report-query.js';

/**
 * The report's figures, a row per period or group under the totals. Every figure links to the list of
 * interactions it counts; "Export CSV" downloads the same table.
 */
@customElement('cti-report-table')
export class CtiReportTable extends LitElement {
  static override styles = [
    shared,
    css`
      .head {
        margin-bottom: var(--cti-space-3);
      }
      h2 {
        margin: 0;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-3);
        align-items: center;
      }
      th[scope='row'] {
        position: sticky;
        left: 0;
        background: var(--cti-color-surface);
        white-space: nowrap;
        text-align: left;
      }
      tr.totals th,
      tr.totals td {
        font-weight: 600;
        border-bottom: 2px solid var(--cti-color-border-strong);
      }
      thead th {
        white-space: nowrap;
      }
      .target {
        font-weight: 400;
        font-size: var(--cti-font-size-sm);
        color: var(--cti-color-text-muted);
      }
    `,
  ];

  @property({ attribute: false }) report: Report | null = null;
  /** The `/api/reports/summary` query the report answers. */
  @property({ attribute: false }) query: ApiQuery = {};

  private readonly i18n = new I18nController(this);

  private rowLabel(row: ReportRow): string {
    const interval = this.query.interval;
    if (row.periodStart && (INTERVALS as readonly string[]).includes(interval ?? '')) {
      return periodText(this.i18n, row.periodStart, interval as Interval, this.query.timeZone ?? 'UTC');
    }
    const id = row.group?.id;
    if (this.query.by === 'tier' && typeof id === 'string' && isTier(id)) return this.i18n.tier(id);
    if (this.query.by === 'lifecycle' && typeof id === 'string' && isLifecycleStage(id))
      return this.i18n.lifecycle(id);
    return row.group?.name ?? this.i18n.t('reports.none');
  }

  private renderCell(figure: Figure, value: number | null, rowLabel: string, row?: ReportRow) {
    const text = formatFigure(this.i18n, value, figure.format);
    const href = value === null ? null : drillHref(this.query, figure.drill, row);
    if (!href) return html`<td class="number">${text}</td>`;
    const label = this.i18n.t('reports.figureLink', {
      metric: figureLabel(this.i18n, figure.key),
      row: rowLabel,
      value: text,
    });
    return html`<td class="number">
      <a href=${href} aria-label=${label} data-figure=${figure.key}>${text}</a>
    </td>`;
  }

  private renderRow(label: string, row?: ReportRow) {
    const metrics = row?.metrics ?? this.report?.totals;
    if (!metrics) return null;
    const target = row ? row.target : this.report?.target;
    return html`<tr class=${row ? '' : 'totals'}>
      <th scope="row">
        ${label}
        ${
          target
            ? html`<div class="target">
                ${this.i18n.t('reports.slTarget', {
                  percent: target.slTargetPercent,
                  seconds: target.slTargetSeconds,
                })}
              </div>`
            : null
        }
      </th>
      ${TABLE_FIGURES.map((figure) => this.renderCell(figure, metrics[figure.key], label, row))}
    </tr>`;
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    const report = this.report;
    if (!report) return null;
    return html`<div class="head spread">
        <h2 id="table-heading">${t('reports.totals')}</h2>
        <div class="actions">
          <a class="button" href=${summaryCsvHref(this.query)} download>${t('reports.exportCsv')}</a>
          <cti-report-export kind="summary" .query=${this.query}></cti-report-export>
        </div>
      </div>
      ${
        report.totals.contacts === 0 && report.rows.length === 0
          ? html`<p class="card empty">${t('reports.empty')}</p>`
          : html`<div class="table-scroll" role="region" aria-labelledby="table-caption" tabindex="0">
              <table>
                <caption id="table-caption" class="visually-hidden">
                  ${t('reports.tableLabel')}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${t('reports.col.row')}</th>
                    ${TABLE_FIGURES.map((f) => html`<th scope="col">${figureLabel(this.i18n, f.key)}</th>`)}
                  </tr>
                </thead>
                <tbody>
                  ${this.renderRow(t('reports.totals'))}
                  ${report.rows.map((row) => this.renderRow(this.rowLabel(row), row))}
                </tbody>
              </table>
            </div>`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-report-table': CtiReportTable;
  }
}
