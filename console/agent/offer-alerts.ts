import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DeskReservation } from '../../contracts/desk.js';
import type { DeskSnapshot } from '../data/desk.data.js';
import { translate } from '../i18n/i18n.js';
import { callerLabel } from './desk-view.js';
import {
  DEFAULT_OFFER_ALERT_SETTINGS,
  clampVolume,
  type OfferAlertSettings,
  type OfferAlertSettingsStore,
} from './offer-alert-settings.js';

/** The browser's answer about notifications, or `unsupported` where there is no Notification API. */
export type NotificationPermissionState = NotificationPermission | 'unsupported';

/** The ring tone. */
export interface RingPort {
  /** Called inside a user gesture: creates or resumes the audio output. True when sound can play. */
  unlock(): Promise<boolean>;
  /**
   * Starts the ring tone, repeating until `stop` (which also cancels a start still pending). Resolves
   * false when the browser holds audio back until the user interacts with the page.
   * @param volume percent, 0–100
   */
  start(volume: number): Promise<boolean>;
  /** @param volume percent, 0–100 */
  setVolume(volume: number): void;
  stop(): void;
}

export interface ShownNotification {
  close(): void;
}

/** Desktop notifications. */
export interface NotificationPort {
  permission(): NotificationPermissionState;
  /** Asks the browser for permission; browsers allow this only from a user gesture. */
  requestPermission(): Promise<NotificationPermissionState>;
  show(message: { title: string; body: string; tag: string }, onClick: () => void): ShownNotification | null;
}

/** The page title and the tab's icon. */
export interface TitlePort {
  /** Alternates `alert` with the page's own title and badges the tab's icon until `stop`. */
  start(alert: string): void;
  /** Puts the page's own title and icon back. */
  stop(): void;
}

/** The page around the console. */
export interface PagePort {
  /** True while the tab is in the background or minimised (`document.visibilityState`). */
  hidden(): boolean;
  onVisibilityChange(listener: () => void): () => void;
  /** Calls `listener` on every user gesture on the page (pointer or key down); returns the way to stop. */
  onGesture(listener: () => void): () => void;
  /** Brings the console's window forward, on its desk. */
  focusDesk(): void;
}

export interface OfferAlertPorts {
  ring: RingPort;
  notifications: NotificationPort;
  title: TitlePort;
  page: PagePort;
  settings: OfferAlertSettingsStore;
}

/** The desk's store as this controller reads it (`desk` from desk.data.ts). */
export interface DeskFeed {
  readonly snapshot: DeskSnapshot;
  subscribe(listener: (snapshot: DeskSnapshot) => void): () => void;
}

/**
 * - `off`: no ring (no offer, sound turned off, or the offer ended).
 * - `starting`: the audio output is being started.
 * - `ringing`: the ring tone plays.
 * - `blocked`: an offer rings but the browser holds audio back until the user clicks on the page.
 */
export type RingState = 'off' | 'starting' | 'ringing' | 'blocked';

export interface OfferAlertsStatus {
  readonly settings: OfferAlertSettings;
  readonly ring: RingState;
  readonly permission: NotificationPermissionState;
}

/**
 * Makes a ringing Reservation impossible to miss on any page of the console, in the background too:
 * a ring tone, a desktop notification while the tab is hidden, and a flashing title with a badged tab
 * icon, each as the signed-in user set them. All three end the moment the offer does (accepted,
 * rejected, taken back, or its ring time over). Host it on the element that lives as long as the
 * signed-in console; the desk's settings read and change it through `status` and `change`.
 */
export class OfferAlerts implements ReactiveController {
  private userId: number | null = null;
  private settings: OfferAlertSettings = { ...DEFAULT_OFFER_ALERT_SETTINGS };
  /** The Reservation last seen on the desk, to tell a new offer from an update of the same one. */
  private seen: number | null = null;
  /** The offer being alerted on: null without one, or once its ring time is over. */
  private offer: DeskReservation | null = null;
  private ring: RingState = 'off';
  /** Tells a pending ring start whether it still belongs to the current ring. */
  private ringToken = 0;
  private titleShown = false;
  private notification: ShownNotification | null = null;
  private expiry: ReturnType<typeof setTimeout> | undefined;
  private cleanups: (() => void)[] = [];
  private readonly listeners = new Set<(status: OfferAlertsStatus) => void>();

  constructor(
    host: ReactiveControllerHost,
    private readonly ports: OfferAlertPorts,
    private readonly desk: DeskFeed,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    const { page } = this.ports;
    this.cleanups = [
      this.desk.subscribe((snapshot) => this.follow(snapshot)),
      page.onVisibilityChange(() => this.apply()),
      page.onGesture(this.onGesture),
    ];
    this.follow(this.desk.snapshot);
  }

