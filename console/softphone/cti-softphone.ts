import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { DeskController } from '../agent/desk-controller.js';
import { ApiError, isAbortError } from '../data/api.js';
import { sipCredentials } from '../data/softphone.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { MessageKey } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';
import {
  createSoftphone,
  type CallQuality,
  type SoftphoneCall,
  type SoftphoneSnapshot,
} from './softphone.js';
import { audioDevices, softphoneSettings } from './softphone-settings.js';

type LiveCall = SoftphoneCall & { state: Exclude<SoftphoneCall['state'], 'ended'> };
const isLive = (call: SoftphoneCall): call is LiveCall => call.state !== 'ended';

/** How long a call the desk dropped may wait for the proxy's BYE before the softphone sends its own. */
const STRANDED_CALL_GRACE_MS = 2000;

const KEYPAD = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

/** `HTMLMediaElement.setSinkId`: Chromium and Firefox have it, Safari not yet. */
type SinkAudio = HTMLAudioElement & { setSinkId?: (deviceId: string) => Promise<void> };

/**
 * The Agent's browser softphone on the desk: registers with the SIP edge while the desk is open,
 * answers the calls the Agent accepts on the desk (or rings, when auto-answer is off), plays the
 * caller, and offers hold, mute, a DTMF keypad and the choice of microphone and speaker.
 * Renders nothing when the server has no SIP edge or the Agent no SIP address.
 *
 * After a page reload the browser's media is gone and only the caller's side could re-INVITE it
 * back, which a proxy cannot make it do: the desk keeps the call (the proxy's dialog is the record)
 * and this shows that its audio is lost, with "Hang up", which ends it for the caller too.
 */
@customElement('cti-softphone')
export class CtiSoftphone extends LitElement {
  static override styles = [
    shared,
    css`
      .refused,
      .failed,
      .lost {
        color: var(--cti-color-danger);
      }
      .reconnecting {
        color: var(--cti-color-warning, var(--cti-color-danger));
      }
      .controls,
      .keypad {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-2);
        margin-top: var(--cti-space-2);
      }
      .keypad {
        display: grid;
        grid-template-columns: repeat(3, 3rem);
      }
      .settings {
        margin-top: var(--cti-space-2);
      }
      .settings label {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-2);
        align-items: center;
        margin-top: var(--cti-space-2);
      }
      select {
        max-width: 100%;
      }
    `,
  ];

