import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { SignedIn } from '../../server/auth/auth.schemas.js';
import '../components/cti-language-select.js';
import { login } from '../data/auth.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { UiMessage } from '../i18n/i18n.js';
import { page } from '../styles/page.js';
import { toUiMessage } from './errors.js';
import { emit } from '../components/events.js';
import { textField } from '../components/fields.js';

export type LoginNotice = 'sessionExpired' | 'signedOut';

/**
 * The sign-in form. On success fires `cti-session-start` with the signed-in `SignedIn` as detail.
 */
@customElement('cti-login')
export class CtiLogin extends LitElement {
  static override styles = [
    page,
    css`
      :host {
        min-height: 100vh;
        min-height: 100dvh;
        display: grid;
        place-items: center;
        padding: var(--cti-space-4);
      }
      .panel {
        width: min(100%, 26rem);
        padding: var(--cti-space-6) var(--cti-space-5);
      }
      .top {
        margin-bottom: var(--cti-space-5);
      }
      .product {
        font-weight: 700;
        color: var(--cti-color-primary);
        letter-spacing: 0.02em;
      }
      .notice,
      .error {
        margin-bottom: var(--cti-space-4);
      }
      button.primary {
        width: 100%;
        margin-top: var(--cti-space-2);
      }
      .status {
        margin-top: var(--cti-space-2);
        min-height: 1.5em;
        text-align: center;
      }
    `,
  ];

  /** Why the login page is showing, when it is not the first visit. */
  @property({ attribute: false }) notice: LoginNotice | null = null;

  @state() private error: UiMessage | null = null;
  @state() private busy = false;

  private readonly i18n = new I18nController(this);

  private readonly onSubmit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    if (this.busy) return;
    const form = event.target as HTMLFormElement;
    const field = (name: string): string => {
      const control = form.elements.namedItem(name);
      return control instanceof HTMLInputElement ? control.value : '';
    };
    const username = field('username').trim();
    const password = field('password');
    if (!username || !password) {
      this.error = { key: 'login.missing' };
      return;
    }
    this.busy = true;
    this.error = null;
    try {
      const me: SignedIn = await login({ username, password });
      emit(this, 'cti-session-start', me);
    } catch (error) {
      this.error = toUiMessage(error, { 401: 'login.wrongCredentials', 429: 'login.rateLimited' });
      const passwordInput = form.elements.namedItem('password');
      if (passwordInput instanceof HTMLInputElement) {
        passwordInput.value = '';
        passwordInput.focus();
      }
    } finally {
      this.busy = false;
    }
  };

  override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLInputElement>('#username')?.focus();
  }

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    return html`
      <main class="panel card">
        <div class="top spread">
          <span class="product">${t('app.name')}</span>
          <cti-language-select></cti-language-select>
        </div>
        <h1>${t('login.title')}</h1>
        <p class="notice" role="status">${this.notice ? t(`login.${this.notice}`) : ''}</p>
        <div class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</div>
        <form novalidate @submit=${this.onSubmit}>
          ${textField({
            id: 'username',
            name: 'username',
            label: t('login.username'),
            autocomplete: 'username',
            autocapitalize: 'none',
            spellcheck: false,
          })}
          ${textField({
            id: 'password',
            name: 'password',
            label: t('login.password'),
            type: 'password',
            autocomplete: 'current-password',
          })}
          <button class="primary" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>
            ${t('login.submit')}
          </button>
          <p class="status" aria-live="polite">${this.busy ? t('login.busy') : ''}</p>
        </form>
      </main>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-login': CtiLogin;
  }
  interface HTMLElementEventMap {
    'cti-session-start': CustomEvent<SignedIn>;
  }
}
