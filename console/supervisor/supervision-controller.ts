import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SupervisionView } from '../../contracts/socket.js';
import { supervision, type SupervisionClient, type SupervisionSnapshot } from '../data/supervision.data.js';

/**
 * Watches a live view while its element is connected and re-renders the element on every change:
 * the server pushes only to the rooms of views someone watches.
 */
export class SupervisionController implements ReactiveController {
  snapshot: SupervisionSnapshot;
  private stops: (() => void)[] = [];

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly view: SupervisionView,
    readonly client: SupervisionClient = supervision,
  ) {
    this.snapshot = client.snapshot;
    host.addController(this);
  }

  hostConnected(): void {
    this.stops = [
      this.client.subscribe((snapshot) => {
        this.snapshot = snapshot;
        this.host.requestUpdate();
      }),
      this.client.watch(this.view),
    ];
    this.snapshot = this.client.snapshot;
  }

  hostDisconnected(): void {
    for (const stop of this.stops) stop();
    this.stops = [];
  }
}
