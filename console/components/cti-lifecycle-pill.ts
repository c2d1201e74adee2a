import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { LifecycleStage } from '../../server/customers/customers.schemas.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { visuallyHidden } from '../styles/text.js';

/** A customer's lifecycle stage as a pill; a screen reader hears what the word is before the word. */
@customElement('cti-lifecycle-pill')
export class CtiLifecyclePill extends LitElement {
  static override styles = [
    visuallyHidden,
    css`
      :host {
        display: inline-flex;
        vertical-align: middle;
      }
      span.pill {
        display: inline-flex;
        padding: 0.1em 0.6em;
        border: 1px solid var(--cti-color-border-strong);
        border-radius: var(--cti-radius-pill);
        background: var(--cti-color-surface);
        font-size: var(--cti-font-size-sm);
        font-weight: 600;
        line-height: 1.4;
        white-space: nowrap;
      }
    `,
  ];

  @property() stage: LifecycleStage = 'new';

  private readonly i18n = new I18nController(this);

  override render() {
    return html`<span class="pill"
      ><span class="visually-hidden">${this.i18n.t('lifecycle.label')}: </span>${this.i18n.lifecycle(
        this.stage,
      )}</span
    >`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-lifecycle-pill': CtiLifecyclePill;
  }
}
