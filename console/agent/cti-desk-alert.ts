import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';
import { DeskController } from './desk-controller.js';
import { callerLabel } from './desk-view.js';

/**
 * Shown above every page but the desk: a call ringing, in progress or waiting for its wrap-up, with a
 * link back to the desk. A new offer is announced assertively, for screen readers (the ring tone and
 * the other offer alerts are `OfferAlerts`, hosted by the app).
 */
@customElement('cti-desk-alert')
export class CtiDeskAlert extends LitElement {
  static override styles = [
    shared,
    css`
      .alert {
        margin-bottom: var(--cti-space-4);
        padding: var(--cti-space-3) var(--cti-space-4);
        border: 1px solid var(--cti-color-primary);
        border-left-width: 6px;
        border-radius: var(--cti-radius-md);
        background: var(--cti-color-primary-soft);
        font-weight: 600;
      }
      .alert.offer {
        border-color: var(--cti-color-danger);
        background: var(--cti-color-danger-soft);
      }
      .alert p {
        overflow-wrap: anywhere;
      }
    `,
  ];

  @state() private announcement: UiMessage | null = null;

  private readonly i18n = new I18nController(this);
  private readonly desk = new DeskController(this);
  private shownOffer: number | null = null;

  override willUpdate(_changed: PropertyValues<this>): void {
    const offer = this.desk.snapshot.state?.offer ?? null;
    if (offer && offer.reservationId !== this.shownOffer) {
      const caller = callerLabel(offer) ?? this.i18n.t('desk.caller.withheld');
      this.announcement = { key: 'deskAlert.offer', params: { caller } };
    }
    if (!offer) this.announcement = null;
    this.shownOffer = offer?.reservationId ?? null;
  }

  private message(): { kind: string; text: UiMessage } | null {
    const state = this.desk.snapshot.state;
    if (!state) return null;
    const caller = (call: Parameters<typeof callerLabel>[0]) =>
      callerLabel(call) ?? this.i18n.t('desk.caller.withheld');
    if (state.offer)
      return { kind: 'offer', text: { key: 'deskAlert.offer', params: { caller: caller(state.offer) } } };
    if (state.call)
      return { kind: 'call', text: { key: 'deskAlert.call', params: { caller: caller(state.call) } } };
    if (state.wrapUp) {
      return { kind: 'wrap-up', text: { key: 'deskAlert.wrapUp', params: { caller: caller(state.wrapUp) } } };
    }
    return null;
  }

  override render() {
    const message = this.message();
    return html`<p class="visually-hidden" aria-live="assertive" aria-atomic="true">
        ${this.announcement ? this.i18n.message(this.announcement) : ''}
      </p>
      ${
        message
          ? html`<div class="alert spread ${message.kind}">
              <p>${this.i18n.message(message.text)}</p>
              <a href="/desk">${this.i18n.t('deskAlert.go')}</a>
            </div>`
          : nothing
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-desk-alert': CtiDeskAlert;
  }
}
