import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { DeskReservation } from '../../contracts/desk.js';
import '../components/cti-tier-badge.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { shared } from '../styles/shared.js';
import './cti-caller-summary.js';
import { callerLabel, secondsUntil, URGENT_SECONDS } from './desk-view.js';
import { ariaKeyShortcut } from './shortcuts.js';
import { TickController } from './tick-controller.js';

export interface ReservationDetail {
  reservationId: DeskReservation['reservationId'];
}

/**
 * A call ringing for this agent: who is calling, from which queue and after how long, what they told the
 * IVR and their recent history, with a countdown to when the offer moves on. Fires `cti-offer-accept`
 * and `cti-offer-reject` when the agent clicks "Accept" or "Reject".
 */
@customElement('cti-offer-card')
export class CtiOfferCard extends LitElement {
  static override styles = [
    shared,
    css`
      .card {
        border: 2px solid var(--cti-color-primary);
        background: var(--cti-color-surface);
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        justify-content: space-between;
        gap: var(--cti-space-2) var(--cti-space-4);
        margin-bottom: var(--cti-space-3);
      }
      .countdown {
        padding: var(--cti-space-1) var(--cti-space-3);
        border-radius: var(--cti-radius-pill);
        background: var(--cti-color-primary-soft);
        font-weight: 700;
        font-variant-numeric: tabular-nums;
      }
      .countdown.urgent {
        background: var(--cti-color-danger-soft);
        color: var(--cti-color-danger);
      }
      .caller {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cti-space-2) var(--cti-space-3);
        margin-bottom: var(--cti-space-2);
      }
      .caller-name {
        font-size: var(--cti-font-size-xl);
        font-weight: 700;
        line-height: 1.2;
        overflow-wrap: anywhere;
      }
      .stage {
        display: inline-flex;
        padding: 0.1em 0.6em;
        border: 1px solid var(--cti-color-border-strong);
        border-radius: var(--cti-radius-pill);
        font-size: var(--cti-font-size-sm);
        font-weight: 600;
      }
      dl.facts {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-2) var(--cti-space-5);
        margin: 0 0 var(--cti-space-4);
      }
      dl.facts dt {
        color: var(--cti-color-text-muted);
        font-size: var(--cti-font-size-sm);
      }
      dl.facts dd {
        margin: 0;
        font-weight: 600;
        font-variant-numeric: tabular-nums;
        overflow-wrap: anywhere;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-3);
        margin-bottom: var(--cti-space-4);
      }
      .actions button {
        flex: 1 1 8rem;
        max-width: 14rem;
        min-height: 3rem;
      }
      cti-caller-summary {
        padding-top: var(--cti-space-3);
        border-top: 1px solid var(--cti-color-border);
      }
      @media (max-width: 30rem) {
        .actions button {
          max-width: none;
        }
      }
    `,
  ];

  @property({ attribute: false }) offer: DeskReservation | null = null;
  /** A command is under way or the desk is disconnected: the buttons say so but stay focusable. */
  @property({ type: Boolean }) busy = false;

  @query('.accept') private acceptButton!: HTMLButtonElement | null;

  private readonly i18n = new I18nController(this);
  private readonly clock = new TickController(this);

  /** Moves focus to "Accept", for a new offer. */
  async focusAccept(): Promise<void> {
    await this.updateComplete;
    this.acceptButton?.focus();
  }

  private fire(type: 'cti-offer-accept' | 'cti-offer-reject'): void {
    if (!this.offer) return;
    this.dispatchEvent(
      new CustomEvent<ReservationDetail>(type, {
        detail: { reservationId: this.offer.reservationId },
        bubbles: true,
        composed: true,
      }),
    );
  }

  private readonly accept = (): void => this.fire('cti-offer-accept');
  private readonly reject = (): void => this.fire('cti-offer-reject');

  override render() {
    const offer = this.offer;
    if (!offer) return nothing;
    const t = this.i18n.t.bind(this.i18n);
    const customer = offer.pop.customer;
    const left = secondsUntil(offer.expiresAt, this.clock.now);
    const busy = this.busy ? 'true' : 'false';
    return html`<section class="card" aria-labelledby="offer-heading">
      <header>
        <h2 id="offer-heading">
          ${
            offer.origin === 'callback'
              ? t('desk.offer.callbackTitle')
              : offer.origin === 'transfer'
                ? t('desk.offer.transferTitle')
                : t('desk.offer.title')
          }
        </h2>
        <p class="countdown ${left <= URGENT_SECONDS ? 'urgent' : ''}" role="timer">
          ${t('desk.offer.expiresIn', { time: this.i18n.duration(left) })}
        </p>
      </header>
      <div class="caller">
        <span class="caller-name">${callerLabel(offer) ?? t('desk.caller.withheld')}</span>
        ${
          customer
            ? html`<cti-tier-badge .tier=${customer.tier}></cti-tier-badge>
                <span class="stage"
                  ><span class="visually-hidden">${t('lifecycle.label')}: </span>${this.i18n.lifecycle(
                    customer.lifecycleStage,
                  )}</span
                >`
            : nothing
        }
      </div>
      <dl class="facts">
        ${
          customer && offer.pop.callerNumber
            ? html`<div>
                <dt>${t('desk.caller.number')}</dt>
                <dd>${offer.pop.callerNumber}</dd>
              </div>`
            : nothing
        }
        <div>
          <dt>${t('desk.caller.queue')}</dt>
          <dd>${offer.queue?.name ?? t('timeline.noQueue')}</dd>
        </div>
        <div>
          <dt>${t('desk.caller.waited')}</dt>
          <dd>${this.i18n.duration(offer.waitedSeconds)}</dd>
        </div>
      </dl>
      <div class="actions">
        <button
          type="button"
          class="primary accept"
          aria-keyshortcuts=${ariaKeyShortcut('accept')}
          aria-disabled=${busy}
          @click=${this.accept}
        >
          ${t('desk.offer.accept')}
        </button>
        <button
          type="button"
          aria-keyshortcuts=${ariaKeyShortcut('reject')}
          aria-disabled=${busy}
          @click=${this.reject}
        >
          ${t('desk.offer.reject')}
        </button>
      </div>
      <cti-caller-summary .call=${offer}></cti-caller-summary>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-offer-card': CtiOfferCard;
  }
  interface HTMLElementEventMap {
    'cti-offer-accept': CustomEvent<ReservationDetail>;
    'cti-offer-reject': CustomEvent<ReservationDetail>;
  }
}
