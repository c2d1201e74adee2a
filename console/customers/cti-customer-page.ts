import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Customer360 } from '../../server/customers/customers.schemas.js';
import { toUiMessage } from '../app/errors.js';
import '../components/cti-customer-header.js';
import '../components/cti-facts-list.js';
import type { FollowUpCallDetail } from '../components/cti-follow-up-item.js';
import '../components/cti-follow-up-item.js';
import '../follow-ups/cti-follow-up-form.js';
import { getCustomer } from '../data/customers.data.js';
import { LatestRequestController } from '../components/latest-request-controller.js';
import { DeskController } from '../agent/desk-controller.js';
import { unknownCurrentCall } from '../agent/desk-view.js';
import { linkCustomer } from '../data/interactions.data.js';
import { placeCall } from '../data/calls.data.js';
import { navigate } from '../app/navigation.js';
import { routeHref } from '../app/routes.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';
import type { CustomerCallDetail } from './cti-customer-contact.js';
import './cti-customer-contact.js';
import './cti-customer-edit.js';
import type { CtiCustomerLifecycle } from './cti-customer-lifecycle.js';
import './cti-customer-lifecycle.js';
import type { CtiCustomerEdit } from './cti-customer-edit.js';
import './cti-customer-notes.js';
import './cti-customer-privacy.js';
import './cti-customer-stats.js';
import './cti-customer-timeline.js';
import type { CustomerTierChangeDetail } from './cti-customer-value.js';
import './cti-customer-value.js';
import type { Role } from '../../server/auth/auth.schemas.js';
import { customerCard } from './customer-card.styles.js';
import '../components/cti-crm-link.js';
import { CrmLinkController } from '../data/crm.data.js';

/**
 * The customer 360: profile, contact details, open follow-ups and notes, then the contact history.
 */
@customElement('cti-customer-page')
export class CtiCustomerPage extends LitElement {
  static override styles = [
    shared,
    customerCard,
    css`
      .back {
        display: inline-block;
        margin-bottom: var(--cti-space-3);
        font-size: var(--cti-font-size-sm);
      }
      .page-header {
        align-items: flex-start;
        margin-bottom: var(--cti-space-4);
      }
      .header-actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-2);
      }
      .dnc {
        display: flex;
        gap: var(--cti-space-3);
        align-items: flex-start;
        margin-bottom: var(--cti-space-4);
        padding: var(--cti-space-3) var(--cti-space-4);
        border: 1px solid var(--cti-color-warning-border);
        border-left-width: 6px;
        border-radius: var(--cti-radius-md);
        background: var(--cti-color-warning-soft);
        color: var(--cti-color-warning-text);
      }
      .dnc-title {
        display: block;
      }
      .dnc .icon {
        font-size: 1.25rem;
        line-height: 1.2;
      }
      .notice {
        margin-bottom: var(--cti-space-4);
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 20rem), 1fr));
        gap: var(--cti-space-4);
        margin-bottom: var(--cti-space-6);
      }
      .notes {
        grid-column: 1 / -1;
      }
      ul.plain li.follow-up + li.follow-up {
        border-top: 1px solid var(--cti-color-border);
      }
      ul.plain li.follow-up {
        padding: var(--cti-space-3) 0;
      }
    `,
  ];

  @property({ type: Number }) customerId = 0;
  /** The signed-in user's role: supervisors and admins may override the tier. */
  @property({ attribute: false }) viewerRole: Role = 'agent';

  @query('cti-customer-lifecycle') private lifecycleCard?: CtiCustomerLifecycle;
  @state() private data: Customer360 | null = null;
  @state() private loadError: UiMessage | null = null;
  /** Announced politely after a change the user made on this page. */
  @state() private announcement: UiMessage | null = null;

  @query('cti-customer-edit') private editor!: CtiCustomerEdit;

