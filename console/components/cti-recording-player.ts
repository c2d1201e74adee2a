import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { MediaKind } from '../../server/recordings/recordings.schemas.js';
import { mediaUrl } from '../data/recordings.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { shared } from '../styles/shared.js';

/**
 * A player for an Interaction's call recording or voicemail, streamed through our server. Nothing
 * loads until the listener presses play (`preload="none"`): a timeline of many calls fetches no audio.
 * A reader the server does not let hear it (or audio no longer kept) sees a sentence, not a broken
 * player.
 */
@customElement('cti-recording-player')
export class CtiRecordingPlayer extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      figure {
        margin: 0;
      }
      figcaption {
        margin-bottom: var(--cti-space-1);
        font-size: var(--cti-font-size-sm);
        font-weight: 600;
      }
      audio {
        display: block;
        width: 100%;
        max-width: 32rem;
      }
    `,
  ];

  @property({ type: Number }) interactionId = 0;
  @property() kind: MediaKind = 'recording';

  @state() private failed = false;

  private readonly i18n = new I18nController(this);

  private readonly onError = (): void => {
    this.failed = true;
  };

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('interactionId') || changed.has('kind')) this.failed = false;
  }

  override render() {
    if (this.interactionId <= 0) return nothing;
    const t = this.i18n.t.bind(this.i18n);
    const label = t(this.kind === 'voicemail' ? 'timeline.voicemail' : 'timeline.recording');
    return html`<figure>
      <figcaption>${label}</figcaption>
      ${
        this.failed
          ? html`<p class="muted">${t('timeline.mediaUnavailable')}</p>`
          : html`<audio
              controls
              preload="none"
              aria-label=${label}
              src=${mediaUrl(this.interactionId, this.kind)}
              @error=${this.onError}
            ></audio>`
      }
    </figure>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-recording-player': CtiRecordingPlayer;
  }
}
