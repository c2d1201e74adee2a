import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { DeskConnection } from '../data/desk.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { shared } from '../styles/shared.js';

/** The desk's link to the server as a coloured dot and a word, announced politely as it changes. */
@customElement('cti-desk-connection')
export class CtiDeskConnection extends LitElement {
  static override styles = [
    shared,
    css`
      .connection {
        display: inline-flex;
        align-items: center;
        gap: var(--cti-space-2);
        min-height: 2.5rem;
        font-size: var(--cti-font-size-sm);
        font-weight: 600;
      }
      .connection .dot {
        width: 0.625rem;
        height: 0.625rem;
        border-radius: 50%;
        background: var(--cti-color-border-strong);
      }
      .connection.connected .dot {
        background: var(--cti-color-success);
      }
      .connection.connecting .dot,
      .connection.reconnecting .dot {
        background: var(--cti-color-warning-border);
      }
      .connection.offline {
        color: var(--cti-color-danger);
      }
      .connection.offline .dot {
        background: var(--cti-color-danger);
      }
    `,
  ];

  @property() connection: DeskConnection = 'connecting';

  private readonly i18n = new I18nController(this);

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    const { connection } = this;
    return html`<p class="connection ${connection}" role="status">
      <span class="dot" aria-hidden="true"></span>
      <span class="visually-hidden">${t('desk.connection.label')}</span>
      <span>${t(`desk.connection.${connection}`)}</span>
    </p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-desk-connection': CtiDeskConnection;
  }
}