  private readonly i18n = new I18nController(this);
  private readonly crmLink = new CrmLinkController(this);
  private readonly desk = new DeskController(this);
  @state() private linkBusy = false;
  @state() private followUpFormOpen = false;
  @state() private dialBusy = false;
  private readonly request = new LatestRequestController(this);

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('customerId')) void this.load();
  }

  private readonly load = async (): Promise<void> => {
    this.loadError = null;
    this.data = null;
    this.announcement = null;
    const outcome = await this.request.run((signal) => getCustomer(this.customerId, signal));
    if (!outcome) return;
    if ('value' in outcome) {
      // A merged customer's old link: the server redirected to the survivor, whose address replaces it.
      const survivorId = outcome.value.customer.id;
      if (survivorId !== this.customerId)
        navigate(routeHref({ name: 'customer', id: survivorId }), { replace: true });
      this.data = outcome.value;
    } else this.loadError = toUiMessage(outcome.error, { 404: 'customer.notFound' });
  };

  /** The agent found the unknown caller's record: the call joins this customer's history. */
  private readonly linkToCall = async (): Promise<void> => {
    const current = unknownCurrentCall(this.desk.snapshot.state);
    if (!current || !this.data || this.linkBusy) return;
    this.linkBusy = true;
    try {
      await linkCustomer(current.interactionId, this.data.customer.id);
      await this.load();
      this.announcement = { key: 'customer.linkedToCall' };
    } catch (error) {
      this.announcement = toUiMessage(error);
    } finally {
      this.linkBusy = false;
    }
  };

  /** Click-to-call: the agent's phone rings, then the customer's; the desk shows the call. */
  private async call(number: string, followUpId?: number): Promise<void> {
    if (!this.data || this.dialBusy) return;
    this.dialBusy = true;
    try {
      await placeCall({
        number,
        customerId: this.data.customer.id,
        ...(followUpId !== undefined && { followUpId }),
      });
      navigate(routeHref({ name: 'desk' }));
    } catch (error) {
      this.announcement = toUiMessage(error);
    } finally {
      this.dialBusy = false;
    }
  }

  private readonly openEditor = (event: Event): void => {
    this.editor.show(event.currentTarget as HTMLElement);
  };

  private readonly onCustomerUpdate = (
    event: CustomEvent<{ customer: Customer360; message: UiMessage }>,
  ): void => {
    this.data = event.detail.customer;
    this.announcement = event.detail.message;
    // An edit may have set the stage by hand: the lifecycle card shows the change.
    void this.lifecycleCard?.load();
  };

  private readonly onTierChange = (event: CustomEvent<CustomerTierChangeDetail>): void => {
    if (this.data) this.data = { ...this.data, customer: { ...this.data.customer, tier: event.detail.tier } };
    this.announcement = event.detail.message;
  };

  private attributeText(value: unknown): string {
    if (value === null || value === undefined || value === '') return this.i18n.t('common.notSet');
    if (typeof value === 'boolean') return this.i18n.t(value ? 'common.yes' : 'common.no');
    if (typeof value === 'string' || typeof value === 'number') return String(value);
    return JSON.stringify(value);
  }

  private renderProfile(data: Customer360) {
    const t = this.i18n.t.bind(this.i18n);
    const customer = data.customer;
    const attributes = Object.entries(customer.attributes);
    return html`<section class="card" aria-labelledby="profile-heading">
      <h2 id="profile-heading">${t('customer.profile')}</h2>
      <cti-facts-list
        .facts=${[
          { label: t('customer.company'), value: customer.company ?? t('common.notSet') },
          { label: t('customer.language'), value: this.i18n.languageName(customer.language) },
          { label: t('customer.since'), value: this.i18n.date(customer.createdAt) },
          { label: t('customer.tags'), value: t('customer.noTags'), chips: customer.tags },
          ...attributes.map(([name, value]) => ({ label: name, value: this.attributeText(value) })),
        ]}
      ></cti-facts-list>
    </section>`;
  }

  private readonly onContactCall = (event: CustomEvent<CustomerCallDetail>): void => {
    void this.call(event.detail.number);
  };

  private readonly onFollowUpCall = (event: CustomEvent<FollowUpCallDetail>): void => {
    const phone = this.data?.phones[0];
    if (phone) void this.call(phone.e164, event.detail.followUpId);
  };

  /** A follow-up was created here: the list shows it, without the page blanking while it reloads. */
  private readonly onFollowUpCreated = async (): Promise<void> => {
    this.followUpFormOpen = false;
    this.announcement = { key: 'followUpForm.created' };
    const outcome = await this.request.run((signal) => getCustomer(this.customerId, signal));
    if (outcome && 'value' in outcome) this.data = outcome.value;
  };

  private renderFollowUps(data: Customer360) {
    const t = this.i18n.t.bind(this.i18n);
    const callbackPhone = data.customer.doNotCall ? undefined : data.phones[0];
    return html`<section class="card" aria-labelledby="follow-ups-heading">
      <div class="spread">
        <h2 id="follow-ups-heading">${t('followUps.title')}</h2>
        ${
          data.customer.erased || this.followUpFormOpen
            ? nothing
            : html`<button
                type="button"
                data-action="new-follow-up"
                @click=${() => (this.followUpFormOpen = true)}
              >
                ${t('followUps.new')}
              </button>`
        }
      </div>
      ${
        this.followUpFormOpen
          ? html`<cti-follow-up-form
              .customerId=${data.customer.id}
              .viewerRole=${this.viewerRole}
              @cti-follow-up-created=${this.onFollowUpCreated}
              @cti-follow-up-form-close=${() => (this.followUpFormOpen = false)}
            ></cti-follow-up-form>`
          : nothing
      }
      ${
        data.openFollowUps.length === 0
          ? html`<p class="muted">${t('followUps.empty')}</p>`
          : html`<ul class="plain">
              ${data.openFollowUps.map(
                (followUp) =>
                  html`<li class="follow-up">
                    <cti-follow-up-item
                      detailed
                      .followUp=${followUp}
                      .callbackNumber=${callbackPhone?.display ?? null}
                      ?busy=${this.dialBusy}
                      @cti-follow-up-call=${this.onFollowUpCall}
                    ></cti-follow-up-item>
                  </li>`,
              )}
            </ul>`
      }
    </section>`;
  }

  private renderCustomer(data: Customer360) {
    const t = this.i18n.t.bind(this.i18n);
    const customer = data.customer;
    return html`
      <div class="page-header spread">
        <cti-customer-header .tier=${customer.tier} .stage=${customer.lifecycleStage}
          ><h1>${customer.name}</h1></cti-customer-header
        >
        <div class="header-actions">
          ${
            customer.erased
              ? nothing
              : html`<cti-crm-link
                  .template=${this.crmLink.template}
                  .customerId=${customer.id}
                  .phone=${data.phones[0]?.e164 ?? null}
                ></cti-crm-link>`
          }
          ${
            !customer.erased && unknownCurrentCall(this.desk.snapshot.state)
              ? html`<button
                  type="button"
                  aria-disabled=${this.linkBusy ? 'true' : 'false'}
                  @click=${this.linkToCall}
                >
                  ${t('customer.linkToCall')}
                </button>`
              : nothing
          }
          ${
            customer.erased
              ? nothing
              : html`<button type="button" @click=${this.openEditor}>${t('customer.edit')}</button>`
          }
        </div>
      </div>
      ${
        customer.doNotCall
          ? html`<div class="dnc">
              <span class="icon" aria-hidden="true">⚠</span>
              <p>
                <strong class="dnc-title">${t('customer.doNotCall')}</strong>
                ${t('customer.doNotCallWarning')}
              </p>
            </div>`
          : nothing
      }
      ${customer.erased ? html`<p class="notice">${t('customer.erased')}</p>` : nothing}
      <div class="grid">
        ${this.renderProfile(data)}
        <cti-customer-contact
          .customer=${data}
          ?busy=${this.dialBusy}
          @cti-customer-call=${this.onContactCall}
        ></cti-customer-contact>
        <cti-customer-stats .stats=${data.stats}></cti-customer-stats>
        <cti-customer-value
          .customerId=${customer.id}
          ?canOverride=${this.viewerRole !== 'agent' && !customer.erased}
          @cti-customer-tier-change=${this.onTierChange}
        ></cti-customer-value>
        <cti-customer-lifecycle .customerId=${customer.id}></cti-customer-lifecycle>
        ${this.renderFollowUps(data)}
        <cti-customer-notes
          class="notes"
          .customerId=${customer.id}
          .notes=${data.notes}
          ?erased=${customer.erased}
          @cti-customer-update=${this.onCustomerUpdate}
        ></cti-customer-notes>
        <cti-customer-privacy
          .customer=${data}
          .viewerRole=${this.viewerRole}
          @cti-customer-update=${this.onCustomerUpdate}
        ></cti-customer-privacy>
      </div>
      <cti-customer-timeline .customerId=${customer.id}></cti-customer-timeline>
      <cti-customer-edit .customer=${data} @cti-customer-update=${this.onCustomerUpdate}></cti-customer-edit>
    `;
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    return html`
      <a class="back" href="/customers">← ${t('customer.backToSearch')}</a>
      <p class="visually-hidden" role="status">
        ${this.announcement ? this.i18n.message(this.announcement) : ''}
      </p>
      ${this.request.loading ? html`<p class="status" role="status">${t('common.loading')}</p>` : nothing}
      ${
        this.loadError
          ? html`<div class="error" role="alert">${this.i18n.message(this.loadError)}</div>
              <p><button type="button" @click=${this.load}>${t('common.retry')}</button></p>`
          : nothing
      }
      ${this.data ? this.renderCustomer(this.data) : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-customer-page': CtiCustomerPage;
  }
}
