import { html } from 'lit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toasts, type ToastInput } from './toasts.js';

const toast = (kind: string, ttlMs = 1000): ToastInput => ({
  tone: 'info',
  kind,
  ttlMs,
  content: () => html`<p>${kind}</p>`,
});

describe('the toast stack', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    for (const shown of toasts.toasts) toasts.dismiss(shown.id);
    vi.useRealTimers();
  });

  it('puts the newest on top, keeps five, and tells its listeners', () => {
    const seen: string[][] = [];
    const stop = toasts.subscribe((current) => seen.push(current.map((shown) => shown.kind)));
    for (const kind of ['a', 'b', 'c', 'd', 'e', 'f']) toasts.show(toast(kind));
    stop();
    toasts.show(toast('g'));
    expect(toasts.toasts.map((shown) => shown.kind)).toEqual(['g', 'f', 'e', 'd', 'c']);
    expect(seen.at(-1)).toEqual(['f', 'e', 'd', 'c', 'b']);
    expect(seen).toHaveLength(6);
  });

  it('lets each go by itself after its own time, or at once when dismissed', () => {
    const alert = toasts.show(toast('alert', 30_000));
    const reminder = toasts.show(toast('reminder', 60_000));
    toasts.show(toast('other', 90_000));
    toasts.dismiss(reminder);
    expect(toasts.toasts.map((shown) => shown.kind)).toEqual(['other', 'alert']);
    vi.advanceTimersByTime(30_000);
    expect(toasts.toasts.map((shown) => shown.kind)).toEqual(['other']);
    // A dismissed toast's own timer changes nothing later.
    vi.advanceTimersByTime(30_000);
    expect(toasts.toasts.map((shown) => shown.kind)).toEqual(['other']);
    toasts.dismiss(alert);
    expect(toasts.toasts).toHaveLength(1);
  });
});