  @state() private snapshot: SoftphoneSnapshot | null = null;
  @state() private failed = false;
  @state() private keypadOpen = false;
  @state() private autoAnswer = softphoneSettings.autoAnswer();
  @state() private microphoneId = softphoneSettings.microphone();
  @state() private speakerId = softphoneSettings.speaker();
  @state() private devices: { microphones: MediaDeviceInfo[]; speakers: MediaDeviceInfo[] } | null = null;
  @state() private problem = '';
  private readonly i18n = new I18nController(this);
  private readonly desk = new DeskController(this);
  private readonly softphone = createSoftphone({
    autoAnswerDeskCalls: this.autoAnswer,
    identity: softphoneSettings.identity(),
    microphoneId: this.microphoneId,
  });
  /** The Interaction the desk showed as this phone's call; see `updated`. */
  private deskShowedCall: number | null = null;
  /** Pending hang-up of a call the desk no longer shows; see `followDesk`. */
  private strandedHangUp: ReturnType<typeof setTimeout> | undefined;
  /** The call this tab's softphone had before the page was reloaded. */
  private lostCall = softphoneSettings.call();
  private abort: AbortController | undefined;
  private unsubscribe: (() => void) | undefined;
  private stopAnswering: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.begin();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
    this.unsubscribe?.();
    this.stopAnswering?.();
    clearTimeout(this.strandedHangUp);
    void this.softphone.stop();
  }

  /** The current call's media statistics (see `Softphone.callQuality`); null without a call. */
  callQuality(): Promise<CallQuality | null> {
    return this.softphone.callQuality();
  }

  private async begin(): Promise<void> {
    this.abort = new AbortController();
    const signal = this.abort.signal;
    try {
      this.unsubscribe = this.softphone.subscribe((snapshot) => this.changed(snapshot));
      this.stopAnswering = this.desk.client.answerSoftphone({
        hold: (request) => this.softphone.answerHoldRequest(request),
        mute: (request) => this.softphone.answerMuteRequest(request),
        refer: ({ callId, referTo }) => this.softphone.refer(callId, referTo),
      });
      await this.softphone.start(() => sipCredentials(signal));
    } catch (error) {
      // 404: this server has no SIP edge; 409: this Agent has no SIP address. No softphone either way.
      this.stopAnswering?.();
      if (isAbortError(error) || (error instanceof ApiError && [404, 409].includes(error.status))) return;
      this.failed = true;
    }
  }

  private changed(snapshot: SoftphoneSnapshot): void {
    this.snapshot = snapshot;
    const call = snapshot.call;
    if (call?.state === 'active' && call.interactionId !== null) {
      softphoneSettings.setCall(call.interactionId);
      this.lostCall = null;
    } else if (call?.state === 'ended') softphoneSettings.setCall(null);
  }

  protected override updated(): void {
    this.followDesk();
    const audio = this.renderRoot.querySelector<SinkAudio>('audio');
    const stream = this.softphone.remoteStream();
    if (audio && audio.srcObject !== stream) audio.srcObject = stream;
    if (audio?.setSinkId && this.speakerId && audio.sinkId !== this.speakerId)
      void audio.setSinkId(this.speakerId).catch(() => softphoneSettings.setSpeaker(null));
  }

  /**
   * The desk is the record; the phone follows it. Kamailio 5.6 can miss the softphone's BYE when the
   * server hangs a call up (see KamailioControl.endDialog): a call the desk showed and no longer shows
   * is hung up here, after a grace period, because the desk's update usually overtakes the proxy's BYE
   * and a BYE of our own in that moment reaches a caller who is already hanging up. A call the desk
   * has not shown yet (its INVITE overtook the desk's update) is kept.
   */
  /** The Interaction of the call the desk shows, or null. */
  private get deskCall(): number | null {
    return this.desk.snapshot.state?.call?.interactionId ?? null;
  }

  private followDesk(): void {
    const { deskCall } = this;
    if (this.lostCall !== null && this.desk.snapshot.state && deskCall !== this.lostCall) {
      this.lostCall = null;
      softphoneSettings.setCall(null);
    }
    const call = this.snapshot?.call;
    if (!call || call.state !== 'active' || call.interactionId === null) {
      this.deskShowedCall = null;
      return;
    }
    if (deskCall === call.interactionId) this.deskShowedCall = deskCall;
    else if (this.deskShowedCall === call.interactionId && this.strandedHangUp === undefined) {
      const stranded = call.interactionId;
      this.strandedHangUp = setTimeout(() => {
        this.strandedHangUp = undefined;
        const still = this.snapshot?.call;
        if (still?.state === 'active' && still.interactionId === stranded && this.deskCall !== stranded)
          void this.softphone.hangUp();
      }, STRANDED_CALL_GRACE_MS);
    }
  }

  private async act(action: () => Promise<unknown> | void): Promise<void> {
    this.problem = '';
    try {
      await action();
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    }
  }

  /**
   * Through the desk when it is live, so the desk and the Interaction show the mute too (the server
   * asks this softphone back); on its own when the desk is away or the call is not the desk's.
   */
  private async mute(muted: boolean): Promise<void> {
    const interactionId = this.snapshot?.call?.interactionId ?? null;
    if (interactionId !== null && this.desk.snapshot.connection === 'connected')
      await this.desk.client.mute(interactionId, muted);
    else this.softphone.setMuted(muted);
  }

  private async openSettings(event: Event): Promise<void> {
    if (!(event.currentTarget as HTMLDetailsElement).open || this.devices) return;
    this.devices = await audioDevices();
  }

  private chooseMicrophone(event: Event): void {
    const deviceId = (event.currentTarget as HTMLSelectElement).value || null;
    this.microphoneId = deviceId;
    softphoneSettings.setMicrophone(deviceId);
    void this.act(() => this.softphone.setMicrophone(deviceId));
  }

  private chooseSpeaker(event: Event): void {
    const deviceId = (event.currentTarget as HTMLSelectElement).value || null;
    this.speakerId = deviceId;
    softphoneSettings.setSpeaker(deviceId);
    const audio = this.renderRoot.querySelector<SinkAudio>('audio');
    void this.act(() => audio?.setSinkId?.(deviceId ?? ''));
  }

  private toggleAutoAnswer(event: Event): void {
    this.autoAnswer = (event.currentTarget as HTMLInputElement).checked;
    softphoneSettings.setAutoAnswer(this.autoAnswer);
    this.softphone.setAutoAnswer(this.autoAnswer);
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    if (this.failed) return html`<p class="failed" role="status">${t('softphone.registration.failed')}</p>`;
    if (!this.snapshot) return nothing;
    const { registration, call } = this.snapshot;
    const live = call && isLive(call) ? call : null;
    return html`<section aria-label=${t('softphone.region')}>
      <p class=${registration} role="status">
        <span class="visually-hidden">${t('softphone.label')}</span>
        ${t(`softphone.registration.${registration}`)}
        ${live ? html` · ${t(`softphone.call.${live.state}`)}` : nothing}
        ${live?.onHold ? html` · ${t('softphone.call.onHold')}` : nothing}
        ${live?.muted ? html` · ${t('softphone.call.muted')}` : nothing}
      </p>
      ${
        live?.state === 'ringing'
          ? html`<div class="controls">
              <button class="primary" @click=${() => this.act(() => this.softphone.answer())}>
                ${t('softphone.answer')}
              </button>
              <button class="danger" @click=${() => this.act(() => this.softphone.hangUp())}>
                ${t('softphone.decline')}
              </button>
            </div>`
          : nothing
      }
      ${live?.state === 'active' ? this.renderCallControls(live) : nothing}
      ${
        !live && this.lostCall !== null && this.deskCall === this.lostCall
          ? this.renderLostCall(this.lostCall)
          : nothing
      }
      <p class="error" role="alert">${this.problem}</p>
      ${this.renderSettings()}
      <audio autoplay></audio>
    </section>`;
  }

  /**
   * While the desk shows this call, its call panel holds, mutes and hangs up (and the softphone
   * follows): one set of those buttons, not two acting on the same call. The keypad is only here.
   */
  private renderCallControls({ onHold, muted, interactionId }: SoftphoneCall) {
    const t = this.i18n.t.bind(this.i18n);
    const onDesk =
      interactionId !== null &&
      this.desk.snapshot.connection === 'connected' &&
      this.deskCall === interactionId;
    return html`<div class="controls">
        ${
          onDesk
            ? nothing
            : html`<button
                  aria-pressed=${onHold}
                  @click=${() => this.act(() => this.softphone.setHold(!onHold))}
                >
                  ${onHold ? t('softphone.resume') : t('softphone.hold')}
                </button>
                <button aria-pressed=${muted} @click=${() => this.act(() => this.mute(!muted))}>
                  ${muted ? t('softphone.unmute') : t('softphone.mute')}
                </button>`
        }
        <button aria-expanded=${this.keypadOpen} @click=${() => (this.keypadOpen = !this.keypadOpen)}>
          ${t('softphone.keypad')}
        </button>
        ${
          onDesk
            ? nothing
            : html`<button class="danger" @click=${() => this.act(() => this.softphone.hangUp())}>
                ${t('softphone.hangUp')}
              </button>`
        }
      </div>
      ${
        this.keypadOpen
          ? html`<div class="keypad" role="group" aria-label=${t('softphone.keypad')}>
              ${KEYPAD.map(
                (tone) =>
                  html`<button
                    aria-label=${t('softphone.keypad.tone', { tone })}
                    @click=${() => this.act(() => this.softphone.sendDtmf(tone))}
                  >
                    ${tone}
                  </button>`,
              )}
            </div>`
          : nothing
      }`;
  }

  private renderLostCall(interactionId: number) {
    const t = this.i18n.t.bind(this.i18n);
    return html`<p class="lost" role="alert">${t('softphone.lost')}</p>
      <div class="controls">
        <button class="danger" @click=${() => this.act(() => this.desk.client.hangUp(interactionId))}>
          ${t('softphone.hangUp')}
        </button>
      </div>`;
  }

  /** A labelled choice of audio device, the browser's default first. */
  private renderDeviceSelect(
    label: MessageKey,
    devices: readonly MediaDeviceInfo[],
    selectedId: string | null,
    onChange: (event: Event) => void,
  ) {
    const t = this.i18n.t.bind(this.i18n);
    return html`<label>
      ${t(label)}
      <select @change=${onChange}>
        <option value="" ?selected=${!selectedId}>${t('softphone.device.default')}</option>
        ${devices.map(
          (device, index) =>
            html`<option value=${device.deviceId} ?selected=${device.deviceId === selectedId}>
              ${device.label || t('softphone.device.unnamed', { n: index + 1 })}
            </option>`,
        )}
      </select>
    </label>`;
  }

  private renderDevices(devices: NonNullable<typeof this.devices>) {
    const microphone = this.renderDeviceSelect(
      'softphone.microphone',
      devices.microphones,
      this.microphoneId,
      (event) => this.chooseMicrophone(event),
    );
    // Browsers without setSinkId play calls on the system's default output.
    if (!('setSinkId' in HTMLMediaElement.prototype))
      return html`${microphone}
        <p class="hint">${this.i18n.t('softphone.speaker.unsupported')}</p>`;
    return html`${microphone}${this.renderDeviceSelect(
      'softphone.speaker',
      devices.speakers,
      this.speakerId,
      (event) => this.chooseSpeaker(event),
    )}`;
  }

  private renderSettings() {
    const t = this.i18n.t.bind(this.i18n);
    return html`<details class="settings" @toggle=${(event: Event) => this.openSettings(event)}>
      <summary>${t('softphone.settings')}</summary>
      <label>
        <input
          type="checkbox"
          .checked=${this.autoAnswer}
          @change=${(event: Event) => this.toggleAutoAnswer(event)}
        />
        ${t('softphone.autoAnswer')}
      </label>
      ${this.devices ? this.renderDevices(this.devices) : nothing}
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-softphone': CtiSoftphone;
  }
}
