import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Customer360 } from '../../server/customers/customers.schemas.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { shared } from '../styles/shared.js';
import { customerCard } from './customer-card.styles.js';

type CustomerStats = Customer360['stats'];

/** A customer's contact counts (interactions, answered, abandoned) and when we last spoke. */
@customElement('cti-customer-stats')
export class CtiCustomerStats extends LitElement {
  static override styles = [
    shared,
    customerCard,
    css`
      .stats {
        display: grid;
        grid-template-columns: repeat(2, minmax(0, 1fr));
        gap: var(--cti-space-3);
        margin: 0;
      }
      .stats div {
        padding: var(--cti-space-2) var(--cti-space-3);
        border-radius: var(--cti-radius-md);
        background: var(--cti-color-surface-muted);
      }
      .stats dt {
        font-size: var(--cti-font-size-sm);
        color: var(--cti-color-text-muted);
      }
      .stats dd {
        margin: 0;
        font-size: var(--cti-font-size-lg);
        font-weight: 700;
      }
      .stats dd.small {
        font-size: var(--cti-font-size-md);
      }
    `,
  ];

  @property({ attribute: false }) stats: CustomerStats | null = null;

  private readonly i18n = new I18nController(this);

  private renderLastContact(at: string | null) {
    if (!at) return this.i18n.t('customer.stats.never');
    return html`<time datetime=${at} title=${this.i18n.dateTime(at)}>${this.i18n.relative(at)}</time>`;
  }

  override render() {
    const stats = this.stats;
    if (!stats) return nothing;
    const t = this.i18n.t.bind(this.i18n);
    const format = new Intl.NumberFormat(this.i18n.lang);
    const counts = [
      [t('customer.stats.interactions'), stats.interactions],
      [t('customer.stats.answered'), stats.answered],
      [t('customer.stats.abandoned'), stats.abandoned],
    ] as const;
    return html`<section class="card" aria-labelledby="stats-heading">
      <h2 id="stats-heading">${t('customer.stats')}</h2>
      <dl class="stats">
        ${counts.map(
          ([label, count]) =>
            html`<div>
              <dt>${label}</dt>
              <dd>${format.format(count)}</dd>
            </div>`,
        )}
        <div>
          <dt>${t('customer.stats.lastContact')}</dt>
          <dd class="small">${this.renderLastContact(stats.lastContactAt)}</dd>
        </div>
        <div>
          <dt>${t('survey.lastScore')}</dt>
          <dd class="small">
            ${
              stats.lastSurveyScore === null || stats.lastSurveyAt === null
                ? t('survey.none')
                : html`${t('survey.scoreOf', { score: stats.lastSurveyScore })}
                    <time datetime=${stats.lastSurveyAt}>${this.i18n.relative(stats.lastSurveyAt)}</time>`
            }
          </dd>
        </div>
      </dl>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-customer-stats': CtiCustomerStats;
  }
}
