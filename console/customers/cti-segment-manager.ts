import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { toUiMessage } from '../app/errors.js';
import { emit } from '../components/events.js';
import { deleteSegment, updateSegment, type Segment } from '../data/segments.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';

/**
 * Supervisors' and admins' list of saved segments: rename and delete. Fires `cti-segments-changed`
 * after a change so the page reloads the list (the server checks the role again).
 */
@customElement('cti-segment-manager')
export class CtiSegmentManager extends LitElement {
  static override styles = [
    shared,
    css`
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--cti-space-2);
      }
      li {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: var(--cti-space-2);
      }
      li .field {
        flex: 1 1 14rem;
        margin: 0;
      }
      .count {
        color: var(--cti-color-text-muted);
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  @property({ attribute: false }) segments: Segment[] = [];

  @state() private error: UiMessage | null = null;
  @state() private announcement: UiMessage | null = null;
  @state() private busy = false;

  private readonly i18n = new I18nController(this);

  private async run(command: () => Promise<UiMessage>): Promise<void> {
    this.busy = true;
    this.announcement = null;
    this.error = null;
    try {
      this.announcement = await command();
      emit(this, 'cti-segments-changed');
    } catch (error) {
      this.error = toUiMessage(error, { 409: 'segments.nameTaken' });
    }
    this.busy = false;
  }

  private rename(segment: Segment): void {
    const input = this.renderRoot.querySelector<HTMLInputElement>(`#name-${segment.id}`);
    const name = input?.value.trim() ?? '';
    if (name === '' || name === segment.name) return;
    void this.run(async () => {
      await updateSegment(segment.id, { name });
      return { key: 'segments.renamed', params: { name } };
    });
  }

  private deleteOne(segment: Segment): void {
    if (!confirm(this.i18n.t('segments.confirmDelete', { name: segment.name }))) return;
    void this.run(async () => {
      await deleteSegment(segment.id);
      return { key: 'segments.deleted', params: { name: segment.name } };
    });
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    if (this.segments.length === 0) return html`<p class="hint">${t('segments.empty')}</p>`;
    return html`<ul>
        ${this.segments.map(
          (segment) =>
            html`<li>
              <div class="field">
                <label for=${`name-${segment.id}`}>${t('segments.name')}</label>
                <input id=${`name-${segment.id}`} .value=${segment.name} maxlength="100" autocomplete="off" />
              </div>
              <span class="count">${this.i18n.plural('segments.members', segment.count)}</span>
              <button type="button" ?disabled=${this.busy} @click=${() => this.rename(segment)}>
                ${t('segments.rename')}
              </button>
              <button
                type="button"
                class="danger"
                ?disabled=${this.busy}
                @click=${() => this.deleteOne(segment)}
              >
                ${t('segments.delete')}
              </button>
            </li>`,
        )}
      </ul>
      <p class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</p>
      <p class="visually-hidden" role="status">
        ${this.announcement ? this.i18n.message(this.announcement) : ''}
      </p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-segment-manager': CtiSegmentManager;
  }
  interface HTMLElementEventMap {
    'cti-segments-changed': CustomEvent<undefined>;
  }
}
