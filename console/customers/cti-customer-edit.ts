import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { Customer360, UpdateCustomerBody } from '../../server/customers/customers.schemas.js';
import type { LifecycleStage } from '../../contracts/glossary.js';
import { toUiMessage } from '../app/errors.js';
import { selectField, textField } from '../components/fields.js';
import { updateCustomer } from '../data/customers.data.js';
import { isLifecycleStage, LIFECYCLE_STAGES } from '../data/vocabulary.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';
import './cti-customer-add-phone.js';
import { emit } from '../components/events.js';

/** The server's pattern for a BCP 47 language tag (customers.schemas.ts), checked here to explain mistakes early. */
const LANGUAGE_TAG = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/;

interface Draft {
  name: string;
  company: string;
  lifecycleStage: LifecycleStage;
  language: string;
  tags: string;
  doNotCall: boolean;
}

export interface CustomerUpdateDetail {
  customer: Customer360;
  /** What changed, for the page to announce. */
  message: UiMessage;
}

function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,，]/)
        .map((tag) => tag.trim())
        .filter(Boolean),
    ),
  ];
}

/**
 * Modal editor for a customer's profile, with adding a phone number (`cti-customer-add-phone`). Saves through the API and fires
 * `cti-customer-update` with the updated Customer360 after each successful change. The tier is not
 * here: it is computed from the customer's value, and only supervisors override it (`cti-customer-value`).
 */
