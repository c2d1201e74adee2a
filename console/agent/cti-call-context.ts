import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { DeskCall } from '../../contracts/desk.js';
import '../components/cti-crm-link.js';
import { facts } from '../components/cti-facts-list.js';
import { CrmLinkController } from '../data/crm.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import { shared } from '../styles/shared.js';

/**
 * What came with the call from outside: a bot's handoff (intent, summary, what it collected, the
 * conversation) and what the external CRM knows of the caller, with the "open in CRM" link.
 */
@customElement('cti-call-context')
export class CtiCallContext extends LitElement {
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
      cti-facts-list,
      details {
        font-size: var(--cti-font-size-sm);
      }
      .summary {
        margin: 0 0 var(--cti-space-2);
        white-space: pre-line;
        overflow-wrap: anywhere;
      }
      ol {
        margin: var(--cti-space-2) 0 0;
        padding-left: var(--cti-space-4);
      }
      .role {
        font-weight: 600;
      }
    `,
  ];

  @property({ attribute: false }) call: DeskCall | null = null;

  private readonly i18n = new I18nController(this);
  private readonly crmLink = new CrmLinkController(this);

  private renderHandoff(handoff: NonNullable<DeskCall['handoff']>) {
    const t = this.i18n.t.bind(this.i18n);
    const { context } = handoff;
    const fields = Object.entries(context.fields ?? {});
    return html`<section aria-labelledby="handoff-heading">
      <h3 id="handoff-heading">
        ${context.bot ? t('handoff.titleFrom', { bot: context.bot }) : t('handoff.title')}
      </h3>
      ${context.summary ? html`<p class="summary">${context.summary}</p>` : nothing}
      <cti-facts-list
        .facts=${facts(
          context.intent !== undefined && { label: t('handoff.intent'), value: context.intent },
          ...fields.map(([label, value]) => ({ label, value: String(value) })),
        )}
      ></cti-facts-list>
      ${
        context.transcript?.length
          ? html`<details>
              <summary>${t('handoff.transcript')}</summary>
              <ol>
                ${context.transcript.map(
                  (turn) =>
                    html`<li>
                      <span class="role"
                        >${t(turn.role === 'bot' ? 'handoff.role.bot' : 'handoff.role.caller')}:</span
                      >
                      ${turn.text}
                    </li>`,
                )}
              </ol>
            </details>`
          : nothing
      }
    </section>`;
  }

  private renderCrm(call: DeskCall) {
    const t = this.i18n.t.bind(this.i18n);
    const crm = call.crm;
    const link = html`<cti-crm-link
      .template=${this.crmLink.template}
      .customerId=${call.pop.customer?.id ?? null}
      .phone=${call.pop.callerNumber}
      .crmId=${crm?.crmId ?? null}
    ></cti-crm-link>`;
    if (!crm || (!crm.displayName && !crm.fields?.length)) return link;
    return html`<section aria-labelledby="crm-heading">
      <h3 id="crm-heading">${t('crm.title')}</h3>
      <cti-facts-list
        .facts=${facts(
          crm.displayName !== undefined && { label: t('crm.name'), value: crm.displayName },
          ...(crm.fields ?? []).map((field) => ({ label: field.label, value: field.value })),
        )}
      ></cti-facts-list>
      ${link}
    </section>`;
  }

  override render() {
    const call = this.call;
    if (!call) return nothing;
    return html`${call.handoff ? this.renderHandoff(call.handoff) : nothing} ${this.renderCrm(call)}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-call-context': CtiCallContext;
  }
}
