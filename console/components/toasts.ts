import type { TemplateResult } from 'lit';
import type { I18nController } from '../i18n/i18n-controller.js';

export type ToastTone = 'info' | 'warning' | 'danger';

export interface ToastInput {
  tone: ToastTone;
  /** Milliseconds it stays unless dismissed. */
  ttlMs: number;
  /** Put on the toast as `data-toast`, so a page or test can tell its kind. */
  kind: string;
  /** What it says, rendered on every update so a language change reaches it. */
  content: (i18n: I18nController) => TemplateResult;
}

export interface Toast extends ToastInput {
  id: number;
}

/** The most shown at once: an older one gives way to a newer one. */
const MAX_TOASTS = 5;

/**
 * The console's one stack of toasts: sources (supervision alerts, follow-up reminders) show them here
 * and `cti-toast-stack` renders them, so two sources never pile toasts over each other.
 */
class ToastStore {
  private current: Toast[] = [];
  private nextId = 0;
  private readonly listeners = new Set<(toasts: readonly Toast[]) => void>();

  get toasts(): readonly Toast[] {
    return this.current;
  }

  show(input: ToastInput): number {
    const id = (this.nextId += 1);
    this.set([{ ...input, id }, ...this.current].slice(0, MAX_TOASTS));
    setTimeout(() => this.dismiss(id), input.ttlMs);
    return id;
  }

  dismiss(id: number): void {
    if (this.current.some((toast) => toast.id === id)) {
      this.set(this.current.filter((toast) => toast.id !== id));
    }
  }

  subscribe(listener: (toasts: readonly Toast[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(toasts: Toast[]): void {
    this.current = toasts;
    for (const listener of this.listeners) listener(toasts);
  }
}

export const toasts = new ToastStore();
