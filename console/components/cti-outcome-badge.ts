import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { InteractionOutcome } from '../../contracts/glossary.js';
import { I18nController } from '../i18n/i18n-controller.js';

/** How an interaction ended, with a coloured dot; `pending` is the text while it has not ended. */
@customElement('cti-outcome-badge')
export class CtiOutcomeBadge extends LitElement {
  static override styles = css`
    :host {
      display: inline-flex;
      align-items: center;
      gap: var(--cti-space-1);
      font-weight: 600;
      white-space: nowrap;
    }
    :host::before {
      content: '';
      width: 0.625rem;
      height: 0.625rem;
      border-radius: 50%;
      background: var(--cti-color-border-strong);
    }
    :host([outcome='answered'])::before,
    :host([outcome='transferred'])::before {
      background: var(--cti-color-success);
    }
    :host([outcome='abandoned'])::before,
    :host([outcome='failed'])::before {
      background: var(--cti-color-danger);
    }
    :host([outcome='voicemail'])::before,
    :host([outcome='callback'])::before {
      background: var(--cti-color-warning-border);
    }
  `;

  @property({ reflect: true }) outcome: InteractionOutcome | null = null;
  @property() pending = '';

  private readonly i18n = new I18nController(this);

  override render() {
    return html`${this.outcome ? this.i18n.outcome(this.outcome) : this.pending}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-outcome-badge': CtiOutcomeBadge;
  }
}
