import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { Agent } from '../../server/agents/agents.schemas.js';
import type { CallQueue, WrapUpCode } from '../../contracts/call-queue.js';
import { toUiMessage } from '../app/errors.js';
import { TIERS } from '../data/vocabulary.js';
import { listAgents, listQueues, listWrapUpCodes } from '../data/directory.data.js';
import { I18nController } from '../i18n/i18n-controller.js';
import type { MessageKey, UiMessage } from '../i18n/i18n.js';
import { page } from '../styles/page.js';
import './cti-api-tokens.js';
import './cti-retention-policy.js';
import './cti-value-model-editor.js';
import './cti-webhooks.js';

interface Directory {
  agents: Agent[];
  queues: CallQueue[];
  wrapUpCodes: WrapUpCode[];
}

/** Administrators' page: the customer value model to edit, and a read-only view of agents, call queues and wrap-up codes. */
@customElement('cti-admin-page')
export class CtiAdminPage extends LitElement {
  static override styles = [
    page,
    css`
      h1 {
        margin-bottom: var(--cti-space-1);
      }
      .intro {
        margin-bottom: var(--cti-space-5);
      }
      section {
        margin-bottom: var(--cti-space-6);
      }
      h2 {
        margin-bottom: var(--cti-space-3);
      }
      .state {
        white-space: nowrap;
      }
      .tier-target {
        color: var(--cti-color-text-muted);
        font-size: var(--cti-font-size-sm);
      }
      .state::before {
        content: '● ';
      }
      .state.active::before {
        color: var(--cti-color-success);
      }
      .state.inactive::before {
        content: '○ ';
      }
      code {
        font-size: var(--cti-font-size-sm);
      }
    `,
  ];

  @state() private directory: Directory | null = null;
  @state() private loading = false;
  @state() private error: UiMessage | null = null;

  private readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private readonly load = async (): Promise<void> => {
    this.loading = true;
    this.error = null;
    try {
      const [agents, queues, wrapUpCodes] = await Promise.all([
        listAgents(),
        listQueues(),
        listWrapUpCodes(),
      ]);
      this.directory = { agents, queues, wrapUpCodes };
    } catch (error) {
      this.error = toUiMessage(error);
    } finally {
      this.loading = false;
    }
  };

  private renderTable<T>(
    id: string,
    title: MessageKey,
    columns: MessageKey[],
    rows: T[],
    renderRow: (row: T) => TemplateResult,
  ) {
    const t = this.i18n.t.bind(this.i18n);
    return html`<section aria-labelledby=${id}>
      <h2 id=${id}>${t(title)}</h2>
      ${
        rows.length === 0
          ? html`<p class="card empty">${t('admin.empty')}</p>`
          : html`<div class="table-scroll" role="region" aria-labelledby=${id} tabindex="0">
              <table aria-labelledby=${id}>
                <thead>
                  <tr>
                    ${columns.map((column) => html`<th scope="col">${t(column)}</th>`)}
                  </tr>
                </thead>
                <tbody>
                  ${rows.map(renderRow)}
                </tbody>
              </table>
            </div>`
      }
    </section>`;
  }

  private active(active: boolean) {
    return html`<span class="state ${active ? 'active' : 'inactive'}"
      >${this.i18n.t(active ? 'admin.active' : 'admin.inactive')}</span
    >`;
  }

  private readonly agentRow = (agent: Agent) =>
    html`<tr>
      <td>${agent.displayName}</td>
      <td><code>${agent.username}</code></td>
      <td>${this.i18n.role(agent.role)}</td>
      <td>${agent.languages.map((tag) => this.i18n.languageName(tag)).join(', ')}</td>
      <td>
        ${agent.skills
          .map((skill) => this.i18n.t('admin.skill', { skill: skill.skill, level: skill.proficiency }))
          .join(', ')}
      </td>
      <td>${this.i18n.t(agent.autoAccept ? 'admin.autoAccept.on' : 'admin.autoAccept.off')}</td>
      <td>${this.active(agent.active)}</td>
    </tr>`;

