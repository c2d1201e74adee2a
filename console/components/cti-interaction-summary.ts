import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { InteractionSummary } from '../../server/interactions/interactions.schemas.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { shared } from '../styles/shared.js';
import { facts } from './cti-facts-list.js';
import './cti-facts-list.js';
import './cti-outcome-badge.js';
import { emit, focusRendered } from './events.js';

export interface InteractionToggleDetail {
  interactionId: number;
}

/**
 * One past contact. `line`: when, queue, outcome and wrap-up code on one line, with the notes below (the
 * desk's recent contacts). `card`: a headed card with every figure and a button that shows or hides the
 * slotted events (the customer's timeline); the button fires `cti-interaction-toggle`.
 */
@customElement('cti-interaction-summary')
export class CtiInteractionSummary extends LitElement {
  static override styles = [
    shared,
    css`
      .when {
        font-weight: 600;
        font-variant-numeric: tabular-nums;
      }
      .code {
        padding: 0 var(--cti-space-2);
        border-radius: var(--cti-radius-sm);
        background: var(--cti-color-primary-soft);
      }
      .notes {
        margin-top: var(--cti-space-1);
      }
      article {
        padding: var(--cti-space-3) var(--cti-space-4);
      }
      h3 {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cti-space-1) var(--cti-space-3);
        margin-bottom: var(--cti-space-2);
      }
      .direction {
        font-weight: 400;
        font-size: var(--cti-font-size-sm);
        color: var(--cti-color-text-muted);
      }
      cti-facts-list {
        margin-bottom: var(--cti-space-3);
      }
      button.toggle {
        min-height: 2.25rem;
        padding-inline: var(--cti-space-3);
        font-size: var(--cti-font-size-sm);
      }
      .toggle .chevron {
        display: inline-block;
        transition: transform 120ms ease;
      }
      .toggle[aria-expanded='true'] .chevron {
        transform: rotate(90deg);
      }
      .events {
        margin-top: var(--cti-space-3);
        padding-top: var(--cti-space-3);
        border-top: 1px solid var(--cti-color-border);
      }
    `,
  ];

  @property({ attribute: false }) interaction: InteractionSummary | null = null;
  @property() variant: 'line' | 'card' = 'line';
  /** The card's events are shown. */
  @property({ type: Boolean }) expanded = false;

  private readonly i18n = new I18nController(this);

  /** Moves focus to the card's heading, so a keyboard user continues from this contact. */
  async focusHeading(): Promise<void> {
    await focusRendered(this, 'h3');
  }

  private readonly toggle = (): void => {
    if (!this.interaction) return;
    emit(this, 'cti-interaction-toggle', { interactionId: this.interaction.id });
  };

  private renderLine(item: InteractionSummary) {
    const t = this.i18n.t.bind(this.i18n);
    return html`<div class="line">
        <time class="when" datetime=${item.arrivedAt}>${this.i18n.dateTime(item.arrivedAt)}</time>
        <span>${item.queueName ?? t('timeline.noQueue')}</span>
        <cti-outcome-badge
          .outcome=${item.outcome}
          pending=${t('interactions.inProgress')}
        ></cti-outcome-badge>
        <span class="code"
          ><span class="visually-hidden">${t('timeline.wrapUp')}: </span>${
            item.wrapUpCode?.label ?? t('desk.recent.noWrapUp')
          }</span
        >
      </div>
      ${item.notes ? html`<p class="notes written">${item.notes}</p>` : nothing}`;
  }

  private renderCard(item: InteractionSummary) {
    const t = this.i18n.t.bind(this.i18n);
    const duration = (seconds: number | null) => this.i18n.duration(seconds);
    return html`<article class="card" aria-labelledby="heading">
      <h3 id="heading" tabindex="-1">
        <time datetime=${item.arrivedAt}>${this.i18n.dateTime(item.arrivedAt)}</time>
        <cti-outcome-badge .outcome=${item.outcome} pending=${t(`state.${item.state}`)}></cti-outcome-badge>
        <span class="direction">${t(`direction.${item.direction}`)}</span>
      </h3>
      <cti-facts-list
        layout="tiles"
        .facts=${facts(
          { label: t('timeline.queue'), value: item.queueName ?? t('timeline.noQueue') },
          { label: t('timeline.agent'), value: item.agentName ?? t('timeline.noAgent') },
          { label: t('timeline.talk'), value: duration(item.talkSeconds), kind: 'number' },
          { label: t('timeline.wait'), value: duration(item.waitSeconds), kind: 'number' },
          item.heldSeconds > 0 && {
            label: t('timeline.held'),
            value: duration(item.heldSeconds),
            kind: 'number',
          },
          { label: t('timeline.wrapUp'), value: item.wrapUpCode?.label ?? t('common.notSet') },
          Boolean(item.callerNumber) && {
            label: t('timeline.caller'),
            value: item.callerNumber,
            kind: 'number',
          },
          Boolean(item.notes) && { label: t('timeline.notes'), value: item.notes, kind: 'note' },
        )}
      ></cti-facts-list>
      <button
        type="button"
        class="toggle"
        aria-expanded=${this.expanded ? 'true' : 'false'}
        aria-controls="events"
        aria-describedby="heading"
        @click=${this.toggle}
      >
        <span class="chevron" aria-hidden="true">▸</span
        >${t(this.expanded ? 'timeline.hideEvents' : 'timeline.showEvents')}
      </button>
      <div id="events" class="events" ?hidden=${!this.expanded}><slot></slot></div>
    </article>`;
  }

  override render() {
    const item = this.interaction;
    if (!item) return nothing;
    return this.variant === 'card' ? this.renderCard(item) : this.renderLine(item);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-interaction-summary': CtiInteractionSummary;
  }
  interface HTMLElementEventMap {
    'cti-interaction-toggle': CustomEvent<InteractionToggleDetail>;
  }
}
