import { LitElement, css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { shared } from '../styles/shared.js';
import { DESK_SHORTCUTS } from './shortcuts.js';

/** The desk's keyboard shortcuts, listed for the agent to learn. */
@customElement('cti-desk-shortcuts')
export class CtiDeskShortcuts extends LitElement {
  static override styles = [
    shared,
    css`
      .shortcuts {
        margin-top: var(--cti-space-6);
      }
      .shortcuts h2 {
        margin-bottom: var(--cti-space-2);
        font-size: var(--cti-font-size-md);
      }
      .shortcuts dl {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 15rem), 1fr));
        gap: var(--cti-space-2) var(--cti-space-4);
        margin: var(--cti-space-3) 0 0;
      }
      .shortcuts dl div {
        display: flex;
        align-items: baseline;
        gap: var(--cti-space-3);
      }
      .shortcuts dt {
        flex: none;
        min-width: 4.5rem;
      }
      .shortcuts dd {
        margin: 0;
      }
      kbd {
        display: inline-block;
        padding: 0 var(--cti-space-2);
        border: 1px solid var(--cti-color-border-strong);
        border-bottom-width: 2px;
        border-radius: var(--cti-radius-sm);
        background: var(--cti-color-surface);
        font: inherit;
        font-size: var(--cti-font-size-sm);
        font-weight: 600;
      }
    `,
  ];

  private readonly i18n = new I18nController(this);

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    return html`<section class="shortcuts card" aria-labelledby="shortcuts-heading">
      <h2 id="shortcuts-heading">${t('shortcuts.title')}</h2>
      <p class="hint">${t('shortcuts.hint')}</p>
      <dl>
        ${DESK_SHORTCUTS.map(
          ({ action, letter }) =>
            html`<div>
              <dt><kbd>Alt</kbd>+<kbd>${letter}</kbd></dt>
              <dd>${t(`shortcuts.${action}`)}</dd>
            </div>`,
        )}
      </dl>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-desk-shortcuts': CtiDeskShortcuts;
  }
}
