import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Customer360, CustomerNote } from '../../server/customers/customers.schemas.js';
import type { FollowUp } from '../../contracts/customer.js';
import { toUiMessage } from '../app/errors.js';
import '../components/cti-tier-badge.js';
import { isAbortError } from '../data/api.js';
import { addNote, getCustomer } from '../data/customers.data.js';
import { DeskController } from '../agent/desk-controller.js';
import { unknownCurrentCall } from '../agent/desk-view.js';
import { linkCustomer } from '../data/interactions.data.js';
import { placeCall } from '../data/calls.data.js';
import { navigate } from '../app/navigation.js';
import { routeHref } from '../app/routes.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';
import './cti-customer-edit.js';
import type { CtiCustomerEdit } from './cti-customer-edit.js';
import './cti-customer-timeline.js';

/**
 * The customer 360: profile, contact details, open follow-ups and notes, then the contact history.
 */
@customElement('cti-customer-page')
export class CtiCustomerPage extends LitElement {
  static override styles = [
    shared,
    css`
      .back {
        display: inline-block;
        margin-bottom: var(--cti-space-3);
        font-size: var(--cti-font-size-sm);
      }
      .page-header {
        display: flex;
        flex-wrap: wrap;
        align-items: flex-start;
        justify-content: space-between;
        gap: var(--cti-space-3);
        margin-bottom: var(--cti-space-4);
      }
      .header-actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-2);
      }
      .title {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cti-space-2) var(--cti-space-3);
        min-width: 0;
      }
      h1 {
        overflow-wrap: anywhere;
      }
      h1:focus {
        outline: none;
      }
      .stage {
        display: inline-flex;
        padding: 0.1em 0.6em;
        border: 1px solid var(--cti-color-border-strong);
        border-radius: var(--cti-radius-pill);
        font-size: var(--cti-font-size-sm);
        font-weight: 600;
        background: var(--cti-color-surface);
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
      .card h2 {
        margin-bottom: var(--cti-space-3);
        font-size: 1.0625rem;
      }
      .card h3 {
        margin: var(--cti-space-3) 0 var(--cti-space-1);
        font-size: var(--cti-font-size-sm);
        color: var(--cti-color-text-muted);
      }
      .notes {
        grid-column: 1 / -1;
      }
      dl.facts {
        display: grid;
        grid-template-columns: minmax(7rem, max-content) minmax(0, 1fr);
        gap: var(--cti-space-2) var(--cti-space-4);
        margin: 0;
      }
      dl.facts dt {
        color: var(--cti-color-text-muted);
        font-size: var(--cti-font-size-sm);
      }
      dl.facts dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      ul.plain,
      ol.plain {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      ul.plain li {
        padding: var(--cti-space-1) 0;
        overflow-wrap: anywhere;
      }
      .chips {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-1);
      }
      .chip {
        padding: 0 var(--cti-space-2);
        border-radius: var(--cti-radius-sm);
        background: var(--cti-color-primary-soft);
        font-size: var(--cti-font-size-sm);
      }
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
      .stats {
        display: grid;
        grid-template-columns: repeat(2, minmax(0, 1fr));
        gap: var(--cti-space-3);
        margin: 0;
      }
      .stats div {
        padding: var(--cti-space-2) var(--cti-space-3);
        border-radius: var(--cti-radius-md);
        background: var(--cti-color-surface-muted);
      }
      .stats dt {
        font-size: var(--cti-font-size-sm);
        color: var(--cti-color-text-muted);
      }
      .stats dd {
        margin: 0;
        font-size: var(--cti-font-size-lg);
        font-weight: 700;
      }
      .stats dd.small {
        font-size: var(--cti-font-size-md);
      }
      .follow-up + .follow-up,
      .note + .note {
        border-top: 1px solid var(--cti-color-border);
      }
      .follow-up,
      .note {
        padding: var(--cti-space-3) 0;
      }
      .follow-up .kind {
        font-weight: 700;
      }
      .overdue {
        margin-left: var(--cti-space-2);
        color: var(--cti-color-danger);
        font-weight: 700;
      }
      .note-body {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .meta {
        margin-top: var(--cti-space-1);
        font-size: var(--cti-font-size-sm);
        color: var(--cti-color-text-muted);
      }
      form.add-note {
        margin-bottom: var(--cti-space-3);
      }
      .form-actions {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cti-space-3);
        margin-top: var(--cti-space-2);
      }
      .error:not(:empty) {
        margin-top: var(--cti-space-2);
      }
    `,
  ];

  @property({ type: Number }) customerId = 0;

