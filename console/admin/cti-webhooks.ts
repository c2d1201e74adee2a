import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { attempt, toUiMessage } from '../app/errors.js';
import {
  createWebhook,
  deleteWebhook,
  listWebhooks,
  updateWebhook,
  WEBHOOK_EVENT_TYPES,
  type CreatedWebhook,
  type Webhook,
  type WebhookEventType,
} from '../data/webhooks.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';
import './cti-webhook-deliveries.js';

/**
 * Admins' event webhooks: create one (URL, events; its signing secret is shown once), list them
 * with the secret masked, disable or enable, delete after a confirmation, and open one's delivery
 * log to replay a delivery. The server refuses these calls to anyone but an admin.
 */
@customElement('cti-webhooks')
export class CtiWebhooks extends LitElement {
  static override styles = [
    shared,
    css`
      h2 {
        margin-bottom: var(--cti-space-2);
      }
      .intro {
        margin-bottom: var(--cti-space-4);
      }
      form.card {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 14rem), 1fr));
        gap: 0 var(--cti-space-3);
        align-items: start;
        margin-bottom: var(--cti-space-4);
      }
      form fieldset,
      form .form-actions,
      form .error {
        grid-column: 1 / -1;
      }
      fieldset {
        border: none;
        margin: 0 0 var(--cti-space-3);
        padding: 0;
      }
      .events {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 12rem), 1fr));
        gap: var(--cti-space-1) var(--cti-space-3);
      }
      .events label {
        display: flex;
        align-items: center;
        gap: var(--cti-space-2);
        min-height: 2.75rem;
      }
      .secret {
        margin-bottom: var(--cti-space-4);
        padding: var(--cti-space-4);
        border: 1px solid var(--cti-color-warning-border);
        border-left-width: 4px;
        border-radius: var(--cti-radius-md);
        background: var(--cti-color-warning-soft);
        color: var(--cti-color-warning-text);
      }
      .secret p {
        margin: 0 0 var(--cti-space-3);
        font-weight: 600;
      }
      .secret input {
        width: 100%;
        margin-bottom: var(--cti-space-3);
        font-family: var(--cti-font-mono, monospace);
        font-size: var(--cti-font-size-sm);
        color: var(--cti-color-text);
      }
      .url {
        overflow-wrap: anywhere;
        max-width: 22rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-2);
      }
      .state.disabled {
        color: var(--cti-color-text-muted);
      }
      code {
        font-size: var(--cti-font-size-sm);
        white-space: nowrap;
      }
    `,
  ];

  @state() private webhooks: Webhook[] | null = null;
  @state() private error: UiMessage | null = null;
  @state() private formError: UiMessage | null = null;
  @state() private busy = false;
  @state() private created: CreatedWebhook | null = null;
  @state() private confirming: number | null = null;
  @state() private open: number | null = null;
  @state() private notice = '';

  private readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private readonly load = async (): Promise<void> => {
    try {
      this.webhooks = await listWebhooks();
      this.error = null;
    } catch (error) {
      this.error = toUiMessage(error);
    }
  };

