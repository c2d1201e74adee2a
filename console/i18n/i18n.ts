/**
 * The console's current language: one value for the whole page, changed at runtime without a reload.
 * Elements read it through `I18nController`, which re-renders them when it changes.
 */
import type { UiLanguage } from '../../server/auth/auth.schemas.js';
import { en, type MessageKey } from './en.js';
import { interpolate, matchUiLanguage, type Params } from './format.js';
import { zhCN } from './zh-CN.js';

export type { MessageKey } from './en.js';

/** Text to show that is either ours (translated when shown, so it follows a language switch) or the server's, verbatim. */
export type UiMessage = { key: MessageKey; params?: Params } | { text: string };

const LANGUAGE_FLAGS = { en: true, 'zh-CN': true } satisfies Record<UiLanguage, true>;
export const UI_LANGUAGES = Object.keys(LANGUAGE_FLAGS) as UiLanguage[];

const dictionaries: Record<UiLanguage, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };
const STORAGE_KEY = 'cti.uiLanguage';

let current: UiLanguage = 'en';
let chosenThisVisit = false;
const listeners = new Set<() => void>();

function isUiLanguage(value: unknown): value is UiLanguage {
  return typeof value === 'string' && value in LANGUAGE_FLAGS;
}

function storedLanguage(): UiLanguage | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isUiLanguage(value) ? value : null;
  } catch {
    // Storage can be disabled by browser policy; the language then lasts for this page only.
    return null;
  }
}

function apply(language: UiLanguage, persist: boolean): void {
  if (persist) {
    try {
      localStorage.setItem(STORAGE_KEY, language);
    } catch {
      // See storedLanguage: not persisting is acceptable.
    }
  }
  document.documentElement.lang = language;
  if (language === current) return;
  current = language;
  for (const listener of listeners) listener();
}

export function currentLanguage(): UiLanguage {
  return current;
}

/** Before anyone signs in: this browser's last choice, else the browser's own preference. */
export function startLanguage(): void {
  apply(storedLanguage() ?? matchUiLanguage(navigator.languages), false);
}

/** The user picked a language: it applies at once and is remembered in this browser. */
export function chooseLanguage(language: UiLanguage): void {
  chosenThisVisit = true;
  apply(language, true);
}

/**
 * Applies the account's preferred language (`me.uiLanguage`).
 * At sign-in it wins over this browser's stored choice (shared workstations), unless the user picked a
 * language on the login page just now. When a session resumes on reload, a choice made in this browser
 * since that sign-in wins, so switching language survives a reload.
 */
export function adoptAccountLanguage(language: UiLanguage, signedInNow: boolean): void {
  if (signedInNow) {
    if (!chosenThisVisit) apply(language, true);
  } else if (storedLanguage() === null) {
    apply(language, false);
  }
}

export function onLanguageChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function hasMessage(key: string): key is MessageKey {
  return key in en;
}

export function translate(key: MessageKey, params?: Params): string {
  return interpolate(dictionaries[current][key], params);
}
