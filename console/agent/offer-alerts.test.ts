import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeskReservation, DeskState } from '../../contracts/desk.js';
import type { DeskSnapshot } from '../data/desk.data.js';
import { DEFAULT_OFFER_ALERT_SETTINGS, type OfferAlertSettings } from './offer-alert-settings.js';
import { OfferAlerts, type NotificationPermissionState, type OfferAlertPorts } from './offer-alerts.js';

const NOW = Date.parse('2026-12-07T09:00:00.000Z');

function reservation(id: number, overrides: Partial<DeskReservation> = {}): DeskReservation {
  return {
    reservationId: id,
    expiresAt: new Date(NOW + 20_000).toISOString(),
    interactionId: 100 + id,
    origin: null,
    queue: { id: 1, name: 'Sales' },
    waitedSeconds: 12,
    pop: {
      callerNumber: '+14155550123',
      customer: { name: 'Olivia Carter' } as DeskReservation['pop']['customer'],
      recentInteractions: [],
      openFollowUps: [],
      lastSurvey: null,
    },
    ivr: { answers: {}, path: [] },
    crm: null,
    handoff: null,
    ...overrides,
  };
}

function state(offer: DeskReservation | null, status: DeskState['status'] = 'reserved'): DeskState {
  return {
    serverTime: new Date(NOW).toISOString(),
    status,
    reason: null,
    nextReason: null,
    since: new Date(NOW).toISOString(),
    breakReasons: [],
    offer,
    call: null,
    wrapUp: null,
  };
}

