import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { TransferTargets } from '../../server/calls/calls.schemas.js';
import type { ConsultDestination, DeskState, TransferDestination } from '../../contracts/desk.js';
import { facts } from '../components/cti-facts-list.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { shared } from '../styles/shared.js';
import './cti-caller-summary.js';
import './cti-recording-controls.js';
import { secondsSince } from '../components/clock.js';
import { callerLabel } from './desk-view.js';
import { ariaKeyShortcut } from './shortcuts.js';
import { TickController } from '../components/tick-controller.js';
import { emit, focusRendered } from '../components/events.js';

export type DeskActiveCall = NonNullable<DeskState['call']>;

export interface CallDetail {
  interactionId: number;
}

export interface TransferDetail extends CallDetail {
  to: TransferDestination;
}

export interface MuteDetail extends CallDetail {
  muted: boolean;
}

export interface ConsultDetail extends CallDetail {
  to: ConsultDestination;
}

type TransferKind = TransferDestination['kind'];

/**
 * The call in progress: caller, talk time, hold state and the call controls, with the customer's record
 * beside it (below it on a phone). Fires `cti-call-hold`, `cti-call-resume` and `cti-call-hang-up` when
 * the agent clicks "Hold", "Resume" or "Hang up", `cti-call-mute` when they switch "Mute", `cti-call-transfer` with the destination chosen in
 * the transfer form (a CallQueue, an available agent or a number), and `cti-transfer-targets-refresh`
 * when the agent switches the form to another kind of destination, so the list of who is available
 * is fresh. For a number, "Consult first" fires `cti-call-consult` (a warm transfer); then
 * `cti-call-consult-complete` hands the caller over and `cti-call-consult-cancel` drops the number.
 */
@customElement('cti-call-panel')
export class CtiCallPanel extends LitElement {
  static override styles = [
    shared,
    css`
      .columns {
        display: grid;
        grid-template-columns: minmax(0, 2fr) minmax(0, 3fr);
        gap: var(--cti-space-4);
        align-items: start;
      }
      @media (max-width: 48rem) {
        .columns {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      .controls {
        border: 2px solid var(--cti-color-success);
      }
      .controls.held {
        border-color: var(--cti-color-warning-border);
      }
      h2 {
        margin-bottom: var(--cti-space-3);
      }
      .caller-name {
        font-size: var(--cti-font-size-xl);
        font-weight: 700;
        line-height: 1.2;
        overflow-wrap: anywhere;
        margin-bottom: var(--cti-space-3);
      }
      cti-facts-list {
        margin-bottom: var(--cti-space-3);
      }
      .hold-state.on {
        display: inline-flex;
        align-items: center;
        gap: var(--cti-space-2);
        margin-bottom: var(--cti-space-3);
        padding: var(--cti-space-1) var(--cti-space-3);
        border: 1px solid var(--cti-color-warning-border);
        border-radius: var(--cti-radius-pill);
        background: var(--cti-color-warning-soft);
        color: var(--cti-color-warning-text);
        font-weight: 700;
      }
      .pause {
        display: inline-block;
        width: 0.625rem;
        height: 0.75rem;
        border-inline: 0.2rem solid currentColor;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-3);
      }
      .actions button {
        flex: 1 1 7rem;
        min-height: 3rem;
      }
      .transfer {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cti-space-2, 0.5rem);
        margin-top: var(--cti-space-3, 0.75rem);
      }
      .transfer input,
      .transfer select.destination {
        flex: 1 1 10rem;
        min-width: 0;
      }
      .consult {
        margin-top: var(--cti-space-3);
        padding: var(--cti-space-3);
        border: 1px solid var(--cti-color-warning-border);
        border-radius: var(--cti-radius-sm);
      }
    `,
  ];

  @property({ attribute: false }) call: DeskActiveCall | null = null;
  /** A command is under way or the desk is disconnected: the buttons say so but stay focusable. */
  @property({ type: Boolean }) busy = false;
  /** Queues and agents to transfer to; null while they load. */
  @property({ attribute: false }) targets: TransferTargets | null = null;

  @state() private transferKind: TransferKind = 'queue';

  private readonly i18n = new I18nController(this);
  private readonly clock = new TickController(this);

