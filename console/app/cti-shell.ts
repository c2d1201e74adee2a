import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Me } from '../../server/auth/auth.schemas.js';
import '../components/cti-language-select.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { shared } from '../styles/shared.js';
import { navSections, routeHref, sectionOf, type NavSection, type Route } from './routes.js';
import { emit } from '../components/events.js';
import { followUpCounts, type FollowUpCounts } from '../data/follow-ups.data.js';

const SECTION_ROUTES: Record<NavSection, Route> = {
  desk: { name: 'desk' },
  customers: { name: 'customers', query: '' },
  followUps: { name: 'followUps', list: 'mine' },
  interactions: { name: 'interactions' },
  wallboard: { name: 'wallboard' },
  agentGrid: { name: 'agentGrid' },
  reports: { name: 'reports', search: '' },
  admin: { name: 'admin' },
};

/**
 * The signed-in frame: header with navigation for the user's role, language switch and sign-out, and the
 * page in its slot. Below 48rem the navigation folds behind a menu button. Fires `cti-session-end` when
 * the user clicks "Sign out".
 */
@customElement('cti-shell')
export class CtiShell extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        min-height: 100vh;
        min-height: 100dvh;
      }
      .skip {
        position: absolute;
        left: var(--cti-space-2);
        top: -10rem;
        z-index: 10;
        padding: var(--cti-space-2) var(--cti-space-4);
        background: var(--cti-color-surface);
        border-radius: var(--cti-radius-md);
      }
      .skip:focus {
        top: var(--cti-space-2);
      }
      header {
        background: var(--cti-color-header-bg);
        color: var(--cti-color-header-text);
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cti-space-2) var(--cti-space-5);
        max-width: var(--cti-content-max-width);
        margin: 0 auto;
        padding: var(--cti-space-2) var(--cti-space-4);
      }
      header :focus-visible {
        box-shadow:
          0 0 0 3px var(--cti-color-header-bg),
          0 0 0 5px #ffffff;
      }
      .brand {
        color: inherit;
        font-weight: 700;
        font-size: 1.0625rem;
        text-decoration: none;
        white-space: nowrap;
      }
      .menu-button {
        display: none;
        min-height: 2.25rem;
        padding-inline: var(--cti-space-3);
        background: transparent;
        color: inherit;
        border-color: var(--cti-color-header-muted);
      }
      .menu-button:hover {
        background: rgb(255 255 255 / 12%);
      }
      .menu {
        display: flex;
        flex: 1;
        align-items: center;
        gap: var(--cti-space-4);
      }
      nav ul {
        display: flex;
        gap: var(--cti-space-1);
        margin: 0;
        padding: 0;
        list-style: none;
      }
      nav a {
        display: block;
        padding: var(--cti-space-2) var(--cti-space-3);
        border-radius: var(--cti-radius-md);
        color: var(--cti-color-header-muted);
        text-decoration: none;
        font-weight: 600;
      }
      nav a:hover {
        color: #ffffff;
        background: rgb(255 255 255 / 10%);
      }
      .badge {
        display: inline-block;
        min-width: 1.5em;
        margin-left: var(--cti-space-1);
        padding: 0 0.4em;
        border-radius: 999px;
        background: rgb(255 255 255 / 20%);
        color: #ffffff;
        font-size: var(--cti-font-size-sm);
        text-align: center;
      }
      .badge.overdue {
        background: var(--cti-color-danger);
      }
      nav a[aria-current='page'] {
        color: #ffffff;
        background: rgb(255 255 255 / 16%);
        text-decoration: underline;
        text-underline-offset: 0.3em;
      }
      .user {
        display: flex;
        align-items: center;
        gap: var(--cti-space-3);
        margin-left: auto;
        font-size: var(--cti-font-size-sm);
      }
      .who {
        display: flex;
        flex-direction: column;
        line-height: 1.3;
      }
      .who .role {
        color: var(--cti-color-header-muted);
      }
      .user button {
        min-height: 2.25rem;
        background: transparent;
        color: inherit;
        border-color: var(--cti-color-header-muted);
      }
      .user button:hover {
        background: rgb(255 255 255 / 12%);
      }
      .alert-wrap {
        max-width: var(--cti-content-max-width);
        margin: 0 auto;
        padding: 0 var(--cti-space-4);
      }
      .alert-wrap .error:not(:empty) {
        margin-top: var(--cti-space-3);
      }
      main {
        max-width: var(--cti-content-max-width);
        margin: 0 auto;
        padding: var(--cti-space-5) var(--cti-space-4) var(--cti-space-6);
      }
      main:focus {
        outline: none;
      }

      @media (max-width: 48rem) {
        .bar {
          gap: var(--cti-space-2);
        }
        .brand {
          flex: 1;
        }
        .menu-button {
          display: inline-flex;
        }
        .menu {
          display: none;
          flex-basis: 100%;
          flex-direction: column;
          align-items: stretch;
          gap: var(--cti-space-3);
          padding: var(--cti-space-2) 0 var(--cti-space-3);
          border-top: 1px solid rgb(255 255 255 / 20%);
        }
        .menu.open {
          display: flex;
        }
        nav ul {
          flex-direction: column;
        }
        .user {
          margin-left: 0;
          justify-content: space-between;
        }
        main {
          padding: var(--cti-space-4) var(--cti-space-3) var(--cti-space-6);
        }
      }
    `,
  ];

  @property({ attribute: false }) me!: Me;
  @property({ attribute: false }) route: Route = { name: 'customers', query: '' };
  @property({ type: Boolean, attribute: 'sign-out-failed' }) signOutFailed = false;

  @state() private menuOpen = false;
  /** My follow-ups, for the navigation badge; kept current by the server's pushes. */
  @state() private followUpCounts: FollowUpCounts | null = followUpCounts.counts;
  private stopCounts: (() => void) | undefined;

  @query('main') private main!: HTMLElement;
  @query('.menu-button') private menuButton!: HTMLButtonElement;

  private readonly i18n = new I18nController(this);

  /**
   * Moves focus to the page content, so keyboard and screen-reader users start there after navigating,
   * unless the new page already focused one of its own controls (the search box does).
   */
  async focusMain(): Promise<void> {
    await this.updateComplete;
    // One frame lets the slotted page finish its first render and take focus itself.
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const active = (this.getRootNode() as Document | ShadowRoot).activeElement;
    if (active && active !== this && this.contains(active)) return;
    this.main.focus({ preventScroll: true });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.stopCounts = followUpCounts.subscribe((counts) => (this.followUpCounts = counts));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopCounts?.();
  }

  /** Open follow-ups of mine, red when any is overdue; nothing when there are none. */
  private badge(section: NavSection) {
    const mine = this.followUpCounts?.mine;
    if (section !== 'followUps' || !mine || mine.open === 0) return nothing;
    return html`<span
      class="badge ${mine.overdue > 0 ? 'overdue' : ''}"
      data-follow-up-badge
      aria-label=${this.i18n.t('followUps.badge', { open: mine.open, overdue: mine.overdue })}
      >${mine.open}</span
    >`;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('route')) this.menuOpen = false;
  }

  private readonly toggleMenu = (): void => {
    this.menuOpen = !this.menuOpen;
  };

  private readonly onKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && this.menuOpen) {
      this.menuOpen = false;
      this.menuButton.focus();
    }
  };

  private readonly skipToMain = (event: Event): void => {
    event.preventDefault();
    this.main.focus();
  };

  private readonly signOut = (): void => {
    emit(this, 'cti-session-end');
  };

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    const current = sectionOf(this.route);
    return html`
      <a class="skip" href="#main" @click=${this.skipToMain}>${t('app.skipToContent')}</a>
      <header @keydown=${this.onKeydown}>
        <div class="bar">
          <a class="brand" href="/">${t('app.name')}</a>
          <cti-language-select></cti-language-select>
          <button
            class="menu-button"
            type="button"
            aria-expanded=${this.menuOpen ? 'true' : 'false'}
            aria-controls="shell-menu"
            @click=${this.toggleMenu}
          >
            <span aria-hidden="true">☰</span>${t('nav.menu')}
          </button>
          <div id="shell-menu" class="menu ${this.menuOpen ? 'open' : ''}">
            <nav aria-label=${t('nav.label')}>
              <ul>
                ${navSections(this.me.role).map(
                  (section) =>
                    html`<li>
                      <a
                        href=${routeHref(SECTION_ROUTES[section])}
                        aria-current=${section === current ? 'page' : 'false'}
                        >${t(`nav.${section}`)}${this.badge(section)}</a
                      >
                    </li>`,
                )}
              </ul>
            </nav>
            <div class="user">
              <span class="who">
                <span
                  ><span class="visually-hidden">${t('shell.signedInAs')} </span>${this.me.displayName}</span
                >
                <span class="role">${this.i18n.role(this.me.role)}</span>
              </span>
              <button type="button" @click=${this.signOut}>${t('shell.signOut')}</button>
            </div>
          </div>
        </div>
      </header>
      <div class="alert-wrap">
        <div class="error" role="alert">${this.signOutFailed ? t('shell.signOutFailed') : ''}</div>
      </div>
      <main id="main" tabindex="-1">
        <slot></slot>
      </main>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-shell': CtiShell;
  }
  interface HTMLElementEventMap {
    'cti-session-end': CustomEvent<void>;
  }
}
