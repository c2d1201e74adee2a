import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { desk, type DeskClient, type DeskSnapshot } from '../data/desk.data.js';

/**
 * Gives an element the desk's latest snapshot (connection and state) and re-renders it on every change,
 * subscribed only while the element is connected.
 */
export class DeskController implements ReactiveController {
  snapshot: DeskSnapshot;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    readonly client: DeskClient = desk,
  ) {
    this.snapshot = client.snapshot;
    host.addController(this);
  }

  hostConnected(): void {
    this.snapshot = this.client.snapshot;
    this.unsubscribe = this.client.subscribe((snapshot) => {
      this.snapshot = snapshot;
      this.host.requestUpdate();
    });
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
