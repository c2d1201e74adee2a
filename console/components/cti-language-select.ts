import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { UiLanguage } from '../../server/auth/auth.schemas.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { chooseLanguage, UI_LANGUAGES } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';

/**
 * The console language picker. It sets the page-wide language directly (a preference, not page data),
 * so the login page and the shell need no wiring. Each language is named in itself.
 */
@customElement('cti-language-select')
export class CtiLanguageSelect extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: inline-block;
      }
      .wrap {
        display: inline-flex;
        align-items: center;
        gap: var(--cti-space-2);
      }
      label {
        margin: 0;
      }
      .globe {
        width: 1.25rem;
        height: 1.25rem;
        fill: none;
        stroke: currentColor;
        stroke-width: 1.6;
      }
      select {
        color: var(--cti-color-text);
        width: auto;
        min-height: 2.25rem;
        padding-block: var(--cti-space-1);
      }
    `,
  ];

  /** Show the "Language" label visibly; otherwise it is for screen readers only and a globe icon stands in. */
  @property({ type: Boolean, attribute: 'show-label' }) showLabel = false;

  private readonly i18n = new I18nController(this);

  private readonly onChange = (event: Event): void => {
    chooseLanguage((event.target as HTMLSelectElement).value as UiLanguage);
  };

  override render() {
    return html`<span class="wrap">
      <svg class="globe" viewBox="0 0 24 24" aria-hidden="true" ?hidden=${this.showLabel}>
        <circle cx="12" cy="12" r="9" />
        <path
          d="M3 12h18M12 3c2.5 2.6 3.8 5.6 3.8 9s-1.3 6.4-3.8 9M12 3c-2.5 2.6-3.8 5.6-3.8 9s1.3 6.4 3.8 9"
        />
      </svg>
      <label for="language" class=${this.showLabel ? '' : 'visually-hidden'}
        >${this.i18n.t('language.label')}</label
      >
      <select id="language" @change=${this.onChange}>
        ${UI_LANGUAGES.map(
          (language) =>
            html`<option value=${language} lang=${language} ?selected=${language === this.i18n.lang}>
              ${this.i18n.t(`language.${language}`)}
            </option>`,
        )}
      </select>
    </span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-language-select': CtiLanguageSelect;
  }
}
