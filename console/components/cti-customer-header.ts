import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { LifecycleStage, Tier } from '../../server/customers/customers.schemas.js';
import './cti-lifecycle-pill.js';
import './cti-tier-badge.js';

/**
 * A customer's name (slotted, so the page chooses its heading level and size) followed by their tier and
 * lifecycle stage. A caller with no record has neither, and shows the name alone.
 */
@customElement('cti-customer-header')
export class CtiCustomerHeader extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--cti-space-2) var(--cti-space-3);
      min-width: 0;
    }
    ::slotted(*) {
      margin: 0;
      overflow-wrap: anywhere;
    }
  `;

  @property() tier: Tier | null = null;
  @property() stage: LifecycleStage | null = null;

  override render() {
    return html`<slot></slot
      >${this.tier ? html`<cti-tier-badge .tier=${this.tier}></cti-tier-badge>` : nothing}${
        this.stage ? html`<cti-lifecycle-pill .stage=${this.stage}></cti-lifecycle-pill>` : nothing
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-customer-header': CtiCustomerHeader;
  }
}
