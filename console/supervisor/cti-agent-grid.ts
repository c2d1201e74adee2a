import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { CallQueue } from '../../contracts/call-queue.js';
import type { AgentStatus } from '../../contracts/glossary.js';
import { TickController } from '../components/tick-controller.js';
import { attempt, toUiMessage } from '../app/errors.js';
import { listQueues } from '../data/directory.data.js';
import {
  endReservation,
  setAgentNextStatus,
  setAgentStatus,
  supervise,
  type AgentLive,
} from '../data/supervision.data.js';
import { DeskController } from '../agent/desk-controller.js';
import { breakReasonMessage } from '../agent/desk-view.js';
import { AGENT_STATUS_ORDER } from '../data/vocabulary.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { MessageKey, UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';
import {
  filterAgents,
  NO_AGENT_FILTERS,
  occupancyPercent,
  skillsOf,
  sortAgents,
  timeInStatusSeconds,
  type AgentFilters,
  type AgentSort,
  type AgentSortKey,
} from './live-view.js';
import { SupervisionController } from './supervision-controller.js';
import { AlertToasts } from './alert-toasts.js';

const COLUMNS: { key: AgentSortKey; label: MessageKey }[] = [
  { key: 'name', label: 'agentGrid.name' },
  { key: 'status', label: 'agentGrid.status' },
  { key: 'timeInStatus', label: 'agentGrid.timeInStatus' },
  { key: 'handledToday', label: 'agentGrid.handled' },
  { key: 'occupancy', label: 'agentGrid.occupancy' },
];

/** What a supervisor may set an agent to (the call statuses follow from calls). */
const SETTABLE = ['available', 'break', 'offline'] as const;
const SUPERVISOR_MODES = ['monitor', 'whisper', 'barge'] as const;
/** Where a status after the call can be planned: the statuses a call sets. */
const BUSY: readonly AgentStatus[] = ['reserved', 'on_call', 'wrap_up'];
/** The "after this call" select's value for available, i.e. no plan. */
const NO_PLAN = 'available';

/**
 * Every agent live: status and ticking time in it, the current call and its duration, calls handled
 * and occupancy today; sortable by column and filtered by queue, skill and status. A supervisor can
 * set an agent's status (offline logs them out of routing), plan a busy agent's status after their
 * call (a break, or available) and end a ringing offer.
 */
@customElement('cti-agent-grid')
export class CtiAgentGrid extends LitElement {
  static override styles = [
    shared,
    css`
      fieldset.filters {
        margin: var(--cti-space-4) 0;
      }
      th button {
        padding: 0;
        border: none;
        background: none;
        font: inherit;
        font-weight: 700;
        color: inherit;
      }
      td.time {
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-2);
      }
      .actions select {
        width: auto;
      }
    `,
  ];

  @state() private filters: AgentFilters = NO_AGENT_FILTERS;
  @state() private sort: AgentSort = { key: 'status', descending: false };
  @state() private queues: CallQueue[] = [];
  @state() private error: UiMessage | null = null;

