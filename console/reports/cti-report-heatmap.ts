import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ReportRow } from '../../server/reports/reports.schemas.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { shared } from '../styles/shared.js';
import { hourOfWeek, type HeatCell } from './hour-of-week.js';
import { formatFigure } from './report-figures.js';

type Mode = 'arrivals' | 'serviceLevel';
/** Shades above none; any value above 0 gets at least the lightest. */
const SHADES = 5;
const HOURS = Array.from({ length: 24 }, (_, hour) => hour);
/** 1 January 2024 was a Monday: the week's day names come from Intl in the reader's language. */
const MONDAY = Date.UTC(2024, 0, 1);

/**
 * Arrivals or service level per local hour of the week, as a table shaded by value: each cell still
 * reads as a number, so the shading is never the only way to tell.
 */
@customElement('cti-report-heatmap')
export class CtiReportHeatmap extends LitElement {
  static override styles = [
    shared,
    css`
      .head {
        margin-bottom: var(--cti-space-3);
      }
      h2 {
        margin: 0;
      }
      .field {
        margin: 0;
      }
      table {
        min-width: 48rem;
        table-layout: fixed;
        font-size: 0.75rem;
      }
      th,
      td {
        padding: 2px;
        text-align: center;
      }
      /* Shades as classes, not inline styles: the Content-Security-Policy allows no style attributes. */
      td.l1 {
        background: color-mix(in srgb, var(--cti-color-primary) 15%, var(--cti-color-surface));
      }
      td.l2 {
        background: color-mix(in srgb, var(--cti-color-primary) 35%, var(--cti-color-surface));
      }
      td.l3 {
        background: color-mix(in srgb, var(--cti-color-primary) 55%, var(--cti-color-surface));
        color: var(--cti-color-primary-text);
      }
      td.l4 {
        background: color-mix(in srgb, var(--cti-color-primary) 75%, var(--cti-color-surface));
        color: var(--cti-color-primary-text);
      }
      td.l5 {
        background: var(--cti-color-primary);
        color: var(--cti-color-primary-text);
      }
    `,
  ];

  /** Hourly rows of the report's range. */
  @property({ attribute: false }) rows: readonly ReportRow[] = [];

  @state() private mode: Mode = 'arrivals';

  private readonly i18n = new I18nController(this);

  private readonly onMode = (event: Event): void => {
    this.mode = (event.target as HTMLSelectElement).value as Mode;
  };

  private renderCell(cell: HeatCell, peak: number, day: string, hour: number) {
    const value = this.mode === 'arrivals' ? cell.offered : cell.serviceLevelPercent;
    const level = value === null ? 0 : this.mode === 'arrivals' ? value / Math.max(1, peak) : value / 100;
    const serviceLevel = formatFigure(this.i18n, cell.serviceLevelPercent, 'percent');
    const text = this.mode === 'arrivals' ? String(cell.offered) : serviceLevel;
    const title = this.i18n.t('reports.heatmap.cell', { day, hour, offered: cell.offered, serviceLevel });
    return html`<td title=${title} class=${`l${Math.ceil(level * SHADES)}`}>
      ${value === null ? '' : text}
    </td>`;
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    const cells = hourOfWeek(this.rows);
    const peak = Math.max(0, ...cells.flat().map((cell) => cell.offered));
    const dayName = new Intl.DateTimeFormat(this.i18n.lang, { weekday: 'short', timeZone: 'UTC' });
    return html`<div class="head spread">
        <h2 id="heatmap-heading">${t('reports.heatmap')}</h2>
        <div class="field">
          <label for="heat-mode">${t('reports.heatmap.show')}</label>
          <select id="heat-mode" @change=${this.onMode}>
            <option value="arrivals" ?selected=${this.mode === 'arrivals'}>
              ${t('reports.heatmap.arrivals')}
            </option>
            <option value="serviceLevel" ?selected=${this.mode === 'serviceLevel'}>
              ${t('reports.heatmap.serviceLevel')}
            </option>
          </select>
        </div>
      </div>
      <div class="table-scroll" role="region" aria-labelledby="heatmap-heading" tabindex="0">
        <table>
          <thead>
            <tr>
              <td></td>
              ${HOURS.map((hour) => html`<th scope="col">${hour}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${cells.map((day, index) => {
              const name = dayName.format(new Date(MONDAY + index * 86_400_000));
              return html`<tr>
                <th scope="row">${name}</th>
                ${day.map((cell, hour) => this.renderCell(cell, peak, name, hour))}
              </tr>`;
            })}
          </tbody>
        </table>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-report-heatmap': CtiReportHeatmap;
  }
}
