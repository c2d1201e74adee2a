import { html, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { toasts } from '../components/toasts.js';
import { supervision, type Alert } from '../data/supervision.data.js';
import type { I18nController } from '../i18n/i18n-controller.js';

/** How long an alert stays unless dismissed, in ms. */
const ALERT_MS = 30_000;

function alertText(i18n: I18nController, alert: Alert): string {
  return i18n.t(alert.tier ? 'alert.service_level_tier' : `alert.${alert.kind}`, {
    tier: alert.tier ? i18n.tier(alert.tier) : '',
    queue: alert.queueName ?? '',
    agent: alert.agentName ?? '',
    value: alert.value,
    threshold: alert.threshold,
  });
}

/** Shows supervision alerts as toasts while a supervision page (its host) is open. */
export class AlertToasts implements ReactiveController {
  private stop: (() => void) | undefined;

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    this.stop = supervision.onAlert((alert) =>
      toasts.show({
        tone: 'warning',
        kind: 'alert',
        ttlMs: ALERT_MS,
        content: (i18n) => html`<p>${alertText(i18n, alert)}</p>`,
      }),
    );
  }

  hostDisconnected(): void {
    this.stop?.();
  }
}
