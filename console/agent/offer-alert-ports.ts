import { navigate } from '../app/navigation.js';
import { routeHref } from '../app/routes.js';
import { storageOfferAlertSettings } from './offer-alert-settings.js';
import type {
  NotificationPermissionState,
  NotificationPort,
  OfferAlertPorts,
  PagePort,
  TitlePort,
} from './offer-alerts.js';
import { webAudioRing } from './ring-tone.js';

/** How often the title alternates, in ms. Background tabs run timers at most once a second anyway. */
export const TITLE_FLASH_MS = 1000;

/**
 * The tab's icon while an offer rings: a red badge with a white dot. Generated here as SVG: the
 * console ships no icon of its own to draw the badge on, and `data:` images pass the page's CSP.
 */
export const BADGE_ICON = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">' +
    '<circle cx="16" cy="16" r="15" fill="#c62828"/><circle cx="16" cy="16" r="6" fill="#ffffff"/></svg>',
)}`;

/**
 * The flashing title and the badged icon, on `doc` (the page's document). The title alternates
 * between the alert and the page's own title; should the console retitle the page meanwhile (the
 * user navigates), the new title is the one put back.
 */
export function titleFlasher(
  doc: { title: string },
  icon: () => { href: string } | null,
  intervalMs = TITLE_FLASH_MS,
): TitlePort {
  let timer: ReturnType<typeof setInterval> | undefined;
  let own = '';
  let written = '';
  let iconHref: string | null = null;

  const write = (title: string) => {
    written = title;
    doc.title = title;
  };

  return {
    start(alert) {
      if (timer !== undefined) this.stop();
      own = doc.title;
      write(alert);
      timer = setInterval(() => {
        // The console retitled the page: that title is showing now, and is the one to put back.
        if (doc.title !== written) written = own = doc.title;
        write(written === alert ? own : alert);
      }, intervalMs);
      const link = icon();
      if (link) {
        iconHref = link.href;
        link.href = BADGE_ICON;
      }
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
      if (doc.title === written) doc.title = own;
      const link = icon();
      if (link && iconHref !== null) link.href = iconHref;
      iconHref = null;
    },
  };
}

function browserNotifications(): NotificationPort {
  const supported = () => typeof Notification !== 'undefined';
  return {
    permission: () => (supported() ? Notification.permission : 'unsupported'),
    async requestPermission(): Promise<NotificationPermissionState> {
      if (!supported()) return 'unsupported';
      return Notification.requestPermission();
    },
    show(message, onClick) {
      try {
        const notification = new Notification(message.title, {
          body: message.body,
          tag: message.tag,
          // It stays until the offer ends (we close it then), rather than fading while the call still rings.
          requireInteraction: true,
        });
        notification.onclick = onClick;
        return notification;
      } catch (error) {
        // Chrome on Android allows notifications only from a service worker: the ring and title remain.
        console.warn(error);
        return null;
      }
    },
  };
}

function browserPage(): PagePort {
  return {
    hidden: () => document.visibilityState === 'hidden',
    onVisibilityChange(listener) {
      document.addEventListener('visibilitychange', listener);
      return () => document.removeEventListener('visibilitychange', listener);
    },
    onGesture(listener) {
      // Capture: the gesture counts even where an element stops the event.
      window.addEventListener('pointerdown', listener, true);
      window.addEventListener('keydown', listener, true);
      return () => {
        window.removeEventListener('pointerdown', listener, true);
        window.removeEventListener('keydown', listener, true);
      };
    },
    focusDesk() {
      window.focus();
      const desk = routeHref({ name: 'desk' });
      if (location.pathname !== desk) navigate(desk);
    },
  };
}

/** The alerts as a browser gives them: Web Audio, Notification, the document's title and icon, localStorage. */
export function browserOfferAlertPorts(): OfferAlertPorts {
  return {
    ring: webAudioRing(),
    notifications: browserNotifications(),
    title: titleFlasher(document, () => document.querySelector<HTMLLinkElement>('link[rel~="icon"]')),
    page: browserPage(),
    settings: storageOfferAlertSettings(() => localStorage),
  };
}
