import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Role } from '../../server/auth/auth.schemas.js';
import type { Customer360 } from '../../server/customers/customers.schemas.js';
import { toUiMessage } from '../app/errors.js';
import { emit } from '../components/events.js';
import { dataPackageHref, eraseCustomer } from '../data/customer-data.data.js';
import { getCustomer } from '../data/customers.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';
import { customerCard } from './customer-card.styles.js';

/**
 * A customer's personal data under privacy law: the subject-access data package (supervisors and
 * admins) and erasure (admins), behind a reason and the customer's name typed again. Fires
 * `cti-customer-update` with the erased customer once the server has erased them.
 */
@customElement('cti-customer-privacy')
export class CtiCustomerPrivacy extends LitElement {
  static override styles = [
    shared,
    customerCard,
    css`
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-2);
      }
      form {
        margin-top: var(--cti-space-3);
        display: grid;
        gap: var(--cti-space-2);
      }
      input,
      textarea {
        width: 100%;
        box-sizing: border-box;
      }
    `,
  ];

  @property({ attribute: false }) customer: Customer360 | null = null;
  @property({ attribute: false }) viewerRole: Role = 'agent';

  @state() private confirming = false;
  @state() private busy = false;
  @state() private error: UiMessage | null = null;

  @query('#erase-reason') private reasonInput!: HTMLTextAreaElement;
  @query('#erase-name') private nameInput!: HTMLInputElement;

  private readonly i18n = new I18nController(this);

  private readonly onErase = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const customer = this.customer?.customer;
    if (!customer || this.busy) return;
    const reason = this.reasonInput.value.trim();
    const confirmation = this.nameInput.value;
    if (reason.length < 3) {
      this.error = { key: 'privacy.reasonRequired' };
      this.reasonInput.focus();
      return;
    }
    if (confirmation.trim().toLocaleLowerCase() !== customer.name.trim().toLocaleLowerCase()) {
      this.error = { key: 'privacy.nameMismatch' };
      this.nameInput.focus();
      return;
    }
    this.busy = true;
    this.error = null;
    try {
      await eraseCustomer(customer.id, { reason, confirmation });
      const erased = await getCustomer(customer.id);
      this.confirming = false;
      emit(this, 'cti-customer-update', { customer: erased, message: { key: 'privacy.erased' } });
    } catch (error) {
      this.error = toUiMessage(error);
    } finally {
      this.busy = false;
    }
  };

  private renderErasure(name: string) {
    const t = this.i18n.t.bind(this.i18n);
    if (!this.confirming) {
      return html`<button type="button" class="danger" @click=${() => (this.confirming = true)}>
        ${t('privacy.erase')}
      </button>`;
    }
    return html`<form @submit=${this.onErase} aria-labelledby="erase-heading">
      <h3 id="erase-heading">${t('privacy.eraseTitle')}</h3>
      <p>${t('privacy.eraseWarning')}</p>
      <label for="erase-reason">${t('privacy.reason')}</label>
      <textarea id="erase-reason" rows="2" maxlength="500"></textarea>
      <label for="erase-name">${t('privacy.confirmName', { name })}</label>
      <input id="erase-name" autocomplete="off" spellcheck="false" maxlength="200" />
      <div class="actions">
        <button type="submit" class="danger" aria-disabled=${this.busy ? 'true' : 'false'}>
          ${t('privacy.eraseForGood')}
        </button>
        <button type="button" @click=${() => ((this.confirming = false), (this.error = null))}>
          ${t('privacy.cancel')}
        </button>
        <span class="status" aria-live="polite">${this.busy ? t('privacy.erasing') : ''}</span>
      </div>
    </form>`;
  }

  override render() {
    const data = this.customer;
    if (!data || this.viewerRole === 'agent') return nothing;
    const t = this.i18n.t.bind(this.i18n);
    const { customer } = data;
    return html`<section class="card" aria-labelledby="privacy-heading">
      <h2 id="privacy-heading">${t('privacy.title')}</h2>
      <p class="muted">${t('privacy.packageHint')}</p>
      <div class="actions">
        <a class="button" href=${dataPackageHref(customer.id)} download>${t('privacy.package')}</a>
      </div>
      ${this.viewerRole === 'admin' && !customer.erased ? this.renderErasure(customer.name) : nothing}
      <div class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-customer-privacy': CtiCustomerPrivacy;
  }
}
