import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { DeskController } from '../agent/desk-controller.js';
import { ApiError, isAbortError } from '../data/api.js';
import { sipCredentials } from '../data/softphone.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { shared } from '../styles/shared.js';
import { createSoftphone, type SoftphoneSnapshot } from './softphone.js';

/**
 * The Agent's browser softphone on the desk: registers with the SIP edge while the desk is open,
 * answers the calls the Agent accepts on the desk, plays the caller, and shows where it stands.
 * Renders nothing when the server has no SIP edge or the Agent no SIP address.
 */
@customElement('cti-softphone')
export class CtiSoftphone extends LitElement {
  static override styles = [
    shared,
    css`
      p {
        margin: 0;
      }
      .refused,
      .failed {
        color: var(--cti-color-danger);
      }
    `,
  ];

  @state() private snapshot: SoftphoneSnapshot | null = null;
  @state() private failed = false;
  private readonly i18n = new I18nController(this);
  private readonly desk = new DeskController(this);
  private readonly softphone = createSoftphone();
  /** The Interaction the desk showed as this phone's call; see `updated`. */
  private deskShowedCall: number | null = null;
  private abort: AbortController | undefined;
  private unsubscribe: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.begin();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
    this.unsubscribe?.();
    void this.softphone.stop();
  }

  private async begin(): Promise<void> {
    this.abort = new AbortController();
    try {
      const credentials = await sipCredentials(this.abort.signal);
      this.unsubscribe = this.softphone.subscribe((snapshot) => (this.snapshot = snapshot));
      await this.softphone.start(credentials);
    } catch (error) {
      // 404: this server has no SIP edge; 409: this Agent has no SIP address. No softphone either way.
      if (isAbortError(error) || (error instanceof ApiError && [404, 409].includes(error.status))) return;
      this.failed = true;
    }
  }

  protected override updated(): void {
    this.followDesk();
    const audio = this.renderRoot.querySelector('audio');
    const stream = this.softphone.remoteStream();
    if (audio && audio.srcObject !== stream) audio.srcObject = stream;
  }

  /**
   * The desk is the record; the phone follows it. Kamailio 5.6 can miss the softphone's BYE when the
   * server hangs a call up (see KamailioControl.endDialog): a call the desk showed and no longer shows
   * is hung up here. A call the desk has not shown yet (its INVITE overtook the desk's update) is kept.
   */
  private followDesk(): void {
    const call = this.snapshot?.call;
    const deskCall = this.desk.snapshot.state?.call?.interactionId ?? null;
    if (!call || call.state !== 'active' || call.interactionId === null) {
      this.deskShowedCall = null;
      return;
    }
    if (deskCall === call.interactionId) this.deskShowedCall = deskCall;
    else if (this.deskShowedCall === call.interactionId) void this.softphone.hangUp();
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    if (this.failed) return html`<p class="failed" role="status">${t('softphone.registration.failed')}</p>`;
    if (!this.snapshot) return nothing;
    const { registration, call } = this.snapshot;
    return html`<p class=${registration} role="status">
        <span class="visually-hidden">${t('softphone.label')}</span>
        ${t(`softphone.registration.${registration}`)}
        ${call && call.state !== 'ended' ? html` · ${t(`softphone.call.${call.state}`)}` : nothing}
      </p>
      <audio autoplay></audio>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-softphone': CtiSoftphone;
  }
}
