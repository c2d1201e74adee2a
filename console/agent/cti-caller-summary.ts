import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { DeskCall } from '../../contracts/desk.js';
import '../components/cti-customer-header.js';
import '../components/cti-churn-risk.js';
import { facts } from '../components/cti-facts-list.js';
import '../components/cti-follow-up-item.js';
import '../components/cti-interaction-summary.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { ivrAnswerFacts } from '../components/timeline-labels.js';
import { shared } from '../styles/shared.js';
import './cti-call-context.js';
import { unknownCallerLinks } from './desk-view.js';

/**
 * The screen pop of a call: for a known customer their record in brief (with a link to the full record
 * when `record` is set), for an unknown caller the ways to find or create them; then what a bot and
 * the external CRM added (cti-call-context), the IVR answers,
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
      .dnc {
        margin: var(--cti-space-2) 0;
        padding: var(--cti-space-2) var(--cti-space-3);
        border-left: 4px solid var(--cti-color-warning-border);
        border-radius: var(--cti-radius-sm);
        background: var(--cti-color-warning-soft);
        color: var(--cti-color-warning-text);
        font-weight: 600;
      }
      .links {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cti-space-2) var(--cti-space-4);
        align-items: center;
        margin-top: var(--cti-space-3);
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
      cti-customer-header {
        margin-bottom: var(--cti-space-2);
        font-weight: 700;
        font-size: var(--cti-font-size-md);
      }
      cti-facts-list {
        font-size: var(--cti-font-size-sm);
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
    const survey = call.pop.lastSurvey;
    if (!this.record) {
      return html`${customer.doNotCall ? html`<p class="dnc">${t('customer.doNotCall')}</p>` : nothing}
      ${
        survey
          ? html`<p class="muted survey">
              ${t('survey.lastScore')}: <strong>${t('survey.scoreOf', { score: survey.score })}</strong>
              (${this.i18n.date(survey.at)})
            </p>`
          : nothing
      }`;
    }
    return html`<section aria-labelledby="record-heading">
      <h3 id="record-heading">${t('desk.record.title')}</h3>
      <cti-customer-header .tier=${customer.tier} .stage=${customer.lifecycleStage}
        ><span>${customer.name}</span></cti-customer-header
      >
      <cti-churn-risk compact .churn=${customer.churn}></cti-churn-risk>
      ${customer.doNotCall ? html`<p class="dnc">${t('customer.doNotCall')}</p>` : nothing}
      <cti-facts-list
        .facts=${facts(
          { label: t('customer.company'), value: customer.company ?? t('common.notSet') },
          { label: t('customer.language'), value: this.i18n.languageName(customer.language) },
          { label: t('customer.since'), value: this.i18n.date(customer.createdAt) },
          customer.tags.length > 0 && { label: t('customer.tags'), value: customer.tags.join(', ') },
          survey && {
            label: t('survey.lastScore'),
            value: `${t('survey.scoreOf', { score: survey.score })} (${this.i18n.date(survey.at)})`,
          },
        )}
      ></cti-facts-list>
      <p class="links">
        <a href="/customers/${customer.id}" target="_blank" rel="noopener" aria-describedby="new-tab"
          >${t('desk.record.open')}</a
        >
        <span id="new-tab" class="visually-hidden">${t('desk.record.newTab')}</span>
      </p>
    </section>`;
  }

  private renderIvr(call: DeskCall) {
    const answers = ivrAnswerFacts(call.ivr.answers, this.i18n);
    if (answers.length === 0) return nothing;
    return html`<section aria-labelledby="ivr-heading">
      <h3 id="ivr-heading">${this.i18n.t('timeline.ivrAnswers')}</h3>
      <cti-facts-list .facts=${answers}></cti-facts-list>
    </section>`;
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
              ${items.map(
                (item) =>
                  html`<li><cti-interaction-summary .interaction=${item}></cti-interaction-summary></li>`,
              )}
            </ol>`
      }
    </section>`;
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
              ${items.map(
                (item) => html`<li><cti-follow-up-item .followUp=${item}></cti-follow-up-item></li>`,
              )}
            </ul>`
      }
    </section>`;
  }

  override render() {
    const call = this.call;
    if (!call) return nothing;
    return html`${this.renderCustomer(call)}
      <cti-call-context .call=${call}></cti-call-context> ${this.renderIvr(call)} ${this.renderRecent(call)}
      ${this.renderFollowUps(call)}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-caller-summary': CtiCallerSummary;
  }
}
