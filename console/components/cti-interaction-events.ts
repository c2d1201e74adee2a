import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { InteractionDetail, InteractionEvent } from '../../server/interactions/interactions.schemas.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { isOutcome } from '../data/vocabulary.js';
import { hasMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';
import './cti-recording-player.js';

function valueText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value);
}

/** Event data that only repeats ids; the names are already shown. */
const HIDDEN_DATA = new Set(['queueId', 'agentId']);

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

  private eventLabel(type: string): string {
    const key = `event.${type}`;
    // Event types are open-ended strings in the API; a type we have no words for is shown as recorded.
    return hasMessage(key) ? this.i18n.t(key) : type.replaceAll('_', ' ');
  }

  /** A data entry as [label, value] in the current language; keys we do not know are shown as recorded. */
  private dataEntry(name: string, value: unknown): [string, string] {
    const t = this.i18n.t.bind(this.i18n);
    if ((name === 'waitSeconds' || name === 'heldSeconds') && typeof value === 'number') {
      return [t(name === 'waitSeconds' ? 'timeline.wait' : 'timeline.held'), this.i18n.duration(value)];
    }
    if (name === 'outcome' && typeof value === 'string' && isOutcome(value)) {
      return [t('outcome.label'), this.i18n.outcome(value)];
    }
    if (name === 'wrapUpCode')
      return [t('timeline.wrapUp'), value === null ? t('common.notSet') : valueText(value)];
    if (name === 'language' && typeof value === 'string')
      return [t('timeline.ivr.language'), this.i18n.languageName(value)];
    // A survey's "was your problem solved?" is a yes or a no, in the reader's language.
    if (name === 'resolved' && typeof value === 'boolean')
      return [t('timeline.ivr.resolved'), t(value ? 'common.yes' : 'common.no')];
    const key = `timeline.ivr.${name}`;
    return [hasMessage(key) ? t(key) : name, valueText(value)];
  }

  private renderData(entries: [string, unknown][]) {
    if (entries.length === 0) return nothing;
    return html`<dl class="data">
      ${entries.map(([name, value]) => {
        const [label, text] = this.dataEntry(name, value);
        return html`<dt>${label}</dt>
          <dd>${text}</dd>`;
      })}
    </dl>`;
  }

  private renderEvent(event: InteractionEvent, detail: InteractionDetail, arrivedAt: number) {
    // IVR answers are listed once, above the events, rather than again under the event that recorded them.
    const data = Object.entries(event.data).filter(
      ([name, value]) =>
        !HIDDEN_DATA.has(name) && !(name in detail.ivrAnswers && detail.ivrAnswers[name] === value),
    );
    const offset = (new Date(event.at).getTime() - arrivedAt) / 1000;
    return html`<li>
      <div class="when">
        <time datetime=${event.at}>${this.i18n.time(event.at)}</time>
        · ${this.i18n.t('timeline.eventOffset', { offset: this.i18n.duration(offset) })}
      </div>
      <div class="what">${this.eventLabel(event.type)}${event.agentName ? ` · ${event.agentName}` : ''}</div>
      ${this.renderData(data)}
    </li>`;
  }

  override render() {
    const detail = this.detail;
    if (!detail) return nothing;
    const answers = Object.entries(detail.ivrAnswers);
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
              ${this.renderData(answers)}
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
