import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { FollowUp } from '../../contracts/customer.js';
import type { InteractionSummary } from '../../contracts/interaction.js';
import type { DeskCall } from '../../contracts/desk.js';
import '../components/cti-tier-badge.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { hasMessage } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';
import { unknownCallerLinks } from './desk-view.js';

/**
 * The screen pop of a call: for a known customer their record in brief (with a link to the full record
 * when `record` is set), for an unknown caller the ways to find or create them; then the IVR answers,
 * the last contacts with their wrap-up codes and notes, and the open follow-ups.
 */
@customElement('cti-caller-summary')
export class CtiCallerSummary extends LitElement {
  static override styles = [
    shared,
    css`
      section + section {
        margin-top: var(--cti-space-4);
      }
      h3 {
        margin-bottom: var(--cti-space-2);
        font-size: var(--cti-font-size-sm);
        color: var(--cti-color-text-muted);
        text-transform: none;
      }
      .name {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cti-space-1) var(--cti-space-2);
        margin-bottom: var(--cti-space-2);
        font-weight: 700;
        font-size: var(--cti-font-size-md);
        overflow-wrap: anywhere;
      }
      .stage {
        display: inline-flex;
        padding: 0.1em 0.6em;
        border: 1px solid var(--cti-color-border-strong);
        border-radius: var(--cti-radius-pill);
        font-size: var(--cti-font-size-sm);
        font-weight: 600;
      }
      .dnc {
        margin: var(--cti-space-2) 0;
        padding: var(--cti-space-2) var(--cti-space-3);
        border-left: 4px solid var(--cti-color-warning-border);
        border-radius: var(--cti-radius-sm);
        background: var(--cti-color-warning-soft);
        color: var(--cti-color-warning-text);
        font-weight: 600;
      }
      dl.facts {
        display: grid;
        grid-template-columns: minmax(6rem, max-content) minmax(0, 1fr);
        gap: var(--cti-space-1) var(--cti-space-3);
        margin: 0;
        font-size: var(--cti-font-size-sm);
      }
      dl.facts dt {
        color: var(--cti-color-text-muted);
      }
      dl.facts dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .links {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-2) var(--cti-space-4);
        align-items: center;
        margin-top: var(--cti-space-3);
      }
      a.button {
        display: inline-flex;
        align-items: center;
        min-height: 2.5rem;
        padding: var(--cti-space-2) var(--cti-space-4);
        border: 1px solid var(--cti-color-primary);
        border-radius: var(--cti-radius-md);
        font-weight: 600;
        text-decoration: none;
      }
      a.button:hover {
        background: var(--cti-color-primary-soft);
      }
      ol,
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li + li {
        border-top: 1px solid var(--cti-color-border);
      }
      li {
        padding: var(--cti-space-2) 0;
        font-size: var(--cti-font-size-sm);
      }
      .line {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-1) var(--cti-space-3);
        align-items: center;
      }
      .when {
        font-weight: 600;
        font-variant-numeric: tabular-nums;
      }
      .code {
        padding: 0 var(--cti-space-2);
        border-radius: var(--cti-radius-sm);
        background: var(--cti-color-primary-soft);
      }
      .notes {
        margin-top: var(--cti-space-1);
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .overdue {
        color: var(--cti-color-danger);
        font-weight: 700;
      }
      .muted {
        font-size: var(--cti-font-size-sm);
      }
    `,
  ];

  @property({ attribute: false }) call: DeskCall | null = null;
  /** Show the customer's record in brief with a link to open it (the call panel); the offer card shows the caller itself. */
  @property({ type: Boolean }) record = false;

  private readonly i18n = new I18nController(this);

  private renderCustomer(call: DeskCall) {
    const t = this.i18n.t.bind(this.i18n);
    const customer = call.pop.customer;
    if (!customer) {
      const links = unknownCallerLinks(call.pop.callerNumber);
      return html`<section aria-labelledby="unknown-heading">
        <h3 id="unknown-heading">${t('desk.unknown.title')}</h3>
        <p>${t('desk.unknown.hint')}</p>
        <div class="links">
          <a class="button" href=${links.create}>${t('desk.unknown.create')}</a>
          <a href=${links.search}>${t('desk.unknown.search')}</a>
        </div>
      </section>`;
    }
    if (!this.record) {
      return customer.doNotCall ? html`<p class="dnc">${t('customer.doNotCall')}</p>` : nothing;
    }
    return html`<section aria-labelledby="record-heading">
      <h3 id="record-heading">${t('desk.record.title')}</h3>
      <p class="name">
        <span>${customer.name}</span>
        <cti-tier-badge .tier=${customer.tier}></cti-tier-badge>
        <span class="stage"
          ><span class="visually-hidden">${t('lifecycle.label')}: </span>${this.i18n.lifecycle(
            customer.lifecycleStage,
          )}</span
        >
      </p>
      ${customer.doNotCall ? html`<p class="dnc">${t('customer.doNotCall')}</p>` : nothing}
      <dl class="facts">
        <dt>${t('customer.company')}</dt>
        <dd>${customer.company ?? t('common.notSet')}</dd>
        <dt>${t('customer.language')}</dt>
        <dd>${this.i18n.languageName(customer.language)}</dd>
        <dt>${t('customer.since')}</dt>
        <dd>${this.i18n.date(customer.createdAt)}</dd>
        ${
          customer.tags.length > 0
            ? html`<dt>${t('customer.tags')}</dt>
                <dd>${customer.tags.join(', ')}</dd>`
            : nothing
        }
      </dl>
      <p class="links">
        <a href="/customers/${customer.id}" target="_blank" rel="noopener" aria-describedby="new-tab"
          >${t('desk.record.open')}</a
        >
        <span id="new-tab" class="visually-hidden">${t('desk.record.newTab')}</span>
      </p>
    </section>`;
  }

