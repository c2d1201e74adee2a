import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { DeskState, WrapUpPayload } from '../../contracts/desk.js';
import { ListenerController } from '../components/listener-controller.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { page } from '../styles/page.js';
import './cti-call-panel.js';
import './cti-my-figures.js';
import './cti-queue-backlog.js';
import type { TransferTargets } from '../../server/calls/calls.schemas.js';
import { listTransferTargets } from '../data/calls.data.js';
import type {
  CallDetail,
  ConsultDetail,
  CtiCallPanel,
  MuteDetail,
  TransferDetail,
} from './cti-call-panel.js';
import './cti-offer-card.js';
import type { RecordingDetail } from './cti-recording-controls.js';
import type { CtiOfferCard, ReservationDetail } from './cti-offer-card.js';
import './cti-status-picker.js';
import type { CtiStatusPicker, NextStatusChangeDetail, StatusChangeDetail } from './cti-status-picker.js';
import './cti-wrap-up-form.js';
import '../softphone/cti-softphone.js';
import type { CtiWrapUpForm } from './cti-wrap-up-form.js';
import { DeskController } from './desk-controller.js';
import { callerLabel, deskErrorMessage } from './desk-view.js';
import './cti-desk-connection.js';
import './cti-desk-idle.js';
import './cti-desk-shortcuts.js';
import './cti-offer-alerts-panel.js';
import type { OfferAlerts } from './offer-alerts.js';
import { commandForShortcut, shortcutFor, type KeyTarget } from './shortcuts.js';

type Work = 'offer' | 'call' | 'wrapUp';

function keyTarget(element: Element): KeyTarget {
  return {
    tagName: element.tagName,
    type: element instanceof HTMLInputElement ? element.type : undefined,
    isContentEditable: element instanceof HTMLElement && element.isContentEditable,
    role: element.getAttribute('role'),
  };
}

/** True when focus went nowhere, as when the focused button's card was replaced by the next one. */
function focusIsLost(): boolean {
  const active = document.activeElement;
  return active === null || active === document.body;
}

/**
 * The agent desk (/desk): the agent's status and the connection, then the work at hand: the call
 * ringing, the call in progress, its wrap-up, or waiting. A new offer is announced assertively and
 * takes focus on "Accept". Alt+A, Alt+R, Alt+H and Alt+X accept, reject, hold or resume, and hang up,
 * and Alt+P pauses or resumes the recording (starts it on an on-demand queue), except while the agent
 * types in a text field.
 */
@customElement('cti-agent-desk')
export class CtiAgentDesk extends LitElement {
  static override styles = [
    page,
    css`
      .status-bar {
        display: flex;
        flex-wrap: wrap;
        align-items: flex-end;
        justify-content: space-between;
        gap: var(--cti-space-3) var(--cti-space-5);
        margin-bottom: var(--cti-space-4);
      }
      cti-status-picker {
        flex: 1 1 20rem;
        min-width: 0;
      }
      .banner {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cti-space-2) var(--cti-space-4);
        margin-bottom: var(--cti-space-4);
      }
      .stale {
        margin-bottom: var(--cti-space-4);
        padding: var(--cti-space-3) var(--cti-space-4);
        border-left: 4px solid var(--cti-color-warning-border);
        border-radius: var(--cti-radius-md);
        background: var(--cti-color-warning-soft);
        color: var(--cti-color-warning-text);
      }
      .error:not(:empty) {
        margin-bottom: var(--cti-space-4);
      }
      .work {
        display: grid;
        gap: var(--cti-space-4);
      }
    `,
  ];

  /** Whether this agent has a softphone to start (`SignedIn.softphone`): without SIP there is none. */
  @property({ type: Boolean }) softphone = false;
  /** The console's offer alerts, whose settings the desk shows. */
  @property({ attribute: false }) offerAlerts: OfferAlerts | null = null;
  @state() private busy = false;
  @state() private error: UiMessage | null = null;
  /** Read out assertively: a new offer. */
  @state() private announcement: UiMessage | null = null;
  @state() private transferTargets: TransferTargets | null = null;

  @query('cti-status-picker') private picker!: CtiStatusPicker | null;
  @query('cti-offer-card') private offerCard!: CtiOfferCard | null;
  @query('cti-call-panel') private callPanel!: CtiCallPanel | null;
  @query('cti-wrap-up-form') private wrapUpForm!: CtiWrapUpForm | null;

  private readonly i18n = new I18nController(this);
  private readonly desk = new DeskController(this);
  /** The offer, call and wrap-up last shown, to tell a new one from an update of the same. */
  private shown: Record<Work, number | null> = { offer: null, call: null, wrapUp: null };
  private focusNext: Work | null = null;

  // Shortcuts work wherever focus is on the page, not only inside the desk.
  private readonly keys = new ListenerController(this, window, 'keydown', (event) => this.onKeydown(event));