  private readonly create = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const field = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;
    const events = data.getAll('events') as WebhookEventType[];
    if (events.length === 0) {
      this.formError = { key: 'webhooks.pickEvent' };
      return;
    }
    this.busy = true;
    this.formError = null;
    await attempt(
      async () => {
        this.created = await createWebhook({
          name: field('name'),
          url: field('url'),
          events,
        });
        this.notice = this.i18n.t('webhooks.created', { name: this.created.name });
        form.reset();
        await this.load();
      },
      (error) => (this.formError = error),
    );
    this.busy = false;
  };

  private async change(webhook: Webhook, work: () => Promise<unknown>, notice: string): Promise<void> {
    this.busy = true;
    await attempt(
      async () => {
        await work();
        this.confirming = null;
        if (this.open === webhook.id && !this.webhooks?.some((w) => w.id === webhook.id)) this.open = null;
        this.notice = notice;
        await this.load();
      },
      (error) => (this.error = error),
    );
    this.busy = false;
  }

  private renderForm() {
    const t = this.i18n.t.bind(this.i18n);
    return html`<form class="card" @submit=${this.create} aria-labelledby="webhook-new">
      <h3 id="webhook-new" class="visually-hidden">${t('webhooks.new')}</h3>
      <div class="field">
        <label for="webhook-name">${t('webhooks.name')}</label>
        <input
          id="webhook-name"
          name="name"
          required
          maxlength="64"
          autocomplete="off"
          placeholder=${t('webhooks.namePlaceholder')}
        />
      </div>
      <div class="field">
        <label for="webhook-url">${t('webhooks.url')}</label>
        <input
          id="webhook-url"
          name="url"
          type="url"
          required
          maxlength="2048"
          autocomplete="off"
          placeholder="https://crm.example.com/cti-events"
        />
      </div>
      <fieldset>
        <legend>${t('webhooks.events')}</legend>
        <div class="events">
          ${WEBHOOK_EVENT_TYPES.map(
            (type) =>
              html`<label
                ><input type="checkbox" name="events" value=${type} />${t(`webhooks.event.${type}`)}</label
              >`,
          )}
        </div>
      </fieldset>
      <div class="form-actions">
        <button class="primary" type="submit" ?disabled=${this.busy}>${t('webhooks.create')}</button>
      </div>
      <div class="error" role="alert">${this.formError ? this.i18n.message(this.formError) : ''}</div>
    </form>`;
  }

  private renderSecret(created: CreatedWebhook) {
    const t = this.i18n.t.bind(this.i18n);
    return html`<div class="secret" role="region" aria-labelledby="webhook-secret-label">
      <p id="webhook-secret-warning">${t('webhooks.secretWarning')}</p>
      <label id="webhook-secret-label" for="webhook-secret"
        >${t('webhooks.secretLabel', { name: created.name })}</label
      >
      <input
        id="webhook-secret"
        readonly
        .value=${created.secret}
        aria-describedby="webhook-secret-warning"
        @focus=${(event: FocusEvent) => (event.target as HTMLInputElement).select()}
      />
      <button type="button" @click=${() => (this.created = null)}>${t('webhooks.done')}</button>
    </div>`;
  }

  private renderActions(webhook: Webhook) {
    const t = this.i18n.t.bind(this.i18n);
    if (this.confirming === webhook.id) {
      return html`<div
        class="actions"
        role="group"
        aria-label=${t('webhooks.confirmDelete', { name: webhook.name })}
      >
        <span>${t('webhooks.confirmDelete', { name: webhook.name })}</span>
        <button
          type="button"
          class="danger"
          ?disabled=${this.busy}
          @click=${() =>
            void this.change(
              webhook,
              () => deleteWebhook(webhook.id),
              t('webhooks.deleted', { name: webhook.name }),
            )}
        >
          ${t('webhooks.delete')}
        </button>
        <button type="button" @click=${() => (this.confirming = null)}>${t('common.cancel')}</button>
      </div>`;
    }
    const logOpen = this.open === webhook.id;
    return html`<div class="actions">
      <button
        type="button"
        aria-expanded=${logOpen ? 'true' : 'false'}
        aria-label=${logOpen ? t('webhooks.hideLog') : t('webhooks.showLogNamed', { name: webhook.name })}
        @click=${() => (this.open = logOpen ? null : webhook.id)}
      >
        ${logOpen ? t('webhooks.hideLog') : t('webhooks.showLog')}
      </button>
      <button
        type="button"
        ?disabled=${this.busy}
        @click=${() =>
          void this.change(
            webhook,
            () => updateWebhook(webhook.id, { active: !webhook.active }),
            t(webhook.active ? 'webhooks.disabled' : 'webhooks.enabled', { name: webhook.name }),
          )}
      >
        ${webhook.active ? t('webhooks.disable') : t('webhooks.enable')}
      </button>
      <button
        type="button"
        class="danger"
        aria-label=${t('webhooks.deleteNamed', { name: webhook.name })}
        @click=${() => (this.confirming = webhook.id)}
      >
        ${t('webhooks.delete')}
      </button>
    </div>`;
  }

  private renderList(webhooks: Webhook[]) {
    const t = this.i18n.t.bind(this.i18n);
    if (webhooks.length === 0) return html`<p class="card empty">${t('webhooks.empty')}</p>`;
    const open = webhooks.find((w) => w.id === this.open);
    return html`<div class="table-scroll" role="region" aria-labelledby="webhooks-heading" tabindex="0">
        <table aria-labelledby="webhooks-heading">
          <thead>
            <tr>
              ${(
                [
                  'webhooks.col.name',
                  'webhooks.col.url',
                  'webhooks.col.events',
                  'webhooks.col.secret',
                  'webhooks.col.deliveries',
                  'webhooks.col.status',
                  'webhooks.col.actions',
                ] as const
              ).map((key) => html`<th scope="col">${t(key)}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${webhooks.map(
              (webhook) =>
                html`<tr data-webhook-id=${webhook.id}>
                  <td>${webhook.name}</td>
                  <td class="url">${webhook.url}</td>
                  <td>${webhook.events.map((type) => t(`webhooks.event.${type}`)).join(', ')}</td>
                  <td><code>${webhook.secretHint}</code></td>
                  <td>
                    ${t('webhooks.counts', { open: webhook.openDeliveries, failed: webhook.failedDeliveries })}
                  </td>
                  <td>
                    <span class="state ${webhook.active ? 'active' : 'disabled'}"
                      >${t(webhook.active ? 'webhooks.state.active' : 'webhooks.state.disabled')}</span
                    >
                  </td>
                  <td>${this.renderActions(webhook)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${
        open
          ? html`<cti-webhook-deliveries
              .webhookId=${open.id}
              .webhookName=${open.name}
            ></cti-webhook-deliveries>`
          : nothing
      }`;
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    return html`<section aria-labelledby="webhooks-heading">
      <h2 id="webhooks-heading">${t('webhooks.title')}</h2>
      <p class="intro muted">${t('webhooks.intro')}</p>
      ${this.renderForm()} ${this.created ? this.renderSecret(this.created) : nothing}
      <p class="status" role="status">${this.notice}</p>
      <div class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</div>
      ${
        this.error && !this.webhooks
          ? html`<p><button type="button" @click=${this.load}>${t('common.retry')}</button></p>`
          : nothing
      }
      ${this.webhooks ? this.renderList(this.webhooks) : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-webhooks': CtiWebhooks;
  }
}
