import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { shared } from '../styles/shared.js';
import { toasts, type Toast } from './toasts.js';

/**
 * The toasts of every source, newest on top, each dismissible and gone by itself after its time.
 * Announced politely to screen readers. Placed once, in the signed-in shell.
 */
@customElement('cti-toast-stack')
export class CtiToastStack extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        position: fixed;
        inset: auto var(--cti-space-4) var(--cti-space-4) auto;
        z-index: 10;
        width: min(26rem, calc(100vw - 2 * var(--cti-space-4)));
      }
      [role='log'] {
        display: grid;
        gap: var(--cti-space-2);
      }
      .toast {
        display: grid;
        gap: var(--cti-space-2);
        padding: var(--cti-space-3);
        border: 1px solid var(--cti-color-border-strong);
        border-left: 6px solid var(--cti-color-primary);
        border-radius: var(--cti-radius-md);
        background: var(--cti-color-surface);
        box-shadow: var(--cti-shadow-card);
      }
      .toast.warning {
        border-color: var(--cti-color-warning-border);
        background: var(--cti-color-warning-soft);
        color: var(--cti-color-warning-text);
      }
      .toast.danger {
        border-left-color: var(--cti-color-danger);
      }
      .buttons {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-2);
        align-items: center;
      }
      p {
        margin: 0;
      }
    `,
  ];

  @state() private shown: readonly Toast[] = toasts.toasts;

  private readonly i18n = new I18nController(this);
  private stop: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.shown = toasts.toasts;
    this.stop = toasts.subscribe((current) => (this.shown = current));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop?.();
  }

  override render() {
    return html`<div role="log" aria-live="polite" aria-label=${this.i18n.t('toasts.region')}>
      ${this.shown.map(
        (toast) =>
          html`<div class="toast ${toast.tone}" data-toast=${toast.kind}>
            ${toast.content(this.i18n)}
            <div class="buttons">
              <button type="button" @click=${() => toasts.dismiss(toast.id)}>
                ${this.i18n.t('alert.dismiss')}
              </button>
            </div>
          </div>`,
      )}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-toast-stack': CtiToastStack;
  }
}
