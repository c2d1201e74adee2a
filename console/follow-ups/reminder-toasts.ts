import { html, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { routeHref } from '../app/routes.js';
import { toasts } from '../components/toasts.js';
import { desk } from '../data/desk.data.js';

/** How long a reminder stays unless dismissed, in ms. */
const REMINDER_MS = 60_000;

/**
 * Due and overdue follow-up reminders as toasts on every page while signed in, each with a link to
 * the worklist. The server sends each reminder once; every open console of the owner shows it.
 */
export class ReminderToasts implements ReactiveController {
  private stop: (() => void) | undefined;

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    this.stop = desk.onFollowUps({
      reminder: (reminder) =>
        toasts.show({
          tone: reminder.reminder === 'overdue' ? 'danger' : 'info',
          kind: 'follow-up-reminder',
          ttlMs: REMINDER_MS,
          content: (i18n) =>
            html`<div data-reminder=${reminder.reminder}>
              <p>
                ${i18n.t(`followUpReminder.${reminder.reminder}`, {
                  kind: i18n.t(`followUps.kind.${reminder.kind}`),
                  customer: reminder.customerName,
                  time: i18n.dateTime(reminder.dueAt),
                })}
              </p>
              ${reminder.title ? html`<p class="written">${reminder.title}</p>` : ''}
              <a href=${routeHref({ name: 'followUps', list: 'mine' })}>${i18n.t('followUpReminder.open')}</a>
            </div>`,
        }),
    });
  }

  hostDisconnected(): void {
    this.stop?.();
  }
}
