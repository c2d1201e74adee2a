import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import type { SignedIn } from '../../server/auth/auth.schemas.js';
import '../admin/cti-admin-page.js';
import '../agent/cti-agent-desk.js';
import '../agent/cti-desk-alert.js';
import { browserOfferAlertPorts } from '../agent/offer-alert-ports.js';
import { OfferAlerts } from '../agent/offer-alerts.js';
import '../customers/cti-customer-create.js';
import '../customers/cti-customer-duplicates.js';
import '../customers/cti-customer-import.js';
import '../customers/cti-customer-page.js';
import '../customers/cti-customer-search.js';
import '../components/cti-toast-stack.js';
import { ReminderToasts } from '../follow-ups/reminder-toasts.js';
import '../follow-ups/cti-follow-ups-page.js';
import { onSessionExpired } from '../data/api.js';
import { currentSession, logout } from '../data/auth.data.js';
import { desk } from '../data/desk.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { adoptAccountLanguage, startLanguage, type MessageKey } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';
import '../supervisor/cti-agent-grid.js';
import '../supervisor/cti-interactions-page.js';
import '../supervisor/cti-wallboard.js';
import './cti-login.js';
import type { LoginNotice } from './cti-login.js';
import './cti-shell.js';
import type { CtiShell } from './cti-shell.js';
import { navigate, onNavigate, routeLinkClicks } from './navigation.js';
import { landingRoute, parseRoute, routeFor, routeHref, type Route } from './routes.js';

const PAGE_TITLES: Record<Route['name'], MessageKey> = {
  login: 'login.submit',
  home: 'app.loading',
  desk: 'nav.desk',
  customers: 'nav.customers',
  customer: 'nav.customers',
  customerNew: 'customerCreate.title',
  customerDuplicates: 'duplicates.title',
  customerImport: 'customerImport.title',
  interactions: 'nav.interactions',
  wallboard: 'wallboard.title',
  agentGrid: 'agentGrid.title',
  reports: 'nav.reports',
  reportInteractions: 'nav.reports',
  admin: 'nav.admin',
  followUps: 'nav.followUps',
};

/** Reports load on first visit: their chart library is not needed on the desk. */
const LAZY_PAGES: Partial<Record<Route['name'], () => Promise<unknown>>> = {
  reports: () => import('../reports/cti-reports-page.js'),
  reportInteractions: () => import('../reports/cti-report-interactions-page.js'),
};

/**
 * The root: checks for a session, routes by URL, and shows the login page whenever there is no session,
 * including when any call or the desk's connection reports that it expired. The desk's connection is
 * open exactly while someone is signed in.
 */
@customElement('cti-app')
export class CtiApp extends LitElement {
  static override styles = [
    shared,
    css`
      .boot {
        display: grid;
        place-items: center;
        gap: var(--cti-space-3);
        min-height: 60vh;
        padding: var(--cti-space-4);
        text-align: center;
      }
    `,
  ];

  /** undefined while the session check runs; null when signed out. */
  @state() private me: SignedIn | null | undefined = undefined;
  @state() private route: Route = parseRoute(location.pathname, location.search);
  @state() private loginNotice: LoginNotice | null = null;
  @state() private bootFailed = false;
  @state() private signOutFailed = false;
  @state() private pageFailed = false;

  @query('cti-shell') private shell!: CtiShell | null;

  /** Where to go after signing in, when the login page interrupted the user. */
  private returnTo: string | null = null;
  private focusAfterRender = false;
  private readonly i18n = new I18nController(this);
  private readonly reminders = new ReminderToasts(this);
  private readonly offerAlerts = new OfferAlerts(this, browserOfferAlertPorts(), desk);
  private cleanups: (() => void)[] = [];

