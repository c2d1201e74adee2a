import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { emit } from '../components/events.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { shared } from '../styles/shared.js';
import { DEFAULT_OFFER_ALERT_SETTINGS, type OfferAlertSettings } from './offer-alert-settings.js';
import type { NotificationPermissionState } from './offer-alerts.js';

export type OfferAlertSettingsChange = Partial<OfferAlertSettings>;

/**
 * The "Offer alerts" settings: ring tone and its volume, desktop notification (with the browser's
 * permission, asked only when the user clicks for it) and the flashing title, each on or off. Fires
 * `cti-offer-alerts-change` with the changed setting, and `cti-offer-alerts-permission` when the user
 * asks to allow notifications.
 */
@customElement('cti-offer-alert-settings')
export class CtiOfferAlertSettings extends LitElement {
  static override styles = [
    shared,
    css`
      fieldset {
        display: grid;
        gap: var(--cti-space-3);
        margin: 0;
        padding: 0;
        border: 0;
        min-width: 0;
      }
      .toggle {
        display: flex;
        align-items: center;
        gap: var(--cti-space-2);
        margin: 0;
      }
      .volume {
        display: grid;
        grid-template-columns: auto minmax(6rem, 14rem) auto;
        justify-content: start;
        align-items: center;
        gap: var(--cti-space-2);
        margin-inline-start: calc(1.125rem + var(--cti-space-2));
      }
      .volume label {
        margin: 0;
      }
      .volume input {
        min-height: 0;
        padding: 0;
        border: 0;
      }
      .permission {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cti-space-2) var(--cti-space-3);
        margin-inline-start: calc(1.125rem + var(--cti-space-2));
      }
      .permission .hint {
        margin: 0;
      }
    `,
  ];

  @property({ attribute: false }) settings: OfferAlertSettings = { ...DEFAULT_OFFER_ALERT_SETTINGS };
  @property({ attribute: false }) permission: NotificationPermissionState = 'default';

  private readonly i18n = new I18nController(this);

  private toggle(name: 'sound' | 'notification' | 'title', event: Event): void {
    emit(this, 'cti-offer-alerts-change', { [name]: (event.currentTarget as HTMLInputElement).checked });
  }

  private readonly onSound = (event: Event) => this.toggle('sound', event);
  private readonly onNotification = (event: Event) => this.toggle('notification', event);
  private readonly onTitle = (event: Event) => this.toggle('title', event);
  private readonly onVolume = (event: Event): void => {
    emit(this, 'cti-offer-alerts-change', {
      volume: (event.currentTarget as HTMLInputElement).valueAsNumber,
    });
  };
  private readonly askPermission = (): void => emit(this, 'cti-offer-alerts-permission');

  private renderPermission() {
    const t = this.i18n.t.bind(this.i18n);
    if (!this.settings.notification) return nothing;
    return html`<div class="permission">
      ${
        this.permission === 'default'
          ? html`<button type="button" @click=${this.askPermission}>
                ${t('offerAlerts.permission.ask')}
              </button>
              <p class="hint">${t('offerAlerts.permission.default')}</p>`
          : html`<p class="hint">${t(`offerAlerts.permission.${this.permission}`)}</p>`
      }
    </div>`;
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    const { sound, volume, notification, title } = this.settings;
    return html`<fieldset>
      <legend class="visually-hidden">${t('offerAlerts.settings')}</legend>
      <label class="toggle">
        <input type="checkbox" .checked=${sound} @change=${this.onSound} />
        ${t('offerAlerts.sound')}
      </label>
      <div class="volume">
        <label for="volume">${t('offerAlerts.volume')}</label>
        <input
          id="volume"
          type="range"
          min="0"
          max="100"
          step="5"
          .value=${String(volume)}
          ?disabled=${!sound}
          aria-valuetext=${`${volume}%`}
          @input=${this.onVolume}
        />
        <output for="volume">${volume}%</output>
      </div>
      <label class="toggle">
        <input type="checkbox" .checked=${notification} @change=${this.onNotification} />
        ${t('offerAlerts.notification')}
      </label>
      ${this.renderPermission()}
      <label class="toggle">
        <input type="checkbox" .checked=${title} @change=${this.onTitle} />
        ${t('offerAlerts.title')}
      </label>
    </fieldset>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-offer-alert-settings': CtiOfferAlertSettings;
  }
  interface HTMLElementEventMap {
    'cti-offer-alerts-change': CustomEvent<OfferAlertSettingsChange>;
    'cti-offer-alerts-permission': CustomEvent<void>;
  }
}
