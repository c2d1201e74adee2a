import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { Role } from '../../server/auth/auth.schemas.js';
import { attempt, toUiMessage } from '../app/errors.js';
import {
  createApiToken,
  listApiTokens,
  revokeApiToken,
  type ApiToken,
  type CreatedApiToken,
} from '../data/api-tokens.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';

// Least to most rights; checked against the server's Role type, so a new role fails the typecheck here.
const ROLES = Object.keys({ agent: true, supervisor: true, admin: true } satisfies Record<
  Role,
  true
>) as Role[];

type TokenState = 'active' | 'revoked' | 'expired';

const stateOf = (token: ApiToken, now: number): TokenState =>
  token.revokedAt ? 'revoked' : token.expiresAt && Date.parse(token.expiresAt) <= now ? 'expired' : 'active';

/** The last moment of a date picked in a date input, in the browser's time zone, as ISO. */
const endOfDay = (date: string) => new Date(`${date}T23:59:59.999`).toISOString();

/**
 * Admins' API tokens: create one (its secret is shown once, with a copy button), list them, revoke
 * one after a confirmation in its row. The server refuses these calls to anyone but a signed-in admin.
 */
@customElement('cti-api-tokens')
export class CtiApiTokens extends LitElement {
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
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 12rem), 1fr));
        gap: 0 var(--cti-space-3);
        align-items: start;
        margin-bottom: var(--cti-space-4);
      }
      form .form-actions,
      form .error {
        grid-column: 1 / -1;
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
      .secret .copy-row {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-2);
        margin-bottom: var(--cti-space-3);
      }
      .secret input {
        flex: 1 1 16rem;
        font-family: var(--cti-font-mono, monospace);
        font-size: var(--cti-font-size-sm);
        color: var(--cti-color-text);
      }
      .state.revoked,
      .state.expired {
        color: var(--cti-color-text-muted);
      }
      .confirm {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cti-space-2);
      }
      code {
        font-size: var(--cti-font-size-sm);
        white-space: nowrap;
      }
    `,
  ];

  @state() private tokens: ApiToken[] | null = null;
  @state() private error: UiMessage | null = null;
  @state() private formError: UiMessage | null = null;
  @state() private busy = false;
  @state() private created: CreatedApiToken | null = null;
  @state() private copied: 'yes' | 'failed' | null = null;
  @state() private confirming: number | null = null;
  @state() private notice = '';

  private readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private readonly load = async (): Promise<void> => {
    try {
      this.tokens = await listApiTokens();
      this.error = null;
    } catch (error) {
      this.error = toUiMessage(error);
    }
  };

  private readonly create = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const field = (name: string) =>
      (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value;
    const expires = field('expires');
    this.busy = true;
    await attempt(
      async () => {
        this.created = await createApiToken({
          name: field('name'),
          role: field('role') as Role,
          ...(expires && { expiresAt: endOfDay(expires) }),
        });
        this.copied = null;
        this.notice = this.i18n.t('apiTokens.created', { name: this.created.name });
        form.reset();
        await this.load();
      },
      (error) => (this.formError = error),
    );
    this.busy = false;
  };

  private readonly copy = async (): Promise<void> => {
    if (!this.created) return;
    try {
      await navigator.clipboard.writeText(this.created.token);
      this.copied = 'yes';
    } catch {
      // No clipboard outside a secure context: the token is selected for the user to copy.
      this.copied = 'failed';
      this.renderRoot.querySelector<HTMLInputElement>('#api-token-secret')?.select();
    }
  };

  private async revoke(token: ApiToken): Promise<void> {
    this.busy = true;
    await attempt(
      async () => {
        await revokeApiToken(token.id);
        this.confirming = null;
        this.notice = this.i18n.t('apiTokens.revoked', { name: token.name });
        await this.load();
      },
      (error) => (this.error = error),
    );
    this.busy = false;
  }

  private renderForm() {
    const t = this.i18n.t.bind(this.i18n);
    const today = new Date().toLocaleDateString('sv');
    return html`<form class="card" @submit=${this.create} aria-labelledby="api-token-new">
      <h3 id="api-token-new" class="visually-hidden">${t('apiTokens.new')}</h3>
      <div class="field">
        <label for="api-token-name">${t('apiTokens.name')}</label>
        <input
          id="api-token-name"
          name="name"
          required
          maxlength="64"
          autocomplete="off"
          placeholder=${t('apiTokens.namePlaceholder')}
        />
      </div>
      <div class="field">
        <label for="api-token-role">${t('apiTokens.role')}</label>
        <select id="api-token-role" name="role">
          ${ROLES.map((role) => html`<option value=${role}>${this.i18n.role(role)}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="api-token-expires">${t('apiTokens.expires')}</label>
        <input
          id="api-token-expires"
          name="expires"
          type="date"
          min=${today}
          aria-describedby="api-token-expires-hint"
        />
        <div id="api-token-expires-hint" class="hint">${t('apiTokens.expiresHint')}</div>
      </div>
      <div class="form-actions">
        <button class="primary" type="submit" ?disabled=${this.busy}>${t('apiTokens.create')}</button>
      </div>
      <div class="error" role="alert">${this.formError ? this.i18n.message(this.formError) : ''}</div>
    </form>`;
  }

  private renderSecret(created: CreatedApiToken) {
    const t = this.i18n.t.bind(this.i18n);
    return html`<div class="secret" role="region" aria-labelledby="api-token-secret-label">
      <p id="api-token-secret-warning">${t('apiTokens.secretWarning')}</p>
      <label id="api-token-secret-label" for="api-token-secret"
        >${t('apiTokens.secretLabel', { name: created.name })}</label
      >
      <div class="copy-row">
        <input
          id="api-token-secret"
          readonly
          .value=${created.token}
          aria-describedby="api-token-secret-warning"
          @focus=${(event: FocusEvent) => (event.target as HTMLInputElement).select()}
        />
        <button type="button" class="primary" @click=${this.copy}>${t('apiTokens.copy')}</button>
      </div>
      <p class="status" role="status">
        ${this.copied === 'yes' ? t('apiTokens.copied') : this.copied === 'failed' ? t('apiTokens.copyFailed') : ''}
      </p>
      <button type="button" @click=${() => (this.created = null)}>${t('apiTokens.done')}</button>
    </div>`;
  }

  private renderActions(token: ApiToken, tokenState: TokenState) {
    const t = this.i18n.t.bind(this.i18n);
    if (tokenState === 'revoked') return nothing;
    if (this.confirming !== token.id) {
      return html`<button
        type="button"
        class="danger"
        @click=${() => (this.confirming = token.id)}
        aria-label=${t('apiTokens.revokeNamed', { name: token.name })}
      >
        ${t('apiTokens.revoke')}
      </button>`;
    }
    return html`<div
      class="confirm"
      role="group"
      aria-label=${t('apiTokens.confirmRevoke', { name: token.name })}
    >
      <span>${t('apiTokens.confirmRevoke', { name: token.name })}</span>
      <button type="button" class="danger" ?disabled=${this.busy} @click=${() => void this.revoke(token)}>
        ${t('apiTokens.revoke')}
      </button>
      <button type="button" @click=${() => (this.confirming = null)}>${t('common.cancel')}</button>
    </div>`;
  }

  private renderList(tokens: ApiToken[]) {
    const t = this.i18n.t.bind(this.i18n);
    if (tokens.length === 0) return html`<p class="card empty">${t('apiTokens.empty')}</p>`;
    const now = Date.now();
    return html`<div class="table-scroll" role="region" aria-labelledby="api-tokens-heading" tabindex="0">
      <table aria-labelledby="api-tokens-heading">
        <thead>
          <tr>
            ${(
              [
                'apiTokens.col.name',
                'apiTokens.col.role',
                'apiTokens.col.prefix',
                'apiTokens.col.created',
                'apiTokens.col.lastUsed',
                'apiTokens.col.expires',
                'apiTokens.col.status',
                'apiTokens.col.actions',
              ] as const
            ).map((key) => html`<th scope="col">${t(key)}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${tokens.map((token) => {
            const tokenState = stateOf(token, now);
            return html`<tr data-token-id=${token.id}>
              <td>${token.name}</td>
              <td>${this.i18n.role(token.role)}</td>
              <td><code>${token.prefix}_…</code></td>
              <td>
                ${t('apiTokens.createdBy', { date: this.i18n.dateTime(token.createdAt), name: token.createdByName })}
              </td>
              <td>${token.lastUsedAt ? this.i18n.dateTime(token.lastUsedAt) : t('apiTokens.neverUsed')}</td>
              <td>${token.expiresAt ? this.i18n.dateTime(token.expiresAt) : t('apiTokens.noExpiry')}</td>
              <td><span class="state ${tokenState}">${t(`apiTokens.state.${tokenState}`)}</span></td>
              <td>${this.renderActions(token, tokenState)}</td>
            </tr>`;
          })}
        </tbody>
      </table>
    </div>`;
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    return html`<section aria-labelledby="api-tokens-heading">
      <h2 id="api-tokens-heading">${t('apiTokens.title')}</h2>
      <p class="intro muted">${t('apiTokens.intro')}</p>
      ${this.renderForm()} ${this.created ? this.renderSecret(this.created) : nothing}
      <p class="status" role="status">${this.notice}</p>
      <div class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</div>
      ${
        this.error && !this.tokens
          ? html`<p><button type="button" @click=${this.load}>${t('common.retry')}</button></p>`
          : nothing
      }
      ${this.tokens ? this.renderList(this.tokens) : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-api-tokens': CtiApiTokens;
  }
}
