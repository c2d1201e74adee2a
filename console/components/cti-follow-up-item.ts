import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { FollowUp } from '../../server/customers/customers.schemas.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { shared } from '../styles/shared.js';
import { emit } from './events.js';

export interface FollowUpCallDetail {
  followUpId: number;
}

/**
 * One follow-up: its kind, title, priority (unless normal), status (unless open), when it is due (and
 * whether that has passed while it is still to do) and its note. `detailed` adds who owns it and for
 * which queue. A callback with a `callbackNumber` offers "Call back on …", which fires
 * `cti-follow-up-call`. Slotted content (a worklist's customer link and actions) comes last.
 */
@customElement('cti-follow-up-item')
export class CtiFollowUpItem extends LitElement {
  static override styles = [
    shared,
    css`
      .kind {
        font-weight: 700;
      }
      .overdue {
        color: var(--cti-color-danger);
        font-weight: 700;
      }
      .line {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-1) var(--cti-space-3);
      }
      .title {
        margin: var(--cti-space-1) 0 0;
        font-weight: 600;
      }
      .priority-high,
      .priority-urgent {
        color: var(--cti-color-warning-text);
        font-weight: 700;
      }
      .note {
        margin-top: var(--cti-space-1);
      }
      button {
        min-height: 2rem;
        margin-top: var(--cti-space-2);
        padding-block: 0;
      }
    `,
  ];

  @property({ attribute: false }) followUp: FollowUp | null = null;
  @property({ type: Boolean }) detailed = false;
  /** The number a callback would dial, as shown; none (do not call, no phone) hides the button. */
  @property() callbackNumber: string | null = null;
  /** A call is being placed: the button says so but stays focusable. */
  @property({ type: Boolean }) busy = false;

  private readonly i18n = new I18nController(this);

  private readonly call = (): void => {
    if (!this.followUp || this.busy) return;
    emit(this, 'cti-follow-up-call', { followUpId: this.followUp.id });
  };

  private renderMeta(followUp: FollowUp) {
    const t = this.i18n.t.bind(this.i18n);
    return html`<p class="meta">
      ${[
        followUp.ownerName ? t('followUps.owner', { name: followUp.ownerName }) : '',
        followUp.queueName ? t('followUps.queue', { name: followUp.queueName }) : '',
      ]
        .filter(Boolean)
        .join(' · ')}
    </p>`;
  }

  override render() {
    const followUp = this.followUp;
    if (!followUp) return nothing;
    const t = this.i18n.t.bind(this.i18n);
    const toDo = followUp.status === 'open' || followUp.status === 'in_progress';
    const overdue = toDo && Date.parse(followUp.dueAt) < Date.now();
    return html`<div class="line">
        <span class="kind">${t(`followUps.kind.${followUp.kind}`)}</span>
        ${
          followUp.priority !== 'normal'
            ? html`<span class="priority-${followUp.priority}"
                >${t(`followUps.priority.${followUp.priority}`)}</span
              >`
            : nothing
        }
        ${followUp.status !== 'open' ? html`<span>${t(`followUps.status.${followUp.status}`)}</span>` : nothing}
        <span>${t('followUps.due', { date: this.i18n.dateTime(followUp.dueAt) })}</span>
        ${overdue ? html`<span class="overdue">${t('followUps.overdue')}</span>` : nothing}
      </div>
      ${followUp.title ? html`<p class="title written">${followUp.title}</p>` : nothing}
      ${followUp.note ? html`<p class="note written">${followUp.note}</p>` : nothing}
      ${this.detailed ? this.renderMeta(followUp) : nothing}
      ${
        followUp.kind === 'callback' && this.callbackNumber
          ? html`<button type="button" aria-disabled=${this.busy ? 'true' : 'false'} @click=${this.call}>
              ${t('followUps.callBack', { number: this.callbackNumber })}
            </button>`
          : nothing
      }
      <slot></slot>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-follow-up-item': CtiFollowUpItem;
  }
  interface HTMLElementEventMap {
    'cti-follow-up-call': CustomEvent<FollowUpCallDetail>;
  }
}
