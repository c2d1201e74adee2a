import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { InteractionDetail, InteractionEvent } from '../../server/interactions/interactions.schemas.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { shared } from '../styles/shared.js';
import './cti-recording-player.js';
import { eventFacts, eventLabel, ivrAnswerFacts, type LabelledFact } from './timeline-labels.js';

/** The event timeline and IVR answers of one interaction, oldest first. */
@customElement('cti-interaction-events')
export class CtiInteractionEvents extends LitElement {
  static override styles = [
    shared,
    css`
      h4 {
        margin: 0 0 var(--cti-space-2);
        font-size: var(--cti-font-size-sm);
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        border-left: 2px solid var(--cti-color-border);
      }
      li {
        position: relative;
        padding: 0 0 var(--cti-space-3) var(--cti-space-4);
      }
      li::before {
        content: '';
        position: absolute;
        left: -6px;
        top: 0.45rem;
        width: 10px;
        height: 10px;
        border-radius: 50%;
        background: var(--cti-color-primary);
      }
      .when {
        font-variant-numeric: tabular-nums;
        font-size: var(--cti-font-size-sm);
        color: var(--cti-color-text-muted);
      }
      .what {
        font-weight: 600;
      }
      dl.data {
        display: grid;
        grid-template-columns: max-content minmax(0, 1fr);
        gap: 0 var(--cti-space-3);
        margin: var(--cti-space-1) 0 0;
        font-size: var(--cti-font-size-sm);
      }
      dl.data dt {
        color: var(--cti-color-text-muted);
      }
      dl.data dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      section + section {
        margin-top: var(--cti-space-4);
      }
    `,
  ];

  @property({ attribute: false }) detail: InteractionDetail | null = null;

  private readonly i18n = new I18nController(this);

  private renderFacts(facts: readonly LabelledFact[]) {
    if (facts.length === 0) return nothing;
    return html`<dl class="data">
      ${facts.map(
        ({ label, value }) =>
          html`<dt>${label}</dt>
            <dd>${value}</dd>`,
      )}
    </dl>`;
  }

  private renderEvent(event: InteractionEvent, detail: InteractionDetail, arrivedAt: number) {
    const offset = (new Date(event.at).getTime() - arrivedAt) / 1000;
    return html`<li>
      <div class="when">
        <time datetime=${event.at}>${this.i18n.time(event.at)}</time>
        · ${this.i18n.t('timeline.eventOffset', { offset: this.i18n.duration(offset) })}
      </div>
      <div class="what">
        ${eventLabel(event.type, this.i18n)}${event.agentName ? ` · ${event.agentName}` : ''}
      </div>
      ${this.renderFacts(eventFacts(event, detail.names, this.i18n))}
    </li>`;
  }

  override render() {
    const detail = this.detail;
    if (!detail) return nothing;
    const answers = ivrAnswerFacts(detail.ivrAnswers, this.i18n);
    const arrivedAt = new Date(detail.arrivedAt).getTime();
    return html`
      ${
        detail.recordingRef !== null
          ? html`<section>
              <cti-recording-player
                .interactionId=${detail.id}
                kind=${detail.outcome === 'voicemail' ? 'voicemail' : 'recording'}
              ></cti-recording-player>
            </section>`
          : nothing
      }
      ${
        answers.length > 0
          ? html`<section>
              <h4>${this.i18n.t('timeline.ivrAnswers')}</h4>
              ${this.renderFacts(answers)}
            </section>`
          : nothing
      }
      <section>
        <h4>${this.i18n.t('timeline.eventsTitle')}</h4>
        ${
          detail.events.length === 0
            ? html`<p class="muted">${this.i18n.t('timeline.noEvents')}</p>`
            : html`<ol>
                ${detail.events.map((event) => this.renderEvent(event, detail, arrivedAt))}
              </ol>`
        }
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-interaction-events': CtiInteractionEvents;
  }
}