/** The desk's store, pushed by hand. */
function fakeDesk() {
  const listeners = new Set<(snapshot: DeskSnapshot) => void>();
  let snapshot: DeskSnapshot = {
    connection: 'connected',
    state: state(null, 'available'),
    problem: null,
    backlog: [],
  };
  return {
    get snapshot() {
      return snapshot;
    },
    subscribe(listener: (snapshot: DeskSnapshot) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    push(next: DeskState | null) {
      snapshot = { ...snapshot, state: next };
      for (const listener of listeners) listener(snapshot);
    },
  };
}

/** Ports that record what the controller asked of the browser. */
function fakePorts(options: {
  audible?: boolean;
  hidden?: boolean;
  permission?: NotificationPermissionState;
}) {
  const page = {
    hidden: options.hidden ?? false,
    visibility: new Set<() => void>(),
    gestures: new Set<() => void>(),
  };
  const world = {
    audible: options.audible ?? true,
    permission: options.permission ?? 'granted',
    ringing: false,
    unlocks: 0,
    volume: 0,
    title: null as string | null,
    notifications: [] as { title: string; body: string; tag: string; closed: boolean; click(): void }[],
    focused: 0,
    saved: new Map<number, OfferAlertSettings>(),
    page,
  };
  const ports: OfferAlertPorts = {
    ring: {
      unlock: () => {
        world.unlocks++;
        return Promise.resolve(world.audible);
      },
      start: (volume) => {
        world.volume = volume;
        world.ringing = world.audible;
        return Promise.resolve(world.audible);
      },
      setVolume: (volume) => (world.volume = volume),
      stop: () => (world.ringing = false),
    },
    notifications: {
      permission: () => world.permission,
      requestPermission: () => Promise.resolve(world.permission),
      show(message, onClick) {
        const shown = { ...message, closed: false, click: onClick };
        world.notifications.push(shown);
        return { close: () => (shown.closed = true) };
      },
    },
    title: {
      start: (alert) => (world.title = alert),
      stop: () => (world.title = null),
    },
    page: {
      hidden: () => page.hidden,
      onVisibilityChange(listener) {
        page.visibility.add(listener);
        return () => page.visibility.delete(listener);
      },
      onGesture(listener) {
        page.gestures.add(listener);
        return () => page.gestures.delete(listener);
      },
      focusDesk: () => world.focused++,
    },
    settings: {
      load: (userId) => world.saved.get(userId) ?? { ...DEFAULT_OFFER_ALERT_SETTINGS },
      save: (userId, settings) => world.saved.set(userId, { ...settings }),
    },
  };
  return { ports, world };
}

function fakeHost() {
  const controllers: ReactiveController[] = [];
  const host = {
    addController: (controller: ReactiveController) => controllers.push(controller),
    connect: () => controllers.forEach((controller) => controller.hostConnected?.()),
    disconnect: () => controllers.forEach((controller) => controller.hostDisconnected?.()),
  };
  return host as typeof host & ReactiveControllerHost;
}

/** Lets the ring's start (a promise) settle. */
const settle = () => vi.advanceTimersByTimeAsync(0);

function setup(options: Parameters<typeof fakePorts>[0] = {}) {
  const desk = fakeDesk();
  const { ports, world } = fakePorts(options);
  const host = fakeHost();
  const alerts = new OfferAlerts(host, ports, desk);
  alerts.useAccount(7);
  host.connect();
  return { desk, ports, world, host, alerts };
}

describe('offer alerts', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: NOW });
  });
  afterEach(() => vi.useRealTimers());

  it('rings, flashes the title and notifies a hidden tab when an offer appears; all stop when it is accepted', async () => {
    const { desk, world, alerts } = setup({ hidden: true });
    desk.push(state(reservation(1)));
    await settle();
    expect(world.ringing).toBe(true);
    expect(world.volume).toBe(70);
    expect(alerts.status.ring).toBe('ringing');
    expect(world.title).toBe('● Incoming call – Olivia Carter');
    expect(world.notifications).toMatchObject([
      { title: 'Incoming call – Olivia Carter', body: 'Queue: Sales', tag: 'offer-1', closed: false },
    ]);

    // An update of the same offer (the pop enriched) changes nothing.
    desk.push(state(reservation(1, { crm: null, waitedSeconds: 13 })));
    expect(world.notifications).toHaveLength(1);

    // Accepted: the desk shows the call, no offer.
    desk.push(state(null, 'on_call'));
    expect(world.ringing).toBe(false);
    expect(alerts.status.ring).toBe('off');
    expect(world.title).toBeNull();
    expect(world.notifications[0]!.closed).toBe(true);
  });

  it('names an unknown caller by number and a withheld one as such; a queueless offer has no queue line', async () => {
    const { desk, world } = setup({ hidden: true });
    const pop = { ...reservation(1).pop, customer: null };
    desk.push(state(reservation(1, { pop, queue: null })));
    expect(world.title).toBe('● Incoming call – +14155550123');
    expect(world.notifications.at(-1)).toMatchObject({ title: 'Incoming call – +14155550123', body: '' });
    desk.push(state(reservation(2, { pop: { ...pop, callerNumber: null } })));
    expect(world.title).toBe('● Incoming call – Withheld number');
    await settle();
  });

  it('notifies only while the tab is hidden, the browser permits it and the user wants it', async () => {
    const visible = setup({ hidden: false });
    visible.desk.push(state(reservation(1)));
    expect(visible.world.notifications).toEqual([]);
    // Going to another tab while it rings notifies; coming back closes the notification.
    visible.world.page.hidden = true;
    visible.world.page.visibility.forEach((listener) => listener());
    expect(visible.world.notifications).toMatchObject([{ closed: false }]);
    visible.world.page.hidden = false;
    visible.world.page.visibility.forEach((listener) => listener());
    expect(visible.world.notifications).toMatchObject([{ closed: true }]);

    for (const permission of ['default', 'denied', 'unsupported'] as const) {
      const refused = setup({ hidden: true, permission });
      refused.desk.push(state(reservation(1)));
      expect(refused.world.notifications).toEqual([]);
    }

    const off = setup({ hidden: true });
    off.alerts.change({ notification: false });
    off.desk.push(state(reservation(1)));
    expect(off.world.notifications).toEqual([]);
    await settle();
  });

  it('focuses the desk when the notification is clicked', () => {
    const { desk, world } = setup({ hidden: true });
    desk.push(state(reservation(1)));
    world.notifications[0]!.click();
    expect(world.focused).toBe(1);
  });

  it('respects each setting, also while an offer rings, and keeps them per user', async () => {
    const { desk, world, alerts } = setup();
    alerts.change({ sound: false, title: false });
    desk.push(state(reservation(1)));
    await settle();
    expect(world.ringing).toBe(false);
    expect(world.title).toBeNull();

    alerts.change({ sound: true, volume: 30 });
    await settle();
    expect(world.ringing).toBe(true);
    expect(world.volume).toBe(30);
    alerts.change({ volume: 250 });
    expect(world.volume).toBe(100);
    alerts.change({ title: true });
    expect(world.title).toBe('● Incoming call – Olivia Carter');
    alerts.change({ sound: false, title: false });
    expect(world.ringing).toBe(false);
    expect(world.title).toBeNull();

    expect(world.saved.get(7)).toEqual({ sound: false, volume: 100, notification: true, title: false });
    alerts.useAccount(8);
    expect(alerts.status.settings).toEqual(DEFAULT_OFFER_ALERT_SETTINGS);
    alerts.useAccount(7);
    expect(alerts.status.settings).toMatchObject({ sound: false, volume: 100 });
  });

  it('stops at the offer’s expiry by the server’s clock, even with no word from the server', async () => {
    const { desk, world } = setup();
    desk.push(state(reservation(1)));
    await settle();
    await vi.advanceTimersByTimeAsync(19_999);
    expect(world.ringing).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(world.ringing).toBe(false);
    expect(world.title).toBeNull();
    // The same offer in a later state does not ring again; the next one does.
    desk.push(state(reservation(1)));
    expect(world.title).toBeNull();
    desk.push(state(reservation(2, { expiresAt: new Date(NOW + 40_000).toISOString() })));
    await settle();
    expect(world.ringing).toBe(true);
  });

  it('says when the browser holds the ring back, and rings once the user clicks', async () => {
    const { desk, world, alerts } = setup({ audible: false });
    desk.push(state(reservation(1)));
    await settle();
    expect(alerts.status.ring).toBe('blocked');
    // The title flashes regardless.
    expect(world.title).not.toBeNull();

    world.audible = true;
    world.page.gestures.forEach((listener) => listener());
    await settle();
    expect(world.unlocks).toBe(1);
    expect(alerts.status.ring).toBe('ringing');
    expect(world.ringing).toBe(true);

    desk.push(state(null, 'available'));
    expect(alerts.status.ring).toBe('off');
  });

  it('does not start a ring whose offer ended while the audio was starting', async () => {
    const { desk, alerts } = setup();
    desk.push(state(reservation(1)));
    expect(alerts.status.ring).toBe('starting');
    desk.push(state(null, 'available'));
    await settle();
    expect(alerts.status.ring).toBe('off');
  });

  it('stops everything when the console goes away', async () => {
    const { desk, world, host, alerts } = setup({ hidden: true });
    const seen: string[] = [];
    alerts.subscribe((status) => seen.push(status.ring));
    desk.push(state(reservation(1)));
    await settle();
    expect(seen).toEqual(['starting', 'ringing']);
    host.disconnect();
    expect(world.ringing).toBe(false);
    expect(world.title).toBeNull();
    expect(world.notifications[0]!.closed).toBe(true);
    expect(world.page.gestures.size).toBe(0);
    // The desk's pushes no longer reach it.
    desk.push(state(reservation(2)));
    expect(world.title).toBeNull();
  });
});
