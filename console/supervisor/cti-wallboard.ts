import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { AGENT_STATUS_ORDER, isTier } from '../data/vocabulary.js';
import type { QueueLive, QueuesLive } from '../data/supervision.data.js';
import { moveCall, raisePriority } from '../data/supervision.data.js';
import { attempt } from '../app/errors.js';
import { TickController } from '../components/tick-controller.js';
import { ListenerController } from '../components/listener-controller.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';
import { longestWaitSeconds, slStanding, trendPoints, type TrendSample } from './live-view.js';
import { SupervisionController } from './supervision-controller.js';
import '../components/cti-toast-stack.js';
import { AlertToasts } from './alert-toasts.js';

const TREND_WINDOW_MS = 3_600_000;
const RAISE_SECONDS = 60;

/**
 * The wallboard: a tile per call queue with its live figures, coloured by the service level against
 * the queue's target, a trend of waiting calls, and the waiting calls with move and raise-priority
 * actions. "Full screen" shows it as a TV board (larger, without the actions).
 */
@customElement('cti-wallboard')
export class CtiWallboard extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      :host([tv]) {
        padding: var(--cti-space-5);
        background: var(--cti-color-bg);
        font-size: 1.35rem;
        overflow: auto;
      }
      header {
        margin-bottom: var(--cti-space-4);
      }
      .tiles {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 20rem), 1fr));
        gap: var(--cti-space-4);
      }
      :host([tv]) .tiles {
        grid-template-columns: repeat(auto-fill, minmax(26rem, 1fr));
      }
      article {
        padding: var(--cti-space-4);
        border: 1px solid var(--cti-color-border);
        border-left: 0.5rem solid var(--cti-color-border-strong);
        border-radius: var(--cti-radius-md);
        background: var(--cti-color-surface);
        box-shadow: var(--cti-shadow-card);
      }
      article.good {
        border-left-color: var(--cti-color-success);
      }
      article.warning {
        border-left-color: var(--cti-color-warning-border);
        background: var(--cti-color-warning-soft);
      }
      article.bad {
        border-left-color: var(--cti-color-danger);
        background: var(--cti-color-danger-soft);
      }
      .headline {
        display: grid;
        grid-template-columns: repeat(3, 1fr);
        gap: var(--cti-space-2);
        margin: var(--cti-space-3) 0;
      }
      .big {
        display: block;
        font-size: 2em;
        font-weight: 700;
        line-height: 1.1;
        font-variant-numeric: tabular-nums;
      }
      .tiers {
        list-style: none;
        padding: 0;
        margin: 0 0 var(--cti-space-2);
        font-size: var(--cti-font-size-sm);
      }
      dl {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: var(--cti-space-1) var(--cti-space-3);
        margin: 0;
      }
      dd {
        margin: 0;
        text-align: end;
        font-variant-numeric: tabular-nums;
      }
      .agents {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-1) var(--cti-space-3);
        margin: var(--cti-space-3) 0;
      }
      svg {
        width: 100%;
        height: 2.5rem;
        margin-top: var(--cti-space-2);
      }
      polyline {
        fill: none;
        stroke-width: 1.5;
      }
      polyline.waiting {
        stroke: var(--cti-color-primary);
      }
      polyline.sl {
        stroke: var(--cti-color-success);
        stroke-dasharray: 4 2;
      }
      details {
        margin-top: var(--cti-space-3);
      }
      details ul {
        display: grid;
        gap: var(--cti-space-2);
        margin: var(--cti-space-2) 0 0;
        padding: 0;
        list-style: none;
      }
      details li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cti-space-2);
      }
      details form {
        display: flex;
        gap: var(--cti-space-2);
        align-items: center;
      }
      details select {
        width: auto;
      }
      :host([tv]) details,
      :host([tv]) .actions {
        display: none;
      }
    `,
  ];

  /** Shown as a TV board: set while the element is full screen. */
  @property({ type: Boolean, reflect: true }) tv = false;
  @state() private error: UiMessage | null = null;

  private readonly live = new SupervisionController(this, 'queues');
  private readonly tick = new TickController(this);
  private readonly i18n = new I18nController(this);
  private readonly alerts = new AlertToasts(this);
  /** Waiting calls and service level per queue since this page opened, for the trend lines. */
  private readonly trends = new Map<number, { waiting: TrendSample[]; serviceLevel: TrendSample[] }>();
  private lastSeen: QueuesLive | null = null;

  private readonly fullscreen = new ListenerController(this, document, 'fullscreenchange', () =>
    this.onFullscreenChange(),
  );

  private readonly onFullscreenChange = (): void => {
    this.tv = document.fullscreenElement === this;
  };

  private readonly toggleTv = async (): Promise<void> => {
    if (document.fullscreenElement === this) await document.exitFullscreen();
    else await this.requestFullscreen();
  };

  private record(live: QueuesLive): void {
    if (live === this.lastSeen) return;
    this.lastSeen = live;
    const atMs = Date.parse(live.at);
    const add = (samples: TrendSample[], value: number) => {
      if (samples.at(-1)?.value !== value) samples.push({ atMs, value });
      while (samples.length > 1 && samples[1]!.atMs < atMs - TREND_WINDOW_MS) samples.shift();
    };
    for (const queue of live.queues) {
      const trend = this.trends.get(queue.queueId) ?? { waiting: [], serviceLevel: [] };
      add(trend.waiting, queue.waiting.length);
      if (queue.today.serviceLevelPercent !== null) add(trend.serviceLevel, queue.today.serviceLevelPercent);
      this.trends.set(queue.queueId, trend);
    }
  }

  private act(command: () => Promise<void>): Promise<void> {
    return attempt(command, (error) => (this.error = error));
  }

  private readonly onMove = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const interactionId = Number(data.get('interactionId'));
    const queueId = Number(data.get('queueId'));
    if (!queueId) return;
    void this.act(() => moveCall(interactionId, queueId));
  };

  private renderConnection() {
    const { connection, problem } = this.live.snapshot;
    if (problem) return html`<p class="error" role="alert">${problem}</p>`;
    if (connection === 'connected') return nothing;
    return html`<p class="notice" role="status">${this.i18n.t(`live.${connection}`)}</p>`;
  }

  private renderTile(queue: QueueLive, all: QueueLive[]) {
    const t = this.i18n.t.bind(this.i18n);
    const now = this.tick.now;
    const standing = slStanding(queue);
    const { today } = queue;
    const sl = today.serviceLevelPercent;
    const trend = this.trends.get(queue.queueId);
    const waitingLine = trendPoints(trend?.waiting ?? [], now, TREND_WINDOW_MS, 200, 40);
    const slLine = trendPoints(trend?.serviceLevel ?? [], now, TREND_WINDOW_MS, 200, 40, 100);
    const others = all.filter((q) => q.queueId !== queue.queueId);
    return html`<article class=${standing} aria-labelledby="queue-${queue.queueId}">
      <h2 id="queue-${queue.queueId}">${queue.name}</h2>
      <div class="headline">
        <div>
          <span class="big" data-figure="waiting">${queue.waiting.length}</span>${t('wallboard.waiting')}
        </div>
        <div>
          <span class="big" data-figure="longest-wait"
            >${this.i18n.duration(longestWaitSeconds(queue, now))}</span
          >${t('wallboard.longestWait')}
        </div>
        <div>
          <span class="big" data-figure="service-level">${sl === null ? '—' : `${sl}%`}</span
          >${t('wallboard.serviceLevel')}
        </div>
      </div>
      <p class="muted">
        ${t(`wallboard.sl.${standing}`)} ·
        ${t('wallboard.slTarget', { percent: queue.slTargetPercent, seconds: queue.slTargetSeconds })}
      </p>
      ${
        queue.todayByTier.length === 0
          ? nothing
          : html`<ul class="tiers muted" aria-label=${t('wallboard.byTier')}>
              ${queue.todayByTier.map(
                (tier) =>
                  html`<li data-tier=${tier.tier}>
                    <strong>${this.i18n.tier(tier.tier)}</strong>
                    <span data-figure="tier-service-level"
                      >${tier.serviceLevelPercent === null ? '—' : `${tier.serviceLevelPercent}%`}</span
                    >
                    ·
                    ${t(`wallboard.sl.${slStanding({ slTargetPercent: tier.slTargetPercent, today: tier })}`)}
                    ·
                    ${t('wallboard.slTarget', { percent: tier.slTargetPercent, seconds: tier.slTargetSeconds })}
                  </li>`,
              )}
            </ul>`
      }
      <div class="agents" aria-label=${t('wallboard.agents')}>
        ${AGENT_STATUS_ORDER.filter((status) => queue.agents[status] > 0).map(
          (status) =>
            html`<span>${this.i18n.agentStatus(status)}: <strong>${queue.agents[status]}</strong></span>`,
        )}
      </div>
      <dl>
        <dt>${t('wallboard.offered')}</dt>
        <dd>${today.offered}</dd>
        <dt>${t('wallboard.answered')}</dt>
        <dd>${today.answered}</dd>
        <dt>${t('wallboard.abandoned')}</dt>
        <dd>${today.abandoned} (${t('wallboard.shortAbandoned', { count: today.shortAbandoned })})</dd>
        <dt>${t('wallboard.asa')}</dt>
        <dd>${this.i18n.duration(today.asaSeconds === null ? null : Math.round(today.asaSeconds))}</dd>
        <dt>${t('wallboard.aht')}</dt>
        <dd>${this.i18n.duration(today.ahtSeconds === null ? null : Math.round(today.ahtSeconds))}</dd>
        <dt>${t('wallboard.averageHold')}</dt>
        <dd>
          ${this.i18n.duration(today.averageHoldSeconds === null ? null : Math.round(today.averageHoldSeconds))}
        </dd>
        <dt>${t('wallboard.transfers')}</dt>
        <dd>${today.transfers}</dd>
        <dt>${t('wallboard.callbacks')}</dt>
        <dd>${queue.callbacksPending}</dd>
      </dl>
      <svg viewBox="0 0 200 40" preserveAspectRatio="none" role="img" aria-label=${t('wallboard.trend')}>
        <polyline class="waiting" points=${waitingLine}></polyline>
        <polyline class="sl" points=${slLine}></polyline>
      </svg>
      ${
        queue.waiting.length === 0
          ? nothing
          : html`<details>
              <summary>${t('wallboard.waitingCalls')} (${queue.waiting.length})</summary>
              <ul>
                ${queue.waiting.map(
                  (call) =>
                    html`<li>
                      <span>${call.position}.</span>
                      <strong
                        >${call.customerName ?? call.callerNumber ?? t('wallboard.unknownCaller')}</strong
                      >
                      <span>${isTier(call.tier) ? this.i18n.tier(call.tier) : call.tier}</span>
                      <span
                        >${this.i18n.duration(Math.max(0, Math.floor((now - Date.parse(call.waitingSince)) / 1000)))}</span
                      >
                      <span class="actions">
                        <button
                          type="button"
                          @click=${() => void this.act(() => raisePriority(call.interactionId, RAISE_SECONDS))}
                        >
                          ${t('wallboard.raisePriority')}
                        </button>
                      </span>
                      ${
                        others.length === 0
                          ? nothing
                          : html`<form class="actions" @submit=${this.onMove}>
                              <input type="hidden" name="interactionId" value=${call.interactionId} />
                              <label>
                                <span class="visually-hidden">${t('wallboard.moveTo')}</span>
                                <select name="queueId" aria-label=${t('wallboard.moveTo')}>
                                  ${others.map((q) => html`<option value=${q.queueId}>${q.name}</option>`)}
                                </select>
                              </label>
                              <button type="submit">${t('wallboard.move')}</button>
                            </form>`
                      }
                    </li>`,
                )}
              </ul>
            </details>`
      }
    </article>`;
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    const live = this.live.snapshot.queues;
    if (live) this.record(live);
    // In TV mode only this board is on screen, so it shows the toasts itself.
    const tvToasts = this.tv ? html`<cti-toast-stack></cti-toast-stack>` : nothing;
    return html`<header class="spread">
        <h1>${t('wallboard.title')}</h1>
        <button type="button" @click=${this.toggleTv}>
          ${this.tv ? t('wallboard.exitTvMode') : t('wallboard.tvMode')}
        </button>
      </header>
      ${this.renderConnection()} ${tvToasts}
      <p class="error" role="alert">${this.error ? this.i18n.message(this.error) : nothing}</p>
      ${
        live === null
          ? html`<p class="muted">${t('app.loading')}</p>`
          : live.queues.length === 0
            ? html`<p class="empty">${t('wallboard.empty')}</p>`
            : html`<div class="tiles">
                ${live.queues.map((queue) => this.renderTile(queue, live.queues))}
              </div>`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-wallboard': CtiWallboard;
  }
}
