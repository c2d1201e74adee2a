import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { shared } from '../styles/shared.js';
import './cti-offer-alert-settings.js';
import type { OfferAlertSettingsChange } from './cti-offer-alert-settings.js';
import type { OfferAlerts, OfferAlertsStatus } from './offer-alerts.js';

/**
 * The desk's end of the offer alerts: "Click to enable sound" while an offer rings unheard because
 * the browser holds audio back, and the "Offer alerts" settings behind a disclosure. `data-ring`
 * says whether the ring tone plays (`ringing`: the AudioContext runs and the tone loops), for tests
 * and styles alike.
 */
@customElement('cti-offer-alerts-panel')
export class CtiOfferAlertsPanel extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
        margin-bottom: var(--cti-space-4);
      }
      .blocked {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cti-space-2) var(--cti-space-4);
        margin-bottom: var(--cti-space-3);
        padding: var(--cti-space-3) var(--cti-space-4);
        border-left: 4px solid var(--cti-color-warning-border);
        border-radius: var(--cti-radius-md);
        background: var(--cti-color-warning-soft);
        color: var(--cti-color-warning-text);
      }
      details > summary {
        width: fit-content;
        cursor: pointer;
        color: var(--cti-color-text-muted);
        font-size: var(--cti-font-size-sm);
        font-weight: 600;
      }
      details[open] {
        padding: var(--cti-space-3) var(--cti-space-4);
        border: 1px solid var(--cti-color-border);
        border-radius: var(--cti-radius-md);
        background: var(--cti-color-surface);
      }
      details[open] > summary {
        margin-bottom: var(--cti-space-3);
      }
    `,
  ];

  @property({ attribute: false }) alerts: OfferAlerts | null = null;
  @state() private status: OfferAlertsStatus | null = null;
  private unsubscribe: (() => void) | undefined;
  private subscribed: OfferAlerts | null = null;

  private readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    this.follow(this.alerts);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.follow(null);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('alerts') && this.isConnected) this.follow(this.alerts);
  }

  private follow(alerts: OfferAlerts | null): void {
    if (alerts === this.subscribed) return;
    this.unsubscribe?.();
    this.subscribed = alerts;
    this.unsubscribe = alerts?.subscribe((status) => (this.status = status));
    this.status = alerts?.status ?? null;
  }

  private readonly onChange = (event: CustomEvent<OfferAlertSettingsChange>): void =>
    this.alerts?.change(event.detail);
  private readonly onPermission = (): void => void this.alerts?.requestPermission();
  private readonly enableSound = (): void => void this.alerts?.enableSound();

  override render() {
    const status = this.status;
    if (!status) return nothing;
    const t = this.i18n.t.bind(this.i18n);
    return html`<div data-ring=${status.ring}>
      ${
        status.ring === 'blocked'
          ? html`<div class="blocked" role="status">
              <p>${t('offerAlerts.soundBlocked')}</p>
              <button type="button" @click=${this.enableSound}>${t('offerAlerts.enableSound')}</button>
            </div>`
          : nothing
      }
      <details>
        <summary>${t('offerAlerts.settings')}</summary>
        <cti-offer-alert-settings
          .settings=${status.settings}
          .permission=${status.permission}
          @cti-offer-alerts-change=${this.onChange}
          @cti-offer-alerts-permission=${this.onPermission}
        ></cti-offer-alert-settings>
      </details>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-offer-alerts-panel': CtiOfferAlertsPanel;
  }
}