  /** Moves focus to the panel's heading, when the call replaces what had focus. */
  async focusHeading(): Promise<void> {
    await focusRendered(this, 'h2');
  }

  private fire(
    type:
      | 'cti-call-hold'
      | 'cti-call-resume'
      | 'cti-call-hang-up'
      | 'cti-call-consult-complete'
      | 'cti-call-consult-cancel',
  ): void {
    if (!this.call) return;
    emit(this, type, { interactionId: this.call.interactionId });
  }

  // Until the agent's phone answers there is no conversation to hold.
  private readonly toggleHold = (): void => {
    if (this.call?.answeredAt) this.fire(this.call.onHold ? 'cti-call-resume' : 'cti-call-hold');
  };
  private readonly hangUp = (): void => this.fire('cti-call-hang-up');
  private readonly toggleMute = (): void => {
    if (!this.call?.answeredAt) return;
    emit(this, 'cti-call-mute', { interactionId: this.call.interactionId, muted: !this.call.muted });
  };
  private readonly completeConsult = (): void => this.fire('cti-call-consult-complete');
  private readonly cancelConsult = (): void => this.fire('cti-call-consult-cancel');

  private renderConsult(consult: NonNullable<DeskActiveCall['consult']>) {
    const t = this.i18n.t.bind(this.i18n);
    const busy = this.busy ? 'true' : 'false';
    return html`<div class="consult" role="status">
      <p>${t(consult.answered ? 'desk.consult.talking' : 'desk.consult.ringing', { who: consult.label })}</p>
      <div class="actions">
        <button type="button" class="primary" aria-disabled=${busy} @click=${this.completeConsult}>
          ${t('desk.consult.complete')}
        </button>
        <button type="button" aria-disabled=${busy} @click=${this.cancelConsult}>
          ${t('desk.consult.cancel')}
        </button>
      </div>
    </div>`;
  }

  private readonly changeTransferKind = (event: Event): void => {
    this.transferKind = (event.target as HTMLSelectElement).value as TransferKind;
    emit(this, 'cti-transfer-targets-refresh');
  };

  private readonly transfer = (event: SubmitEvent): void => {
    event.preventDefault();
    const value = (
      (new FormData(event.target as HTMLFormElement).get('destination') as string | null) ?? ''
    ).trim();
    if (!this.call?.answeredAt || !value) return;
    if ((event.submitter as HTMLButtonElement | null)?.value === 'consult' && this.transferKind !== 'queue') {
      const to: ConsultDestination =
        this.transferKind === 'number'
          ? { kind: 'number', number: value }
          : { kind: 'agent', agentId: Number(value) };
      emit(this, 'cti-call-consult', { interactionId: this.call.interactionId, to });
      return;
    }
    const to: TransferDestination =
      this.transferKind === 'number'
        ? { kind: 'number', number: value }
        : this.transferKind === 'queue'
          ? { kind: 'queue', queueId: Number(value) }
          : { kind: 'agent', agentId: Number(value) };
    emit(this, 'cti-call-transfer', { interactionId: this.call.interactionId, to });
  };

  private renderDestination() {
    const t = this.i18n.t.bind(this.i18n);
    if (this.transferKind === 'number') {
      return html`<input
        id="transfer-destination"
        name="destination"
        type="tel"
        autocomplete="off"
        aria-label=${t('desk.transfer.number')}
        required
      />`;
    }
    const options =
      this.transferKind === 'queue'
        ? (this.targets?.queues ?? []).map((q) => ({ id: q.id, label: q.name }))
        : (this.targets?.agents ?? [])
            .filter((a) => a.available)
            .map((a) => ({ id: a.id, label: a.displayName }));
    return html`<select
      id="transfer-destination"
      class="destination"
      name="destination"
      aria-label=${this.transferKind === 'queue' ? t('desk.transfer.queue') : t('desk.transfer.agent')}
      required
    >
      ${
        options.length === 0
          ? html`<option value="">
              ${this.transferKind === 'queue' ? t('desk.transfer.noQueue') : t('desk.transfer.noAgent')}
            </option>`
          : options.map((o) => html`<option value=${o.id}>${o.label}</option>`)
      }
    </select>`;
  }