  private readonly live = new SupervisionController(this, 'agents');
  private readonly tick = new TickController(this);
  private readonly i18n = new I18nController(this);
  private readonly alerts = new AlertToasts(this);
  // The configured break reasons come with every console's desk state, the supervisor's own included.
  private readonly desk = new DeskController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void listQueues().then(
      (queues) => (this.queues = queues),
      (error: unknown) => (this.error = toUiMessage(error)),
    );
  }

  private readonly onFilterChange = (event: Event): void => {
    const control = event.target as HTMLSelectElement;
    const value = control.value === '' ? null : control.value;
    if (control.name === 'queueId')
      this.filters = { ...this.filters, queueId: value === null ? null : Number(value) };
    if (control.name === 'skill') this.filters = { ...this.filters, skill: value };
    if (control.name === 'status') this.filters = { ...this.filters, status: value as AgentStatus | null };
  };

  private sortBy(key: AgentSortKey): void {
    this.sort = { key, descending: this.sort.key === key ? !this.sort.descending : false };
  }

  private act(command: () => Promise<void>): Promise<void> {
    return attempt(command, (error) => (this.error = error));
  }

  private readonly onSetStatus = (agent: AgentLive, event: Event): void => {
    const select = event.target as HTMLSelectElement;
    const status = select.value as (typeof SETTABLE)[number] | '';
    select.value = '';
    if (status === '') return;
    void this.act(() => setAgentStatus(agent.agentId, { status }));
  };

  private readonly onPlanNext = (agent: AgentLive, event: Event): void => {
    const select = event.target as HTMLSelectElement;
    const value = select.value;
    select.value = '';
    if (value === '') return;
    void this.act(() => setAgentNextStatus(agent.agentId, value === NO_PLAN ? null : value));
  };

  private breakLabel(reason: string): string {
    return `${this.i18n.agentStatus('break')} · ${this.i18n.message(breakReasonMessage(reason))}`;
  }

  private renderPlanNext(agent: AgentLive) {
    const t = this.i18n.t.bind(this.i18n);
    const reasons = this.desk.snapshot.state?.breakReasons ?? [];
    return html`<select
      aria-label=${t('agentGrid.planNext', { name: agent.displayName })}
      @change=${(event: Event) => this.onPlanNext(agent, event)}
    >
      <option value="">${t('agentGrid.planNextChoose')}</option>
      ${agent.nextReason ? html`<option value=${NO_PLAN}>${this.i18n.agentStatus('available')}</option>` : nothing}
      ${reasons
        .filter((reason) => reason !== agent.nextReason)
        .map((reason) => html`<option value=${reason}>${this.breakLabel(reason)}</option>`)}
    </select>`;
  }

  private readonly onSupervise = (interactionId: number, event: Event): void => {
    const select = event.target as HTMLSelectElement;
    const mode = select.value as (typeof SUPERVISOR_MODES)[number] | '';
    select.value = '';
    if (mode === '') return;
    void this.act(() => supervise(interactionId, mode));
  };

  private renderFilters(agents: readonly AgentLive[]) {
    const t = this.i18n.t.bind(this.i18n);
    const f = this.filters;
    return html`<form @submit=${(e: Event) => e.preventDefault()} @change=${this.onFilterChange}>
      <fieldset class="filters">
        <legend>${t('agentGrid.filters')}</legend>
        <div class="field">
          <label for="queue">${t('agentGrid.queue')}</label>
          <select id="queue" name="queueId">
            <option value="" ?selected=${f.queueId === null}>${t('agentGrid.all')}</option>
            ${this.queues.map(
              (q) => html`<option value=${q.id} ?selected=${f.queueId === q.id}>${q.name}</option>`,
            )}
          </select>
        </div>
        <div class="field">
          <label for="skill">${t('agentGrid.skill')}</label>
          <select id="skill" name="skill">
            <option value="" ?selected=${f.skill === null}>${t('agentGrid.all')}</option>
            ${skillsOf(agents).map((s) => html`<option value=${s} ?selected=${f.skill === s}>${s}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="status">${t('agentGrid.status')}</label>
          <select id="status" name="status">
            <option value="" ?selected=${f.status === null}>${t('agentGrid.all')}</option>
            ${AGENT_STATUS_ORDER.map(
              (s) =>
                html`<option value=${s} ?selected=${f.status === s}>${this.i18n.agentStatus(s)}</option>`,
            )}
          </select>
        </div>
      </fieldset>
    </form>`;
  }

  private renderRow(agent: AgentLive, dayStart: string) {
    const t = this.i18n.t.bind(this.i18n);
    const now = this.tick.now;
    const occupancy = occupancyPercent(agent, dayStart, now);
    const call = agent.call;
    return html`<tr data-agent=${agent.username}>
      <th scope="row">${agent.displayName}</th>
      <td>
        ${this.i18n.agentStatus(agent.status)}${agent.reason ? html` <span class="muted">(${agent.reason})</span>` : nothing}
        ${
          agent.nextReason
            ? html`<span class="muted"
                >· ${t('desk.status.next', { status: this.breakLabel(agent.nextReason) })}</span
              >`
            : nothing
        }
      </td>
      <td class="time">${this.i18n.duration(timeInStatusSeconds(agent, now))}</td>
      <td>
        ${
          call
            ? html`${call.customerName ?? call.callerNumber ?? t('wallboard.unknownCaller')}
                <span class="muted">${call.queueName ?? ''}</span>
                <span class="time"
                  >${this.i18n.duration(Math.max(0, Math.floor((now - Date.parse(call.since)) / 1000)))}</span
                >`
            : '—'
        }
      </td>
      <td class="number">${agent.handledToday}</td>
      <td class="number">${occupancy === null ? '—' : `${occupancy}%`}</td>
      <td>
        <div class="actions">
          <select
            aria-label=${t('agentGrid.setStatus', { name: agent.displayName })}
            @change=${(event: Event) => this.onSetStatus(agent, event)}
          >
            <option value="">${t('agentGrid.chooseStatus')}</option>
            ${SETTABLE.filter((s) => s !== agent.status).map(
              (s) => html`<option value=${s}>${this.i18n.agentStatus(s)}</option>`,
            )}
          </select>
          ${BUSY.includes(agent.status) ? this.renderPlanNext(agent) : nothing}
          ${
            agent.status === 'on_call' && call
              ? html`<select
                  aria-label=${t('agentGrid.supervise', { name: agent.displayName })}
                  @change=${(event: Event) => this.onSupervise(call.interactionId, event)}
                >
                  <option value="">${t('agentGrid.superviseChoose')}</option>
                  ${SUPERVISOR_MODES.map((mode) => html`<option value=${mode}>${t(`supervisorMode.${mode}`)}</option>`)}
                </select>`
              : nothing
          }
          ${
            agent.reservationId === null
              ? nothing
              : html`<button
                  type="button"
                  @click=${() => void this.act(() => endReservation(agent.reservationId!))}
                >
                  ${t('agentGrid.endRinging')}
                </button>`
          }
        </div>
      </td>
    </tr>`;
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    const live = this.live.snapshot.agents;
    const { connection, problem } = this.live.snapshot;
    const shown = live
      ? sortAgents(filterAgents(live.agents, this.filters), this.sort, live.since, this.tick.now)
      : [];
    return html`<h1>${t('agentGrid.title')}</h1>
      ${
        problem
          ? html`<p class="error" role="alert">${problem}</p>`
          : connection === 'connected'
            ? nothing
            : html`<p class="notice" role="status">${t(`live.${connection}`)}</p>`
      }
      <p class="error" role="alert">${this.error ? this.i18n.message(this.error) : nothing}</p>
      ${
        live === null
          ? html`<p class="muted">${t('app.loading')}</p>`
          : html`${this.renderFilters(live.agents)}
              <p class="status" role="status">
                ${t('agentGrid.shown', { shown: shown.length, total: live.agents.length })}
              </p>
              ${
                shown.length === 0
                  ? html`<p class="empty">${t('agentGrid.empty')}</p>`
                  : html`<div class="table-scroll">
                      <table>
                        <thead>
                          <tr>
                            ${COLUMNS.slice(0, 3).map((c) => this.renderHeader(c))}
                            <th scope="col">${t('agentGrid.call')}</th>
                            ${COLUMNS.slice(3).map((c) => this.renderHeader(c))}
                            <th scope="col">${t('agentGrid.actions')}</th>
                          </tr>
                        </thead>
                        <tbody>
                          ${shown.map((agent) => this.renderRow(agent, live.since))}
                        </tbody>
                      </table>
                    </div>`
              }`
      }`;
  }

  private renderHeader(column: { key: AgentSortKey; label: MessageKey }) {
    const sorted = this.sort.key === column.key;
    const label = this.i18n.t(column.label);
    return html`<th
      scope="col"
      aria-sort=${sorted ? (this.sort.descending ? 'descending' : 'ascending') : 'none'}
    >
      <button
        type="button"
        title=${this.i18n.t('agentGrid.sortBy', { column: label })}
        @click=${() => this.sortBy(column.key)}
      >
        ${label}${sorted ? (this.sort.descending ? ' ▼' : ' ▲') : ''}
      </button>
    </th>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-agent-grid': CtiAgentGrid;
  }
}
