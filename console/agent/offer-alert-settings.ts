/**
 * How an Agent wants a ringing Reservation to get their attention, kept in this browser per user
 * (localStorage, keyed by the user's id, so colleagues sharing a workstation keep their own). The
 * server has no per-user preferences beyond the account's language, and these are about this
 * browser's speakers and notifications anyway.
 */

export interface OfferAlertSettings {
  /** The ring tone while an offer rings. Default on. */
  sound: boolean;
  /** The ring tone's volume, in percent (0–100). Default 70. */
  volume: number;
  /** A desktop notification while the console's tab is hidden (needs the browser's permission). Default on. */
  notification: boolean;
  /** The page title flashes and the tab's icon gets a badge. Default on. */
  title: boolean;
}

export const DEFAULT_OFFER_ALERT_SETTINGS: Readonly<OfferAlertSettings> = {
  sound: true,
  volume: 70,
  notification: true,
  title: true,
};

/** Where a user's settings are kept; `save` may fail silently (storage disabled by policy). */
export interface OfferAlertSettingsStore {
  load(userId: number): OfferAlertSettings;
  save(userId: number, settings: OfferAlertSettings): void;
}

/** Clamps a volume to a whole percent in 0–100; anything else is the default. */
export function clampVolume(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return DEFAULT_OFFER_ALERT_SETTINGS.volume;
  return Math.round(Math.min(100, Math.max(0, value)));
}

/** Stored settings as written by any version of the console: unknown or damaged fields take their default. */
export function parseOfferAlertSettings(raw: string | null): OfferAlertSettings {
  let stored: Record<string, unknown> = {};
  try {
    const value: unknown = JSON.parse(raw ?? '{}');
    if (value && typeof value === 'object') stored = value as Record<string, unknown>;
  } catch {
    // A damaged value: the defaults apply, and the next change writes a good one.
  }
  const flag = (name: 'sound' | 'notification' | 'title') =>
    typeof stored[name] === 'boolean' ? stored[name] : DEFAULT_OFFER_ALERT_SETTINGS[name];
  return {
    sound: flag('sound'),
    volume: 'volume' in stored ? clampVolume(stored.volume) : DEFAULT_OFFER_ALERT_SETTINGS.volume,
    notification: flag('notification'),
    title: flag('title'),
  };
}

const storageKey = (userId: number) => `cti.offerAlerts.${userId}`;

/** The settings in `storage()` (localStorage in the console); a storage that throws keeps the defaults. */
export function storageOfferAlertSettings(storage: () => Storage): OfferAlertSettingsStore {
  return {
    load(userId) {
      try {
        return parseOfferAlertSettings(storage().getItem(storageKey(userId)));
      } catch {
        return { ...DEFAULT_OFFER_ALERT_SETTINGS };
      }
    },
    save(userId, settings) {
      try {
        storage().setItem(storageKey(userId), JSON.stringify(settings));
      } catch {
        // Storage disabled by browser policy: the settings last for this page only.
      }
    },
  };
}