  private talkTime(call: DeskActiveCall): string {
    if (call.answeredAt) return this.i18n.duration(secondsSince(call.answeredAt, this.clock.now));
    return this.i18n.t(call.origin === 'callback' ? 'desk.call.callingCustomer' : 'desk.call.connecting');
  }

  override render() {
    const call = this.call;
    if (!call) return nothing;
    const t = this.i18n.t.bind(this.i18n);
    const busy = this.busy ? 'true' : 'false';
    return html`<div class="columns">
      <section class="card controls ${call.onHold ? 'held' : ''}" aria-labelledby="call-heading">
        <h2 id="call-heading" tabindex="-1">${t('desk.call.title')}</h2>
        <p class="caller-name">${callerLabel(call) ?? t('desk.caller.withheld')}</p>
        <cti-facts-list
          strong
          .facts=${facts(
            Boolean(call.pop.customer && call.pop.callerNumber) && {
              label: t('desk.caller.number'),
              value: call.pop.callerNumber,
            },
            { label: t('desk.caller.queue'), value: call.queue?.name ?? t('timeline.noQueue') },
            { label: t('desk.call.talkTime'), value: this.talkTime(call), kind: 'number', role: 'timer' },
          )}
        ></cti-facts-list>
        <p class="hold-state ${call.onHold ? 'on' : ''}" role="status">
          ${
            call.onHold
              ? html`<span class="pause" aria-hidden="true"></span><span>${t('desk.call.onHold')}</span>`
              : nothing
          }
        </p>
        <cti-recording-controls
          .recording=${call.recording}
          .interactionId=${call.interactionId}
          ?answered=${call.answeredAt !== null}
          ?busy=${this.busy}
        ></cti-recording-controls>
        <div class="actions">
          <button
            type="button"
            aria-keyshortcuts=${ariaKeyShortcut('holdResume')}
            aria-disabled=${call.answeredAt ? busy : 'true'}
            @click=${this.toggleHold}
          >
            ${call.onHold ? t('desk.call.resume') : t('desk.call.hold')}
          </button>
          <button
            type="button"
            aria-pressed=${call.muted ? 'true' : 'false'}
            aria-disabled=${call.answeredAt ? busy : 'true'}
            @click=${this.toggleMute}
          >
            ${t('desk.call.mute')}
          </button>
          <button
            type="button"
            class="danger"
            aria-keyshortcuts=${ariaKeyShortcut('hangUp')}
            aria-disabled=${busy}
            @click=${this.hangUp}
          >
            ${t('desk.call.hangUp')}
          </button>
        </div>
        ${call.consult ? this.renderConsult(call.consult) : nothing}
        <form class="transfer" @submit=${this.transfer} ?hidden=${call.consult !== null}>
          <label for="transfer-kind">${t('desk.call.transferTo')}</label>
          <select id="transfer-kind" .value=${this.transferKind} @change=${this.changeTransferKind}>
            <option value="queue">${t('desk.transfer.queue')}</option>
            <option value="agent">${t('desk.transfer.agent')}</option>
            <option value="number">${t('desk.transfer.number')}</option>
          </select>
          ${this.renderDestination()}
          <button type="submit" value="transfer" aria-disabled=${call.answeredAt ? busy : 'true'}>
            ${t('desk.call.transfer')}
          </button>
          ${
            this.transferKind !== 'queue'
              ? html`<button type="submit" value="consult" aria-disabled=${call.answeredAt ? busy : 'true'}>
                  ${t('desk.consult.start')}
                </button>`
              : nothing
          }
        </form>
      </section>
      <div class="card">
        <cti-caller-summary .call=${call} record></cti-caller-summary>
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-call-panel': CtiCallPanel;
  }
  interface HTMLElementEventMap {
    'cti-call-hold': CustomEvent<CallDetail>;
    'cti-call-resume': CustomEvent<CallDetail>;
    'cti-call-hang-up': CustomEvent<CallDetail>;
    'cti-call-mute': CustomEvent<MuteDetail>;
    'cti-call-transfer': CustomEvent<TransferDetail>;
    'cti-call-consult': CustomEvent<ConsultDetail>;
    'cti-call-consult-complete': CustomEvent<CallDetail>;
    'cti-call-consult-cancel': CustomEvent<CallDetail>;
    'cti-transfer-targets-refresh': CustomEvent<void>;
  }
}
