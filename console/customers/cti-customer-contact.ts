import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Customer360 } from '../../server/customers/customers.schemas.js';
import { emit } from '../components/events.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { shared } from '../styles/shared.js';
import { customerCard } from './customer-card.styles.js';

export interface CustomerCallDetail {
  /** The number to dial, in E.164. */
  number: string;
}

/**
 * A customer's phone numbers and email addresses. Each number offers a call unless the customer is on
 * the do-not-call list; the button fires `cti-customer-call`.
 */
@customElement('cti-customer-contact')
export class CtiCustomerContact extends LitElement {
  static override styles = [
    shared,
    customerCard,
    css`
      button.call {
        margin-inline-start: var(--cti-space-2);
        min-height: 2rem;
        padding-block: 0;
      }
      .phone {
        font-variant-numeric: tabular-nums;
        font-weight: 600;
      }
      .label {
        display: inline;
        margin-left: var(--cti-space-2);
        font-weight: 400;
        color: var(--cti-color-text-muted);
      }
    `,
  ];

  @property({ attribute: false }) customer: Customer360 | null = null;
  /** A call is being placed: the buttons say so but stay focusable. */
  @property({ type: Boolean }) busy = false;

  private readonly i18n = new I18nController(this);

  private renderPhones(data: Customer360) {
    const t = this.i18n.t.bind(this.i18n);
    if (data.phones.length === 0) return html`<p class="muted">${t('customer.noPhones')}</p>`;
    return html`<ul class="plain">
      ${data.phones.map(
        (phone) =>
          html`<li>
            <span class="phone">${phone.display}</span>${
              phone.label ? html`<span class="label">${phone.label}</span>` : nothing
            }
            ${
              data.customer.doNotCall
                ? nothing
                : html`<button
                    type="button"
                    class="call"
                    aria-label=${t('customer.callNumber', { number: phone.display })}
                    aria-disabled=${this.busy ? 'true' : 'false'}
                    @click=${() => emit(this, 'cti-customer-call', { number: phone.e164 })}
                  >
                    ${t('customer.call')}
                  </button>`
            }
          </li>`,
      )}
    </ul>`;
  }

  private renderEmails(data: Customer360) {
    const t = this.i18n.t.bind(this.i18n);
    if (data.emails.length === 0) return html`<p class="muted">${t('customer.noEmails')}</p>`;
    return html`<ul class="plain">
      ${data.emails.map(
        (email) =>
          html`<li>
            <a href="mailto:${email.email}">${email.email}</a>${
              email.label ? html`<span class="label">${email.label}</span>` : nothing
            }
          </li>`,
      )}
    </ul>`;
  }

  override render() {
    const data = this.customer;
    if (!data) return nothing;
    const t = this.i18n.t.bind(this.i18n);
    return html`<section class="card" aria-labelledby="contact-heading">
      <h2 id="contact-heading">${t('customer.contactDetails')}</h2>
      <h3>${t('customer.phones')}</h3>
      ${this.renderPhones(data)}
      <h3>${t('customer.emails')}</h3>
      ${this.renderEmails(data)}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-customer-contact': CtiCustomerContact;
  }
  interface HTMLElementEventMap {
    'cti-customer-call': CustomEvent<CustomerCallDetail>;
  }
}
