import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Customer360 } from '../../server/customers/customers.schemas.js';
import { toUiMessage } from '../app/errors.js';
import { emit } from '../components/events.js';
import { textField } from '../components/fields.js';
import { addPhone } from '../data/customers.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';

/**
 * The customer editor's phone numbers: the ones on file and a form to add one. Saves at once (not with
 * the profile) and fires `cti-customer-update` with the updated Customer360.
 */
@customElement('cti-customer-add-phone')
export class CtiCustomerAddPhone extends LitElement {
  static override styles = [
    shared,
    css`
      fieldset {
        margin: var(--cti-space-2) 0 0;
        padding: var(--cti-space-4) 0 0;
        border: none;
        border-top: 1px solid var(--cti-color-border);
      }
      legend {
        padding: 0;
        font-weight: 700;
      }
      ul {
        margin: var(--cti-space-2) 0 var(--cti-space-3);
        padding-left: var(--cti-space-5);
      }
      .phone-row {
        display: grid;
        grid-template-columns: minmax(0, 2fr) minmax(0, 1fr) auto;
        gap: var(--cti-space-3);
        align-items: end;
      }
      .phone-row .field {
        margin-bottom: 0;
      }
      @media (max-width: 32rem) {
        .phone-row {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      .error:not(:empty),
      .success:not(:empty) {
        margin-top: var(--cti-space-3);
      }
      .success:not(:empty) {
        color: var(--cti-color-success);
        font-weight: 600;
      }
    `,
  ];

  @property({ attribute: false }) customer: Customer360 | null = null;

  @state() private number = '';
  @state() private label = '';
  @state() private busy = false;
  @state() private error: UiMessage | null = null;
  @state() private added = false;

  private readonly i18n = new I18nController(this);

  private readonly onSubmit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const customer = this.customer;
    if (!customer || this.busy) return;
    const number = this.number.trim();
    const label = this.label.trim();
    this.added = false;
    if (!number) {
      this.error = { key: 'edit.phoneRequired' };
      return;
    }
    this.busy = true;
    this.error = null;
    try {
      const updated = await addPhone(customer.customer.id, label ? { number, label } : { number });
      this.number = '';
      this.label = '';
      this.added = true;
      emit(this, 'cti-customer-update', { customer: updated, message: { key: 'edit.phoneAdded' } });
    } catch (error) {
      // 400 (not a valid number) and 409 (another customer's number) carry the server's precise message.
      this.error = toUiMessage(error);
    } finally {
      this.busy = false;
    }
  };

  override render() {
    const customer = this.customer;
    if (!customer) return nothing;
    const t = this.i18n.t.bind(this.i18n);
    return html`<form novalidate @submit=${this.onSubmit}>
      <fieldset>
        <legend>${t('edit.phonesTitle')}</legend>
        ${
          customer.phones.length === 0
            ? html`<p class="muted">${t('customer.noPhones')}</p>`
            : html`<ul>
                ${customer.phones.map(
                  (phone) =>
                    html`<li>
                      ${phone.display}${phone.label ? html` <span class="muted">(${phone.label})</span>` : nothing}
                    </li>`,
                )}
              </ul>`
        }
        <div class="phone-row">
          ${textField({
            id: 'phone-number',
            label: t('edit.phoneNumber'),
            type: 'tel',
            maxlength: 40,
            value: this.number,
            onInput: (value) => (this.number = value),
          })}
          ${textField({
            id: 'phone-label',
            label: t('edit.phoneLabel'),
            maxlength: 30,
            describedBy: 'phone-label-hint',
            value: this.label,
            onInput: (value) => (this.label = value),
          })}
          <button type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>${t('edit.addPhone')}</button>
        </div>
        <p id="phone-label-hint" class="hint">${t('edit.phoneLabelHint')}</p>
        <div class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</div>
        <p class="success" role="status">${this.added ? t('edit.phoneAdded') : ''}</p>
      </fieldset>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-customer-add-phone': CtiCustomerAddPhone;
  }
}
