import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Tier } from '../../contracts/glossary.js';
import { I18nController } from '../i18n/i18n-controller.js';

/** Each tier has its own shape as well as colour, so the badge reads without colour vision. */
const MARKS: Record<Tier, string> = { platinum: '◆', gold: '★', silver: '●', bronze: '▲' };

/** A customer's tier as a labelled badge. */
@customElement('cti-tier-badge')
export class CtiTierBadge extends LitElement {
  static override styles = css`
    :host {
      display: inline-block;
      vertical-align: middle;
    }
    span.badge {
      display: inline-flex;
      align-items: center;
      gap: 0.3em;
      padding: 0.1em 0.6em;
      border: 1px solid currentColor;
      border-radius: var(--cti-radius-pill);
      font-size: var(--cti-font-size-sm);
      font-weight: 600;
      line-height: 1.4;
      white-space: nowrap;
    }
    .platinum {
      background: var(--cti-tier-platinum-bg);
      color: var(--cti-tier-platinum-text);
    }
    .gold {
      background: var(--cti-tier-gold-bg);
      color: var(--cti-tier-gold-text);
    }
    .silver {
      background: var(--cti-tier-silver-bg);
      color: var(--cti-tier-silver-text);
    }
    .bronze {
      background: var(--cti-tier-bronze-bg);
      color: var(--cti-tier-bronze-text);
    }
  `;

  @property() tier: Tier = 'bronze';

  private readonly i18n = new I18nController(this);

  override render() {
    return html`<span class="badge ${this.tier}"
      ><span aria-hidden="true">${MARKS[this.tier]}</span>${this.i18n.tier(this.tier)}</span
    >`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-tier-badge': CtiTierBadge;
  }
}