  @state() private data: Customer360 | null = null;
  @state() private loading = false;
  @state() private loadError: UiMessage | null = null;
  @state() private noteBusy = false;
  @state() private noteError: UiMessage | null = null;
  /** Announced politely after a change the user made on this page. */
  @state() private announcement: UiMessage | null = null;

  @query('cti-customer-edit') private editor!: CtiCustomerEdit;
  @query('#note') private noteInput!: HTMLTextAreaElement;

  private readonly i18n = new I18nController(this);
  private readonly desk = new DeskController(this);
  @state() private linkBusy = false;
  @state() private dialBusy = false;
  private loadController: AbortController | undefined;

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('customerId')) void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.loadController?.abort();
  }

  private readonly load = async (): Promise<void> => {
    this.loadController?.abort();
    const controller = new AbortController();
    this.loadController = controller;
    this.loading = true;
    this.loadError = null;
    this.data = null;
    this.announcement = null;
    try {
      this.data = await getCustomer(this.customerId, controller.signal);
    } catch (error) {
      if (isAbortError(error)) return;
      this.loadError = toUiMessage(error, { 404: 'customer.notFound' });
    } finally {
      if (this.loadController === controller) this.loading = false;
    }
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
  };

  private readonly onAddNote = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    if (this.noteBusy || !this.data) return;
    const body = this.noteInput.value.trim();
    if (!body) {
      this.noteError = { key: 'notes.required' };
      this.noteInput.focus();
      return;
    }
    this.noteBusy = true;
    this.noteError = null;
    try {
      this.data = await addNote(this.data.customer.id, { body });
      this.noteInput.value = '';
      this.announcement = { key: 'notes.added' };
    } catch (error) {
      this.noteError = toUiMessage(error);
    } finally {
      this.noteBusy = false;
    }
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
      <dl class="facts">
        <dt>${t('customer.company')}</dt>
        <dd>${customer.company ?? t('common.notSet')}</dd>
        <dt>${t('customer.language')}</dt>
        <dd>${this.i18n.languageName(customer.language)}</dd>
        <dt>${t('customer.since')}</dt>
        <dd>${this.i18n.date(customer.createdAt)}</dd>
        <dt>${t('customer.tags')}</dt>
        <dd>
          ${
            customer.tags.length === 0
              ? t('customer.noTags')
              : html`<ul class="plain chips">
                  ${customer.tags.map((tag) => html`<li class="chip">${tag}</li>`)}
                </ul>`
          }
        </dd>
        ${attributes.map(
          ([name, value]) =>
            html`<dt>${name}</dt>
              <dd>${this.attributeText(value)}</dd>`,
        )}
      </dl>
    </section>`;
  }

  private renderContact(data: Customer360) {
    const t = this.i18n.t.bind(this.i18n);
    return html`<section class="card" aria-labelledby="contact-heading">
      <h2 id="contact-heading">${t('customer.contactDetails')}</h2>
      <h3>${t('customer.phones')}</h3>
      ${
        data.phones.length === 0
          ? html`<p class="muted">${t('customer.noPhones')}</p>`
          : html`<ul class="plain">
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
                            aria-disabled=${this.dialBusy ? 'true' : 'false'}
                            @click=${() => void this.call(phone.e164)}
                          >
                            ${t('customer.call')}
                          </button>`
                    }
                  </li>`,
              )}
            </ul>`
      }
      <h3>${t('customer.emails')}</h3>
      ${
        data.emails.length === 0
          ? html`<p class="muted">${t('customer.noEmails')}</p>`
          : html`<ul class="plain">
              ${data.emails.map(
                (email) =>
                  html`<li>
                    <a href="mailto:${email.email}">${email.email}</a>${
                      email.label ? html`<span class="label">${email.label}</span>` : nothing
                    }
                  </li>`,
              )}
            </ul>`
      }
    </section>`;
  }

  private renderStats(data: Customer360) {
    const t = this.i18n.t.bind(this.i18n);
    const { stats } = data;
    const format = new Intl.NumberFormat(this.i18n.lang);
    return html`<section class="card" aria-labelledby="stats-heading">
      <h2 id="stats-heading">${t('customer.stats')}</h2>
      <dl class="stats">
        <div>
          <dt>${t('customer.stats.interactions')}</dt>
          <dd>${format.format(stats.interactions)}</dd>
        </div>
        <div>
          <dt>${t('customer.stats.answered')}</dt>
          <dd>${format.format(stats.answered)}</dd>
        </div>
        <div>
          <dt>${t('customer.stats.abandoned')}</dt>
          <dd>${format.format(stats.abandoned)}</dd>
        </div>
        <div>
          <dt>${t('customer.stats.lastContact')}</dt>
          <dd class="small">
            ${
              stats.lastContactAt
                ? html`<time datetime=${stats.lastContactAt} title=${this.i18n.dateTime(stats.lastContactAt)}
                    >${this.i18n.relative(stats.lastContactAt)}</time
                  >`
                : t('customer.stats.never')
            }
          </dd>
        </div>
      </dl>
    </section>`;
  }

  private renderFollowUp(followUp: FollowUp, data: Customer360) {
    const t = this.i18n.t.bind(this.i18n);
    const overdue = new Date(followUp.dueAt).getTime() < Date.now();
    const phone = data.customer.doNotCall ? undefined : data.phones[0];
    return html`<li class="follow-up">
      <div>
        <span class="kind">${t(`followUps.kind.${followUp.kind}`)}</span>
        · ${t('followUps.due', { date: this.i18n.dateTime(followUp.dueAt) })}
        ${overdue ? html`<span class="overdue">${t('followUps.overdue')}</span>` : nothing}
      </div>
      ${followUp.note ? html`<p class="note-body">${followUp.note}</p>` : nothing}
      <p class="meta">
        ${[
          followUp.ownerName ? t('followUps.owner', { name: followUp.ownerName }) : '',
          followUp.queueName ? t('followUps.queue', { name: followUp.queueName }) : '',
        ]
          .filter(Boolean)
          .join(' · ')}
      </p>
      ${
        followUp.kind === 'callback' && phone
          ? html`<button
              type="button"
              class="call"
              aria-disabled=${this.dialBusy ? 'true' : 'false'}
              @click=${() => void this.call(phone.e164, followUp.id)}
            >
              ${t('followUps.callBack', { number: phone.display })}
            </button>`
          : nothing
      }
    </li>`;
  }

  private renderFollowUps(data: Customer360) {
    const t = this.i18n.t.bind(this.i18n);
    return html`<section class="card" aria-labelledby="follow-ups-heading">
      <h2 id="follow-ups-heading">${t('followUps.title')}</h2>
      ${
        data.openFollowUps.length === 0
          ? html`<p class="muted">${t('followUps.empty')}</p>`
          : html`<ul class="plain">
              ${data.openFollowUps.map((followUp) => this.renderFollowUp(followUp, data))}
            </ul>`
      }
    </section>`;
  }

  private renderNote(note: CustomerNote) {
    return html`<li class="note">
      <p class="note-body">${note.body}</p>
      <p class="meta">
        ${note.authorName ?? this.i18n.t('notes.unknownAuthor')} ·
        <time datetime=${note.createdAt}>${this.i18n.dateTime(note.createdAt)}</time>
      </p>
    </li>`;
  }

  private renderNotes(data: Customer360) {
    const t = this.i18n.t.bind(this.i18n);
    return html`<section class="card notes" aria-labelledby="notes-heading">
      <h2 id="notes-heading">${t('notes.title')}</h2>
      ${
        data.customer.erased
          ? nothing
          : html`<form class="add-note" @submit=${this.onAddNote}>
              <label for="note">${t('notes.label')}</label>
              <textarea id="note" name="note" rows="3" maxlength="5000"></textarea>
              <div class="form-actions">
                <button type="submit" class="primary" aria-disabled=${this.noteBusy ? 'true' : 'false'}>
                  ${t('notes.add')}
                </button>
                <span class="status" aria-live="polite">${this.noteBusy ? t('notes.adding') : ''}</span>
              </div>
              <div class="error" role="alert">${this.noteError ? this.i18n.message(this.noteError) : ''}</div>
            </form>`
      }
      ${
        data.notes.length === 0
          ? html`<p class="muted">${t('notes.empty')}</p>`
          : html`<ol class="plain">
              ${data.notes.map((note) => this.renderNote(note))}
            </ol>`
      }
    </section>`;
  }

  private renderCustomer(data: Customer360) {
    const t = this.i18n.t.bind(this.i18n);
    const customer = data.customer;
    return html`
      <div class="page-header">
        <div class="title">
          <h1>${customer.name}</h1>
          <cti-tier-badge .tier=${customer.tier}></cti-tier-badge>
          <span class="stage"
            ><span class="visually-hidden">${t('lifecycle.label')}: </span>${this.i18n.lifecycle(
              customer.lifecycleStage,
            )}</span
          >
        </div>
        <div class="header-actions">
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
        ${this.renderProfile(data)} ${this.renderContact(data)} ${this.renderStats(data)}
        ${this.renderFollowUps(data)} ${this.renderNotes(data)}
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
      ${this.loading ? html`<p class="status" role="status">${t('common.loading')}</p>` : nothing}
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
