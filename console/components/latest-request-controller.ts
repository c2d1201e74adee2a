import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { isAbortError } from '../data/api.js';

/** How the latest request ended: its value, or why it failed. */
export type RequestOutcome<T> = { value: T } | { error: unknown };

/**
 * Loads what an element shows, one request at a time: a new request aborts the one before (a filter
 * changed, another customer opened), and leaving the page aborts the last. Re-renders its element
 * while `loading` changes.
 */
export class LatestRequestController implements ReactiveController {
  /** A request is under way. */
  loading = false;
  private current: AbortController | undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /**
   * Runs `request`, aborting the one before. Resolves with its outcome, or null when it was aborted:
   * a newer request (which then owns the element's state) or the element leaving the page.
   */
  async run<T>(request: (signal: AbortSignal) => Promise<T>): Promise<RequestOutcome<T> | null> {
    this.current?.abort();
    const controller = new AbortController();
    this.current = controller;
    this.setLoading(true);
    try {
      return { value: await request(controller.signal) };
    } catch (error) {
      return isAbortError(error) ? null : { error };
    } finally {
      if (this.current === controller) this.setLoading(false);
    }
  }

  /** Aborts the request under way, for when the element will not show what it would load. */
  abort(): void {
    this.current?.abort();
  }

  hostDisconnected(): void {
    this.abort();
  }

  private setLoading(loading: boolean): void {
    this.loading = loading;
    this.host.requestUpdate();
  }
}