  private readonly queueRow = (queue: CallQueue) =>
    html`<tr>
      <td>${queue.name}</td>
      <td>${this.i18n.t(`strategy.${queue.strategy}`)}</td>
      <td class="number">${queue.priority}</td>
      <td>
        ${this.i18n.t('admin.serviceLevel', { percent: queue.slTargetPercent, seconds: queue.slTargetSeconds })}
        ${TIERS.filter((tier) => queue.tierTargets[tier]).map((tier) => {
          const target = queue.tierTargets[tier]!;
          return html`<div class="tier-target">
            ${this.i18n.t('admin.tierServiceLevel', {
              tier: this.i18n.tier(tier),
              percent: target.slTargetPercent,
              seconds: target.slTargetSeconds,
            })}
          </div>`;
        })}
      </td>
      <td class="number">
        ${queue.maxWaitSeconds === null ? this.i18n.t('admin.noLimit') : this.i18n.duration(queue.maxWaitSeconds)}
      </td>
      <td>
        ${
          !queue.joinEmpty
            ? this.i18n.t('admin.empty.refuse')
            : queue.leaveWhenEmpty
              ? this.i18n.t('admin.empty.leave')
              : this.i18n.t('admin.empty.wait')
        }
      </td>
      <td>${this.i18n.t(queue.surveyEnabled ? 'common.yes' : 'common.no')}</td>
      <td>${queue.timeZone}</td>
    </tr>`;

  private readonly wrapUpRow = (code: WrapUpCode) =>
    html`<tr>
      <td>${code.setName}</td>
      <td><code>${code.code}</code></td>
      <td>${code.label}</td>
      <td>
        ${
          code.action === 'lifecycle_change'
            ? this.i18n.t('wrapUpAction.lifecycle_change', {
                stage: code.actionLifecycleStage ? this.i18n.lifecycle(code.actionLifecycleStage) : '—',
              })
            : this.i18n.t(`wrapUpAction.${code.action}`)
        }
        ${
          code.followUp
            ? html`<br />${this.i18n.t(`wrapUpFollowUp.${code.followUp.owner}`, {
                  kind: this.i18n.t(`followUps.kind.${code.followUp.kind}`),
                  hours: code.followUp.dueInHours,
                })}`
            : nothing
        }
      </td>
      <td>${this.active(code.active)}</td>
    </tr>`;

  override render() {
    const t = this.i18n.t.bind(this.i18n);
    const directory = this.directory;
    return html`
      <h1>${t('admin.title')}</h1>
      <p class="intro muted">${t('admin.readOnly')}</p>
      <section><cti-value-model-editor editable></cti-value-model-editor></section>
      <p class="status" role="status">${this.loading ? t('common.loading') : ''}</p>
      <div class="error" role="alert">${this.error ? this.i18n.message(this.error) : ''}</div>
      ${this.error ? html`<p><button type="button" @click=${this.load}>${t('common.retry')}</button></p>` : nothing}
      ${
        directory
          ? html`
              ${this.renderTable(
                'agents-heading',
                'admin.agents',
                [
                  'admin.col.name',
                  'admin.col.username',
                  'admin.col.role',
                  'admin.col.languages',
                  'admin.col.skills',
                  'admin.col.autoAccept',
                  'admin.col.status',
                ],
                directory.agents,
                this.agentRow,
              )}
              ${this.renderTable(
                'queues-heading',
                'admin.queues',
                [
                  'admin.col.name',
                  'admin.col.strategy',
                  'admin.col.priority',
                  'admin.col.serviceLevel',
                  'admin.col.maxWait',
                  'admin.col.whenEmpty',
                  'queue.survey',
                  'admin.col.timeZone',
                ],
                directory.queues,
                this.queueRow,
              )}
              ${this.renderTable(
                'wrap-up-heading',
                'admin.wrapUpCodes',
                [
                  'admin.col.set',
                  'admin.col.code',
                  'admin.col.label',
                  'admin.col.action',
                  'admin.col.status',
                ],
                directory.wrapUpCodes,
                this.wrapUpRow,
              )}
            `
          : nothing
      }
      <cti-api-tokens></cti-api-tokens>
      <cti-webhooks></cti-webhooks>
      <cti-retention-policy></cti-retention-policy>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cti-admin-page': CtiAdminPage;
  }
}