  override willUpdate(_changed: PropertyValues<this>): void {
    const state = this.desk.snapshot.state;
    const current: Record<Work, number | null> = {
      offer: state?.offer?.reservationId ?? null,
      call: state?.call?.interactionId ?? null,
      wrapUp: state?.wrapUp?.interactionId ?? null,
    };
    const fresh = (work: Work) => current[work] !== null && current[work] !== this.shown[work];
    // An offer always takes focus (the agent has seconds to answer); a call or wrap-up may (see updated).
    const next = (['offer', 'call', 'wrapUp'] as const).find(fresh);
    if (next) {
      // Something new to act on: an error about the previous one no longer applies.
      this.error = null;
      this.focusNext = next;
    }
    if (fresh('call')) void this.loadTransferTargets();
    if (fresh('offer') && state?.offer) this.announcement = this.offerAnnouncement(state.offer);
    // Cleared with the offer, so that the next one is read out even if it reads the same.
    if (current.offer === null) this.announcement = null;
    this.shown = current;
  }

  override updated(): void {
    const work = this.focusNext;
    if (!work) return;
    this.focusNext = null;
    // A call or wrap-up only picks up focus that was lost with the card it replaced; it never pulls
    // focus from where the agent put it.
    if (work === 'offer') void this.offerCard?.focusAccept();
    else if (focusIsLost()) {
      if (work === 'call') void this.callPanel?.focusHeading();
      else void this.wrapUpForm?.focusHeading();
    }
  }

  private offerAnnouncement(offer: NonNullable<DeskState['offer']>): UiMessage {
    const caller = callerLabel(offer) ?? this.i18n.t('desk.caller.withheld');
    return offer.queue
      ? { key: 'desk.offer.announceQueue', params: { caller, queue: offer.queue.name } }
      : { key: 'desk.offer.announce', params: { caller } };
  }

  /** Runs one command at a time; one refused meanwhile, or by the server, calls `onFailure` (a select shows the state again). */
  private async run(command: () => Promise<void>, onFailure?: () => void): Promise<void> {
    if (this.busy) {
      onFailure?.();
      return;
    }
    this.busy = true;
    this.error = null;
    try {
      await command();
    } catch (error) {
      this.error = deskErrorMessage(error);
      onFailure?.();
    } finally {
      this.busy = false;
    }
  }

  private get client() {
    return this.desk.client;
  }

  private readonly onStatusChange = (event: CustomEvent<StatusChangeDetail>): void => {
    const { status, reason } = event.detail;
    void this.run(
      () => this.client.setStatus(status, reason),
      () => this.picker?.reset(),
    );
  };

  private readonly onNextStatusChange = (event: CustomEvent<NextStatusChangeDetail>): void => {
    void this.run(
      () => this.client.planNext(event.detail.reason),
      () => this.picker?.reset(),
    );
  };

  private accept(reservationId: ReservationDetail['reservationId']): void {
    void this.run(() => this.client.acceptOffer(reservationId));
  }

  private reject(reservationId: ReservationDetail['reservationId']): void {
    void this.run(() => this.client.rejectOffer(reservationId));
  }

  private hold(interactionId: number, onHold: boolean): void {
    void this.run(() => (onHold ? this.client.resume(interactionId) : this.client.hold(interactionId)));
  }

  private hangUp(interactionId: number): void {
    void this.run(() => this.client.hangUp(interactionId));
  }

  private readonly onTransfer = (event: CustomEvent<TransferDetail>): void => {
    const { interactionId, to } = event.detail;
    void this.run(() => this.client.transfer(interactionId, to));
  };

  private readonly onMute = (event: CustomEvent<MuteDetail>): void => {
    const { interactionId, muted } = event.detail;
    void this.run(() => this.client.mute(interactionId, muted));
  };

  private readonly onRecording = (event: CustomEvent<RecordingDetail>): void => {
    const { interactionId, action } = event.detail;
    void this.run(() => this.client.recording(interactionId, action));
  };

  private readonly onConsult = (event: CustomEvent<ConsultDetail>): void => {
    const { interactionId, to } = event.detail;
    void this.run(() => this.client.consult(interactionId, to));
  };
  private readonly onConsultComplete = (event: CustomEvent<CallDetail>): void =>
    void this.run(() => this.client.completeConsult(event.detail.interactionId));
  private readonly onConsultCancel = (event: CustomEvent<CallDetail>): void =>
    void this.run(() => this.client.cancelConsult(event.detail.interactionId));

  private readonly onTransferTargetsRefresh = (): void => void this.loadTransferTargets();

  private async loadTransferTargets(): Promise<void> {
    try {
      this.transferTargets = await listTransferTargets();
    } catch {
      // The form falls back to "no queue / no agent"; a number still works.
      this.transferTargets = null;
    }
  }

  private readonly onAccept = (event: CustomEvent<ReservationDetail>): void =>
    this.accept(event.detail.reservationId);
  private readonly onReject = (event: CustomEvent<ReservationDetail>): void =>
    this.reject(event.detail.reservationId);
  private readonly onHold = (event: CustomEvent<CallDetail>): void =>
    this.hold(event.detail.interactionId, false);
  private readonly onResume = (event: CustomEvent<CallDetail>): void =>
    this.hold(event.detail.interactionId, true);
  private readonly onHangUp = (event: CustomEvent<CallDetail>): void =>
    this.hangUp(event.detail.interactionId);
  private readonly onWrapUp = (event: CustomEvent<WrapUpPayload>): void => {
    const payload = event.detail;
    void this.run(() => this.client.submitWrapUp(payload));
  };

