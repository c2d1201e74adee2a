import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { CustomerNote } from '../../server/customers/customers.schemas.js';
import { toUiMessage } from '../app/errors.js';
import { emit } from '../components/events.js';
import { addNote } from '../data/customers.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';
import { customerCard } from './customer-card.styles.js';

/**
 * A customer's notes, newest first, with a form to add one (none for an erased customer). Fires
 * `cti-customer-update` with the updated Customer360 once a note is saved.
 */
@customElement('cti-customer-notes')
export class CtiCustomerNotes extends LitElement {
  static override styles = [
    shared,
    customerCard,
    css`
      .note + .note {
        border-top: 1px solid var(--cti-color-border);
      }
      .note {
        padding: var(--cti-space-3) 0;
      }
      form.add-note {
        margin-bottom: var(--cti-space-3);
      }
      .form-actions {
        margin-top: var(--cti-space-2);
      }
      .error:not(:empty) {
        margin-top: var(--cti-space-2);
      }
    `,
  ];

  @property({ type: Number }) customerId = 0;
  @property({ attribute: false }) notes: readonly CustomerNote[] = [];
  /** An erased customer keeps the notes it had but takes no new ones. */
  @property({ type: Boolean }) erased = false;

  @state() private busy = false;
  @state() private error: UiMessage | null = null;

  @query('#note') private input!: HTMLTextAreaElement;

  private readonly i18n = new I18nController(this);

  private readonly onAdd = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    if (this.busy) return;
    const body = this.input.value.trim();
    if (!body) {
      this.error = { key: 'notes.required' };
      this.input.focus();
      return;
    }
    this.busy = true;
    this.error = null;
    try {
      const customer = await addNote(this.customerId, { body });
      this.input.value = '';
      emit(this, 'cti-customer-update', { customer, message: { key: 'notes.added' } });
    } catch (error) {
      this.error = toUiMessage(error);
    } finally {
      this.busy = false;
    }
  };

  private renderForm() {
    const t = this.i18n.t.bind(this.i18n);
    return html`<form class="add-note" @submit=${this.onAdd}>
      <label for="note">${t('notes.label')}</label>
      <textarea id="note" name="note" rows="3" maxlength="5000"></textarea>
      <div class="form-actions">
        <button type="submit" class="primary" aria-disabled=${this.busy ? 'true' : 'false'}>
          ${t('notes.add')}
        </button>
        <span class="status" aria-live="polite">${this.busy ? t('notes.adding') : ''}</span>
      </div>
      <div class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</div>
    </form>`;
  }

  private renderNote(note: CustomerNote) {
    return html`<li class="note">
      <p class="written">${note.body}</p>
      <p class="meta">
        ${note.authorName ?? this.i18n.t('notes.unknownAuthor')} ·
        <time datetime=${note.createdAt}>${this.i18n.dateTime(note.createdAt)}</time>
      </p>
    </li>`;
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    return html`<section class="card" aria-labelledby="notes-heading">
      <h2 id="notes-heading">${t('notes.title')}</h2>
      ${this.erased ? nothing : this.renderForm()}
      ${
        this.notes.length === 0
          ? html`<p class="muted">${t('notes.empty')}</p>`
          : html`<ol class="plain">
              ${this.notes.map((note) => this.renderNote(note))}
            </ol>`
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-customer-notes': CtiCustomerNotes;
  }
}
