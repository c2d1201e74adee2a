import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { CreateCustomerBody } from '../../server/customers/customers.schemas.js';
import { toUiMessage } from '../app/errors.js';
import { textField } from '../components/fields.js';
import { navigate } from '../app/navigation.js';
import { createCustomer } from '../data/customers.data.js';
import { desk } from '../data/desk.data.js';
import { linkCustomer } from '../data/interactions.data.js';
import { unknownCurrentCall } from '../agent/desk-view.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { page } from '../styles/page.js';

/** Enough of an address to catch a typo; the server checks the format properly. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A small form to add a customer (/customers/new), used from the desk for an unknown caller with their
 * number prefilled (`?phone=`). Creates the customer through the API and opens their 360 page.
 */
@customElement('cti-customer-create')
export class CtiCustomerCreate extends LitElement {
  static override styles = [
    page,
    css`
      form {
        max-width: 36rem;
      }
      .required {
        color: var(--cti-color-danger);
      }
      .error:not(:empty) {
        margin-bottom: var(--cti-space-4);
      }
    `,
  ];

  /** The number to start with, as the desk passes it (E.164). */
  @property() phone = '';

  @state() private name = '';
  @state() private number = '';
  @state() private company = '';
  @state() private email = '';
  @state() private busy = false;
  @state() private error: UiMessage | null = null;

  @query('#name') private nameInput!: HTMLInputElement;

  private readonly i18n = new I18nController(this);

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('phone')) this.number = this.phone;
  }

  override firstUpdated(): void {
    this.nameInput.focus();
  }

  private body(): CreateCustomerBody {
    const body: CreateCustomerBody = { name: this.name.trim() };
    const number = this.number.trim();
    const company = this.company.trim();
    const email = this.email.trim();
    if (number) body.phones = [{ number }];
    if (company) body.company = company;
    if (email) body.emails = [{ email }];
    return body;
  }

  private readonly onSubmit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    if (this.busy) return;
    if (!this.name.trim()) {
      this.error = { key: 'edit.nameRequired' };
      this.nameInput.focus();
      return;
    }
    if (this.email.trim() && !EMAIL.test(this.email.trim())) {
      this.error = { key: 'customerCreate.emailInvalid' };
      this.renderRoot.querySelector<HTMLInputElement>('#email')?.focus();
      return;
    }
    this.busy = true;
    this.error = null;
    try {
      const created = await createCustomer(this.body());
      // Created from the desk for the caller on the line: the call joins the new customer's history.
      const current = unknownCurrentCall(desk.snapshot.state);
      if (current && created.phones.some((phone) => phone.e164 === current.pop.callerNumber)) {
        await linkCustomer(current.interactionId, created.customer.id);
      }
      // Replace the form in history, so Back does not offer to create the same customer twice.
      navigate(`/customers/${created.customer.id}`, { replace: true });
    } catch (error) {
      // 400 (not a valid number) and 409 (the number or email is another customer's) say exactly what.
      this.error = toUiMessage(error);
    } finally {
      this.busy = false;
    }
  };

  private readonly cancel = (): void => {
    history.back();
  };

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    return html`<h1>${t('customerCreate.title')}</h1>
      <form novalidate @submit=${this.onSubmit}>
        ${textField({
          id: 'name',
          label: t('edit.name'),
          maxlength: 200,
          required: true,
          value: this.name,
          onInput: (value) => (this.name = value),
        })}
        ${textField({
          id: 'phone',
          label: t('edit.phoneNumber'),
          type: 'tel',
          maxlength: 40,
          hint: t('customerCreate.phoneHint'),
          value: this.number,
          onInput: (value) => (this.number = value),
        })}
        ${textField({
          id: 'company',
          label: t('edit.company'),
          maxlength: 200,
          value: this.company,
          onInput: (value) => (this.company = value),
        })}
        ${textField({
          id: 'email',
          label: t('customerCreate.email'),
          type: 'email',
          maxlength: 254,
          value: this.email,
          onInput: (value) => (this.email = value),
        })}
        <div class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</div>
        <div class="form-actions">
          <button type="submit" class="primary" aria-disabled=${this.busy ? 'true' : 'false'}>
            ${t('customerCreate.submit')}
          </button>
          <button type="button" @click=${this.cancel}>${t('common.cancel')}</button>
          <span class="status" aria-live="polite">${this.busy ? t('customerCreate.creating') : ''}</span>
        </div>
      </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-customer-create': CtiCustomerCreate;
  }
}
