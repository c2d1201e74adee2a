import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BADGE_ICON, TITLE_FLASH_MS, titleFlasher } from './offer-alert-ports.js';
import {
  DEFAULT_OFFER_ALERT_SETTINGS,
  parseOfferAlertSettings,
  storageOfferAlertSettings,
} from './offer-alert-settings.js';
import { RING_CYCLE_SECONDS, ringSamples } from './ring-tone.js';

describe('the flashing title', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const page = () => {
    const doc = { title: 'Desk · CTI Console' };
    const link = { href: 'data:,' };
    return { doc, link, flasher: titleFlasher(doc, () => link) };
  };

  it('alternates the alert with the page’s title and badges the icon, then puts both back', () => {
    const { doc, link, flasher } = page();
    flasher.start('● Incoming call – Olivia');
    expect(doc.title).toBe('● Incoming call – Olivia');
    expect(link.href).toBe(BADGE_ICON);
    vi.advanceTimersByTime(TITLE_FLASH_MS);
    expect(doc.title).toBe('Desk · CTI Console');
    vi.advanceTimersByTime(TITLE_FLASH_MS);
    expect(doc.title).toBe('● Incoming call – Olivia');
    flasher.stop();
    expect(doc.title).toBe('Desk · CTI Console');
    expect(link.href).toBe('data:,');
    vi.advanceTimersByTime(5 * TITLE_FLASH_MS);
    expect(doc.title).toBe('Desk · CTI Console');
  });

  it('keeps a title the console set meanwhile (the user moved to another page)', () => {
    const { doc, flasher } = page();
    flasher.start('● Incoming call – Olivia');
    doc.title = 'Customers · CTI Console';
    vi.advanceTimersByTime(TITLE_FLASH_MS);
    expect(doc.title).toBe('● Incoming call – Olivia');
    vi.advanceTimersByTime(TITLE_FLASH_MS);
    expect(doc.title).toBe('Customers · CTI Console');
    flasher.stop();
    expect(doc.title).toBe('Customers · CTI Console');
  });
});

describe('the ring tone', () => {
  it('is one quiet-ending cycle, loud enough and never clipping', () => {
    const rate = 8000;
    const samples = ringSamples(rate);
    expect(samples).toHaveLength(RING_CYCLE_SECONDS * rate);
    const peak = samples.reduce((max, sample) => Math.max(max, Math.abs(sample)), 0);
    expect(peak).toBeGreaterThan(0.3);
    expect(peak).toBeLessThanOrEqual(1);
    // Two rings in the first two seconds, then silence until the loop starts again (no click at the seam).
    const loudness = (from: number, to: number) =>
      samples.slice(from * rate, to * rate).reduce((sum, sample) => sum + sample * sample, 0);
    expect(loudness(0, 0.3)).toBeGreaterThan(1);
    expect(loudness(0.9, 1.2)).toBeGreaterThan(1);
    expect(loudness(2.1, RING_CYCLE_SECONDS)).toBe(0);
    expect(samples[0]).toBe(0);
  });
});

describe('offer alert settings', () => {
  it('fills what is missing or damaged with the defaults', () => {
    expect(parseOfferAlertSettings(null)).toEqual(DEFAULT_OFFER_ALERT_SETTINGS);
    expect(parseOfferAlertSettings('not json')).toEqual(DEFAULT_OFFER_ALERT_SETTINGS);
    expect(parseOfferAlertSettings('{"sound":false,"volume":"loud","title":1}')).toEqual({
      ...DEFAULT_OFFER_ALERT_SETTINGS,
      sound: false,
    });
    expect(parseOfferAlertSettings('{"volume":-4}').volume).toBe(0);
    expect(parseOfferAlertSettings('{"volume":33.4}').volume).toBe(33);
  });

  it('keeps each user’s own, and survives a storage that throws', () => {
    const items = new Map<string, string>();
    const storage = {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
    } as Storage;
    const store = storageOfferAlertSettings(() => storage);
    store.save(1, { ...DEFAULT_OFFER_ALERT_SETTINGS, volume: 20 });
    expect(store.load(1).volume).toBe(20);
    expect(store.load(2)).toEqual(DEFAULT_OFFER_ALERT_SETTINGS);

    const broken = storageOfferAlertSettings(() => {
      throw new Error('storage disabled');
    });
    expect(() => broken.save(1, DEFAULT_OFFER_ALERT_SETTINGS)).not.toThrow();
    expect(broken.load(1)).toEqual(DEFAULT_OFFER_ALERT_SETTINGS);
  });
});
