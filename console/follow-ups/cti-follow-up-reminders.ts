import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { routeHref } from '../app/routes.js';
import { desk } from '../data/desk.data.js';
import type { FollowUpReminder } from '../data/follow-ups.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { shared } from '../styles/shared.js';

/** How long a reminder stays unless dismissed, in ms. */
const TOAST_MS = 60_000;
const MAX_TOASTS = 4;

/**
 * Due and overdue follow-up reminders as toasts, on every page while signed in: the newest on top,
 * each with a link to the worklist and a dismiss button, gone by itself after a minute. The server
 * sends each reminder once; every open console of the owner shows it.
 */
@customElement('cti-follow-up-reminders')
export class CtiFollowUpReminders extends LitElement {
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
        display: grid;
        gap: var(--cti-space-2);
        padding: var(--cti-space-3);
        border: 1px solid var(--cti-color-border-strong);
        border-left: 6px solid var(--cti-color-primary);
        border-radius: var(--cti-radius-md);
        background: var(--cti-color-surface);
        box-shadow: var(--cti-shadow-card);
      }
      .toast.overdue {
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

  @state() private toasts: (FollowUpReminder & { key: number })[] = [];

  private readonly i18n = new I18nController(this);
  private stop: (() => void) | undefined;
  private nextKey = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    this.stop = desk.onFollowUps({
      reminder: (reminder) => {
        const key = (this.nextKey += 1);
        this.toasts = [{ ...reminder, key }, ...this.toasts].slice(0, MAX_TOASTS);
        setTimeout(() => this.dismiss(key), TOAST_MS);
      },
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop?.();
  }

  private dismiss(key: number): void {
    this.toasts = this.toasts.filter((toast) => toast.key !== key);
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    return html`<div role="log" aria-live="polite" aria-label=${t('followUpReminder.region')}>
      ${this.toasts.map(
        (toast) =>
          html`<div class="toast ${toast.reminder}" data-reminder=${toast.reminder}>
            <p>
              ${t(`followUpReminder.${toast.reminder}`, {
                kind: t(`followUps.kind.${toast.kind}`),
                customer: toast.customerName,
                time: this.i18n.dateTime(toast.dueAt),
              })}
            </p>
            ${toast.title ? html`<p class="written">${toast.title}</p>` : ''}
            <div class="buttons">
              <a href=${routeHref({ name: 'followUps', list: 'mine' })}>${t('followUpReminder.open')}</a>
              <button type="button" @click=${() => this.dismiss(toast.key)}>${t('alert.dismiss')}</button>
            </div>
          </div>`,
      )}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-follow-up-reminders': CtiFollowUpReminders;
  }
}