  override connectedCallback(): void {
    super.connectedCallback();
    startLanguage();
    this.cleanups = [onNavigate(this.syncRoute), onSessionExpired(this.onExpired), routeLinkClicks(this)];
    void this.resumeSession();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const cleanup of this.cleanups) cleanup();
    this.cleanups = [];
    desk.disconnect();
  }

  private readonly resumeSession = async (): Promise<void> => {
    this.bootFailed = false;
    try {
      const me = await currentSession();
      if (me) {
        adoptAccountLanguage(me.uiLanguage, false);
        this.me = me;
        this.settleRoute();
      } else {
        this.showLogin(null);
      }
    } catch (error) {
      console.error(error);
      this.bootFailed = true;
    }
  };

  private readonly syncRoute = (): void => {
    this.route = parseRoute(location.pathname, location.search);
    if (this.me === null && this.route.name !== 'login') {
      this.showLogin(null);
      return;
    }
    if (this.me) this.settleRoute();
    this.focusAfterRender = true;
  };

  /** Keeps the address bar honest when a signed-in user lands on /login or a page outside their role. */
  private settleRoute(): void {
    if (!this.me) return;
    const allowed = routeFor(this.route, this.me.role);
    if (allowed !== this.route) {
      this.route = allowed;
      navigate(routeHref(allowed), { replace: true });
    }
  }

  private showLogin(notice: LoginNotice | null): void {
    if (this.route.name !== 'login') this.returnTo = location.pathname + location.search;
    this.me = null;
    this.loginNotice = notice;
    this.route = { name: 'login' };
    if (location.pathname !== '/login') history.replaceState(null, '', '/login');
  }

  private readonly onExpired = (): void => {
    if (this.me) this.showLogin('sessionExpired');
  };

  private readonly onSessionStart = (event: CustomEvent<SignedIn>): void => {
    const me = event.detail;
    adoptAccountLanguage(me.uiLanguage, true);
    this.me = me;
    this.loginNotice = null;
    this.signOutFailed = false;
    const target = this.returnTo ?? routeHref(landingRoute(me.role));
    this.returnTo = null;
    navigate(target, { replace: true });
  };

  private readonly onSessionEnd = async (): Promise<void> => {
    this.signOutFailed = false;
    // Closed first: signing out ends the session's sockets, which would otherwise read as an expiry.
    desk.disconnect();
    try {
      await logout();
    } catch (error) {
      // The session cookie is still valid, so pretending to be signed out would mislead the user.
      console.error(error);
      this.signOutFailed = true;
      desk.connect();
      return;
    }
    this.returnTo = null;
    this.route = { name: 'login' };
    this.me = null;
    this.loginNotice = 'signedOut';
    history.pushState(null, '', '/login');
  };

  // `me` is private, which PropertyValues<this> cannot name.
  override willUpdate(changed: PropertyValues): void {
    if (changed.has('route')) {
      this.pageFailed = false;
      void LAZY_PAGES[this.route.name]?.().catch(this.onLazyLoadFailed);
    }
    if (!changed.has('me')) return;
    this.offerAlerts.useAccount(this.me?.id ?? null);
    if (this.me) desk.connect();
    else desk.disconnect();
  }

  /** A chunk that fails to load (a deploy replaced it, the network dropped) says so in place of the page. */
  private readonly onLazyLoadFailed = (error: unknown): void => {
    console.error(error);
    this.pageFailed = true;
  };

  override updated(): void {
    document.title = `${this.i18n.t(PAGE_TITLES[this.route.name])} · ${this.i18n.t('app.name')}`;
    if (this.focusAfterRender && this.shell) {
      this.focusAfterRender = false;
      void this.shell.focusMain();
    }
  }

  private renderPage(route: Route) {
    switch (route.name) {
      case 'desk':
        return html`<cti-agent-desk
          .softphone=${this.me?.softphone ?? false}
          .offerAlerts=${this.offerAlerts}
        ></cti-agent-desk>`;
      case 'customerNew':
        return html`<cti-customer-create .phone=${route.phone}></cti-customer-create>`;
      case 'customerDuplicates':
        return html`<cti-customer-duplicates></cti-customer-duplicates>`;
      case 'customerImport':
        return html`<cti-customer-import></cti-customer-import>`;
      case 'customer':
        return html`<cti-customer-page
          .customerId=${route.id}
          .viewerRole=${this.me?.role ?? 'agent'}
        ></cti-customer-page>`;
      case 'interactions':
        return html`<cti-interactions-page></cti-interactions-page>`;
      case 'wallboard':
        return html`<cti-wallboard></cti-wallboard>`;
      case 'agentGrid':
        return html`<cti-agent-grid></cti-agent-grid>`;
      case 'reports':
        return html`<cti-reports-page .search=${route.search}></cti-reports-page>`;
      case 'reportInteractions':
        return html`<cti-report-interactions-page .search=${route.search}></cti-report-interactions-page>`;
      case 'admin':
        return html`<cti-admin-page></cti-admin-page>`;
      case 'followUps':
        return html`<cti-follow-ups-page
          .list=${route.list}
          .viewerRole=${this.me?.role ?? 'agent'}
        ></cti-follow-ups-page>`;
      case 'customers':
      case 'home':
      case 'login':
        return html`<cti-customer-search
          .query=${route.name === 'customers' ? route.query : ''}
          .viewerRole=${this.me?.role ?? 'agent'}
        ></cti-customer-search>`;
    }
  }

  override render() {
    if (this.me === undefined) {
      return html`<div class="boot" role="status" aria-live="polite">
        ${
          this.bootFailed
            ? html`<p class="error">${this.i18n.t('app.bootFailed')} ${this.i18n.t('error.network')}</p>
                <button type="button" class="primary" @click=${this.resumeSession}>
                  ${this.i18n.t('common.retry')}
                </button>`
            : html`<p>${this.i18n.t('app.loading')}</p>`
        }
      </div>`;
    }
    if (this.me === null) {
      return html`<cti-login
        .notice=${this.loginNotice}
        @cti-session-start=${this.onSessionStart}
      ></cti-login>`;
    }
    return html`<cti-shell
      .me=${this.me}
      .route=${this.route}
      ?sign-out-failed=${this.signOutFailed}
      @cti-session-end=${this.onSessionEnd}
    >
      ${this.route.name === 'desk' ? nothing : html`<cti-desk-alert></cti-desk-alert>`}
      <cti-toast-stack></cti-toast-stack>
      ${
        this.pageFailed
          ? html`<p class="error" role="alert">${this.i18n.t('error.network')}</p>`
          : this.renderPage(this.route)
      }
    </cti-shell>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-app': CtiApp;
  }
}
