import type { ReactiveController, ReactiveControllerHost } from 'lit';

type PageEvents = WindowEventMap & DocumentEventMap;

/**
 * Listens to `type` on `target` (the window, the document) while its element is connected, so a page
 * element hears keys or full-screen changes without leaking the listener when it leaves the page.
 */
export class ListenerController<K extends keyof PageEvents> implements ReactiveController {
  constructor(
    host: ReactiveControllerHost,
    private readonly target: Window | Document,
    private readonly type: K,
    private readonly listener: (event: PageEvents[K]) => void,
  ) {
    host.addController(this);
  }

  private readonly handle = (event: Event): void => {
    this.listener(event as PageEvents[K]);
  };

  hostConnected(): void {
    this.target.addEventListener(this.type, this.handle);
  }

  hostDisconnected(): void {
    this.target.removeEventListener(this.type, this.handle);
  }
}