  private readonly onKeydown = (event: KeyboardEvent): void => {
    const origin = event.composedPath()[0];
    const action = shortcutFor(event, origin instanceof Element ? keyTarget(origin) : null);
    const state = this.desk.snapshot.state;
    if (!action || !state) return;
    // The key is the desk's once it names an offer or a call on it, even when it cannot act yet.
    if ((action === 'accept' || action === 'reject') && state.offer) event.preventDefault();
    else if (action !== 'accept' && action !== 'reject' && state.call) event.preventDefault();
    const command = commandForShortcut(action, state);
    switch (command?.kind) {
      case 'accept':
        return this.accept(command.reservationId);
      case 'reject':
        return this.reject(command.reservationId);
      case 'hold':
      case 'resume':
        return this.hold(command.interactionId, command.kind === 'resume');
      case 'hangUp':
        return this.hangUp(command.interactionId);
      case 'recording': {
        const { interactionId, action: recording } = command;
        void this.run(() => this.client.recording(interactionId, recording));
        return;
      }
      case undefined:
        return;
    }
  };

  private readonly reconnect = (): void => {
    this.client.connect();
  };

  private renderConnectionNotice() {
    const t = this.i18n.t.bind(this.i18n);
    const { connection, problem } = this.desk.snapshot;
    if (connection === 'reconnecting') return html`<p class="stale">${t('desk.connection.stale')}</p>`;
    if (connection !== 'offline') return nothing;
    return html`<div class="banner">
      <p class="error">
        ${problem ? t('desk.connection.refused', { reason: problem }) : t('desk.connection.lost')}
      </p>
      <button type="button" @click=${this.reconnect}>${t('desk.connection.retry')}</button>
    </div>`;
  }

  private renderWork(state: DeskState) {
    const disabled = this.busy || this.desk.snapshot.connection !== 'connected';
    const { offer, call, wrapUp } = state;
    return html`<div class="work">
      ${
        offer
          ? html`<cti-offer-card
              .offer=${offer}
              ?busy=${disabled}
              @cti-offer-accept=${this.onAccept}
              @cti-offer-reject=${this.onReject}
            ></cti-offer-card>`
          : nothing
      }
      ${
        call
          ? html`<cti-call-panel
              .call=${call}
              .targets=${this.transferTargets}
              ?busy=${disabled}
              @cti-call-hold=${this.onHold}
              @cti-call-resume=${this.onResume}
              @cti-call-mute=${this.onMute}
              @cti-call-recording=${this.onRecording}
              @cti-call-hang-up=${this.onHangUp}
              @cti-call-transfer=${this.onTransfer}
              @cti-transfer-targets-refresh=${this.onTransferTargetsRefresh}
              @cti-call-consult=${this.onConsult}
              @cti-call-consult-complete=${this.onConsultComplete}
              @cti-call-consult-cancel=${this.onConsultCancel}
            ></cti-call-panel>`
          : nothing
      }
      ${
        wrapUp
          ? html`<cti-wrap-up-form
              .wrapUp=${wrapUp}
              ?busy=${disabled}
              @cti-wrap-up-submit=${this.onWrapUp}
            ></cti-wrap-up-form>`
          : nothing
      }
      ${
        offer || call || wrapUp
          ? nothing
          : html`<cti-desk-idle .status=${state.status} .reason=${state.reason}></cti-desk-idle>`
      }
    </div>`;
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    const state = this.desk.snapshot.state;
    return html`
      <h1>${t('desk.title')}</h1>
      <section class="status-bar card" aria-label=${t('desk.statusBar')}>
        ${
          state
            ? html`<cti-status-picker
                .status=${state.status}
                .reason=${state.reason}
                .since=${state.since}
                .breakReasons=${state.breakReasons}
                .nextReason=${state.nextReason}
                @cti-status-change=${this.onStatusChange}
                @cti-next-status-change=${this.onNextStatusChange}
              ></cti-status-picker>`
            : html`<p class="status">${t('desk.loading')}</p>`
        }
        <cti-desk-connection .connection=${this.desk.snapshot.connection}></cti-desk-connection>
        ${this.softphone ? html`<cti-softphone></cti-softphone>` : nothing}
      </section>
      ${this.renderConnectionNotice()}
      <cti-offer-alerts-panel .alerts=${this.offerAlerts}></cti-offer-alerts-panel>
      <div class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</div>
      <p class="visually-hidden" aria-live="assertive" aria-atomic="true">
        ${this.announcement ? this.i18n.message(this.announcement) : ''}
      </p>
      ${state ? this.renderWork(state) : nothing}
      <cti-queue-backlog .backlog=${this.desk.snapshot.backlog}></cti-queue-backlog>
      <cti-my-figures .status=${state?.status ?? null}></cti-my-figures>
      <cti-desk-shortcuts></cti-desk-shortcuts>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-agent-desk': CtiAgentDesk;
  }
}
