import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { supervision, type Alert } from '../data/supervision.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { shared } from '../styles/shared.js';

/** How long a toast stays unless dismissed, in ms. */
const TOAST_MS = 30_000;
const MAX_TOASTS = 5;

/**
 * Alerts as toasts while a supervision page is open: the newest on top, each dismissible, gone by
 * itself after 30 seconds. Announced politely to screen readers.
 */
@customElement('cti-supervision-alerts')
export class CtiSupervisionAlerts extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        position: fixed;
        inset: auto var(--cti-space-4) var(--cti-space-4) auto;
        z-index: 10;
        display: grid;
        gap: var(--cti-space-2);
        width: min(26rem, calc(100vw - 2 * var(--cti-space-4)));
      }
      .toast {
        display: flex;
        gap: var(--cti-space-3);
        align-items: start;
        justify-content: space-between;
        padding: var(--cti-space-3);
        border: 1px solid var(--cti-color-warning-border);
        border-radius: var(--cti-radius-md);
        background: var(--cti-color-warning-soft);
        color: var(--cti-color-warning-text);
        box-shadow: var(--cti-shadow-card);
      }
      p {
        margin: 0;
      }
    `,
  ];

  @state() private toasts: (Alert & { key: number })[] = [];

  private readonly i18n = new I18nController(this);
  private stop: (() => void) | undefined;
  private nextKey = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    this.stop = supervision.onAlert((alert) => {
      const key = (this.nextKey += 1);
      this.toasts = [{ ...alert, key }, ...this.toasts].slice(0, MAX_TOASTS);
      setTimeout(() => this.dismiss(key), TOAST_MS);
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop?.();
  }

  private dismiss(key: number): void {
    this.toasts = this.toasts.filter((toast) => toast.key !== key);
  }

  private text(alert: Alert): string {
    return this.i18n.t(alert.tier ? 'alert.service_level_tier' : `alert.${alert.kind}`, {
      tier: alert.tier ? this.i18n.tier(alert.tier) : '',
      queue: alert.queueName ?? '',
      agent: alert.agentName ?? '',
      value: alert.value,
      threshold: alert.threshold,
    });
  }

  override render() {
    return html`<div role="log" aria-live="polite" aria-label=${this.i18n.t('alert.region')}>
      ${this.toasts.map(
        (toast) =>
          html`<div class="toast">
            <p>${this.text(toast)}</p>
            <button type="button" @click=${() => this.dismiss(toast.key)}>
              ${this.i18n.t('alert.dismiss')}
            </button>
          </div>`,
      )}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-supervision-alerts': CtiSupervisionAlerts;
  }
}
