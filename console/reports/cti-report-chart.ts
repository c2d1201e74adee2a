import { LitElement, css, html, unsafeCSS, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import uPlot from 'uplot';
// Inlined and adopted by the shadow root: a document stylesheet would not reach the chart inside it.
import uPlotCss from 'uplot/dist/uPlot.min.css?inline';
import type { Report } from '../../server/reports/reports.schemas.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { shared } from '../styles/shared.js';

const HEIGHT = 260;

/**
 * Offered, answered and abandoned calls per period, with service level % on a second axis. The figures
 * themselves, with their links, are in the report table beside it; the canvas is a picture of them.
 */
@customElement('cti-report-chart')
export class CtiReportChart extends LitElement {
  static override styles = [
    shared,
    unsafeCSS(uPlotCss),
    css`
      :host {
        display: block;
      }
      .plot {
        min-height: ${HEIGHT}px;
      }
    `,
  ];

  @property({ attribute: false }) report: Report | null = null;
  @property() timeZone = 'UTC';

  @query('.plot') private plotHost!: HTMLDivElement;

  private readonly i18n = new I18nController(this);
  private plot: uPlot | null = null;
  private resizeObserver: ResizeObserver | null = null;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
    this.plot?.destroy();
    this.plot = null;
  }

  override updated(changed: PropertyValues<this>): void {
    // Rebuilt rather than fed new data: the series' names follow the language, and the axes the zone.
    if (changed.has('report') || changed.has('timeZone') || !this.plot) this.draw();
  }

  private color(name: string): string {
    return getComputedStyle(this).getPropertyValue(name).trim() || '#555';
  }

  private draw(): void {
    this.plot?.destroy();
    this.plot = null;
    const rows = this.report?.rows ?? [];
    if (rows.length === 0 || !this.plotHost) return;
    const t = this.i18n.t.bind(this.i18n);
    const data: uPlot.AlignedData = [
      rows.map((row) => Date.parse(row.periodStart ?? '') / 1000),
      rows.map((row) => row.metrics.offered),
      rows.map((row) => row.metrics.answered),
      rows.map((row) => row.metrics.abandoned),
      rows.map((row) => row.metrics.serviceLevelPercent),
    ];
    const line = (label: string, color: string, scale = 'calls'): uPlot.Series => ({
      label,
      scale,
      stroke: this.color(color),
      width: 2,
      points: { show: rows.length < 60 },
    });
    const text = this.color('--cti-color-text-muted');
    const grid = { stroke: this.color('--cti-color-border'), width: 1 };
    this.plot = new uPlot(
      {
        width: Math.max(280, this.plotHost.clientWidth),
        height: HEIGHT,
        tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), this.timeZone),
        scales: { '%': { range: [0, 100] } },
        series: [
          {},
          line(t('reports.metric.offered'), '--cti-color-primary'),
          line(t('reports.metric.answered'), '--cti-color-success'),
          line(t('reports.metric.abandoned'), '--cti-color-danger'),
          { ...line(t('reports.metric.serviceLevelPercent'), '--cti-color-warning-text', '%'), dash: [6, 4] },
        ],
        axes: [
          { stroke: text, grid },
          { stroke: text, grid, scale: 'calls' },
          {
            stroke: text,
            scale: '%',
            side: 1,
            grid: { show: false },
            values: (_, ticks) => ticks.map((v) => `${v}%`),
          },
        ],
      },
      data,
      this.plotHost,
    );
    if (!this.resizeObserver) {
      this.resizeObserver = new ResizeObserver(() =>
        this.plot?.setSize({ width: Math.max(280, this.plotHost.clientWidth), height: HEIGHT }),
      );
      this.resizeObserver.observe(this.plotHost);
    }
  }

  override render() {
    return html`<figure>
      <figcaption class="visually-hidden">${this.i18n.t('reports.chart')}</figcaption>
      <div class="plot" aria-hidden="true"></div>
    </figure>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-report-chart': CtiReportChart;
  }
}
