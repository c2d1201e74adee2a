import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { AgentStatus } from '../../contracts/glossary.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { shared } from '../styles/shared.js';
import { secondsSince } from '../components/clock.js';
import { breakReasonMessage, settableStatus, type SettableStatus } from './desk-view.js';
import { TickController } from '../components/tick-controller.js';
import { emit } from '../components/events.js';

export interface StatusChangeDetail {
  status: SettableStatus;
  /** One of the break reasons, with `break`. */
  reason?: string;
}

export interface NextStatusChangeDetail {
  /** The break to take when the call or wrap-up ends; null: available, as without a plan. */
  reason: string | null;
}

const SETTABLE: readonly SettableStatus[] = ['available', 'break', 'offline'];

/**
 * The agent's status: a "Status" select (Available, Break, Offline), a "Break reason" select while on or
 * choosing a break, and the current status with a ticking time in status. Picking Available or Offline
 * fires `cti-status-change` at once; Break fires it once a reason is picked. The statuses that calls set
 * (ringing, on call, wrap-up) cannot be picked: then an "After this call" select (Available, or Break ·
 * a reason) plans what follows and fires `cti-next-status-change`, and the text names both statuses.
 */
@customElement('cti-status-picker')
export class CtiStatusPicker extends LitElement {
  static override styles = [
    shared,
    css`
      .picker {
        display: flex;
        flex-wrap: wrap;
        align-items: flex-end;
        gap: var(--cti-space-3) var(--cti-space-4);
      }
      .control {
        flex: 1 1 10rem;
        max-width: 16rem;
      }
      .control select {
        min-width: 0;
      }
      .hint {
        flex-basis: 100%;
        margin: 0;
      }
      .current {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cti-space-1) var(--cti-space-2);
        min-height: 2.5rem;
      }
      .dot {
        width: 0.75rem;
        height: 0.75rem;
        border-radius: 50%;
        background: var(--cti-color-border-strong);
        flex: none;
      }
      .dot.available {
        background: var(--cti-color-success);
      }
      .dot.break {
        background: var(--cti-color-warning-border);
      }
      .dot.reserved,
      .dot.on_call,
      .dot.wrap_up {
        background: var(--cti-color-primary);
      }
      .elapsed {
        color: var(--cti-color-text-muted);
        font-size: var(--cti-font-size-sm);
        font-variant-numeric: tabular-nums;
      }
      @media (max-width: 30rem) {
        .control {
          max-width: none;
        }
      }
    `,
  ];

  @property() status: AgentStatus = 'offline';
  @property({ attribute: false }) reason: string | null = null;
  /** When the agent entered the status (ISO). */
  @property() since = '';
  @property({ attribute: false }) breakReasons: readonly string[] = [];
  /** The break planned for when the call or wrap-up ends, or null. */
  @property({ attribute: false }) nextReason: string | null = null;

  /** Break picked, reason not yet: shows the reason select without changing anything yet. */
  @state() private choosingBreak = false;

  @query('#status') private statusSelect!: HTMLSelectElement | null;
  @query('#reason') private reasonSelect!: HTMLSelectElement | null;
  @query('#next') private nextSelect!: HTMLSelectElement | null;

  private readonly i18n = new I18nController(this);
  private readonly clock = new TickController(this);