  private ivrLabel(name: string): string {
    const key = `timeline.ivr.${name}`;
    return hasMessage(key) ? this.i18n.t(key) : name;
  }

  private renderIvr(call: DeskCall) {
    const answers = Object.entries(call.ivr.answers);
    if (answers.length === 0) return nothing;
    return html`<section aria-labelledby="ivr-heading">
      <h3 id="ivr-heading">${this.i18n.t('timeline.ivrAnswers')}</h3>
      <dl class="facts">
        ${answers.map(
          ([name, value]) =>
            html`<dt>${this.ivrLabel(name)}</dt>
              <dd>${name === 'language' ? this.i18n.languageName(value) : value}</dd>`,
        )}
      </dl>
    </section>`;
  }

  private renderInteraction(item: InteractionSummary) {
    const t = this.i18n.t.bind(this.i18n);
    return html`<li>
      <div class="line">
        <time class="when" datetime=${item.arrivedAt}>${this.i18n.dateTime(item.arrivedAt)}</time>
        <span>${item.queueName ?? t('timeline.noQueue')}</span>
        ${
          item.outcome
            ? html`<span class="outcome ${item.outcome}">${this.i18n.outcome(item.outcome)}</span>`
            : html`<span>${t('interactions.inProgress')}</span>`
        }
        <span class="code"
          ><span class="visually-hidden">${t('timeline.wrapUp')}: </span>${
            item.wrapUpCode?.label ?? t('desk.recent.noWrapUp')
          }</span
        >
      </div>
      ${item.notes ? html`<p class="notes">${item.notes}</p>` : nothing}
    </li>`;
  }

  private renderRecent(call: DeskCall) {
    if (!call.pop.customer) return nothing;
    const t = this.i18n.t.bind(this.i18n);
    // The pop may be taken after this call was recorded; it is not one of the caller's earlier contacts.
    const items = call.pop.recentInteractions.filter((item) => item.id !== call.interactionId);
    return html`<section aria-labelledby="recent-heading">
      <h3 id="recent-heading">${t('desk.recent.title')}</h3>
      ${
        items.length === 0
          ? html`<p class="muted">${t('desk.recent.empty')}</p>`
          : html`<ol>
              ${items.map((item) => this.renderInteraction(item))}
            </ol>`
      }
    </section>`;
  }

  private renderFollowUp(followUp: FollowUp) {
    const t = this.i18n.t.bind(this.i18n);
    const overdue = Date.parse(followUp.dueAt) < Date.now();
    return html`<li>
      <div class="line">
        <strong>${t(`followUps.kind.${followUp.kind}`)}</strong>
        <span>${t('followUps.due', { date: this.i18n.dateTime(followUp.dueAt) })}</span>
        ${overdue ? html`<span class="overdue">${t('followUps.overdue')}</span>` : nothing}
      </div>
      ${followUp.note ? html`<p class="notes">${followUp.note}</p>` : nothing}
    </li>`;
  }

  private renderFollowUps(call: DeskCall) {
    if (!call.pop.customer) return nothing;
    const t = this.i18n.t.bind(this.i18n);
    const items = call.pop.openFollowUps;
    return html`<section aria-labelledby="follow-ups-heading">
      <h3 id="follow-ups-heading">${t('followUps.title')}</h3>
      ${
        items.length === 0
          ? html`<p class="muted">${t('followUps.empty')}</p>`
          : html`<ul>
              ${items.map((item) => this.renderFollowUp(item))}
            </ul>`
      }
    </section>`;
  }

  override render() {
    const call = this.call;
    if (!call) return nothing;
    return html`${this.renderCustomer(call)} ${this.renderIvr(call)} ${this.renderRecent(call)}
    ${this.renderFollowUps(call)}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-caller-summary': CtiCallerSummary;
  }
}
