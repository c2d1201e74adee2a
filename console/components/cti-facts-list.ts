import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';

/** One labelled value. */
export interface Fact {
  label: string;
  /** Text, or a template for a value with its own markup (a time, a link). */
  value: unknown;
  /** `number`: tabular digits for times and durations; `note`: free text across the whole list, line breaks kept. */
  kind?: 'number' | 'note';
  /** `timer`: a value that changes every second, so assistive technology does not read out each tick. */
  role?: 'timer';
  /** Shown as a row of chips instead of `value`; an empty list shows `value`. */
  chips?: readonly string[];
}

/** Leaves out the facts that do not apply (`false`, `null`), so callers can write `cond && fact`. */
export function facts(...items: (Fact | false | null | undefined)[]): Fact[] {
  return items.filter((item): item is Fact => Boolean(item));
}

/**
 * Labelled values as a description list. `layout`: `columns` (labels beside values), `inline` (pairs
 * side by side, wrapping) or `tiles` (a grid of pairs). `strong` sets the values in bold.
 */
@customElement('cti-facts-list')
export class CtiFactsList extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    dl {
      display: grid;
      grid-template-columns: minmax(6rem, max-content) minmax(0, 1fr);
      gap: var(--cti-space-1) var(--cti-space-3);
      margin: 0;
    }
    div {
      display: contents;
    }
    :host([layout='inline']) dl {
      display: flex;
      flex-wrap: wrap;
      gap: var(--cti-space-2) var(--cti-space-5);
    }
    :host([layout='tiles']) dl {
      grid-template-columns: repeat(auto-fill, minmax(min(100%, 9.5rem), 1fr));
      gap: var(--cti-space-2) var(--cti-space-4);
    }
    :host([layout='inline']) div,
    :host([layout='tiles']) div {
      display: block;
      min-width: 0;
    }
    dt {
      color: var(--cti-color-text-muted);
      font-size: var(--cti-font-size-sm);
    }
    dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    :host([strong]) dd {
      font-weight: 600;
    }
    .number {
      font-variant-numeric: tabular-nums;
    }
    .timer {
      font-size: var(--cti-font-size-lg);
    }
    div.note {
      grid-column: 1 / -1;
    }
    .note dd {
      white-space: pre-wrap;
    }
    ul {
      display: flex;
      flex-wrap: wrap;
      gap: var(--cti-space-1);
      list-style: none;
      margin: 0;
      padding: 0;
    }
    li {
      padding: 0 var(--cti-space-2);
      border-radius: var(--cti-radius-sm);
      background: var(--cti-color-primary-soft);
      font-size: var(--cti-font-size-sm);
    }
  `;

  @property({ attribute: false }) facts: readonly Fact[] = [];
  @property({ reflect: true }) layout: 'columns' | 'inline' | 'tiles' = 'columns';
  @property({ type: Boolean, reflect: true }) strong = false;

  private renderValue(fact: Fact) {
    if (fact.chips && fact.chips.length > 0) {
      return html`<ul>
        ${fact.chips.map((chip) => html`<li>${chip}</li>`)}
      </ul>`;
    }
    return fact.value;
  }

  override render() {
    return html`<dl>
      ${this.facts.map(
        (fact) =>
          html`<div class=${fact.kind ?? nothing}>
            <dt>${fact.label}</dt>
            <dd class="${fact.kind ?? ''} ${fact.role ?? ''}" role=${fact.role ?? nothing}>
              ${this.renderValue(fact)}
            </dd>
          </div>`,
      )}
    </dl>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-facts-list': CtiFactsList;
  }
}
