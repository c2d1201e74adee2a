import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { attempt, toUiMessage } from '../app/errors.js';
import {
  listDeliveries,
  replayDelivery,
  type DeliveryLog,
  type WebhookDelivery,
} from '../data/webhooks.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';

/**
 * One webhook's delivery log, newest first, 20 a page: status, attempts, response, duration, last
 * error, and a replay button that queues the event again behind the customer's open deliveries.
 */
@customElement('cti-webhook-deliveries')
export class CtiWebhookDeliveries extends LitElement {
  static override styles = [
    shared,
    css`
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-2);
        margin: var(--cti-space-2) 0;
      }
      .status-delivered {
        color: var(--cti-color-success);
      }
      .status-failed {
        color: var(--cti-color-danger, var(--cti-color-text));
        font-weight: 600;
      }
      .error-text {
        max-width: 20rem;
        overflow-wrap: anywhere;
      }
      .replay-of {
        display: block;
        color: var(--cti-color-text-muted);
        font-size: var(--cti-font-size-sm);
      }
    `,
  ];

  @property({ type: Number }) webhookId = 0;
  @property() webhookName = '';

  @state() private log: DeliveryLog | null = null;
  @state() private error: UiMessage | null = null;
  @state() private busy = false;
  @state() private notice = '';

  private readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load(0);
  }

  private readonly load = async (offset: number): Promise<void> => {
    try {
      this.log = await listDeliveries(this.webhookId, offset);
      this.error = null;
    } catch (error) {
      this.error = toUiMessage(error);
    }
  };

  private async replay(delivery: WebhookDelivery): Promise<void> {
    this.busy = true;
    await attempt(
      async () => {
        await replayDelivery(delivery.id);
        this.notice = this.i18n.t('webhooks.log.replayed', { id: delivery.id });
        await this.load(0);
      },
      (error) => (this.error = error),
    );
    this.busy = false;
  }

  private row(delivery: WebhookDelivery) {
    const t = this.i18n.t.bind(this.i18n);
    return html`<tr data-delivery-id=${delivery.id}>
      <td>
        ${t(`webhooks.event.${delivery.eventType}`)}
        ${
          delivery.replayOf
            ? html`<span class="replay-of">${t('webhooks.log.replayOf', { id: delivery.replayOf })}</span>`
            : nothing
        }
      </td>
      <td>${this.i18n.dateTime(delivery.occurredAt)}</td>
      <td class="status-${delivery.status}">${t(`webhooks.delivery.${delivery.status}`)}</td>
      <td class="number">${delivery.attempts}</td>
      <td class="number">${delivery.responseCode ?? '—'}</td>
      <td class="number">
        ${delivery.durationMs === null ? '—' : t('webhooks.log.ms', { ms: delivery.durationMs })}
      </td>
      <td class="error-text">${delivery.lastError ?? ''}</td>
      <td>
        <button
          type="button"
          ?disabled=${this.busy}
          aria-label=${t('webhooks.log.replayNamed', { id: delivery.id })}
          @click=${() => void this.replay(delivery)}
        >
          ${t('webhooks.log.replay')}
        </button>
      </td>
    </tr>`;
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    const log = this.log;
    const headingId = `webhook-log-${this.webhookId}`;
    return html`<section aria-labelledby=${headingId}>
      <h3 id=${headingId}>${t('webhooks.log.title', { name: this.webhookName })}</h3>
      <div class="toolbar">
        <button type="button" @click=${() => void this.load(log?.offset ?? 0)}>
          ${t('webhooks.log.refresh')}
        </button>
        ${
          log && log.offset > 0
            ? html`<button type="button" @click=${() => void this.load(Math.max(0, log.offset - log.limit))}>
                ${t('webhooks.log.newer')}
              </button>`
            : nothing
        }
        ${
          log && log.offset + log.limit < log.total
            ? html`<button type="button" @click=${() => void this.load(log.offset + log.limit)}>
                ${t('webhooks.log.more')}
              </button>`
            : nothing
        }
      </div>
      <p class="status" role="status">${this.notice}</p>
      <div class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</div>
      ${
        !log
          ? nothing
          : log.items.length === 0
            ? html`<p class="card empty">${t('webhooks.log.empty')}</p>`
            : html`<div class="table-scroll" role="region" aria-labelledby=${headingId} tabindex="0">
                <table aria-labelledby=${headingId}>
                  <thead>
                    <tr>
                      ${(
                        [
                          'webhooks.log.event',
                          'webhooks.log.occurred',
                          'webhooks.log.status',
                          'webhooks.log.attempts',
                          'webhooks.log.response',
                          'webhooks.log.duration',
                          'webhooks.log.error',
                          'webhooks.col.actions',
                        ] as const
                      ).map((key) => html`<th scope="col">${t(key)}</th>`)}
                    </tr>
                  </thead>
                  <tbody>
                    ${log.items.map((delivery) => this.row(delivery))}
                  </tbody>
                </table>
              </div>`
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-webhook-deliveries': CtiWebhookDeliveries;
  }
}
