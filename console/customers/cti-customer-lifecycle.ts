import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { CustomerLifecycle, LifecycleChange } from '../../server/lifecycle/lifecycle.schemas.js';
import { toUiMessage } from '../app/errors.js';
import '../components/cti-churn-risk.js';
import { lifecycleReasonText } from '../components/cti-churn-risk.js';
import '../components/cti-lifecycle-pill.js';
import { LatestRequestController } from '../components/latest-request-controller.js';
import { getCustomerLifecycle } from '../data/lifecycle.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';
import { customerCard } from './customer-card.styles.js';

/**
 * The customer's lifecycle on the 360 page: the stage and since when, the churn-risk score with its
 * reasons, and each stage change with who or what made it and why. Read-only: the stage follows the
 * rules (server/lifecycle), or a wrap-up code or the edit form.
 */
@customElement('cti-customer-lifecycle')
export class CtiCustomerLifecycle extends LitElement {
  static override styles = [
    shared,
    customerCard,
    css`
      .stage {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cti-space-2);
        margin-bottom: var(--cti-space-2);
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        padding: var(--cti-space-1) 0;
        border-top: 1px solid var(--cti-color-border);
        overflow-wrap: anywhere;
      }
      .change {
        font-weight: 600;
      }
      .why {
        margin: 0;
        font-size: var(--cti-font-size-sm);
      }
    `,
  ];

  @property({ type: Number }) customerId = 0;

  @state() private lifecycle: CustomerLifecycle | null = null;
  @state() private error: UiMessage | null = null;

  private readonly i18n = new I18nController(this);
  private readonly request = new LatestRequestController(this);

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('customerId')) void this.load();
  }

  /** Loads again, e.g. after the stage was edited on the page. */
  readonly load = async (): Promise<void> => {
    this.error = null;
    const outcome = await this.request.run((signal) => getCustomerLifecycle(this.customerId, signal));
    if (!outcome) return;
    if ('value' in outcome) this.lifecycle = outcome.value;
    else this.error = toUiMessage(outcome.error);
  };

  private renderChange(change: LifecycleChange) {
    const t = this.i18n.t.bind(this.i18n);
    const source = t(`lifecycle.source.${change.source}`);
    const by = change.agentName ? ` · ${t('lifecycle.by', { name: change.agentName })}` : '';
    return html`<li>
      <span class="change"
        >${t('lifecycle.change', {
          from: this.i18n.lifecycle(change.from),
          to: this.i18n.lifecycle(change.to),
        })}</span
      >
      <span class="meta">${this.i18n.dateTime(change.at)} · ${source}${by}</span>
      ${
        change.reasons.length > 0
          ? html`<p class="why">
              ${change.reasons.map((reason) => lifecycleReasonText(this.i18n, reason)).join(' · ')}
            </p>`
          : nothing
      }
    </li>`;
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    const lifecycle = this.lifecycle;
    return html`<section class="card" aria-labelledby="lifecycle-heading">
      <h2 id="lifecycle-heading">${t('lifecycle.section')}</h2>
      ${this.request.loading && !lifecycle ? html`<p class="status" role="status">${t('common.loading')}</p>` : nothing}
      ${
        lifecycle
          ? html`<div class="stage">
                <cti-lifecycle-pill .stage=${lifecycle.stage}></cti-lifecycle-pill>
                ${
                  lifecycle.since
                    ? html`<span class="meta"
                        >${t('lifecycle.since', { date: this.i18n.date(lifecycle.since) })}</span
                      >`
                    : nothing
                }
              </div>
              <cti-churn-risk .churn=${lifecycle.churn}></cti-churn-risk>
              <h3>${t('lifecycle.history')}</h3>
              ${
                lifecycle.history.length === 0
                  ? html`<p class="muted">${t('lifecycle.noHistory')}</p>`
                  : html`<ol>
                      ${lifecycle.history.map((change) => this.renderChange(change))}
                    </ol>`
              }`
          : nothing
      }
      <div class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-customer-lifecycle': CtiCustomerLifecycle;
  }
}
