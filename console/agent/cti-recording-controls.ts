import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { RecordingAction } from '../../contracts/desk.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { shared } from '../styles/shared.js';
import { canStopRecording, recordingToggle, type DeskRecording } from './recording.js';
import { ariaKeyShortcut } from './shortcuts.js';
import { emit } from '../components/events.js';

export interface RecordingDetail {
  interactionId: number;
  action: RecordingAction;
}

/**
 * The recording of the call on the desk: whether it runs, and the button to pause or resume it (to
 * start it, on a queue that records on demand), plus Stop there. Fires `cti-call-recording` when the
 * agent clicks one; Alt+P does the same from anywhere on the desk (`cti-agent-desk`).
 */
@customElement('cti-recording-controls')
export class CtiRecordingControls extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
        margin-bottom: var(--cti-space-3);
      }
      .recording {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cti-space-2);
      }
      .state {
        display: inline-flex;
        align-items: center;
        gap: var(--cti-space-2);
        padding: var(--cti-space-1) var(--cti-space-3);
        border: 1px solid var(--cti-color-border);
        border-radius: var(--cti-radius-pill);
        font-weight: 600;
      }
      .dot {
        width: 0.625rem;
        height: 0.625rem;
        border-radius: 50%;
        background: var(--cti-color-border-strong);
      }
      .state.recording {
        border-color: var(--cti-color-danger);
        background: var(--cti-color-danger-soft);
        color: var(--cti-color-danger);
      }
      .state.recording .dot {
        background: var(--cti-color-danger);
      }
      .state.paused {
        border-color: var(--cti-color-warning-border);
        background: var(--cti-color-warning-soft);
        color: var(--cti-color-warning-text);
      }
      button {
        min-height: 2.75rem;
      }
    `,
  ];

  @property({ attribute: false }) recording: DeskRecording | null = null;
  @property({ type: Number }) interactionId = 0;
  /** The agent's phone has answered: before that there is nothing to record. */
  @property({ type: Boolean }) answered = false;
  @property({ type: Boolean }) busy = false;

  private readonly i18n = new I18nController(this);

  private fire(action: RecordingAction | null): void {
    if (!action || !this.answered) return;
    emit(this, 'cti-call-recording', { interactionId: this.interactionId, action });
  }

  override render() {
    const recording = this.recording;
    if (!recording) return nothing;
    const t = this.i18n.t.bind(this.i18n);
    const toggle = recordingToggle(recording);
    const disabled = this.answered ? (this.busy ? 'true' : 'false') : 'true';
    return html`<div class="recording" role="group" aria-label=${t('desk.recording.label')}>
      <span class="state ${recording.state}" role="status">
        <span class="dot" aria-hidden="true"></span>${t(`desk.recording.state.${recording.state}`)}
      </span>
      ${
        toggle
          ? html`<button
              type="button"
              aria-keyshortcuts=${ariaKeyShortcut('recording')}
              aria-disabled=${disabled}
              @click=${() => this.fire(toggle)}
            >
              ${t(`desk.recording.${toggle}`)}
            </button>`
          : nothing
      }
      ${
        canStopRecording(recording)
          ? html`<button type="button" aria-disabled=${disabled} @click=${() => this.fire('stop')}>
              ${t('desk.recording.stop')}
            </button>`
          : nothing
      }
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-recording-controls': CtiRecordingControls;
  }
  interface HTMLElementEventMap {
    'cti-call-recording': CustomEvent<RecordingDetail>;
  }
}
