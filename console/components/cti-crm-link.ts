import { LitElement, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { crmLinkOf } from '../../contracts/crm-link.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { shared } from '../styles/shared.js';

/**
 * "Open in CRM": the configured link template filled with the Customer's values (URL-encoded), opened
 * in a new tab. Nothing without a template, or when the template needs a value this Customer lacks.
 */
@customElement('cti-crm-link')
export class CtiCrmLink extends LitElement {
  static override styles = [shared];

  @property({ attribute: false }) template: string | null = null;
  @property({ attribute: false }) customerId: number | null = null;
  /** E.164. */
  @property({ attribute: false }) phone: string | null = null;
  /** The contact's id in the CRM, when its lookup gave one. */
  @property({ attribute: false }) crmId: string | null = null;

  private readonly i18n = new I18nController(this);

  override render() {
    if (!this.template) return nothing;
    const href = crmLinkOf(this.template, {
      customerId: this.customerId,
      phone: this.phone,
      crmId: this.crmId,
    });
    if (!href) return nothing;
    const t = this.i18n.t.bind(this.i18n);
    return html`<a href=${href} target="_blank" rel="noopener noreferrer"
      >${t('crm.open')}<span class="visually-hidden"> (${t('desk.record.newTab')})</span></a
    >`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-crm-link': CtiCrmLink;
  }
}
