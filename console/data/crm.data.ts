/** The external CRM as the console sees it: the "open in CRM" link template, read once per page load. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CrmSettings } from '../../server/crm-lookup/crm-lookup.schemas.js';
import { request } from './api.js';

export type { CrmSettings };

let settings: Promise<CrmSettings> | null = null;

/** The settings, asked once; a failed read is asked again next time. */
export function crmSettings(): Promise<CrmSettings> {
  settings ??= request<CrmSettings>('GET', '/api/crm/settings').catch((error: unknown) => {
    settings = null;
    throw error;
  });
  return settings;
}

/**
 * Gives an element the CRM link template once it is known (null without one, or while the settings
 * could not be read: the link is a convenience, its absence is no error to show).
 */
export class CrmLinkController implements ReactiveController {
  template: string | null = null;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    crmSettings().then(
      ({ linkTemplate }) => {
        this.template = linkTemplate;
        this.host.requestUpdate();
      },
      () => undefined,
    );
  }
}
