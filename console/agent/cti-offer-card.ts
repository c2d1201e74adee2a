import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { DeskReservation } from '../../contracts/desk.js';
import '../components/cti-countdown.js';
import '../components/cti-customer-header.js';
import '../components/cti-churn-risk.js';
import { facts } from '../components/cti-facts-list.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { shared } from '../styles/shared.js';
import './cti-caller-summary.js';
import { callerLabel } from './desk-view.js';
import { ariaKeyShortcut } from './shortcuts.js';
import { emit, focusRendered } from '../components/events.js';

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
        margin-bottom: var(--cti-space-3);
      }
      cti-customer-header {
        margin-bottom: var(--cti-space-2);
      }
      .caller-name {
        font-size: var(--cti-font-size-xl);
        font-weight: 700;
        line-height: 1.2;
        overflow-wrap: anywhere;
      }
      cti-facts-list {
        margin-bottom: var(--cti-space-4);
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

  private readonly i18n = new I18nController(this);

  /** Moves focus to "Accept", for a new offer. */
  async focusAccept(): Promise<void> {
    await focusRendered(this, '.accept');
  }

  private fire(type: 'cti-offer-accept' | 'cti-offer-reject'): void {
    if (!this.offer) return;
    emit(this, type, { reservationId: this.offer.reservationId });
  }

  private readonly accept = (): void => this.fire('cti-offer-accept');
  private readonly reject = (): void => this.fire('cti-offer-reject');

  override render() {
    const offer = this.offer;
    if (!offer) return nothing;
    const t = this.i18n.t.bind(this.i18n);
    const customer = offer.pop.customer;
    const busy = this.busy ? 'true' : 'false';
    return html`<section class="card" aria-labelledby="offer-heading">
      <header class="spread baseline">
        <h2 id="offer-heading">
          ${
            offer.origin === 'callback'
              ? t('desk.offer.callbackTitle')
              : offer.origin === 'transfer'
                ? t('desk.offer.transferTitle')
                : t('desk.offer.title')
          }
        </h2>
        <cti-countdown .until=${offer.expiresAt} message="desk.offer.expiresIn"></cti-countdown>
      </header>
      <cti-customer-header .tier=${customer?.tier ?? null} .stage=${customer?.lifecycleStage ?? null}
        ><span class="caller-name"
          >${callerLabel(offer) ?? t('desk.caller.withheld')}</span
        ></cti-customer-header
      >
      ${customer ? html`<cti-churn-risk compact .churn=${customer.churn}></cti-churn-risk>` : nothing}
      <cti-facts-list
        layout="inline"
        strong
        .facts=${facts(
          Boolean(customer && offer.pop.callerNumber) && {
            label: t('desk.caller.number'),
            value: offer.pop.callerNumber,
            kind: 'number',
          },
          { label: t('desk.caller.queue'), value: offer.queue?.name ?? t('timeline.noQueue') },
          { label: t('desk.caller.waited'), value: this.i18n.duration(offer.waitedSeconds), kind: 'number' },
        )}
      ></cti-facts-list>
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