  /** Shows the server's status again after a change it refused. */
  reset(): void {
    this.choosingBreak = false;
    this.requestUpdate();
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('status') || changed.has('reason') || changed.has('since') || changed.has('nextReason'))
      this.choosingBreak = false;
  }

  /** The selects show the model, including after a refused change; Lit's value binding would not reset them. */
  override updated(): void {
    if (this.statusSelect)
      this.statusSelect.value = this.choosingBreak ? 'break' : (settableStatus(this.status) ?? '');
    if (this.nextSelect) this.nextSelect.value = this.nextReason ?? '';
    if (this.reasonSelect) {
      this.reasonSelect.value = this.choosingBreak || this.status !== 'break' ? '' : (this.reason ?? '');
    }
  }

  private change(detail: StatusChangeDetail): void {
    emit(this, 'cti-status-change', detail);
  }

  private readonly onStatus = (event: Event): void => {
    const value = (event.target as HTMLSelectElement).value;
    const status = SETTABLE.find((candidate) => candidate === value);
    if (!status) return;
    if (status !== 'break') {
      this.choosingBreak = false;
      if (status !== this.status) this.change({ status });
      return;
    }
    if (this.status === 'break') {
      this.choosingBreak = false;
      return;
    }
    if (this.breakReasons.length === 0) {
      this.change({ status });
      return;
    }
    this.choosingBreak = true;
  };

  private readonly onReason = (event: Event): void => {
    const reason = (event.target as HTMLSelectElement).value;
    if (!reason || (this.status === 'break' && reason === this.reason)) return;
    this.change({ status: 'break', reason });
  };

  private readonly onNext = (event: Event): void => {
    const reason = (event.target as HTMLSelectElement).value || null;
    if (reason !== this.nextReason) emit(this, 'cti-next-status-change', { reason });
  };

  private breakLabel(reason: string): string {
    return `${this.i18n.agentStatus('break')} · ${this.i18n.message(breakReasonMessage(reason))}`;
  }

  /** "After this call": Available (no plan) or a break; the planned reason stays listed even if unknown. */
  private renderNext() {
    const reasons =
      this.nextReason && !this.breakReasons.includes(this.nextReason)
        ? [this.nextReason, ...this.breakReasons]
        : this.breakReasons;
    return html`<div class="control">
      <label for="next">${this.i18n.t('desk.status.nextLabel')}</label>
      <select id="next" aria-describedby="current-status" @change=${this.onNext}>
        <option value="">${this.i18n.agentStatus('available')}</option>
        ${reasons.map((reason) => html`<option value=${reason}>${this.breakLabel(reason)}</option>`)}
      </select>
    </div>`;
  }

  private reasonOptions() {
    // The current reason may be one the ACD set (a missed call), not one the agent can pick.
    const reasons =
      this.status === 'break' && this.reason && !this.breakReasons.includes(this.reason)
        ? [this.reason, ...this.breakReasons]
        : this.breakReasons;
    return reasons.map(
      (reason) => html`<option value=${reason}>${this.i18n.message(breakReasonMessage(reason))}</option>`,
    );
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    const showReason = this.choosingBreak || this.status === 'break';
    // Ringing, on a call or in wrap-up: the calls set the status and the ACD refuses changes until they
    // end, so the agent plans the status that follows instead.
    const busy = settableStatus(this.status) === null;
    const elapsed = this.since ? this.i18n.duration(secondsSince(this.since, this.clock.now)) : '';
    const next = this.nextReason ? this.breakLabel(this.nextReason) : this.i18n.agentStatus('available');
    return html`<div class="picker">
      ${
        busy
          ? this.renderNext()
          : html`<div class="control">
              <label for="status">${t('desk.status.label')}</label>
              <select id="status" aria-describedby="current-status" @change=${this.onStatus}>
                ${SETTABLE.map((status) => html`<option value=${status}>${this.i18n.agentStatus(status)}</option>`)}
              </select>
            </div>`
      }
      ${
        showReason
          ? html`<div class="control">
              <label for="reason">${t('desk.status.breakReason')}</label>
              <select
                id="reason"
                aria-describedby=${this.choosingBreak ? 'reason-hint' : nothing}
                @change=${this.onReason}
              >
                <option value="" disabled>${t('desk.status.chooseReason')}</option>
                ${this.reasonOptions()}
              </select>
            </div>`
          : nothing
      }
      <p id="current-status" class="current">
        <span class="dot ${this.status}" aria-hidden="true"></span>
        <span class="visually-hidden">${t('desk.status.current')}</span>
        <strong
          >${this.i18n.agentStatus(this.status)}${
            this.status === 'break' && this.reason
              ? ` · ${this.i18n.message(breakReasonMessage(this.reason))}`
              : ''
          }${busy ? ` · ${t('desk.status.next', { status: next })}` : ''}</strong
        >
        ${elapsed ? html`<span class="elapsed">${t('desk.status.timeIn', { duration: elapsed })}</span>` : nothing}
      </p>
      ${
        this.choosingBreak
          ? html`<p id="reason-hint" class="hint">${t('desk.status.reasonHint')}</p>`
          : nothing
      }
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-status-picker': CtiStatusPicker;
  }
  interface HTMLElementEventMap {
    'cti-status-change': CustomEvent<StatusChangeDetail>;
    'cti-next-status-change': CustomEvent<NextStatusChangeDetail>;
  }
}
