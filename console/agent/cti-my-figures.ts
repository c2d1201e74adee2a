import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AgentStatus } from '../../contracts/glossary.js';
import type { Report } from '../../server/reports/reports.schemas.js';
import '../components/cti-facts-list.js';
import { LatestRequestController } from '../components/latest-request-controller.js';
import { getMyReport } from '../data/reports.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { browserTimeZone, presetRange } from '../reports/report-query.js';
import { shared } from '../styles/shared.js';

/**
 * The signed-in agent's own figures for today (their local day): calls handled, AHT and missed offers.
 * Refreshed whenever their status changes, which is when a call has just ended or an offer was missed.
 */
@customElement('cti-my-figures')
export class CtiMyFigures extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
        margin-top: var(--cti-space-4);
      }
      h2 {
        margin: 0 0 var(--cti-space-2);
        font-size: var(--cti-font-size-md);
      }
    `,
  ];

  /** The agent's current status: a change reloads the figures. */
  @property() status: AgentStatus | null = null;

  @state() private report: Report | null = null;

  private readonly i18n = new I18nController(this);
  private readonly request = new LatestRequestController(this);

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('status')) void this.load();
  }

  private async load(): Promise<void> {
    const timeZone = browserTimeZone();
    const range = presetRange({ preset: 'today', fromDay: '', toDay: '', timeZone }, Date.now());
    if (!range) return this.request.abort();
    const outcome = await this.request.run((signal) => getMyReport({ ...range, timeZone }, signal));
    if (!outcome) return;
    if ('value' in outcome) this.report = outcome.value;
    // The card is a convenience: the desk works without it, so a failure only leaves it out.
    else console.error(outcome.error);
  }

  override render() {
    const totals = this.report?.totals;
    if (!totals) return null;
    const t = this.i18n.t.bind(this.i18n);
    const count = new Intl.NumberFormat(this.i18n.lang);
    return html`<section class="card" aria-labelledby="my-figures-heading">
      <h2 id="my-figures-heading">${t('reports.me.title')}</h2>
      <cti-facts-list
        layout="inline"
        .facts=${[
          { label: t('reports.me.calls'), value: count.format(totals.handled), kind: 'number' },
          { label: t('reports.me.aht'), value: this.i18n.duration(totals.ahtSeconds), kind: 'number' },
          {
            label: t('reports.me.missed'),
            value: count.format(totals.rona + totals.declined),
            kind: 'number',
          },
        ]}
      ></cti-facts-list>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-my-figures': CtiMyFigures;
  }
}
