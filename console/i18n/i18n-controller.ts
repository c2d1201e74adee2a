import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Role } from '../../server/auth/auth.schemas.js';
import type { LifecycleStage, Tier } from '../../contracts/glossary.js';
import type { InteractionOutcome } from '../../contracts/glossary.js';
import type { AgentStatus } from '../../contracts/glossary.js';
import {
  formatDate,
  formatDateTime,
  formatDuration,
  formatRelative,
  formatTime,
  languageName,
  type Params,
} from './format.js';
import { currentLanguage, onLanguageChange, translate, type MessageKey, type UiMessage } from './i18n.js';

/**
 * Gives an element the current language's strings and formats, and re-renders it when the language
 * changes. Create one per element: `private readonly i18n = new I18nController(this);`.
 */
export class I18nController implements ReactiveController {
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    this.unsubscribe = onLanguageChange(() => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  get lang(): string {
    return currentLanguage();
  }

  /** The translated message; number parameters are formatted for the locale (1234 → "1,234"). */
  t(key: MessageKey, params?: Params): string {
    if (!params) return translate(key);
    const format = new Intl.NumberFormat(this.lang);
    const localized: Record<string, string> = {};
    for (const [name, value] of Object.entries(params)) {
      localized[name] = typeof value === 'number' ? format.format(value) : value;
    }
    return translate(key, localized);
  }

  /** Picks the `.one` or `.other` form of a message by the locale's plural rules. */
  plural(base: 'search.results' | 'segments.count' | 'segments.members', count: number): string {
    const form = new Intl.PluralRules(this.lang).select(count) === 'one' ? 'one' : 'other';
    return this.t(`${base}.${form}`, { count });
  }

  message(message: UiMessage): string {
    return 'text' in message ? message.text : this.t(message.key, message.params);
  }

  dateTime(iso: string): string {
    return formatDateTime(iso, this.lang);
  }

  date(iso: string): string {
    return formatDate(iso, this.lang);
  }

  time(iso: string): string {
    return formatTime(iso, this.lang);
  }

  relative(iso: string): string {
    return formatRelative(iso, new Date(), this.lang);
  }

  /** A duration in seconds as "m:ss"; an em dash when unknown (the call never reached that phase). */
  duration(seconds: number | null): string {
    return seconds === null ? '—' : formatDuration(seconds);
  }

  languageName(tag: string): string {
    return languageName(tag, this.lang);
  }

  tier(tier: Tier): string {
    return this.t(`tier.${tier}`);
  }

  lifecycle(stage: LifecycleStage): string {
    return this.t(`lifecycle.${stage}`);
  }

  outcome(outcome: InteractionOutcome): string {
    return this.t(`outcome.${outcome}`);
  }

  agentStatus(status: AgentStatus): string {
    return this.t(`agentStatus.${status}`);
  }

  role(role: Role): string {
    return this.t(`role.${role}`);
  }
}
