import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { secondsUntil, URGENT_SECONDS } from './clock.js';
import { TickController } from './tick-controller.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { MessageKey } from '../i18n/i18n.js';

/**
 * Time left until `until`, ticking each second, in a sentence whose `{time}` it fills; louder in the last
 * seconds. Only this element re-renders on each tick, not the card around it.
 */
@customElement('cti-countdown')
export class CtiCountdown extends LitElement {
  static override styles = css`
    :host {
      display: inline-block;
    }
    p {
      margin: 0;
      padding: var(--cti-space-1) var(--cti-space-3);
      border-radius: var(--cti-radius-pill);
      background: var(--cti-color-primary-soft);
      font-weight: 700;
      font-variant-numeric: tabular-nums;
    }
    :host([tone='warning']) p {
      background: var(--cti-color-warning-soft);
      color: var(--cti-color-warning-text);
    }
    p.urgent,
    :host([tone='warning']) p.urgent {
      background: var(--cti-color-danger-soft);
      color: var(--cti-color-danger);
    }
  `;

  /** When the time runs out, as an ISO timestamp. */
  @property() until = '';
  /** The sentence, with `{time}` for the time left. */
  @property() message: MessageKey = 'desk.offer.expiresIn';
  /** The colour while time is not yet short: `primary` or `warning`. */
  @property({ reflect: true }) tone: 'primary' | 'warning' = 'primary';

  private readonly i18n = new I18nController(this);
  private readonly clock = new TickController(this);

  override render() {
    const left = secondsUntil(this.until, this.clock.now);
    return html`<p class=${left <= URGENT_SECONDS ? 'urgent' : ''} role="timer">
      ${this.i18n.t(this.message, { time: this.i18n.duration(left) })}
    </p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-countdown': CtiCountdown;
  }
}