  hostDisconnected(): void {
    for (const cleanup of this.cleanups) cleanup();
    this.cleanups = [];
    this.seen = null;
    this.end();
  }

  get status(): OfferAlertsStatus {
    return { settings: this.settings, ring: this.ring, permission: this.ports.notifications.permission() };
  }

  /** Calls `listener` after every change of `status`; returns the way to stop. */
  subscribe(listener: (status: OfferAlertsStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The signed-in user (null when signed out): their settings apply from now on. */
  useAccount(userId: number | null): void {
    if (userId === this.userId) return;
    this.userId = userId;
    this.settings = userId === null ? { ...DEFAULT_OFFER_ALERT_SETTINGS } : this.ports.settings.load(userId);
    this.apply();
  }

  /** The user changed a setting: it applies to an offer ringing now too, and is kept for them. */
  change(change: Partial<OfferAlertSettings>): void {
    this.settings = { ...this.settings, ...change };
    this.settings.volume = clampVolume(this.settings.volume);
    if (this.userId !== null) this.ports.settings.save(this.userId, this.settings);
    this.apply();
  }

  /** Asks the browser for notifications; call it from the user's click. */
  async requestPermission(): Promise<void> {
    await this.ports.notifications.requestPermission();
    this.apply();
  }

  /** The user's click on "enable sound": the ring starts if an offer is ringing unheard. */
  async enableSound(): Promise<void> {
    if (await this.ports.ring.unlock()) this.retryBlockedRing();
  }

  // Any click or key unlocks audio for the next offer (browsers allow it only after one), and starts
  // the ring of an offer that came before it, as after reloading the page.
  private readonly onGesture = (): void => {
    if (!this.settings.sound) return;
    void this.ports.ring.unlock().then((audible) => {
      if (audible) this.retryBlockedRing();
    });
  };

  private retryBlockedRing(): void {
    if (this.ring !== 'blocked') return;
    this.ring = 'off';
    this.apply();
  }

  private follow(snapshot: DeskSnapshot): void {
    const offer = snapshot.state?.offer ?? null;
    const id = offer?.reservationId ?? null;
    if (id === this.seen) return;
    this.seen = id;
    // The previous offer's alerts end first: the next one rings with its own caller's name.
    if (this.offer) this.end();
    if (!offer || !snapshot.state) return;
    this.offer = offer;
    // Timed by the server's clock; the server's own end of the offer normally arrives first.
    const ringsFor = Date.parse(offer.expiresAt) - Date.parse(snapshot.state.serverTime);
    this.expiry = setTimeout(() => this.end(), Math.max(0, ringsFor));
    this.apply();
  }

  /** Stops every alert of the current offer. */
  private end(): void {
    clearTimeout(this.expiry);
    this.expiry = undefined;
    this.offer = null;
    this.apply();
  }

  /** Brings the three alerts in line with the offer, the settings and the page's visibility. */
  private apply(): void {
    const { offer, settings } = this;
    const { ring, title, notifications, page } = this.ports;

    if (offer && settings.sound) {
      if (this.ring === 'off') this.startRing();
      else ring.setVolume(settings.volume);
    } else if (this.ring !== 'off') {
      this.ringToken++;
      ring.stop();
      this.ring = 'off';
    }

    const flash = offer !== null && settings.title;
    if (flash && !this.titleShown) title.start(translate('offerAlerts.flash', { caller: this.caller() }));
    else if (!flash && this.titleShown) title.stop();
    this.titleShown = flash;

    const notify =
      offer !== null && settings.notification && page.hidden() && notifications.permission() === 'granted';
    if (notify && !this.notification) {
      this.notification = notifications.show(
        {
          title: translate('offerAlerts.notification.title', { caller: this.caller() }),
          body: offer.queue ? translate('offerAlerts.notification.queue', { queue: offer.queue.name }) : '',
          tag: `offer-${offer.reservationId}`,
        },
        () => page.focusDesk(),
      );
    } else if (!notify && this.notification) {
      this.notification.close();
      this.notification = null;
    }
    this.changed();
  }

  private startRing(): void {
    const token = ++this.ringToken;
    this.ring = 'starting';
    void this.ports.ring.start(this.settings.volume).then((audible) => {
      if (token !== this.ringToken) return;
      this.ring = audible ? 'ringing' : 'blocked';
      this.changed();
    });
  }

  private caller(): string {
    return (this.offer && callerLabel(this.offer)) ?? translate('desk.caller.withheld');
  }

  private changed(): void {
    const status = this.status;
    for (const listener of this.listeners) listener(status);
  }
}