@customElement('cti-customer-edit')
export class CtiCustomerEdit extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: contents;
      }
      dialog {
        width: min(calc(100vw - 1.5rem), 40rem);
        max-height: calc(100dvh - 1.5rem);
        padding: 0;
        border: none;
        border-radius: var(--cti-radius-md);
        box-shadow: 0 12px 40px rgb(16 24 40 / 30%);
        color: var(--cti-color-text);
      }
      dialog::backdrop {
        background: rgb(16 24 40 / 55%);
      }
      .body {
        padding: var(--cti-space-5);
      }
      h2 {
        margin-bottom: var(--cti-space-4);
      }
      h3 {
        margin: var(--cti-space-2) 0 var(--cti-space-3);
      }
      .fields {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 14rem), 1fr));
        gap: 0 var(--cti-space-4);
      }
      .wide {
        grid-column: 1 / -1;
      }
      .check {
        display: flex;
        align-items: center;
        gap: var(--cti-space-2);
      }
      .check label {
        margin: 0;
      }
      .error:not(:empty) {
        margin-top: var(--cti-space-3);
      }
      footer {
        position: sticky;
        bottom: 0;
        display: flex;
        flex-wrap: wrap;
        justify-content: flex-end;
        align-items: center;
        gap: var(--cti-space-3);
        padding: var(--cti-space-3) var(--cti-space-5);
        border-top: 1px solid var(--cti-color-border);
        background: var(--cti-color-surface-muted);
      }
    `,
  ];

  @property({ attribute: false }) customer: Customer360 | null = null;

  @state() private draft: Draft | null = null;
  @state() private busy = false;
  @state() private error: UiMessage | null = null;

  @query('dialog') private dialog!: HTMLDialogElement;
  @query('#name') private nameInput!: HTMLInputElement;

  private readonly i18n = new I18nController(this);
  private opener: HTMLElement | null = null;

  /** Opens the editor with the customer's current values; focus returns to `opener` when it closes. */
  show(opener: HTMLElement | null = null): void {
    const profile = this.customer?.customer;
    if (!profile) return;
    this.opener = opener;
    this.draft = {
      name: profile.name,
      company: profile.company ?? '',
      lifecycleStage: profile.lifecycleStage,
      language: profile.language,
      tags: profile.tags.join(', '),
      doNotCall: profile.doNotCall,
    };
    this.error = null;
    this.dialog.showModal();
    void this.updateComplete.then(() => this.nameInput.focus());
  }

  private readonly close = (): void => {
    this.dialog.close();
  };

  private readonly onClose = (): void => {
    this.draft = null;
    this.opener?.focus();
    this.opener = null;
  };

  private edit<K extends keyof Draft>(field: K, value: Draft[K]): void {
    if (this.draft) this.draft = { ...this.draft, [field]: value };
  }

  private changes(draft: Draft, customer: Customer360): UpdateCustomerBody {
    const profile = customer.customer;
    const body: UpdateCustomerBody = {};
    const name = draft.name.trim();
    const company = draft.company.trim() || null;
    const language = draft.language.trim();
    const tags = parseTags(draft.tags);
    if (name !== profile.name) body.name = name;
    if (company !== profile.company) body.company = company;
    if (draft.lifecycleStage !== profile.lifecycleStage) body.lifecycleStage = draft.lifecycleStage;
    if (language !== profile.language) body.language = language;
    if (tags.join('\n') !== profile.tags.join('\n')) body.tags = tags;
    if (draft.doNotCall !== profile.doNotCall) body.doNotCall = draft.doNotCall;
    return body;
  }

  private readonly onSave = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const { draft, customer } = this;
    if (!draft || !customer || this.busy) return;
    if (!draft.name.trim()) {
      this.error = { key: 'edit.nameRequired' };
      this.nameInput.focus();
      return;
    }
    if (!LANGUAGE_TAG.test(draft.language.trim())) {
      this.error = { key: 'edit.languageInvalid' };
      return;
    }
    const body = this.changes(draft, customer);
    if (Object.keys(body).length === 0) {
      this.close();
      return;
    }
    this.busy = true;
    this.error = null;
    try {
      const updated = await updateCustomer(customer.customer.id, body);
      this.fireUpdate({ customer: updated, message: { key: 'customer.updated' } });
      this.close();
    } catch (error) {
      this.error = toUiMessage(error);
    } finally {
      this.busy = false;
    }
  };

  private fireUpdate(detail: CustomerUpdateDetail): void {
    emit(this, 'cti-customer-update', detail);
  }

  private renderFields(draft: Draft) {
    const t = this.i18n.t.bind(this.i18n);
    return html`<form id="edit-form" novalidate @submit=${this.onSave}>
      <div class="fields">
        ${textField({
          id: 'name',
          label: t('edit.name'),
          maxlength: 200,
          wide: true,
          value: draft.name,
          onInput: (value) => this.edit('name', value),
        })}
        ${textField({
          id: 'company',
          label: t('edit.company'),
          maxlength: 200,
          wide: true,
          value: draft.company,
          onInput: (value) => this.edit('company', value),
        })}
        ${selectField({
          id: 'stage',
          label: t('edit.lifecycle'),
          options: LIFECYCLE_STAGES.map((stage) => ({ value: stage, label: this.i18n.lifecycle(stage) })),
          value: draft.lifecycleStage,
          onChange: (value) => isLifecycleStage(value) && this.edit('lifecycleStage', value),
        })}
        ${textField({
          id: 'language',
          label: t('edit.language'),
          spellcheck: false,
          maxlength: 35,
          hint: t('edit.languageHint'),
          value: draft.language,
          onInput: (value) => this.edit('language', value),
        })}
        ${textField({
          id: 'tags',
          label: t('edit.tags'),
          hint: t('edit.tagsHint'),
          value: draft.tags,
          onInput: (value) => this.edit('tags', value),
        })}
        <div class="field check wide">
          <input
            id="dnc"
            type="checkbox"
            .checked=${live(draft.doNotCall)}
            @change=${(e: Event) => this.edit('doNotCall', (e.target as HTMLInputElement).checked)}
          />
          <label for="dnc">${t('edit.doNotCall')}</label>
        </div>
      </div>
      <div class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</div>
    </form>`;
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    const { draft, customer } = this;
    return html`<dialog aria-labelledby="edit-title" @close=${this.onClose}>
      ${
        draft && customer
          ? html`<div class="body">
                <h2 id="edit-title">${t('edit.title')}</h2>
                ${this.renderFields(draft)}
                <cti-customer-add-phone .customer=${customer}></cti-customer-add-phone>
              </div>
              <footer>
                <button type="button" @click=${this.close}>${t('common.cancel')}</button>
                <span class="status" aria-live="polite">${this.busy ? t('common.saving') : ''}</span>
                <button
                  type="submit"
                  form="edit-form"
                  class="primary"
                  aria-disabled=${this.busy ? 'true' : 'false'}
                >
                  ${t('edit.save')}
                </button>
              </footer>`
          : nothing
      }
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-customer-edit': CtiCustomerEdit;
  }
  interface HTMLElementEventMap {
    'cti-customer-update': CustomEvent<CustomerUpdateDetail>;
  }
}
