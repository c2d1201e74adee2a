import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { QueueBacklog } from '../../contracts/desk.js';
import { TickController } from '../components/tick-controller.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { shared } from '../styles/shared.js';

/**
 * The backlog of the agent's CallQueues: how many callers wait in each and for how long the longest
 * has, so an agent sees the pressure before choosing a break. Callers are not named here.
 */
@customElement('cti-queue-backlog')
export class CtiQueueBacklog extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
        margin-top: var(--cti-space-4);
      }
      h2 {
        margin: 0 0 var(--cti-space-2);
        font-size: var(--cti-font-size-md);
      }
      table {
        width: 100%;
        border-collapse: collapse;
      }
      th,
      td {
        padding: var(--cti-space-1) var(--cti-space-2);
        text-align: start;
      }
      td.number,
      th.number {
        text-align: end;
        font-variant-numeric: tabular-nums;
      }
      tr.busy td {
        font-weight: 600;
      }
      .empty {
        margin: 0;
        color: var(--cti-color-text-muted);
      }
    `,
  ];

  @property({ attribute: false }) backlog: readonly QueueBacklog[] = [];

  private readonly i18n = new I18nController(this);
  private readonly tick = new TickController(this);

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    const count = new Intl.NumberFormat(this.i18n.lang);
    return html`<section class="card" aria-labelledby="backlog-heading">
      <h2 id="backlog-heading">${t('desk.backlog.title')}</h2>
      ${
        this.backlog.length === 0
          ? html`<p class="empty">${t('desk.backlog.noQueues')}</p>`
          : html`<table>
              <thead>
                <tr>
                  <th scope="col">${t('desk.backlog.queue')}</th>
                  <th scope="col" class="number">${t('desk.backlog.waiting')}</th>
                  <th scope="col" class="number">${t('desk.backlog.longestWait')}</th>
                </tr>
              </thead>
              <tbody>
                ${this.backlog.map(
                  (queue) =>
                    html`<tr class=${queue.waiting > 0 ? 'busy' : ''} data-queue=${queue.queueId}>
                      <th scope="row">${queue.name}</th>
                      <td class="number">${count.format(queue.waiting)}</td>
                      <td class="number">
                        ${
                          queue.oldestWaitingSince === null
                            ? '—'
                            : this.i18n.duration(
                                (this.tick.now - Date.parse(queue.oldestWaitingSince)) / 1000,
                              )
                        }
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-queue-backlog': CtiQueueBacklog;
  }
}
